"""Streaming through PySpark's Connect client: writeStream options,
triggers and sinks, a query's commands, spark.streams, a failing query and
the refusal of Python callbacks. Run by tests/connect.rs:
`streaming.py DATA_DIR OUT_DIR`; prints `ok`."""
import json, os, sys
from pyspark.sql import SparkSession, Row
from pyspark.sql import functions as F
from pyspark.errors import StreamingQueryException, AnalysisException

spark = SparkSession.builder.remote(os.environ["SPARK_REMOTE"]).getOrCreate()
DATA, OUT = sys.argv[1], sys.argv[2]
spark.conf.set("spark.sql.shuffle.partitions", 5)

schema = spark.read.json(DATA).schema
stream = spark.readStream.schema(schema).option("maxFilesPerTrigger", 1).json(DATA)

# A memory sink in complete mode, with a query name and a processing-time trigger.
q = (stream.groupBy("gt").count().writeStream.queryName("counts").format("memory")
     .outputMode("complete").trigger(processingTime="10 milliseconds").start())
assert q.name == "counts" and q.isActive
assert len(q.id) == 36 and len(q.runId) == 36
q.processAllAvailable()
rows = {r.gt: r["count"] for r in spark.sql("SELECT * FROM counts").collect()}
assert sum(rows.values()) == 20000 and rows["walk"] == 3343, rows
st = q.status
assert set(st) == {"message", "isDataAvailable", "isTriggerActive"}, st
lp = q.lastProgress
assert lp["id"] == q.id and lp["runId"] == q.runId and lp["name"] == "counts", lp
assert lp["sources"][0]["numInputRows"] >= 0 and "durationMs" in lp
rp = q.recentProgress
assert len(rp) >= 8 and sum(p["numInputRows"] for p in rp) == 20000, [p["numInputRows"] for p in rp]
assert [x.id for x in spark.streams.active] == [q.id]
assert spark.streams.get(q.id).name == "counts"
assert q.awaitTermination(0.05) is False
assert q.exception() is None
import io, contextlib
out = io.StringIO()
with contextlib.redirect_stdout(out):
    q.explain()
assert "Physical Plan" in out.getvalue(), out.getvalue()
q.stop()
assert not q.isActive and spark.streams.active == []
assert spark.streams.awaitAnyTermination(1) is True
spark.streams.resetTerminated()
assert spark.streams.awaitAnyTermination(0.05) is False

# availableNow into a JSON file sink with a checkpoint and partitionBy.
files = os.path.join(OUT, "files")
q2 = (stream.where("Index % 100 = 0").select("Index", "Model").writeStream.format("json")
      .option("checkpointLocation", os.path.join(OUT, "ckpt")).partitionBy("Model")
      .trigger(availableNow=True).start(files))
q2.awaitTermination()
back = spark.read.json(files)
assert back.count() == 200, back.count()

# once, append mode, console sink.
q3 = stream.select("Index").writeStream.format("console").trigger(once=True).start()
assert q3.awaitTermination(60) is True

# A failing query: its error comes back from exception() and awaitTermination().
bad = (stream.select(F.expr("cast(gt as int) AS n")).writeStream.queryName("bad")
       .format("memory").start())
try:
    bad.awaitTermination()
    raise SystemExit("a failing query must raise")
except StreamingQueryException as e:
    assert "CAST_INVALID_INPUT" in str(e), e
exc = bad.exception()
assert exc is not None and "CAST_INVALID_INPUT" in str(exc), exc
assert not bad.isActive

# Python callbacks are refused with a Spark error class naming the way out.
for start in (lambda w: w.foreachBatch(lambda df, i: None).start(),
              lambda w: w.foreach(lambda row: None).start()):
    try:
        start(stream.writeStream)
        raise SystemExit("foreach/foreachBatch must be refused")
    except AnalysisException as e:
        assert "UNSUPPORTED_FEATURE" in str(e) and "sink" in str(e), e
print("ok")
