-- error: WRONG_NUM_ARGS
SELECT spark_partition_id(1)
