-- A SELECT without FROM is one partition: partition 0, row 0.
SELECT rand(7) AS r, randn(7) AS n, monotonically_increasing_id() AS id, spark_partition_id() AS p, typeof(rand()) AS t, typeof(spark_partition_id()) AS tp
