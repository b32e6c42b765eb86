-- Intervals computed per row of a table (the interpreted twin runs them): a time difference, a date shifted by months.
SELECT Index,
       CAST(CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) - TIMESTAMP '2015-02-23 00:00:00' AS STRING) AS since,
       CAST(CAST(Creation_Time AS DOUBLE) / 1000000000 AS TIMESTAMP) + make_ym_interval(0, Index) AS later,
       CAST(make_dt_interval(Index, 1) * 2 AS STRING) AS twice,
       make_dt_interval(Index) > INTERVAL '1' DAY AS more
FROM activity
WHERE Index < 4
ORDER BY Index
