-- FLOAT values computed per row by compiled kernels: NaN equals itself and
-- is above every number (+Infinity too), -0.0 equals 0.0, nulls propagate;
-- FLOAT arithmetic stays single precision; casts to DOUBLE, BOOLEAN, BIGINT.
SELECT Index, f, f = CAST(CAST('NaN' AS DOUBLE) AS FLOAT) AS is_nan, f > CAST(CAST('Infinity' AS DOUBLE) AS FLOAT) AS above_inf,
       f = 0.0F AS is_zero, f <=> CAST(NULL AS FLOAT) AS is_null, f < 2.5F AS small,
       f * 3.0F AS f3, f - 0.1F AS fm, -f AS neg, f + 1.0F AS f1, f % 2.5F AS m,
       CAST(f AS DOUBLE) AS d, CAST(f AS BOOLEAN) AS b, CAST(f * 0.0F AS FLOAT) AS z
FROM (SELECT Index,
             CASE Index % 6
               WHEN 0 THEN CAST(CAST('NaN' AS DOUBLE) AS FLOAT)
               WHEN 1 THEN -0.0F
               WHEN 2 THEN CAST(NULL AS FLOAT)
               WHEN 3 THEN CAST(CAST('-Infinity' AS DOUBLE) AS FLOAT)
               ELSE CAST(Index AS FLOAT) * 1.1F
             END AS f
      FROM activity WHERE Index < 12)
ORDER BY Index
