-- Decimal `/` and `%` per row in compiled kernels: Spark's result types,
-- HALF_UP rounding, negative operands, nulls.
SELECT Index, d / 3BD AS third, d / -7.00BD AS seventh, d % 3.5BD AS rem,
       (0BD - d) % 4BD AS neg_rem, (d * 1.5BD) / (Index + 1) AS per, CAST(NULL AS DECIMAL(5,2)) / d AS nul
FROM (SELECT Index, CAST(Index AS DECIMAL(20,0)) - 5BD AS d FROM activity WHERE Index < 12)
ORDER BY Index
