-- The first row is an int, the second a bigint: the column is a bigint.
SELECT col1, col2, col1 * 2 AS twice FROM VALUES (1, 'x'), (3000000000, 'y')
