#!/usr/bin/env python3
"""Spark's answer to reading JSON arrays with an inferred schema
(tests/data/json_arrays), kept as tests/data/expected/json_arrays.jsonl and
json_arrays.schema.txt for tests/json_arrays.rs.

    scripts/pyspark tests/spark/json_arrays.py
"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql.functions import explode_outer, size, col  # noqa: E402
from expected import save, OUT  # noqa: E402

spark = (SparkSession.builder.master("local[2]")
         .config("spark.sql.session.timeZone", "UTC").getOrCreate())
df = spark.read.json(os.path.join(ROOT, "tests", "data", "json_arrays"))
with open(os.path.join(OUT, "json_arrays.schema.txt"), "w") as f:
    f.write(df._jdf.schema().treeString())
# `tags` holds an array in one file and a string in the other: a string.
out = df.select("id", "tags", size("nums").alias("n"), "nums", "nested",
                explode_outer("nums").alias("num"))
save("json_arrays", out)
