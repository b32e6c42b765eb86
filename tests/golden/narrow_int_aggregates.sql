-- Aggregates of TINYINT and SMALLINT: sum is a BIGINT, avg a DOUBLE, min
-- and max keep the type; narrow grouping keys.
SELECT a, sum(b) AS s, typeof(sum(b)) AS ts, avg(b) AS av, typeof(avg(b)) AS ta, min(b) AS mn,
       typeof(min(b)) AS tmn, max(b) AS mx, typeof(max(a)) AS tmx, count(*) AS n
FROM VALUES (1Y, 1000S), (100Y, 30000S), (100Y, 30000S), (CAST(NULL AS TINYINT), -5S) AS t(a, b)
GROUP BY a
ORDER BY a
