-- The new aggregates over dates, timestamps, booleans, strings and doubles
-- (-0.0 and NaN kept by collect_list, NaN the largest for max_by), and
-- collect_list(DISTINCT).
SELECT percentile_approx(d, 0.5) AS pd, percentile_approx(ts, array(0.5, 1.0)) AS pt,
  collect_list(f) AS cf, mode(s) AS ms, approx_count_distinct(b) AS ab,
  approx_count_distinct(d) AS ad, max_by(s, f) AS msf, min_by(b, d) AS mbd,
  sort_array(collect_set(s)) AS cs, bit_xor(i) AS bx,
  sort_array(collect_list(DISTINCT i)) AS cdi
FROM (SELECT d, ts, CAST(fs AS DOUBLE) AS f, s, b, i FROM VALUES
  (DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00:00', '-0.0', 'a', true, 1),
  (DATE '2024-03-01', TIMESTAMP '2024-05-01 10:00:00', '1.5', 'b', false, 1),
  (DATE '2024-02-01', NULL, 'NaN', 'b', NULL, 7) AS t(d, ts, fs, s, b, i))
