-- approx_count_distinct: Spark's HyperLogLog++ (xxHash64 of the value,
-- rsd 0.05 by default), over longs, strings and doubles.
SELECT gt, approx_count_distinct(Index) AS ni, approx_count_distinct(Device) AS nd,
  approx_count_distinct(x) AS nx, approx_count_distinct(Index, 0.01) AS ni_fine,
  approx_count_distinct(Arrival_Time, 0.2) AS na_coarse, count(DISTINCT User) AS users
FROM activity GROUP BY gt
