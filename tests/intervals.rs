//! Spark's ANSI intervals as values, beyond what the golden cases compare:
//! `show()` prints interval columns as Spark's `show()` does (its output
//! kept below, from PySpark 4.3), `explain` says a pipeline over them runs
//! in the interpreted twin, and the Rust API's `make_dt_interval` /
//! `make_ym_interval`. Both exec modes.

mod common;

use common::*;
use sqlc::functions::{col, lit, make_dt_interval, make_ym_interval};
use sqlc::ExplainMode;

/// `spark.sql(Q).show(truncate=False)` in PySpark 4.3, session time zone UTC.
const Q: &str = "SELECT INTERVAL '1' DAY AS d, INTERVAL '1-2' YEAR TO MONTH AS ym, \
                 INTERVAL '1 02:03:04.5' DAY TO SECOND AS ds, INTERVAL 3 HOURS AS h, \
                 TIMESTAMP '2024-01-01 10:00:00' - TIMESTAMP '2024-01-03 09:00:00' AS diff, \
                 DATE '2024-03-01' - DATE '2024-01-01' AS days";
const SPARK_SHOW: &str = "\
+----------------+----------------------------+-------------------------------------+------------------+------------------------------------+-----------------+
|d               |ym                          |ds                                   |h                 |diff                                |days             |
+----------------+----------------------------+-------------------------------------+------------------+------------------------------------+-----------------+
|INTERVAL '1' DAY|INTERVAL '1-2' YEAR TO MONTH|INTERVAL '1 02:03:04.5' DAY TO SECOND|INTERVAL '03' HOUR|INTERVAL '-1 23:00:00' DAY TO SECOND|INTERVAL '60' DAY|
+----------------+----------------------------+-------------------------------------+------------------+------------------------------------+-----------------+
";

#[test]
fn show_prints_intervals_as_spark() {
    for mode in MODES {
        let spark = session(mode);
        let shown = spark.sql(Q).unwrap().show_string(20, 0).unwrap();
        assert_eq!(
            shown.trim_end(),
            SPARK_SHOW.trim_end(),
            "{mode:?}: show() of interval columns"
        );
    }
}

#[test]
fn explain_says_interval_arithmetic_is_compiled() {
    let spark = with_activity(session(sqlc::ExecMode::Jit));
    let df = spark
        .sql("SELECT Index, Index * INTERVAL '1' HOUR AS h FROM activity")
        .unwrap();
    let plan = df.explain_mode(ExplainMode::Codegen).unwrap();
    assert!(
        !plan.contains("not compiled"),
        "interval × number is compiled: {plan}"
    );
}

#[test]
fn make_interval_functions_in_the_rust_api() {
    for mode in MODES {
        let spark = session(mode);
        let df = spark
            .sql("SELECT 1 AS d, 2 AS h, 14 AS m")
            .unwrap()
            .select([
                make_dt_interval([col("d"), col("h"), lit(3), lit(4)])
                    .cast("string")
                    .unwrap()
                    .alias("dt"),
                make_ym_interval([lit(1), col("m")])
                    .cast("string")
                    .unwrap()
                    .alias("ym"),
            ])
            .unwrap();
        let rows = to_json_rows(&df.collect().unwrap());
        assert_eq!(
            rows[0]["dt"], "INTERVAL '1 02:03:04' DAY TO SECOND",
            "{mode:?}"
        );
        assert_eq!(rows[0]["ym"], "INTERVAL '2-2' YEAR TO MONTH", "{mode:?}");
    }
}
