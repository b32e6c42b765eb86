-- Exact decimal + - * over decimal columns and literals (compiled: one i128
-- operation each) feeding a projection and a filter.
SELECT Index, dx + dy AS s, dx - dy AS d, dx * dy AS m, dx * 2 + dy - 0.5 AS e, dy * dy * dy AS cube
FROM (SELECT Index, CAST(x AS DECIMAL(10,4)) AS dx, CAST(y AS DECIMAL(6,2)) AS dy FROM activity)
WHERE dx + dy > 1 AND dx * dy < 4.5 AND Index % 13 = 0
