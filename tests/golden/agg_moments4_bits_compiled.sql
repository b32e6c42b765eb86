-- skewness, kurtosis and bit_and/or/xor alone by group: the JIT compiles these accumulators (corr/covar still go to the twin), so this runs them compiled; NULL-only groups and a filtered argument included.
SELECT gt, skewness(x) AS sx, kurtosis(y) AS ky, skewness(Index) AS si, kurtosis(CASE WHEN Index % 3 = 0 THEN z END) AS kz,
       skewness(CASE WHEN gt = 'bike' THEN x END) AS s_bike, kurtosis(CAST(Index % 7 AS INT)) AS k_int,
       bit_and(Index) AS a, bit_or(CAST(Index AS INT) * 3) AS o, bit_xor(Arrival_Time) AS xa, bit_xor(CASE WHEN gt = 'sit' THEN Index END) AS x_sit
FROM activity WHERE x > -100 GROUP BY gt
