#!/usr/bin/env python3
"""Computes Spark's answers to the golden cases (tests/golden/NAME.sql) and
writes them beside them as NAME.expected.jsonl. The directives in a case's
leading comments (see tests/golden.rs) say how to run it: a batch query over
the static table `activity`; `-- stream: MODE` as a streaming query over the
same files read as a stream, one file per trigger, availableNow, into a
memory sink; `-- error: CLASS` must fail in Spark with that error class
(checked, nothing written).

    scripts/pyspark   # installs PySpark into the cache, once
    ~/.cache/sqlc/pyspark-venv/bin/python tests/spark/golden.py DATA_DIR [NAME ...]

DATA_DIR is the activity data the tests use (target/test-data/..., made by
the tests' generator with tests/common's DATA_ARGS).
"""
import os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GOLDEN = os.path.join(ROOT, "tests", "golden")
sys.path.insert(0, HERE)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.errors import PySparkException  # noqa: E402
from expected import save  # noqa: E402


def directives(text):
    d = {}
    for line in text.splitlines():
        s = line.strip()
        if not s.startswith("--"):
            break
        s = s.lstrip("-").strip()
        if ":" in s:
            k, v = s.split(":", 1)
            d[k.strip()] = v.strip()
        elif s:
            d[s] = True
    return d


def main():
    data, names = sys.argv[1], set(sys.argv[2:])
    spark = (SparkSession.builder.master("local[2]").appName("sqlc-golden")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.shuffle.partitions", 5).getOrCreate())
    static = spark.read.json(data)
    failures = 0
    for f in sorted(os.listdir(GOLDEN)):
        if not f.endswith(".sql") or (names and f[:-4] not in names):
            continue
        name, sql = f[:-4], open(os.path.join(GOLDEN, f)).read()
        try:
            failures += run_case(spark, static, data, name, sql)
        except Exception as e:  # report and go on with the other cases
            print(f"{name}: FAILED in Spark: {str(e).splitlines()[0]}")
            failures += 1
    spark.stop()
    sys.exit(1 if failures else 0)


def run_case(spark, static, data, name, sql):
    """Runs one case in Spark; returns 1 if it did not do what it says."""
    d = directives(sql)
    confs = [line.split(":", 1)[1].strip().split("=", 1) for line in sql.splitlines()
             if line.strip().startswith("--") and line.strip().lstrip("-").strip().startswith("conf:")]
    for k, v in confs:
        spark.conf.set(k.strip(), v.strip())
    try:
        return run_directed(spark, static, data, name, sql, d)
    finally:
        for k, _ in confs:
            spark.conf.unset(k.strip())


def run_directed(spark, static, data, name, sql, d):
    if "error" in d:
        static.createOrReplaceTempView("activity")
        try:
            spark.sql(sql).collect()
            print(f"{name}: expected [{d['error']}] but Spark answered")
            return 1
        except Exception as e:  # noqa: BLE001 — execution errors come as Py4J errors
            if isinstance(e, PySparkException):
                cls = e.getCondition() if hasattr(e, "getCondition") else e.getErrorClass()
            else:
                # A SparkException raised while running: its class is in its text.
                found = re.search(r"SparkException: \[([A-Z_.]+)\]", str(e))
                cls = found.group(1) if found else None
            ok = cls == d["error"] or (cls or "").startswith(d["error"] + ".")
            print(f"{name}: Spark raised [{cls}]" + ("" if ok else f", not [{d['error']}]"))
            return 0 if ok else 1
    if "stream" in d:
        stream = (spark.readStream.schema(static.schema)
                  .option("maxFilesPerTrigger", 1).json(data))
        stream.createOrReplaceTempView("activity")
        q = (spark.sql(sql).writeStream.queryName("golden").format("memory")
             .outputMode(d["stream"]).trigger(availableNow=True).start())
        q.awaitTermination()
        save(name + ".expected", spark.sql("SELECT * FROM golden"), GOLDEN)
        spark.catalog.dropTempView("activity")
    else:
        static.createOrReplaceTempView("activity")
        save(name + ".expected", spark.sql(sql), GOLDEN,
             keep_order="ORDER BY" in sql.upper())
    return 0


if __name__ == "__main__":
    main()
