-- Comparisons of decimal columns with literals, widened to one type, and
-- null tests are compiled (an i128 compare); the rows they keep.
SELECT Index, dx, gt
FROM (SELECT Index, CAST(x AS DECIMAL(10,4)) AS dx, CAST(y AS DECIMAL(6,2)) AS dy, gt FROM activity)
WHERE dx > 0.5 AND dx <= 3 AND dx IS NOT NULL AND dx <> 1.2345 AND dy >= -1 AND dy < dx AND NOT (dy = 2) AND Index % 7 = 0
