#!/usr/bin/env python3
"""Spark's answers on record-level edge cases: line ends (\\r, \\n, \\r\\n),
a byte-order mark, text after a record, records over two lines, control
characters, long keys, huge lines, very wide records. Reads the cases from
tests/data/records/cases.json and writes tests/data/expected/records.jsonl,
one line per case; tests/records.rs reads both. Run by hand (CI does not
run Spark), from the repository:

    scripts/pyspark tests/spark/records.py [CASE ...]

The answers were last computed with PySpark 4.3.0 (scripts/pyspark, Java 17).
"""
import json, math, os, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join(ROOT, "tests", "data", "records", "cases.json")
OUT = os.path.join(ROOT, "tests", "data", "expected", "records.jsonl")
MODES = ["PERMISSIVE", "DROPMALFORMED", "FAILFAST"]
DEFAULT_JSON_SCHEMA = "a BIGINT, _corrupt_record STRING"

from pyspark.sql import SparkSession


def content(parts):
    """The bytes of a case (see cases.json)."""
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(p)
        else:
            text, n = p
            out.extend(text.replace("{i}", str(i)) for i in range(n)) if "{i}" in text else out.append(text * n)
    return "".join(out).encode("latin-1")


def value(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, str) and len(v) > 200:
        return f"{v[:40]}...({len(v)} chars)"
    if v is not None and not isinstance(v, (int, float, str, bool)):
        return str(v)
    return v


def result(df, summary):
    fields = [[value(f.name), f.dataType.simpleString()] for f in df.schema.fields]
    if summary:
        types = {}
        for _, t in fields:
            types[t] = types.get(t, 0) + 1
        return {"columns": len(fields), "types": types, "first": fields[:3], "rows": len(df.collect())}
    rows = [{value(k): value(v) for k, v in r.asDict().items()} for r in df.collect()]
    return {"schema": fields, "rows": rows}


def run(spark, case, folder):
    path = os.path.join(folder, case["name"])
    os.mkdir(path)
    with open(os.path.join(path, "part-0." + case["format"]), "wb") as f:
        f.write(content(case["content"]))
    schema = case.get("schema", DEFAULT_JSON_SCHEMA if case["format"] == "json" else None)
    out = {}
    for mode in MODES:
        for given in {"given": [schema], "inferred": [None]}.get(case.get("read"), [schema, None]):
            reader = spark.read.format(case["format"]).option("mode", mode).options(**case.get("options", {}))
            if given:
                reader = reader.schema(given)
            key = mode if given else mode + " inferred"
            try:
                out[key] = result(reader.load(path), case.get("summary", False))
            except Exception as e:
                out[key] = {"error": str(e).strip().split("\n")[0][:160]}
    return out


def main():
    only = set(sys.argv[1:])
    cases = json.load(open(CASES))["cases"]
    spark = (SparkSession.builder.master("local[2]").appName("sqlc-records")
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false")
             .config("spark.driver.memory", "4g").getOrCreate())
    spark.sparkContext.setLogLevel("OFF")
    old = {}
    if only and os.path.exists(OUT):
        old = {json.loads(l)["case"]: l for l in open(OUT)}
    folder = tempfile.mkdtemp(prefix="sqlc-records-")
    lines = []
    for case in cases:
        if only and case["name"] not in only:
            if case["name"] in old:
                lines.append(old[case["name"]])
            continue
        lines.append(json.dumps({"case": case["name"], "results": run(spark, case, folder)}) + "\n")
        print(case["name"], flush=True)
    with open(OUT, "w") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main()
