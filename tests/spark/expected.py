#!/usr/bin/env python3
"""Computes Spark's answers on the test data and writes them as JSON lines:
the seed chapter's examples and stream-static joins under
tests/data/expected/, the golden queries as tests/golden/NAME.expected.jsonl.
Run by hand (CI does not run Spark), from the repository:

    cargo build --release --bin sqlc
    scripts/pyspark tests/spark/expected.py

The answers were last computed with PySpark 4.3.0 (scripts/pyspark, Java 17).

The data is what tests/common generates: the project's own generator,
`target/release/sqlc gen activity DIR` with the arguments in DATA_ARGS (and
CORRUPT_ARGS) below (it modifies the files in file order, so a stream
takes them in the generator's order). Set SQLC to use another sqlc binary.

SQLC_EXPECTED_ONLY=SECTION runs one section only (examples, corrupt,
event_time, golden, first_last, joins); with `golden`, SQLC_GOLDEN=a,b
limits it to some golden queries.
"""
import decimal, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "tests", "data", "expected")
SQLC = os.environ.get("SQLC", os.path.join(ROOT, "target", "release", "sqlc"))
# Keep in sync with tests/common/mod.rs (tests check these lines).
DATA_ARGS = ["--rows", "20000", "--files", "8", "--seed", "7"]
CORRUPT_ARGS = ["--rows", "4000", "--files", "4", "--seed", "11", "--corrupt-rate", "0.02"]

from pyspark.sql import SparkSession
from pyspark.sql.functions import expr, col, window

_generated = {}


def generate(args):
    """A directory of activity data from `sqlc gen activity` (once per
    argument list; it modifies the files in file order)."""
    key = tuple(args)
    if key not in _generated:
        if not os.access(SQLC, os.X_OK):
            sys.exit(f"{SQLC} is missing: run `cargo build --release --bin sqlc` first")
        d = tempfile.mkdtemp(prefix="sqlc-spark-")
        subprocess.check_call([SQLC, "gen", "activity", d] + list(args))
        _generated[key] = d
    return _generated[key]


def session():
    return (SparkSession.builder.master("local[2]").appName("sqlc-expected")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", 5).getOrCreate())


def plain(v):
    """A value as the tests' JSON holds it: arrays as lists of plain
    values, anything else not a JSON scalar as its text."""
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, decimal.Decimal):
        return format(v, "f")  # plain digits, as Spark shows a decimal
    if v is not None and not isinstance(v, (int, float, str, bool)):
        return str(v)
    return v


def rows_json(df):
    from pyspark.sql.types import MapType
    maps = {f.name for f in df.schema.fields if isinstance(f.dataType, MapType)}
    out = []
    for r in df.collect():
        d = r.asDict(recursive=True)
        for k, v in list(d.items()):
            if k in maps and v is not None:
                # A map column: an object keyed by the keys' text.
                d[k] = {str(kk): plain(vv) for kk, vv in v.items()}
            elif isinstance(v, dict):
                d[k] = {kk: (str(vv) if vv is not None else None) for kk, vv in v.items()}
            else:
                d[k] = plain(v)
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


def run_available_now(spark, df, name, mode):
    """Runs a query with the availableNow trigger to its end (its last,
    data-less batch applies the final watermark)."""
    q = (df.writeStream.queryName(name).format("memory").outputMode(mode)
         .trigger(availableNow=True).start())
    q.awaitTermination()
    return spark.sql(f"SELECT * FROM {name}")


def examples(spark):
    """Examples 1-4 (counts, stairs, cube, cube joined with static
    averages), one file per trigger; and the schema Spark infers."""
    os.makedirs(OUT, exist_ok=True)
    data = generate(DATA_ARGS)
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


