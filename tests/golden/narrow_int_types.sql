-- TINYINT and SMALLINT literals (`1Y`, `1S`) and the types of Spark's other
-- suffixes, and the result types of arithmetic beside every other number.
SELECT typeof(1Y) AS a, typeof(1S) AS b, typeof(1L) AS c, typeof(1.0F) AS d, typeof(1D) AS e,
       typeof(1BD) AS f, typeof(1.5) AS g, typeof(1Y + 1Y) AS h, typeof(1Y + 1S) AS i,
       typeof(1S + 1) AS j, typeof(1Y + 1L) AS k, typeof(1Y + 1.5) AS l, typeof(1Y * 1.5BD) AS m,
       typeof(1S * 1.5BD) AS n, typeof(1Y + 1D) AS o, typeof(1Y / 1Y) AS p, typeof(1Y div 1Y) AS q,
       typeof(1Y % 1Y) AS r, typeof(-1Y) AS s, typeof(abs(1S)) AS t, typeof(1Y + '2') AS u,
       typeof(coalesce(1Y, 1S)) AS v, typeof(CASE WHEN true THEN 1Y ELSE 2 END) AS w,
       typeof(array(1Y, 2S)) AS x, typeof(floor(5Y)) AS y, typeof(greatest(1Y, 2S)) AS z
