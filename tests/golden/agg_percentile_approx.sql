-- percentile_approx / approx_percentile with Spark's default accuracy
-- (10000) and an array of percentages; results have the column's type.
SELECT gt, percentile_approx(x, 0.5) AS mx, percentile_approx(Index, 0.25) AS p25,
  approx_percentile(y, array(0.1, 0.5, 0.9)) AS py,
  percentile_approx(Arrival_Time, array(0, 1), 100000) AS ends,
  percentile_approx(CAST(Index AS INT), 0.99) AS p99
FROM activity GROUP BY gt
