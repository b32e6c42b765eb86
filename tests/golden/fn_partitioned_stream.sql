-- stream: append
-- batch-dependent
-- Partition functions on a file stream, one file per trigger: each micro-batch is one file, so one partition in Spark too (index 0, the file's name, its whole length as its block). With more files in a batch Spark packs them into fewer partitions than sqlc's one per file, so only one file per trigger gives Spark's answer. (Spark refuses monotonically_increasing_id on a stream, and re-seeds rand every micro-batch; neither is here.)
SELECT Index, spark_partition_id() AS p, regexp_extract(input_file_name(), 'part-[0-9]+-activity[.]json$', 0) AS file,
       input_file_name() LIKE 'file:///%' AS uri_ok, input_file_block_start() AS bs, input_file_block_length() AS bl
FROM activity WHERE Index % 500 = 0
