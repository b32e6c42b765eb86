//! The seed chapter's examples 1 and 2 as streaming queries, compiled and
//! interpreted, against Spark's answers on the same data; and the behaviour
//! of the file source and memory sink around them.

mod common;

use std::time::Duration;

use common::*;
use sqlc::functions::expr;
use sqlc::{DataFrame, ExecMode};

fn stairs(streaming: &DataFrame) -> DataFrame {
    streaming
        .with_column("stairs", expr("gt like '%stairs%'").unwrap())
        .unwrap()
        .where_("stairs")
        .unwrap()
        .where_("gt is not null")
        .unwrap()
        .select(["gt", "model", "arrival_time", "creation_time"])
        .unwrap()
}

/// The data is the data `tests/spark/expected.py` computed Spark's answers
/// on: the same generator arguments, and the schema Spark inferred.
#[test]
fn the_data_is_what_sparks_answers_were_computed_on() {
    assert_expected_py_uses("DATA_ARGS", &DATA_ARGS);
    let spark = session(ExecMode::Jit);
    let schema = spark.read().json(activity_data()).unwrap().schema();
    let got: Vec<String> = schema
        .fields
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f.name,
                f.data_type,
                if f.nullable { "True" } else { "False" }
            )
        })
        .collect();
    let want = std::fs::read_to_string(root().join("tests/data/expected/schema.txt")).unwrap();
    assert_eq!(got, want.lines().collect::<Vec<_>>());
}

#[test]
fn example_1_counts_match_spark() {
    let expected = load_expected(&root().join("tests/data/expected/ex1_activity_counts.jsonl"));
    for mode in MODES {
        let spark = session(mode);
        let counts = activity_stream(&spark, &activity_data())
            .group_by(["gt"])
            .count()
            .unwrap();
        let (q, df) = drain(&spark, &counts, "activity_counts", "complete");
        assert_matches(
            &format!("example 1 ({})", mode.name()),
            &df.collect().unwrap(),
            &df.columns(),
            &expected,
            false,
        );
        // One file per trigger: 8 files, 8 batches of 2500 rows.
        let progress = q.recent_progress();
        assert_eq!(progress.len(), 8, "{mode:?}");
        assert!(
            progress.iter().all(|p| p.num_input_rows == 2500),
            "{mode:?}"
        );
        assert_eq!(
            progress.last().unwrap().state_operators[0].num_rows_total,
            7
        );
        q.stop().unwrap();
        assert!(!q.is_active());
    }
}

#[test]
fn example_2_stairs_match_spark() {
    let expected = load_expected(&root().join("tests/data/expected/ex2_stairs.jsonl"));
    for mode in MODES {
        let spark = session(mode);
        let (q, df) = drain(
            &spark,
            &stairs(&activity_stream(&spark, &activity_data())),
            "stairs",
            "append",
        );
        // Column names as the query wrote them (`model`, though the data says `Model`).
        assert_eq!(
            df.columns(),
            ["gt", "model", "arrival_time", "creation_time"]
        );
        assert_matches(
            &format!("example 2 ({})", mode.name()),
            &df.collect().unwrap(),
            &df.columns(),
            &expected,
            false,
        );
        q.stop().unwrap();
    }
}

#[test]
fn the_seed_kernels_run_fully_compiled() {
    let spark = session(ExecMode::Jit);
    let streaming = activity_stream(&spark, &activity_data());
    let ex1 = streaming.group_by(["gt"]).count().unwrap();
    let ex2 = stairs(&streaming);
    let ex3 = streaming
        .cube(["gt", "model"])
        .avg(Vec::<&str>::new())
        .unwrap()
        .drop(["avg(Arrival_time)", "avg(Creation_Time)", "avg(Index)"])
        .unwrap();
    for (name, df) in [("example 1", ex1), ("example 2", ex2), ("example 3", ex3)] {
        let text = df.explain().unwrap();
        assert!(text.contains("-- Cranelift IR --"), "{name}: {text}");
        assert!(
            !text.contains("(interpreted"),
            "{name} has an interpreted kernel:\n{text}"
        );
        assert!(!text.contains("interpreted:"), "{name} falls back:\n{text}");
    }
}

#[test]
fn files_arriving_while_the_query_runs_are_each_taken_once() {
    let src = activity_data();
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = {
        let mut v: Vec<_> = std::fs::read_dir(&src)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        v.sort();
        v
    };
    let spark = session(ExecMode::Jit);
    std::fs::copy(&files[0], dir.path().join("part-0.json")).unwrap();
    let streaming = activity_stream(&spark, dir.path());
    let q = streaming
        .group_by(["gt"])
        .count()
        .unwrap()
        .write_stream()
        .query_name("live")
        .format("memory")
        .output_mode("complete")
        .start()
        .unwrap();
    let mut seen_totals = Vec::new();
    for (i, f) in files.iter().enumerate().skip(1) {
        // Written elsewhere and renamed in, as a producer would.
        let tmp = dir.path().join(format!(".part-{i}.json.tmp"));
        std::fs::copy(f, &tmp).unwrap();
        std::fs::rename(&tmp, dir.path().join(format!("part-{i}.json"))).unwrap();
        std::thread::sleep(Duration::from_millis(30));
        // A read while the query runs sees a committed batch: whole files.
        let total: i64 = spark
            .sql("SELECT sum(count) AS n FROM live")
            .unwrap()
            .collect_rows()
            .unwrap()
            .first()
            .and_then(|r| match r.get(0) {
                Some(sqlc::Scalar::Int64(n)) => Some(*n),
                _ => None,
            })
            .unwrap_or(0);
        assert_eq!(
            total % 2500,
            0,
            "a memory table read saw a partial batch: {total}"
        );
        seen_totals.push(total);
    }
    q.process_all_available().unwrap();
    let rows = spark
        .sql("SELECT sum(count) AS n FROM live")
        .unwrap()
        .collect_rows()
        .unwrap();
    assert_eq!(rows[0].get(0), Some(&sqlc::Scalar::Int64(20_000)));
    let batches: u64 = q.recent_progress().iter().map(|p| p.num_input_rows).sum();
    assert_eq!(batches, 20_000, "every row exactly once");
    assert!(
        seen_totals.windows(2).all(|w| w[0] <= w[1]),
        "counts only grow: {seen_totals:?}"
    );
    q.stop().unwrap();
}

