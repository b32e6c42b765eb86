-- FLOAT values per row: the cast of a double, its text, arithmetic on it,
-- a filter on it, and grouping keys of FLOAT.
SELECT Index, CAST(x AS FLOAT) AS f, CAST(CAST(x AS FLOAT) AS STRING) AS s,
       CAST(x AS FLOAT) * 2.0F AS f2, CAST(x AS FLOAT) + 1 AS fd
FROM activity WHERE Index % 997 = 0 AND CAST(y AS FLOAT) < 1.5F
