-- sum, avg, min and max of intervals (sum keeps the type, avg is the full range, HALF_UP), and intervals as grouping keys.
SELECT CAST(sum(x) AS STRING) AS s, typeof(sum(x)) AS ts, CAST(avg(x) AS STRING) AS a, typeof(avg(x)) AS ta,
       CAST(min(x) AS STRING) AS mn, CAST(max(x) AS STRING) AS mx,
       CAST(sum(y) AS STRING) AS sy, CAST(avg(y) AS STRING) AS ay, CAST(min(y) AS STRING) AS mny,
       CAST(avg(z) AS STRING) AS az
FROM VALUES (INTERVAL '1' DAY, INTERVAL '1' YEAR, INTERVAL '1' SECOND),
            (INTERVAL '2' HOUR, INTERVAL '2' MONTH, INTERVAL '2' SECOND),
            (NULL, NULL, INTERVAL '2' SECOND) AS t(x, y, z)
