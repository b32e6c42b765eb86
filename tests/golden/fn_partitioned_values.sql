-- rand/randn (seeded with seed + partition index), monotonically_increasing_id, spark_partition_id and input_file_* over an inline table: one partition in Spark (the projection runs over the local relation), so Spark's numbers exactly.
SELECT a, rand(42) AS r, randn(42) AS n, rand(-7) AS r_neg, randn(NULL) AS n_null, random(42) AS r_alias,
       rand(9223372036854775807) AS r_max, rand(2147483648) AS r_big, rand(0) AS r_zero,
       monotonically_increasing_id() AS id, spark_partition_id() AS p, input_file_name() AS f,
       input_file_block_start() AS bs, input_file_block_length() AS bl
FROM VALUES (1), (2), (3), (4), (5), (6), (7) AS t(a)
