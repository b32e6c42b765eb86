#!/usr/bin/env python3
"""Computes Spark's answers to the seed chapter's examples on the shared test
data, and writes them as JSON lines under tests/data/expected/. Run by hand
(CI does not run Spark):

    python3 -m venv /tmp/spark && /tmp/spark/bin/pip install pyspark
    /tmp/spark/bin/python tests/spark/expected.py

The data is what tests/common generates: ../shared/data/gen_activity.py
with the arguments in DATA_ARGS below.
"""
import json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "tests", "data", "expected")
GEN = os.path.join(ROOT, "..", "shared", "data", "gen_activity.py")
# Keep in sync with tests/common/mod.rs.
DATA_ARGS = ["--rows", "20000", "--files", "8", "--seed", "7"]

from pyspark.sql import SparkSession
from pyspark.sql.functions import expr, col, window


def rows_json(df):
    out = []
    for r in df.collect():
        d = r.asDict(recursive=True)
        for k, v in list(d.items()):
            if isinstance(v, dict):
                d[k] = {kk: (str(vv) if vv is not None else None) for kk, vv in v.items()}
            elif v is not None and not isinstance(v, (int, float, str, bool)):
                d[k] = str(v)
        out.append(d)
    return out


def save(name, df, out_dir=OUT, keep_order=False):
    rows = rows_json(df)
    if not keep_order:
        rows.sort(key=lambda d: json.dumps(d, sort_keys=True))
    with open(os.path.join(out_dir, name + ".jsonl"), "w") as f:
        f.write(json.dumps({"columns": df.columns}) + "\n")
        for r in rows:
            f.write(json.dumps(r, sort_keys=True) + "\n")
    print(name, len(rows), "rows")


def run_stream(spark, df, name, mode):
    q = df.writeStream.queryName(name).format("memory").outputMode(mode).start()
    q.processAllAvailable()
    q.stop()
    return spark.sql(f"SELECT * FROM {name}")


