-- stream: complete
-- An exact running sum of decimals per group, kept in streaming state.
SELECT gt, sum(CAST(x AS DECIMAL(12,6))) AS s, avg(CAST(y AS DECIMAL(12,6))) AS a, max(CAST(z AS DECIMAL(9,4))) AS m
FROM activity GROUP BY gt
