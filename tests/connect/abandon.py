"""Starts a rate -> JSON files query and leaves: with `stop` it calls
spark.stop() (ReleaseSession), without it the process just ends (the
server's session timeout releases it). `abandon.py OUT [stop]`."""
import os, sys
from pyspark.sql import SparkSession

spark = SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).getOrCreate()
q = (spark.readStream.format("rate").option("rowsPerSecond", 50).load()
     .writeStream.format("json").option("checkpointLocation", sys.argv[1] + "/ckpt")
     .trigger(processingTime="50 milliseconds").start(sys.argv[1] + "/files"))
import time
files = sys.argv[1] + "/files"
for _ in range(600):  # until the first rows are written
    if any(not f.startswith((".", "_")) for f in os.listdir(files)):
        break
    time.sleep(0.05)
print("started", q.id, flush=True)
if len(sys.argv) > 2 and sys.argv[2] == "stop":
    spark.stop()
os._exit(0)
