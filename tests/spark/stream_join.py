"""Spark's answer for tests/stream_join.rs, run by hand:

    scripts/pyspark tests/spark/stream_join.py

It writes the test's data (three files per side, one per trigger, as the
test's `data()` does) and prints the inner and left outer joins' rows, and
the output rows and state rows of each batch. Last run with PySpark 4.3.0.
"""
import os, sys, tempfile, time
from pyspark.sql import SparkSession
from pyspark.sql.functions import expr

IMPS = [
    '{"ad":1,"imp_time":"2026-01-01T10:00:00Z"}\n{"ad":2,"imp_time":"2026-01-01T10:01:00Z"}',
    '{"ad":3,"imp_time":"2026-01-01T10:20:00Z"}',
    '{"ad":4,"imp_time":"2026-01-01T10:40:00Z"}',
]
CLICKS = [
    '{"click_ad":1,"click_time":"2026-01-01T10:02:00Z"}',
    '{"click_ad":2,"click_time":"2026-01-01T10:30:00Z"}',
    '{"click_ad":3,"click_time":"2026-01-01T10:41:00Z"}',
]


def write_batches(d, batches):
    """One file per batch, modified a second apart in batch order."""
    os.makedirs(d)
    first = time.time() - len(batches)
    for i, rows in enumerate(batches):
        p = os.path.join(d, f"{i}.json")
        with open(p, "w") as f:
            f.write(rows)
        os.utime(p, (first + i, first + i))


d = tempfile.mkdtemp(prefix="sqlc-spark-join-")
write_batches(d + "/imps", IMPS)
write_batches(d + "/clicks", CLICKS)
spark = (SparkSession.builder.master("local[2]").config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.shuffle.partitions", 2).getOrCreate())
print("pyspark", spark.version)
imps = (spark.readStream.schema("ad BIGINT, imp_time TIMESTAMP").option("maxFilesPerTrigger", 1)
        .json(d + "/imps").withWatermark("imp_time", "10 minutes"))
clicks = (spark.readStream.schema("click_ad BIGINT, click_time TIMESTAMP").option("maxFilesPerTrigger", 1)
          .json(d + "/clicks").withWatermark("click_time", "10 minutes"))
for how in ["inner", "left_outer"]:
    j = imps.join(clicks, expr("click_ad = ad AND click_time >= imp_time AND "
                               "click_time <= imp_time + INTERVAL 5 MINUTES"), how)
    q = j.writeStream.queryName("j_" + how).format("memory").outputMode("append").trigger(availableNow=True).start()
    q.awaitTermination()
    print(how, sorted(map(str, spark.sql("SELECT * FROM j_" + how).collect())))
    print(how, "output rows per batch", [p["sink"]["numOutputRows"] for p in q.recentProgress],
          "state", [p["stateOperators"][0]["numRowsTotal"] for p in q.recentProgress])
spark.stop()
