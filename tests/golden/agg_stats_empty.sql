-- Every new aggregate over no rows: the collections are empty, the counts
-- 0, the rest null.
SELECT collect_list(x) AS cl, collect_set(User) AS cs, approx_count_distinct(Index) AS acd,
  median(x) AS md, percentile(x, array(0.5)) AS p, percentile_approx(x, 0.5) AS pa,
  mode(User) AS mo, max_by(x, Index) AS mb, min_by(x, Index) AS nb, bit_and(Index) AS ba,
  skewness(x) AS sk, kurtosis(x) AS ku, corr(x, y) AS co, covar_pop(x, y) AS cp,
  covar_samp(x, y) AS cs2
FROM activity WHERE Index < 0
