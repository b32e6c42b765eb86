-- approx_count_distinct over every row (registers merge by maximum, so the
-- answer does not depend on how rows are split).
SELECT approx_count_distinct(Index) AS ni, approx_count_distinct(Index, 0.01) AS ni_fine,
  approx_count_distinct(Creation_Time) AS nc, approx_count_distinct(z) AS nz,
  approx_count_distinct(gt) AS ngt
FROM activity
