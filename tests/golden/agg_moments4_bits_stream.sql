-- stream: complete
-- skewness, kurtosis and bit_and/or/xor in streaming aggregation state (compiled accumulators, merged across triggers and partitions).
SELECT gt, skewness(x) AS sx, kurtosis(y) AS ky, bit_and(Index) AS a, bit_or(Index) AS o, bit_xor(Arrival_Time) AS xa
FROM activity GROUP BY gt
