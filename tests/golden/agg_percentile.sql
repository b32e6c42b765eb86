-- Exact percentiles (linear interpolation) and median by group.
SELECT gt, median(x) AS mx, percentile(Index, 0.25) AS p25,
  percentile(y, array(0.1, 0.5, 0.9)) AS py, median(Arrival_Time) AS ma,
  percentile(CASE WHEN Index % 2 = 0 THEN z END, 0.75) AS p75_even
FROM activity GROUP BY gt
