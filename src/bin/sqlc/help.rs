//! The help texts: examples per command, and the script language
//! (`sqlc help script`).

pub const MAIN_EXAMPLES: &str = "\
Examples:
  sqlc gen activity data/activity --rows 100000 --files 10
  sqlc run examples/sql/ex1.sql --var data=data/activity
  sqlc sql -e 'SELECT gt, count(*) FROM t GROUP BY gt' --init tables.sql
  sqlc explain examples/sql/ex4.sql --var data=data/activity --mode extended
  sqlc                       (the interactive shell)
  sqlc help script           (the script language)";

pub const RUN_EXAMPLES: &str = "\
Examples:
  # Stream: the SELECT's answer is redrawn after every batch; Ctrl-C stops.
  sqlc run examples/sql/ex1.sql --var data=data/activity
  # One-shot: read what is there, print each SELECT once, exit.
  sqlc run examples/sql/ex1.sql --var data=data/activity --available-now --output json
  # Watch the queries in a browser, with Prometheus metrics at /metrics.
  sqlc run examples/sql/ex5.sql --var data=data/activity --ui=4040

When stdout is not a terminal, or with --output json/csv, a streaming
SELECT is printed once per batch under a `Batch: N` header (JSON: a
{\"batch\": N} line before the rows). RUST_LOG=sqlc=debug logs each batch.";

pub const EXPLAIN_EXAMPLES: &str = "\
Examples:
  sqlc explain examples/sql/ex1.sql --var data=data/activity
  sqlc explain -e 'SELECT gt, count(*) FROM activity GROUP BY gt' \\
      --init examples/sql/ex1.sql --var data=data/activity --mode codegen";

pub const SQL_EXAMPLES: &str = "\
Examples:
  echo \"CREATE TABLE t WITH (format = 'json', path = '${d}');\" > tables.sql
  sqlc sql -e 'SELECT count(*) AS n FROM t' --init tables.sql --var d=data/activity
  sqlc sql -e 'SELECT * FROM t LIMIT 5' --init tables.sql --var d=data/activity --no-truncate";

pub const GEN_EXAMPLES: &str = "\
Examples:
  sqlc gen activity data/activity --rows 100000 --files 10
  # A live producer: one file per second into a directory a script reads.
  sqlc gen activity data/live --rows 10000 --files 60 --interval 1s";

pub const SERVE_EXAMPLES: &str = "\
Examples:
  sqlc serve                       # sc://127.0.0.1:15002
  # then, in Python (pip install pyspark-client):
  #   spark = SparkSession.builder.remote(\"sc://localhost:15002\").getOrCreate()
  sqlc serve --port 0              # a free port, printed on the first line";

pub const SHELL_EXAMPLES: &str = "\
Examples:
  sqlc shell --init examples/sql/ex1.sql --var data=data/activity
  sqlc> SHOW QUERIES;
  sqlc> SELECT * FROM activity_counts ORDER BY gt;
  sqlc> STOP QUERY activity_counts;
Statements end with `;`. `.help` lists them, `.quit` (or Ctrl-D) leaves.";

pub const SCRIPT: &str = "\
sqlc scripts: statements separated by `;`, run in order. `--` and /* */
are comments; ${NAME} is replaced by the value given with --var NAME=VALUE.

CREATE SOURCE name [(col TYPE, …, name AS expr, WATERMARK FOR col AS col - INTERVAL '10' SECOND)]
    WITH (format = 'json', path = '…', maxFilesPerTrigger = 1, …)
  A stream: a table that keeps growing. Formats: json, csv, text, parquet,
  kafka, socket, rate, rate-micro-batch; options as Spark's readStream.

CREATE TABLE name [(col TYPE, …)] WITH (format = 'json', path = '…', …)
  A static table, read when a query runs.

CREATE VIEW name AS SELECT …
  A named query over sources, tables and views.

CREATE SINK name [WITH (format = 'memory', outputMode = 'complete',
                        trigger = '1 second', checkpointLocation = '…', …)]
  AS SELECT …
  Starts a streaming query. Formats: memory (the default: a table `name`
  that SELECTs read), console, kafka, json, csv, parquet. outputMode:
  append (the default), update, complete. trigger: a processing-time
  interval, 'once' or 'available-now'.

SELECT … | WITH … SELECT …
  A batch query over tables, views and memory sinks. In `sqlc run`
  without --available-now, a SELECT after a sink is re-run after every
  batch the sinks commit.

SHOW TABLES                 the session's tables, views, sources and sinks
SHOW QUERIES                the streaming queries: status, rates, last batch
STOP QUERY name             stop a query after its current batch
DESCRIBE [TABLE] name       a table's columns and types
EXPLAIN [SIMPLE | EXTENDED | CODEGEN | FORMATTED] SELECT …
                            a query's plan (CODEGEN: the native code)

Example (examples/sql/ex1.sql):
  CREATE SOURCE activity (gt STRING, Model STRING, x DOUBLE)
    WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);
  CREATE SINK activity_counts WITH (format = 'memory', outputMode = 'complete')
    AS SELECT gt, count(*) AS count FROM activity GROUP BY gt;
  SELECT * FROM activity_counts ORDER BY gt;
";
