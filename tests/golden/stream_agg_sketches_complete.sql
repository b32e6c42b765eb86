-- stream: complete
-- The statistical aggregates in a complete-mode streaming aggregation.
SELECT User, skewness(x) AS sx, corr(y, z) AS cyz, bit_xor(Index) AS bx,
  approx_count_distinct(Index) AS ni, percentile_approx(Index, 0.5) AS pi, mode(gt) AS mg
FROM activity GROUP BY User
