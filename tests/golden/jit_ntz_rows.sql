-- TIMESTAMP_NTZ values per row in compiled kernels: loads, comparisons,
-- nulls and interval arithmetic.
SELECT Index, t, t > TIMESTAMP_NTZ '2024-01-01 12:00:00' AS late,
       t - INTERVAL '1' DAY AS day_before, t + INTERVAL '1' YEAR AS year_after
FROM (SELECT Index,
             CASE WHEN Index % 3 = 0 THEN CAST(NULL AS TIMESTAMP_NTZ)
                  ELSE TIMESTAMP_NTZ '2024-01-01 00:00:00' + INTERVAL '5' HOUR * Index END AS t
      FROM activity WHERE Index < 8)
ORDER BY Index
