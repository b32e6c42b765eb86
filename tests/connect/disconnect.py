"""A client that goes away mid-answer: it starts reading a large result and
the process ends at once, without closing its session. `disconnect.py`."""
import os, threading
from pyspark.sql import SparkSession

spark = SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).getOrCreate()
it = spark.range(3_000_000).toLocalIterator()
next(it)
print("reading", flush=True)
os._exit(0)
