"""One of two clients at once (tests/connect.rs starts both): each has its
own session, so the same view name and setting hold each its own value.
`isolation.py TAG`; prints `ok TAG`."""
import os, sys, time
from pyspark.sql import SparkSession

tag = int(sys.argv[1])
spark = SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).getOrCreate()
spark.conf.set("spark.sql.shuffle.partitions", str(tag))
spark.range(tag * 10).createOrReplaceTempView("mine")
for _ in range(20):
    assert spark.sql("SELECT count(*) AS n FROM mine").collect()[0].n == tag * 10
    assert spark.conf.get("spark.sql.shuffle.partitions") == str(tag)
    time.sleep(0.02)
spark.stop()
print("ok", tag)
