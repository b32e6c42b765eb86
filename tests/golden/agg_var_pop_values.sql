-- Issue 13: var_pop over an inline table is Spark's 2.5, not the one-pass
-- 2.5000000049670534 (the rows are split and merged as Spark splits them).
SELECT var_pop(x) AS vp, var_samp(x) AS vs, stddev_pop(x) AS sp, skewness(x) AS sk, kurtosis(x) AS ku
FROM VALUES (100000003), (100000004), (100000006), (100000007) AS t(x)
