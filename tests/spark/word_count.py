#!/usr/bin/env python3
"""Spark's answer to the word count of the Programming Guide over
tests/data/word_count (one file per trigger, complete mode), kept as
tests/data/expected/word_count.jsonl for tests/word_count.rs.

    scripts/pyspark tests/spark/word_count.py
"""
import os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql.functions import explode, split  # noqa: E402
from expected import save, run_available_now  # noqa: E402

spark = (SparkSession.builder.master("local[2]")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.shuffle.partitions", "2").getOrCreate())
lines = (spark.readStream.format("text").option("maxFilesPerTrigger", 1)
         .load(os.path.join(ROOT, "tests", "data", "word_count")))
words = lines.select(explode(split(lines.value, " ")).alias("word"))
counts = words.groupBy("word").count()
save("word_count", run_available_now(spark, counts, "word_count", "complete"))
