-- Every new aggregate over null values only, by group.
SELECT gt, collect_list(CAST(NULL AS DOUBLE)) AS cl, approx_count_distinct(CAST(NULL AS STRING)) AS acd,
  median(CAST(NULL AS DOUBLE)) AS md, percentile_approx(CAST(NULL AS BIGINT), 0.5) AS pa,
  mode(CAST(NULL AS STRING)) AS mo, max_by(x, CAST(NULL AS BIGINT)) AS mb,
  bit_xor(CAST(NULL AS BIGINT)) AS bx, skewness(CAST(NULL AS DOUBLE)) AS sk,
  corr(x, CAST(NULL AS DOUBLE)) AS co
FROM activity GROUP BY gt
