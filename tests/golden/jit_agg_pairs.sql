-- corr, covar_pop, covar_samp, max_by and min_by updated by compiled
-- aggregate kernels (their two arguments read apart, not as a struct):
-- numbers of several types, a null ordering skipped, a null value kept,
-- string orderings and values.
SELECT gt, corr(x, y) AS c, covar_pop(x, Index) AS cp, covar_samp(Index, z) AS cs,
       corr(CASE WHEN Index % 4 = 0 THEN x END, y) AS c_nulls,
       max_by(Device, Index) AS d_max, min_by(Index, CAST(Index * 7 AS STRING)) AS i_min,
       max_by(x, CASE WHEN Index % 5 = 0 THEN Index END) AS x_fifth,
       min_by(CASE WHEN Index % 2 = 0 THEN Model END, Index) AS maybe_null,
       max_by(Model, CAST(Arrival_Time AS STRING) || CAST(Index AS STRING)) AS m_by_str
FROM activity GROUP BY gt
