-- skewness, kurtosis, corr, covar_pop and covar_samp by group (Spark's
-- CentralMomentAgg, PearsonCorrelation and Covariance formulas).
SELECT gt, skewness(x) AS sx, kurtosis(y) AS ky, corr(x, y) AS cxy,
  covar_pop(x, z) AS cpxz, covar_samp(y, Index) AS csyi, skewness(Index) AS si,
  corr(CASE WHEN Index % 2 = 0 THEN x END, z) AS c_half
FROM activity GROUP BY gt
