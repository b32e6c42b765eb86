//! Shapes the JIT compiles that used to run in the interpreted twin:
//! `explain` no longer says `not compiled` for them, and both exec modes
//! give the same rows (Spark's answers for them are golden cases:
//! `jit_agg_pairs`, `jit_narrow_columns`, `jit_agg_float_interval_keys`).

mod common;

use common::*;
use sqlc::ExplainMode;

const COMPILED: &[&str] = &[
    // corr/covar and max_by/min_by in the hash-aggregate kernel.
    "SELECT gt, corr(x, y), covar_pop(x, Index), covar_samp(Arrival_Time, z) FROM activity GROUP BY gt",
    "SELECT gt, max_by(Device, Index), min_by(x, Arrival_Time), max_by(Index, Device) FROM activity GROUP BY gt",
    // TINYINT and SMALLINT values, keys and arguments.
    "SELECT CAST(Index % 200 - 100 AS TINYINT) * 1Y + 3Y AS b, -CAST(Index AS SMALLINT) AS s, \
     abs(CAST(Index % 100 AS TINYINT)) AS a, CAST(CAST(Index % 100 AS TINYINT) AS STRING) AS t \
     FROM activity WHERE CAST(Index % 7 AS TINYINT) < 3Y",
    "SELECT CAST(Index % 7 AS TINYINT) AS k, sum(CAST(Index % 1000 AS SMALLINT)), \
     max(CAST(Index % 100 AS TINYINT)) FROM activity GROUP BY k",
    // Decimal negation and abs.
    "SELECT -(CAST(Index AS DECIMAL(22, 2)) - 7.25) AS n, abs(CAST(Index AS DECIMAL(22, 2)) - 9.5) AS a \
     FROM activity WHERE -CAST(Index AS DECIMAL(22, 2)) < -3",
    // FLOAT, interval and TIMESTAMP_NTZ keys and arguments.
    "SELECT CAST(Index % 3 AS FLOAT) AS f, INTERVAL '1' HOUR * (Index % 2) AS i, \
     min(CAST(x AS FLOAT)), sum(INTERVAL '1' SECOND * Index), avg(INTERVAL '1' MONTH * (Index % 5)), \
     max(TIMESTAMP_NTZ '2024-01-01 00:00:00' + INTERVAL '1' MINUTE * Index) \
     FROM activity GROUP BY f, i",
];

fn rows(spark: &sqlc::Session, q: &str) -> Vec<String> {
    let shown = spark.sql(q).unwrap().show_string(100_000, 0).unwrap();
    let mut r: Vec<String> = shown.lines().map(str::to_string).collect();
    r.sort();
    r
}

#[test]
fn explain_no_longer_says_not_compiled() {
    let spark = with_activity(session(sqlc::ExecMode::Jit));
    for q in COMPILED {
        let plan = spark
            .sql(q)
            .unwrap()
            .explain_mode(ExplainMode::Codegen)
            .unwrap();
        assert!(!plan.contains("not compiled"), "{q}\n{plan}");
    }
}

#[test]
fn compiled_and_interpreted_agree() {
    let sessions: Vec<sqlc::Session> = MODES.iter().map(|&m| with_activity(session(m))).collect();
    for q in COMPILED {
        let jit = rows(&sessions[0], q);
        assert!(!jit.is_empty(), "{q}");
        assert_eq!(jit, rows(&sessions[1], q), "{q}");
    }
}
