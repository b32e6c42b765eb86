"""The seed's examples 1-7 through PySpark's Connect client: the very
functions tests/spark/expected.py ran in Spark (`examples`, `event_time`),
with their data and output directories given here, so each answer lands in
OUT_DIR in expected.py's form for tests/connect.rs to compare with Spark's
kept answers in tests/data/expected/. `examples.py DATA OUT`."""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "spark"))
import expected  # noqa: E402
from pyspark.sql import SparkSession  # noqa: E402

DATA, OUT = sys.argv[1], sys.argv[2]
spark = (SparkSession.builder.remote(os.environ["SPARK_REMOTE"])
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.shuffle.partitions", 5).getOrCreate())
save = expected.save
expected.generate = lambda args: DATA
expected.OUT = OUT
expected.save = lambda name, df, out_dir=None, keep_order=False: save(name, df, OUT, keep_order)
expected.examples(spark)
expected.event_time(spark)
print("ok")
