-- Each column gets the wider type of its inputs (int with bigint is a
-- bigint, int with double a double) and the first input's name.
SELECT 1 AS a, 'x' AS b, 1 AS c UNION ALL SELECT 3000000000, 'y', CAST('2.5' AS DOUBLE) UNION ALL SELECT NULL, NULL, NULL
