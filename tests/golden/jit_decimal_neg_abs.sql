-- Decimal negation and abs in compiled kernels: the type kept, nulls
-- propagate, comparisons of the results.
SELECT Index, -d AS n, abs(d) AS a, abs(-d) = d AS same, -d < 0 AS neg, -(d - 5.5) AS shifted
FROM (SELECT Index, CASE WHEN Index % 4 = 0 THEN NULL
                         ELSE CAST(Index AS DECIMAL(22, 2)) - 7.25 END AS d
      FROM activity WHERE Index < 12)
ORDER BY Index
