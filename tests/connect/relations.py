"""Every relation and analysis the server maps, through PySpark's own
Connect client, checked against the answers Spark gives (asserts; prints
`ok` at the end). Run by tests/connect.rs: `relations.py DATA_DIR`."""
import os, sys
from pyspark.sql import SparkSession, Row
from pyspark.sql import functions as F
from pyspark.sql.types import StructType, StructField, LongType, StringType, DoubleType
from pyspark.errors import AnalysisException, ParseException

spark = SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).getOrCreate()
DATA = sys.argv[1]

# Config: defaults, set, get, unset, getAll.
assert spark.conf.get("spark.sql.shuffle.partitions") == "200"
spark.conf.set("spark.sql.shuffle.partitions", 5)
assert spark.conf.get("spark.sql.shuffle.partitions") == "5"
spark.conf.set("my.key", "v")
assert spark.conf.get("my.key") == "v"
assert spark.conf.get("nope.key", "dflt") == "dflt"
assert spark.conf.getAll["my.key"] == "v"
spark.conf.unset("my.key")
assert spark.conf.get("my.key", None) is None
try:
    spark.conf.get("spark.nope.never.set")
    raise SystemExit("conf.get of an unknown key must fail")
except Exception as e:
    assert "SQL_CONF_NOT_FOUND" in str(e), e
assert spark.version.startswith("4.")

# Read (json, inferred schema), schema, printSchema's tree string, columns.
static = spark.read.json(DATA)
assert static.columns == ["Arrival_Time", "Creation_Time", "Device", "Index", "Model",
                          "User", "gt", "x", "y", "z"], static.columns
assert static.schema["Index"].dataType == LongType()
import io, contextlib
out = io.StringIO()
with contextlib.redirect_stdout(out):
    static.printSchema()
assert " |-- gt: string (nullable = true)" in out.getvalue(), out.getvalue()
assert not static.isStreaming
n = static.count()
assert n == 20000, n

# Project, Filter, expression strings, aliases, casts, literals.
r = (static.where(F.col("Index") < 3).select("Index", (F.col("x") * 2).alias("x2"),
     F.expr("upper(gt) AS g"), F.col("Index").cast("string").alias("s"), F.lit(1.5).alias("l"))
     .orderBy("Index").collect())
assert [x.Index for x in r] == [0, 1, 2] and r[0].s == "0" and r[0].l == 1.5, r
assert static.selectExpr("Index + 1 AS i", "gt").where("i = 1").collect()[0].i == 1
assert static.filter("gt = 'walk' AND x > 0").count() == static.where((F.col("gt") == "walk") & (F.col("x") > 0)).count()
assert static.where(F.col("gt").isNull()).count() == 2721
assert static.where(F.col("gt").isin("sit", "stand")).count() == 3067 + 2982
assert static.where(F.col("gt").like("stairs%")).count() == 2453 + 2705
w = static.select(F.when(F.col("x") > 0, "pos").otherwise("neg").alias("sign")).groupBy("sign").count()
assert sum(x["count"] for x in w.collect()) == 20000

# WithColumns, WithColumnsRenamed, Drop, ToDF, SubqueryAlias.
d = static.withColumn("one", F.lit(1)).withColumns({"two": F.lit(2), "x": F.col("x") + 1})
assert d.columns[-2:] == ["one", "two"] and "x" in d.columns
d = d.withColumnRenamed("one", "uno").withColumnsRenamed({"two": "dos"})
assert "uno" in d.columns and "dos" in d.columns
d = d.drop("uno", "dos", "Device")
assert "Device" not in d.columns and "uno" not in d.columns
t = static.select("Index", "gt").toDF("i", "g")
assert t.columns == ["i", "g"]
a = static.alias("a").select("a.Index").where("a.Index = 5").collect()
assert a == [Row(Index=5)], a

# Aggregate: groupBy, agg, rollup, cube; Sort; Limit; Offset; Tail.
counts = static.groupBy("gt").count().orderBy(F.col("count").desc()).collect()
assert counts[0].gt == "walk" and counts[0]["count"] == 3343, counts[0]
agg = static.groupBy("Model").agg(F.count("*").alias("n"), F.avg("x").alias("ax"), F.max("Index")).orderBy("Model").collect()
assert sum(x.n for x in agg) == 20000 and agg[0].Model == "nexus4"
assert static.agg(F.sum("Index")).collect()[0][0] == sum(range(20000))
roll = static.rollup("Model", "gt").count()
assert roll.where("Model IS NULL AND gt IS NULL").collect()[0]["count"] == 20000
cube = static.cube("Model", "gt").count()
assert (cube.count(), roll.count()) == (4 * 7 + 4 + 7 + 1, 4 * 7 + 4 + 1)
srt = static.select("Index").orderBy(F.desc("Index")).limit(3).collect()
assert [x.Index for x in srt] == [19999, 19998, 19997], srt
assert [x.Index for x in static.select("Index").orderBy("Index").offset(19998).collect()] == [19998, 19999]
assert [x.Index for x in static.select("Index").orderBy("Index").tail(2)] == [19998, 19999]
# As in Spark, the first rows are the first partition's: the files are
# packed longest first, and part-00007 (Index 17500..) is the longest.
assert static.select("Index").head(2) == [Row(Index=17500), Row(Index=17501)]

