-- SELECT without FROM, and inline tables: Spark's col1… names, type
-- widening across rows, nulls, a column alias list.
SELECT 1 + 1 AS two, 'a' || 'b' AS ab, upper('x') AS x, NULL AS n, 7 % 3 AS m
