-- stream: complete
-- The sum and average of intervals per group on a stream (state kept across batches).
SELECT gt, CAST(sum(make_dt_interval(0, 0, 0, Index)) AS STRING) AS s,
       CAST(avg(make_ym_interval(0, Index % 7)) AS STRING) AS a
FROM activity
GROUP BY gt
