//! Malformed JSON lines through the public API, in Spark's three modes, for
//! static reads and streams.

mod common;

use common::*;
use sqlc::{ExecMode, Scalar};

/// Spark's answer in ex1_corrupt_counts.jsonl was computed on this data.
#[test]
fn expected_py_has_the_same_corrupt_args() {
    assert_expected_py_uses("CORRUPT_ARGS", &CORRUPT_ARGS);
}

fn count_lines(dir: &std::path::Path) -> (usize, usize) {
    let mut good = 0;
    let mut bad = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "json") {
            continue;
        }
        for line in std::fs::read_to_string(&p).unwrap().lines() {
            if serde_json::from_str::<serde_json::Value>(line).is_ok() {
                good += 1;
            } else {
                bad += 1;
            }
        }
    }
    (good, bad)
}

#[test]
fn permissive_keeps_corrupt_lines_in_corrupt_record() {
    let dir = corrupt_data();
    let (good, bad) = count_lines(&dir);
    assert!(bad > 20, "the data has corrupt lines");
    let spark = session(ExecMode::Jit);
    let df = spark.read().json(&dir).unwrap();
    // Inference adds `_corrupt_record`, in its sorted place, as Spark does.
    assert_eq!(df.columns()[0], "Arrival_Time");
    assert!(
        df.columns().contains(&"_corrupt_record".to_string()),
        "{:?}",
        df.columns()
    );
    assert_eq!(df.count().unwrap(), good + bad);
    let corrupt = df
        .filter("_corrupt_record IS NOT NULL")
        .unwrap()
        .count()
        .unwrap();
    assert_eq!(corrupt, bad);
}

#[test]
fn dropmalformed_drops_and_failfast_fails_naming_the_file_and_line() {
    let dir = corrupt_data();
    let (good, _) = count_lines(&dir);
    let spark = session(ExecMode::Jit);
    let schema = spark.read().json(activity_data()).unwrap().schema();
    let df = spark
        .read()
        .schema(&schema)
        .option("mode", "DROPMALFORMED")
        .json(&dir)
        .unwrap();
    assert_eq!(df.count().unwrap(), good);
    // As in Spark, the files are read when a query runs, not when the
    // read is declared.
    let failfast = spark
        .read()
        .schema(&schema)
        .option("mode", "FAILFAST")
        .json(&dir)
        .unwrap();
    let err = failfast.count().unwrap_err().to_string();
    assert!(err.contains("FAILFAST") && err.contains(".json:"), "{err}");
}

#[test]
fn a_stream_with_malformed_lines_counts_them_as_spark_does() {
    let dir = corrupt_data();
    let (good, bad) = count_lines(&dir);
    for mode in MODES {
        let spark = session(mode);
        let schema = spark.read().json(activity_data()).unwrap().schema();
        // PERMISSIVE without `_corrupt_record`: every line is a row.
        let stream = spark
            .read_stream()
            .schema(&schema)
            .option("maxFilesPerTrigger", 1)
            .json(&dir)
            .unwrap();
        let q = stream
            .group_by(["gt"])
            .count()
            .unwrap()
            .write_stream()
            .format("memory")
            .query_name("c")
            .output_mode("complete")
            .start()
            .unwrap();
        q.process_all_available().unwrap();
        let total = spark
            .sql("SELECT sum(count) AS n FROM c")
            .unwrap()
            .collect_rows()
            .unwrap();
        assert_eq!(
            total[0].get(0),
            Some(&Scalar::Int64((good + bad) as i64)),
            "{mode:?}"
        );
        // Spark keeps what parsed of a cut line (its `gt` when the cut came
        // after it), so the groups match Spark's own answer exactly.
        let expected = load_expected(&root().join("tests/data/expected/ex1_corrupt_counts.jsonl"));
        let df = spark.sql("SELECT * FROM c").unwrap();
        let what = format!("corrupt counts ({})", mode.name());
        assert_matches(
            &what,
            &df.collect().unwrap(),
            &df.columns(),
            &expected,
            false,
        );
        q.stop().unwrap();
        // FAILFAST: the query stops with the error in exception().
        let stream = spark
            .read_stream()
            .schema(&schema)
            .option("mode", "FAILFAST")
            .json(&dir)
            .unwrap();
        let q = stream
            .group_by(["gt"])
            .count()
            .unwrap()
            .write_stream()
            .format("memory")
            .query_name("f")
            .output_mode("complete")
            .start()
            .unwrap();
        let err = q.process_all_available().unwrap_err().to_string();
        assert!(err.contains("Malformed records"), "{err}");
        assert!(q.exception().is_some());
        assert!(!q.is_active());
    }
}
