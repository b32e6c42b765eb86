"""Times round trips through PySpark's Connect client against `sqlc serve`:
`spark.sql("SELECT 1").collect()` and `df.count()` over the activity data.
`roundtrip.py DATA [N]`; prints one `name mean_ms median_ms` line per call.
Run by benches/connect.rs (`cargo bench --bench connect`)."""
import os, statistics, sys, time
from pyspark.sql import SparkSession

spark = SparkSession.builder.remote(os.environ.get("SPARK_REMOTE", "sc://localhost:15002")).getOrCreate()
data = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200


def timed(name, f):
    for _ in range(5):  # warm up (connection, first plans)
        f()
    ms = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        ms.append((time.perf_counter() - t) * 1000)
    print(f"{name} {statistics.mean(ms):.3f} {statistics.median(ms):.3f}", flush=True)


timed("sql_select_1_collect", lambda: spark.sql("SELECT 1").collect())
df = spark.read.json(data)
timed("activity_count", lambda: df.count())
