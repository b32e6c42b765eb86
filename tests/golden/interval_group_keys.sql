-- Intervals as grouping keys, and their sums per group over a table.
SELECT CAST(k AS STRING) AS k, count(*) AS n, CAST(sum(make_dt_interval(0, 0, 0, Index)) AS STRING) AS s
FROM (SELECT Index, make_dt_interval(Index % 3) AS k FROM activity WHERE Index < 100)
GROUP BY k
