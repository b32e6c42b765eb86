"""Spark's answer for tests/stream_join.rs (run by hand; the data is the
test's: three files per side). Prints the left outer join's rows and the
output rows of each batch."""
import sys
from pyspark.sql import SparkSession
from pyspark.sql.functions import expr

d = sys.argv[1]
spark = (SparkSession.builder.master("local[2]").config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.shuffle.partitions", 2).getOrCreate())
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
