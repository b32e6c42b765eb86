-- The new aggregates over an inline table, with Spark's answers.
SELECT median(x) AS md, percentile(x, array(0.1, 0.9)) AS p, percentile_approx(x, array(0.1, 0.9), 100) AS pa,
  collect_list(x) AS cl, approx_count_distinct(x) AS acd, mode(x) AS mo, bit_or(x) AS bo,
  max_by(x, y) AS mb, min_by(x, y) AS nb, corr(x, y) AS co, covar_samp(x, y) AS cs
FROM VALUES (1, 3), (2, 1), (3, 7), (10, 2), (NULL, 4), (5, NULL) AS t(x, y)
