-- Casts to and from FLOAT: strings, integers (rounded once: 16777217 is
-- 16777216.0), doubles past its range (infinity), decimals, booleans,
-- timestamps, and the cast-named float().
SELECT CAST('1.5' AS FLOAT) AS a, CAST(' 2.25 ' AS REAL) AS b, CAST(3.5e38D AS FLOAT) AS c,
       CAST(-1e39D AS FLOAT) AS d, CAST(1.9F AS INT) AS e, CAST(-1.9F AS BIGINT) AS f,
       CAST(1.5F AS DECIMAL(4, 2)) AS g, CAST(1.1F AS DECIMAL(10, 8)) AS h,
       CAST(0.0F AS BOOLEAN) AS i, CAST(true AS FLOAT) AS j,
       CAST(TIMESTAMP '1970-01-01 00:00:01' AS FLOAT) AS k,
       CAST(CAST(1.5F AS TIMESTAMP) AS STRING) AS l, CAST(16777217 AS FLOAT) AS m,
       CAST(12.75BD AS FLOAT) AS n, typeof(float(1)) AS o, float('2.5') AS p,
       CAST(NULL AS FLOAT) AS q, typeof(CAST(1 AS REAL)) AS r, CAST('NaN' AS FLOAT) AS s,
       CAST(CAST('-Infinity' AS FLOAT) AS STRING) AS t
