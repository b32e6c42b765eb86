-- TINYINT and SMALLINT arithmetic at their width (ANSI), comparisons, and
-- rounding to a negative scale keeping the type.
SELECT 5Y - 3S AS a, 7Y % 3Y AS b, -7S % 3S AS c, 7Y / 2Y AS d, 7Y div 2Y AS e, 1Y = 1S AS f,
       1Y < 2 AS g, 3Y > '2' AS h, 120Y + CAST(10 AS INT) AS i, 100Y * 1.5 AS j, -(-127Y) AS k,
       abs(-32767S) AS l, round(12Y, -1) AS m, typeof(round(12Y, -1)) AS n, round(1250S, -2) AS o,
       typeof(round(1234S, -2)) AS p, bround(125Y, -1) AS q, round(-124Y, -1) AS r,
       CAST(-128Y AS SMALLINT) - 1S AS s, 1Y + 1.5D AS t, 30000S + 2767S AS u
