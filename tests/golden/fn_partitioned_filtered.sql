-- Behind a filter, rand draws (and monotonically_increasing_id counts) only for the rows that pass, as in Spark.
SELECT a, rand(42) AS r, randn(5) AS n, monotonically_increasing_id() AS id
FROM VALUES (1), (2), (3), (4), (5), (6), (7), (8) AS t(a) WHERE a % 3 <> 0