def golden(spark, only=None):
    """Golden queries: tests/golden/NAME.sql over the static table
    `activity`, answers in tests/golden/NAME.expected.jsonl (only the NAMEs
    in `only`, when given)."""
    spark.read.json(generate(DATA_ARGS)).createOrReplaceTempView("activity")
    folder = os.path.join(ROOT, "tests", "golden")
    for f in sorted(os.listdir(folder)):
        if f.endswith(".sql") and (only is None or f[:-4] in only):
            sql = open(os.path.join(folder, f)).read()
            save(f[:-4] + ".expected", spark.sql(sql), folder, keep_order="ORDER BY" in sql.upper())


def corrupt_counts(spark):
    """Example 1 over data with malformed lines (PERMISSIVE, a given schema
    without `_corrupt_record`): Spark keeps what parsed of a cut line."""
    data = generate(CORRUPT_ARGS)
    schema = spark.read.json(generate(DATA_ARGS)).schema
    stream = spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).json(data)
    save("ex1_corrupt_counts", run_stream(spark, stream.groupBy("gt").count(), "exc", "complete"))


def event_time(spark):
    """Examples 5-7 (event-time windows, watermarks, deduplication), one
    file per trigger, availableNow."""
    data = generate(DATA_ARGS)
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
    # Windows with a start offset, by gt, in append mode (each window once,
    # when the watermark passes its end).
    offset = (with_et.withWatermark("event_time", "10 minutes")
              .groupBy(window(col("event_time"), "10 minutes", "10 minutes", "3 minutes"), "gt")
              .agg(expr("count(*) as n"), expr("max(x) as max_x")))
    save("ex6_offset_append", run_available_now(spark, offset, "ex6o", "append"))
    # Example 7: deduplication by user and event time under a watermark.
    ex7 = (with_et.withWatermark("event_time", "5 seconds")
           .dropDuplicates(["User", "event_time"]).groupBy("User").count())
    save("ex7_dedup_counts", run_available_now(spark, ex7, "ex7", "complete"))


def first_last_nulls(spark):
    """first/last depend on input order: over one small file (one partition,
    read in order) Spark's answer is deterministic. The query is
    tests/data/first_last_nulls.sql over tests/data/first_last.json as `t`."""
    data = os.path.join(ROOT, "tests", "data")
    spark.read.json(os.path.join(data, "first_last.json")).createOrReplaceTempView("t")
    sql = open(os.path.join(data, "first_last_nulls.sql")).read()
    save("first_last_nulls", spark.sql(sql))


def stream_static_joins(spark):
    """Stream-static joins of each kind Spark allows (inner, left outer,
    left semi, left anti) on ["gt", "Model"], a sample of the stream against
    counts of a static table without one model."""
    data = generate(DATA_ARGS)
    static = spark.read.json(data)
    hist = (static.where("Model != 'nexus4'").groupBy("gt", "Model").count()
            .withColumnRenamed("count", "n"))
    stream = (spark.readStream.schema(static.schema).option("maxFilesPerTrigger", 1).json(data)
              .where("Index % 50 = 0").select("Index", "gt", "Model", "x"))
    for how in ["inner", "left_outer", "left_semi", "left_anti"]:
        save("join_static_" + how,
             run_available_now(spark, stream.join(hist, ["gt", "Model"], how), "j_" + how, "append"))


SECTIONS = {
    "examples": examples,
    "corrupt": corrupt_counts,
    "event_time": event_time,
    "golden": lambda spark: golden(
        spark, [n for n in os.environ.get("SQLC_GOLDEN", "").split(",") if n] or None),
    "first_last": first_last_nulls,
    "joins": stream_static_joins,
}

if __name__ == "__main__":
    only = os.environ.get("SQLC_EXPECTED_ONLY")
    if only and only not in SECTIONS:
        sys.exit(f"SQLC_EXPECTED_ONLY: one of {', '.join(SECTIONS)}, not {only}")
    spark = session()
    print("pyspark", spark.version)
    for name, section in SECTIONS.items():
        if not only or only == name:
            section(spark)
    spark.stop()
