#!/usr/bin/env python3
"""Spark's answers for tests/floats.rs: tests/data/floats read with a FLOAT
column (JSON numbers, NaN and infinities as strings, values past 32 bits),
its rows and per-category aggregates. Writes
tests/data/expected/floats_{rows,aggregates}.jsonl.

    scripts/pyspark tests/spark/floats.py
"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from expected import save, session  # noqa: E402

SCHEMA = "id INT, cat STRING, f FLOAT, b INT"
ROWS = ("SELECT id, f, typeof(f) AS t, CAST(f AS STRING) AS text, f * 2 AS doubled, "
        "f + b AS plus, f / 2 AS half FROM t")
AGGS = ("SELECT cat, sum(f) AS s, avg(f) AS a, min(f) AS mn, max(f) AS mx, "
        "count(f) AS n, typeof(max(f)) AS tmx FROM t GROUP BY cat")


def main():
    spark = session()
    out = os.path.join(ROOT, "tests", "data", "expected")
    df = spark.read.schema(SCHEMA).json(os.path.join(ROOT, "tests", "data", "floats"))
    df.createOrReplaceTempView("t")
    save("floats_rows", spark.sql(ROWS), out_dir=out)
    save("floats_aggregates", spark.sql(AGGS), out_dir=out)
    spark.stop()


if __name__ == "__main__":
    main()
