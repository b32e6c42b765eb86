-- A filter on FLOAT values in a compiled kernel: NaN sorts above every
-- number, so `f > 1e30F` keeps it; -0.0 = 0.0.
SELECT count(*) AS n, count(f) AS nonnull
FROM (SELECT CASE Index % 4
               WHEN 0 THEN CAST(CAST('NaN' AS DOUBLE) AS FLOAT)
               WHEN 1 THEN -0.0F
               WHEN 2 THEN CAST(Index AS FLOAT)
               ELSE CAST(NULL AS FLOAT)
             END AS f
      FROM activity)
WHERE f > 1e30F OR f = 0.0F
