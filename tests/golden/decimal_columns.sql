-- Decimal columns: arithmetic, comparison and a filter (run by the twin).
SELECT Index, CAST(x AS DECIMAL(10,4)) AS dx, CAST(x AS DECIMAL(10,4)) * 2 AS d2,
       CAST(x AS DECIMAL(10,4)) / (Index + 1) AS q, CAST(y AS DECIMAL(8,3)) - CAST(z AS DECIMAL(8,3)) AS diff,
       CAST(x AS DECIMAL(10,4)) + y AS plus_double, CAST(x AS DECIMAL(10,4)) > 0.5 AS big
FROM activity
WHERE Index % 97 = 0 AND CAST(x AS DECIMAL(10,4)) > -100.25
