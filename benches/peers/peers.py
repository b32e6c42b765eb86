"""DuckDB and Polars on examples 1-3 of sqlc (benches/peers/run.sh runs
this): each query timed alone inside this process, one line per run as
`engine<TAB>example<TAB>seconds`; with --report FILE, the medians and
sqlc's speed-ups from such lines."""

import statistics
import sys
import time
from collections import defaultdict

SCHEMA = {
    "Arrival_Time": "BIGINT", "Creation_Time": "BIGINT", "Device": "VARCHAR",
    "Index": "BIGINT", "Model": "VARCHAR", "User": "VARCHAR", "gt": "VARCHAR",
    "x": "DOUBLE", "y": "DOUBLE", "z": "DOUBLE",
}

DUCK = {
    "ex1": "SELECT gt, count(*) AS count FROM activity GROUP BY gt ORDER BY gt",
    "ex2": "SELECT gt, Model AS model, Arrival_Time AS arrival_time, "
           "Creation_Time AS creation_time FROM activity "
           "WHERE gt LIKE '%stairs%' AND gt IS NOT NULL",
    "ex3": "SELECT gt, Model AS model, avg(x), avg(y), avg(z) FROM activity "
           "GROUP BY CUBE(gt, Model) ORDER BY gt, model",
}


def duckdb_runs(data):
    import duckdb
    con = duckdb.connect()
    cols = ", ".join(f"'{k}': '{v}'" for k, v in SCHEMA.items())
    src = f"read_json('{data}/*.json', format='newline_delimited', columns={{{cols}}})"
    for ex, q in DUCK.items():
        q = q.replace("FROM activity", f"FROM {src}")
        t = time.perf_counter()
        con.execute(q).fetchall()
        yield "duckdb", ex, time.perf_counter() - t


def polars_runs(data):
    import polars as pl
    schema = {"Arrival_Time": pl.Int64, "Creation_Time": pl.Int64, "Device": pl.Utf8,
              "Index": pl.Int64, "Model": pl.Utf8, "User": pl.Utf8, "gt": pl.Utf8,
              "x": pl.Float64, "y": pl.Float64, "z": pl.Float64}
    scan = lambda: pl.scan_ndjson(f"{data}/*.json", schema=schema)
    queries = {
        "ex1": lambda: scan().group_by("gt").agg(pl.len().alias("count")).sort("gt"),
        "ex2": lambda: scan().filter(pl.col("gt").str.contains("stairs", literal=True)
                                     & pl.col("gt").is_not_null())
                             .select("gt", "Model", "Arrival_Time", "Creation_Time"),
        # CUBE(gt, model): the four grouping sets, concatenated.
        "ex3": lambda: pl.concat([
            scan().group_by(keys).agg(pl.col("x").mean(), pl.col("y").mean(), pl.col("z").mean())
            if keys else
            scan().select(pl.col("x").mean(), pl.col("y").mean(), pl.col("z").mean())
            for keys in (["gt", "Model"], ["gt"], ["Model"], [])], how="diagonal"),
    }
    for ex, q in queries.items():
        t = time.perf_counter()
        q().collect()
        yield "polars", ex, time.perf_counter() - t


def report(path):
    runs = defaultdict(list)
    for line in open(path):
        engine, ex, secs = line.split("\t")
        runs[(engine, ex)].append(float(secs))
    med = {k: statistics.median(v) for k, v in runs.items()}
    engines = ["sqlc_all", "sqlc_per_file", "duckdb", "polars"]
    base = any(e == "base_all" for e, _ in runs)  # SQLC_BASE: another build
    if base:
        engines.append("base_all")
    print(f"{'example':<8}" + "".join(f"{e:>15}" for e in engines)
          + f"{'all vs duckdb':>15}{'all vs polars':>15}" + (f"{'all vs base':>15}" if base else ""))
    for ex in ("ex1", "ex2", "ex3"):
        row = [med.get((e, ex)) for e in engines]
        cells = "".join(f"{v:>14.3f}s" if v else f"{'-':>15}" for v in row)
        sp = lambda peer: f"{peer / row[0]:>14.2f}x" if peer and row[0] else f"{'-':>15}"
        print(f"{ex:<8}{cells}{sp(row[2])}{sp(row[3])}" + (sp(row[4]) if base else ""))
    print(f"(medians of {max(len(v) for v in runs.values())} rounds; "
          "speed-up = peer time / sqlc all-files time)")


if __name__ == "__main__":
    if sys.argv[1] == "--report":
        report(sys.argv[2])
    else:
        for engine, ex, secs in [*duckdb_runs(sys.argv[1]), *polars_runs(sys.argv[1])]:
            print(f"{engine}\t{ex}\t{secs:.4f}")
