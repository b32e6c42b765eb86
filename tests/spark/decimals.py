#!/usr/bin/env python3
"""Spark's answers for tests/decimals.rs: tests/data/decimals read with a
DECIMAL(10,2) column (JSON numbers and strings), its rows and per-category
aggregates. Writes tests/data/expected/decimals_{rows,aggregates}.jsonl.

    scripts/pyspark tests/spark/decimals.py
"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from expected import save, session  # noqa: E402

SCHEMA = "id INT, cat STRING, price DECIMAL(10,2), qty INT"
ROWS = "SELECT id, price, price * qty AS value, price / 3 AS third, CAST(price AS STRING) AS text FROM t"
AGGS = ("SELECT cat, sum(price) AS s, avg(price) AS a, min(price) AS mn, max(price) AS mx, "
        "sum(price * qty) AS v, count(price) AS n FROM t GROUP BY cat")


def main():
    spark = session()
    out = os.path.join(ROOT, "tests", "data", "expected")
    df = spark.read.schema(SCHEMA).json(os.path.join(ROOT, "tests", "data", "decimals"))
    df.createOrReplaceTempView("t")
    save("decimals_rows", spark.sql(ROWS), out_dir=out)
    save("decimals_aggregates", spark.sql(AGGS), out_dir=out)
    spark.stop()


if __name__ == "__main__":
    main()