def main():
    os.makedirs(OUT, exist_ok=True)
    data = tempfile.mkdtemp(prefix="sqlc-spark-")
    subprocess.check_call([sys.executable, GEN, data] + DATA_ARGS)
    spark = (SparkSession.builder.master("local[2]").appName("sqlc-expected")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", 5).getOrCreate())
    static = spark.read.json(data)
    schema_lines = [f"{f.name} {f.dataType.simpleString()} {f.nullable}" for f in static.schema.fields]
    with open(os.path.join(OUT, "schema.txt"), "w") as f:
        f.write("\n".join(schema_lines) + "\n")
    streaming = spark.readStream.schema(static.schema).option("maxFilesPerTrigger", 1).json(data)

    # Example 1: counts by gt, complete mode.
    save("ex1_activity_counts", run_stream(spark, streaming.groupBy("gt").count(), "ex1", "complete"))
    # Example 2: stairs rows, append mode.
    ex2 = (streaming.withColumn("stairs", expr("gt like '%stairs%'"))
           .where("stairs").where("gt is not null")
           .select("gt", "model", "arrival_time", "creation_time"))
    save("ex2_stairs", run_stream(spark, ex2, "ex2", "append"))
    # Example 3: cube avg.
    ex3 = (streaming.cube("gt", "model").avg()
           .drop("avg(Arrival_time)").drop("avg(Creation_Time)").drop("avg(Index)"))
    save("ex3_cube", run_stream(spark, ex3, "ex3", "complete"))
    # Example 4: cube joined with static averages.
    hist = static.groupBy("gt", "model").avg()
    ex4 = (streaming.cube("gt", "model").avg().drop("avg(Arrival_time)").drop("avg(Creation_Time)")
           .drop("avg(Index)").join(hist, ["gt", "model"]))
    save("ex4_cube_join", run_stream(spark, ex4, "ex4", "complete"))
    golden_queries(spark, static)
    spark.stop()


def golden_queries(spark, static):
    """Golden queries: tests/golden/NAME.sql over the static table
    `activity`, answers in tests/golden/NAME.expected.jsonl."""
    static.createOrReplaceTempView("activity")
    golden = os.path.join(ROOT, "tests", "golden")
    for f in sorted(os.listdir(golden)):
        if f.endswith(".sql"):
            sql = open(os.path.join(golden, f)).read()
            save(f[:-4] + ".expected", spark.sql(sql), golden, keep_order="ORDER BY" in sql.upper())


def golden_only():
    data = tempfile.mkdtemp(prefix="sqlc-spark-golden-")
    subprocess.check_call([sys.executable, GEN, data] + DATA_ARGS)
    spark = (SparkSession.builder.master("local[2]").appName("sqlc-expected")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", 5).getOrCreate())
    golden_queries(spark, spark.read.json(data))
    spark.stop()


if __name__ == "__main__" and not os.environ.get("SQLC_EXPECTED_ONLY"):
    main()
    corrupt_counts()


def corrupt_counts():
    """Example 1 over data with malformed lines (PERMISSIVE, a given schema
    without `_corrupt_record`): Spark keeps what parsed of a cut line."""
    data = tempfile.mkdtemp(prefix="sqlc-spark-corrupt-")
    subprocess.check_call([sys.executable, GEN, data] + CORRUPT_ARGS)
    spark = (SparkSession.builder.master("local[2]").appName("sqlc-expected")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", 5).getOrCreate())
    clean = tempfile.mkdtemp(prefix="sqlc-spark-clean-")
    subprocess.check_call([sys.executable, GEN, clean] + DATA_ARGS)
    schema = spark.read.json(clean).schema
    stream = spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).json(data)
    save("ex1_corrupt_counts", run_stream(spark, stream.groupBy("gt").count(), "exc", "complete"))
    spark.stop()


# Keep in sync with tests/malformed_records.rs.
CORRUPT_ARGS = ["--rows", "4000", "--files", "4", "--seed", "11", "--corrupt-rate", "0.02"]

if __name__ == "__main__" and os.environ.get("SQLC_EXPECTED_ONLY") == "corrupt":
    corrupt_counts()


def run_available_now(spark, df, name, mode):
    """Runs a query with the availableNow trigger to its end (its last,
    data-less batch applies the final watermark)."""
    q = (df.writeStream.queryName(name).format("memory").outputMode(mode)
         .trigger(availableNow=True).start())
    q.awaitTermination()
    return spark.sql(f"SELECT * FROM {name}")


def event_time():
    """Examples 5-7 (event-time windows, watermarks, deduplication), one
    file per trigger, availableNow."""
    data = tempfile.mkdtemp(prefix="sqlc-spark-et-")
    subprocess.check_call([sys.executable, GEN, data] + DATA_ARGS)
    spark = (SparkSession.builder.master("local[2]").appName("sqlc-expected")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", 5).getOrCreate())
    schema = spark.read.json(data).schema
    streaming = spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).json(data)
    with_et = streaming.selectExpr(
        "*", "cast(cast(Creation_Time as double)/1000000000 as timestamp) as event_time")
    # Example 5: tumbling windows, and windows by user; complete.
    save("ex5_window_counts", run_available_now(
        spark, with_et.groupBy(window(col("event_time"), "10 minutes")).count(), "ex5", "complete"))
    save("ex5_window_user_counts", run_available_now(
        spark, with_et.groupBy(window(col("event_time"), "10 minutes"), "User").count(),
        "ex5u", "complete"))
    # Example 6: sliding windows with a watermark; complete and append.
    sliding = (with_et.withWatermark("event_time", "30 minutes")
               .groupBy(window(col("event_time"), "10 minutes", "5 minutes")).count())
    save("ex6_sliding_complete", run_available_now(spark, sliding, "ex6c", "complete"))
    save("ex6_sliding_append", run_available_now(spark, sliding, "ex6a", "append"))
    # Windows with a start offset, by gt, in update mode (the last row of
    # each window in the memory table is its final count).
    offset = (with_et.withWatermark("event_time", "10 minutes")
              .groupBy(window(col("event_time"), "10 minutes", "10 minutes", "3 minutes"), "gt")
              .agg(expr("count(*) as n"), expr("max(x) as max_x")))
    save("ex6_offset_append", run_available_now(spark, offset, "ex6o", "append"))
    # Example 7: deduplication by user and event time under a watermark.
    ex7 = (with_et.withWatermark("event_time", "5 seconds")
           .dropDuplicates(["User", "event_time"]).groupBy("User").count())
    save("ex7_dedup_counts", run_available_now(spark, ex7, "ex7", "complete"))
    spark.stop()


if __name__ == "__main__" and os.environ.get("SQLC_EXPECTED_ONLY") == "event_time":
    event_time()

if __name__ == "__main__" and os.environ.get("SQLC_EXPECTED_ONLY") == "golden":
    golden_only()