# Join with using columns and on a condition; Deduplicate; distinct.
hist = static.groupBy("gt", "Model").count().withColumnRenamed("count", "n")
j = static.join(hist, ["gt", "Model"])
assert j.count() == 20000 - 2721, j.count()
j2 = static.alias("s").join(hist.alias("h"), F.col("s.Index") == F.col("h.n"), "left_semi")
assert j2.count() >= 0
assert static.dropDuplicates(["Model"]).count() == 4
assert static.select("Model").distinct().count() == 4

# Range, LocalRelation (createDataFrame), SQL with temp views.
assert spark.range(3).collect() == [Row(id=0), Row(id=1), Row(id=2)]
assert [r.id for r in spark.range(10, 0, -3).collect()] == [10, 7, 4, 1]
local = spark.createDataFrame([(1, "a", 0.5), (2, None, 1.5)], ["n", "s", "f"])
assert local.collect() == [Row(n=1, s="a", f=0.5), Row(n=2, s=None, f=1.5)]
schema = StructType([StructField("k", StringType()), StructField("v", LongType())])
empty = spark.createDataFrame([], schema)
assert empty.count() == 0 and empty.columns == ["k", "v"]
ddl = spark.createDataFrame([("a", 1)], "k string, v long")
assert ddl.schema == schema, ddl.schema
local.createOrReplaceTempView("small")
assert spark.sql("SELECT sum(n) AS s FROM small").collect() == [Row(s=3)]
assert spark.sql("SELECT 1 AS one").collect() == [Row(one=1)]
assert spark.table("small").count() == 2

# ShowString (df.show) prints Spark's table.
shown = local._show_string(20, 20)
assert shown.startswith("+---+----+---+\n|  n|   s|  f|\n"), shown
assert "|  2|NULL|1.5|" in shown, shown

# Explain, isStreaming, window on a stream.
out = io.StringIO()
with contextlib.redirect_stdout(out):
    static.where("x > 0").explain()
assert "== Physical Plan ==" in out.getvalue(), out.getvalue()
stream = spark.readStream.schema(static.schema).option("maxFilesPerTrigger", 1).json(DATA)
assert stream.isStreaming
ev = stream.selectExpr("*", "cast(cast(Creation_Time as double)/1000000000 as timestamp) as event_time")
win = ev.withWatermark("event_time", "30 minutes").groupBy(F.window(F.col("event_time"), "10 minutes")).count()
assert win.columns == ["window", "count"], win.columns

# Errors: Spark's exception classes with sqlc's error class.
try:
    static.select("nope").collect()
    raise SystemExit("an unknown column must fail")
except AnalysisException as e:
    assert e.getCondition() == "UNRESOLVED_COLUMN.WITH_SUGGESTION", e.getCondition()
    assert e.getSqlState() == "42703", e.getSqlState()
try:
    spark.sql("SELEC 1").collect()
    raise SystemExit("bad SQL must fail")
except ParseException as e:
    assert e.getCondition() == "PARSE_SYNTAX_ERROR", e.getCondition()
try:
    spark.table("no_such_table")
    spark.table("no_such_table").collect()
    raise SystemExit("an unknown table must fail")
except AnalysisException as e:
    assert "TABLE_OR_VIEW_NOT_FOUND" in str(e), e
try:
    spark.range(3).select(F.udf(lambda x: x + 1, "long")("id")).collect()
    raise SystemExit("a Python UDF must be refused")
except AnalysisException as e:
    assert e.getCondition() == "UNSUPPORTED_FEATURE.PYTHON_UDF", e.getCondition()

# Arrays and generators: split, explode (the word count).
words = spark.createDataFrame([("a b a",), ("c",)], ["s"]).select(F.split("s", " ").alias("w"))
assert words.collect() == [Row(w=["a", "b", "a"]), Row(w=["c"])]
wc = words.select(F.explode("w").alias("word")).groupBy("word").count().orderBy("word")
assert [(r.word, r["count"]) for r in wc.collect()] == [("a", 2), ("b", 1), ("c", 1)]

# SetOperation: union (all), unionByName, intersect, subtract, exceptAll.
a, b = spark.range(4), spark.range(2, 6)
ids = lambda df: sorted(r.id for r in df.collect())
assert ids(a.union(b)) == [0, 1, 2, 2, 3, 3, 4, 5]
assert ids(a.union(b).distinct()) == [0, 1, 2, 3, 4, 5]
assert ids(a.intersect(b)) == [2, 3]
assert ids(a.subtract(b)) == [0, 1]
assert ids(a.union(a).exceptAll(a)) == [0, 1, 2, 3]
xy = spark.createDataFrame([(1, "a")], ["x", "y"])
yx = spark.createDataFrame([("b", 2)], ["y", "x"])
assert xy.unionByName(yx).collect() == [Row(x=1, y="a"), Row(x=2, y="b")]
print("ok")
