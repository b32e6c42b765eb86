"""Byte, short, interval and TIMESTAMP_NTZ values both ways through
PySpark's own Connect client: literals in plans (F.lit of numpy-free
Python values with a cast, timedelta, naive datetime) and columns in
result batches, with the types Spark gives them (asserts; prints `ok`).
Run by tests/connect.rs: `value_types.py`."""
import datetime, os
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (ByteType, ShortType, DayTimeIntervalType,
                               TimestampNTZType, YearMonthIntervalType)

spark = SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).getOrCreate()
spark.conf.set("spark.sql.session.timeZone", "UTC")

# Results: byte and short columns keep their types and values.
df = spark.sql("SELECT 1Y AS b, -32768S AS s, 100Y + 27Y AS c")
assert df.schema["b"].dataType == ByteType(), df.schema
assert df.schema["s"].dataType == ShortType(), df.schema
assert df.schema["c"].dataType == ByteType(), df.schema
assert [tuple(r) for r in df.collect()] == [(1, -32768, 127)], df.collect()

# Literals: a byte and a short from the client.
df = spark.range(1).select(F.lit(5).cast("tinyint").alias("b"),
                           F.lit(7).cast("smallint").alias("s"))
df = df.select((F.col("b") + F.col("b")).alias("bb"), (F.col("s") * 2).alias("ss"))
assert df.schema["bb"].dataType == ByteType(), df.schema
assert [tuple(r) for r in df.collect()] == [(10, 14)]

# Day-time intervals and TIMESTAMP_NTZ: literals in, values out.
td = datetime.timedelta(days=1, hours=2, seconds=3, microseconds=500000)
ntz = datetime.datetime(2024, 1, 2, 3, 4, 5)
df = spark.range(1).select(F.lit(td).alias("i"), F.lit(ntz).alias("n"))
r = df.collect()[0]
assert df.schema["i"].dataType == DayTimeIntervalType(0, 3), df.schema
assert r.i == td, r
df = spark.sql("SELECT INTERVAL '1 02:00:03.5' DAY TO SECOND AS i, "
               "TIMESTAMP_NTZ '2024-01-02 03:04:05' AS n, typeof(TIMESTAMP_NTZ '2024-01-02 03:04:05') AS t")
r = df.collect()[0]
assert df.schema["n"].dataType == TimestampNTZType(), df.schema
assert (r.i, r.n, r.t) == (td - datetime.timedelta(seconds=0), ntz, "timestamp_ntz"), r

# Year-month intervals: the type, and their text (Python has no value).
df = spark.sql("SELECT INTERVAL '1-2' YEAR TO MONTH AS ym")
assert df.schema["ym"].dataType == YearMonthIntervalType(0, 1), df.schema
assert df.selectExpr("CAST(ym AS STRING) AS s").collect()[0].s == "INTERVAL '1-2' YEAR TO MONTH"
print("ok")
