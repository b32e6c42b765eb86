//! Input a hostile user might give — absurd options, files that are not
//! what they seem, code that panics — ends in a clear error, never an
//! abort, a panic that kills the process, or a hang.

mod common;

use std::time::Duration;

use common::*;
use sqlc::{ExecMode, Scalar, Session};

/// The error of starting a stream of `format` with `options`, at `load` or
/// at `start`, whichever refuses it.
fn start_error(spark: &Session, format: &str, options: &[(&str, &str)]) -> String {
    let mut reader = spark.read_stream().format(format);
    for (k, v) in options {
        reader = reader.option(k, *v);
    }
    let df = match reader.load_source(None) {
        Ok(df) => df,
        Err(e) => return e.to_string(),
    };
    match df.write_stream().format("memory").query_name("r").start() {
        Ok(q) => {
            q.stop().unwrap();
            panic!("{format} {options:?} started")
        }
        Err(e) => e.to_string(),
    }
}

#[test]
fn absurd_rate_options_are_refused_with_the_bound() {
    let spark = session(ExecMode::Jit);
    for (format, opts) in [
        ("rate", vec![("rowsPerSecond", "100000000000")]),
        ("rate", vec![("rowsPerSecond", "9223372036854775807")]),
        ("rate", vec![("numPartitions", "100000000000")]),
        ("rate", vec![("rampUpTime", "100000000000s")]),
        ("rate-micro-batch", vec![("rowsPerBatch", "100000000000")]),
        (
            "rate-micro-batch",
            vec![("rowsPerBatch", "10"), ("numPartitions", "100000000000")],
        ),
        (
            "rate-micro-batch",
            vec![
                ("rowsPerBatch", "10"),
                ("startTimestamp", "9223372036854775807"),
            ],
        ),
    ] {
        let e = start_error(&spark, format, &opts);
        assert!(
            e.starts_with("[INVALID_OPTION_VALUE]") && e.contains(opts.last().unwrap().0),
            "{format} {opts:?}: {e}"
        );
    }
}

#[test]
fn a_rate_micro_batch_whose_timestamps_would_overflow_fails_the_query() {
    let spark = session(ExecMode::Jit);
    let q = spark
        .read_stream()
        .format("rate-micro-batch")
        .option("rowsPerBatch", "1")
        .option("startTimestamp", "253402300799000")
        .option("advanceMillisPerBatch", "253402300799999")
        .load_source(None)
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("late")
        .start()
        .unwrap();
    assert!(q.await_termination(Some(Duration::from_secs(60))).is_err());
    let e = q.exception().expect("failed").to_string();
    assert!(e.contains("advanceMillisPerBatch"), "{e}");
}

#[test]
fn a_panic_in_user_code_ends_the_query_with_an_internal_error() {
    let spark = session(ExecMode::Jit);
    let q = spark
        .read_stream()
        .format("rate-micro-batch")
        .option("rowsPerBatch", "5")
        .load_source(None)
        .unwrap()
        .write_stream()
        .foreach(|_row| panic!("the sink's own bug"))
        .start()
        .unwrap();
    // Terminates (with the failure) instead of leaving its waiters hanging.
    assert!(q.await_termination(Some(Duration::from_secs(60))).is_err());
    let e = q.exception().expect("failed").to_string();
    assert!(
        e.contains("[INTERNAL_ERROR]") && e.contains("the sink's own bug"),
        "{e}"
    );
}

#[test]
fn a_json_line_nested_50000_deep_is_a_malformed_record_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let n = 50_000;
    let deep = format!(
        "{{\"a\": 1}}\n{}\n{{\"a\": {}1{}}}\n{{\"a\": 2}}\n",
        "[".repeat(n),
        "[".repeat(n),
        "]".repeat(n)
    );
    std::fs::write(dir.path().join("deep.json"), deep).unwrap();
    for mode in MODES {
        let spark = session(mode);
        let inferred = spark.read().json(dir.path()).unwrap();
        assert_eq!(inferred.count().unwrap(), 4);
        let typed = spark.read().schema("a BIGINT").json(dir.path()).unwrap();
        let rows = typed.collect_rows().unwrap();
        let a: Vec<Option<Scalar>> = rows.iter().map(|r| r.get(0).cloned()).collect();
        assert_eq!(a.len(), 4);
        assert_eq!(a[0], Some(Scalar::Int64(1)));
        assert_eq!(a[3], Some(Scalar::Int64(2)));
    }
}