#[test]
fn unsupported_output_modes_are_refused_with_sparks_reason() {
    let spark = session(ExecMode::Jit);
    let streaming = activity_stream(&spark, &activity_data());
    let counts = streaming.group_by(["gt"]).count().unwrap();
    let err = counts
        .write_stream()
        .query_name("a")
        .format("memory")
        .output_mode("append")
        .start()
        .unwrap_err();
    assert!(
        err.to_string().contains(
            "Invalid streaming output mode: append. This output mode is not supported for streaming aggregations without watermark"
        ),
        "{err}"
    );
    let err = stairs(&streaming)
        .write_stream()
        .query_name("b")
        .format("memory")
        .output_mode("complete")
        .start()
        .unwrap_err();
    assert!(
        err.to_string().contains(
            "Invalid streaming output mode: complete. This output mode is not supported for no streaming aggregations"
        ),
        "{err}"
    );
    let err = streaming
        .order_by(["x"])
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("c")
        .start()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Sorting is not supported on streaming DataFrames"),
        "{err}"
    );
    let err = streaming
        .limit(5)
        .write_stream()
        .format("memory")
        .query_name("d")
        .start()
        .unwrap_err();
    assert!(
        err.to_string().contains("Limits are not supported"),
        "{err}"
    );
    let err = counts
        .write_stream()
        .format("memory")
        .output_mode("complete")
        .start()
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("queryName must be specified for memory sink"),
        "{err}"
    );
    let err = counts
        .write_stream()
        .format("memory")
        .query_name("e")
        .output_mode("sideways")
        .start()
        .unwrap_err();
    assert!(err.to_string().contains("outputMode"), "{err}");
    // Update mode is fine for both.
    for (df, name) in [(&counts, "u1"), (&stairs(&streaming), "u2")] {
        let q = df
            .write_stream()
            .format("memory")
            .query_name(name)
            .output_mode("update")
            .start()
            .unwrap();
        q.process_all_available().unwrap();
        q.stop().unwrap();
    }
    // A batch query on a stream is an error, as in Spark.
    let err = streaming.collect().unwrap_err();
    assert_eq!(err.class(), "_LEGACY_ERROR_TEMP_3102", "{err}");
    assert!(
        err.to_string()
            .contains("must be executed with writeStream.start()"),
        "{err}"
    );
}

#[test]
fn update_mode_emits_only_changed_groups() {
    let spark = session(ExecMode::Jit);
    let streaming = activity_stream(&spark, &activity_data());
    let by_user = streaming
        .filter("User = 'a'")
        .unwrap()
        .group_by(["User"])
        .count()
        .unwrap();
    let q = by_user
        .write_stream()
        .format("memory")
        .query_name("upd")
        .output_mode("update")
        .start()
        .unwrap();
    q.process_all_available().unwrap();
    // One group changes every batch: the memory sink appends one row per batch.
    let rows = spark
        .sql("SELECT * FROM upd")
        .unwrap()
        .collect_rows()
        .unwrap();
    assert_eq!(rows.len(), 8);
    let counts: Vec<i64> = rows
        .iter()
        .map(|r| match r.get_as("count") {
            Some(sqlc::Scalar::Int64(n)) => *n,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] < w[1]),
        "running counts grow: {counts:?}"
    );
    q.stop().unwrap();
}

fn cube_avg(streaming: &DataFrame) -> DataFrame {
    streaming
        .cube(["gt", "model"])
        .avg(Vec::<&str>::new())
        .unwrap()
        .drop(["avg(Arrival_time)"])
        .unwrap()
        .drop(["avg(Creation_Time)"])
        .unwrap()
        .drop(["avg(Index)"])
        .unwrap()
}

#[test]
fn example_3_cube_matches_spark() {
    let expected = load_expected(&root().join("tests/data/expected/ex3_cube.jsonl"));
    for mode in MODES {
        let spark = session(mode);
        let (q, df) = drain(
            &spark,
            &cube_avg(&activity_stream(&spark, &activity_data())),
            "cube",
            "complete",
        );
        // Two rows have both keys null: the grand total and the null class's total.
        assert_matches(
            &format!("example 3 ({})", mode.name()),
            &df.collect().unwrap(),
            &df.columns(),
            &expected,
            false,
        );
        q.stop().unwrap();
    }
}

#[test]
fn example_4_cube_joined_with_static_averages_matches_spark() {
    let expected = load_expected(&root().join("tests/data/expected/ex4_cube_join.jsonl"));
    for mode in MODES {
        let spark = session(mode);
        let static_df = spark.read().json(activity_data()).unwrap();
        let history = static_df
            .group_by(["gt", "model"])
            .avg(Vec::<&str>::new())
            .unwrap();
        let joined = cube_avg(&activity_stream(&spark, &activity_data()))
            .join(&history, ["gt", "model"], "inner")
            .unwrap();
        let (q, df) = drain(&spark, &joined, "cube_join", "complete");
        // The equi-join drops the rows whose keys are null.
        assert_matches(
            &format!("example 4 ({})", mode.name()),
            &df.collect().unwrap(),
            &df.columns(),
            &expected,
            false,
        );
        q.stop().unwrap();
    }
}
