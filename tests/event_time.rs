//! Event time — the seed chapter's examples 5–7 (windows, watermarks,
//! deduplication) as streams, compiled and interpreted, against Spark's
//! answers on the same data (one file per trigger, availableNow, so batch
//! boundaries and the watermark's moves match Spark's); and the rules
//! around late rows and evicted state.

mod common;

use std::collections::HashSet;
use std::path::Path;

use common::*;
use sqlc::functions::{col, window, window_offset, window_sliding};
use sqlc::{DataFrame, Session, StreamingQuery, Trigger};

fn with_event_time(spark: &Session, dir: &Path) -> DataFrame {
    let static_df = spark.read().json(dir).unwrap();
    spark
        .read_stream()
        .schema(static_df.schema())
        .option("maxFilesPerTrigger", 1)
        .json(dir)
        .unwrap()
        .select_expr([
            "*",
            "cast(cast(Creation_Time as double)/1000000000 as timestamp) as event_time",
        ])
        .unwrap()
}

/// Runs `df` into the memory table `name` with the availableNow trigger to
/// its end; returns the query and the table.
fn run(spark: &Session, df: &DataFrame, name: &str, mode: &str) -> (StreamingQuery, DataFrame) {
    let q = df
        .write_stream()
        .query_name(name)
        .format("memory")
        .output_mode(mode)
        .trigger(Trigger::AvailableNow)
        .start()
        .unwrap();
    q.await_termination(None).unwrap();
    (q, spark.sql(&format!("SELECT * FROM {name}")).unwrap())
}

fn check(name: &str, df: &DataFrame, what: &str) {
    let expected = load_expected(&root().join(format!("tests/data/expected/{name}.jsonl")));
    assert_matches(what, &df.collect().unwrap(), &df.columns(), &expected, false);
}

#[test]
fn example_5_tumbling_windows_match_spark() {
    for mode in MODES {
        let spark = session(mode);
        let s = with_event_time(&spark, &activity_data());
        let counts = s
            .group_by([window(col("event_time"), "10 minutes")])
            .count()
            .unwrap();
        let (_, df) = run(&spark, &counts, "ex5", "complete");
        assert_eq!(df.columns(), ["window", "count"]);
        check("ex5_window_counts", &df, &format!("example 5 ({})", mode.name()));
        let by_user = s
            .group_by([window(col("event_time"), "10 minutes"), col("User")])
            .count()
            .unwrap();
        let (_, df) = run(&spark, &by_user, "ex5u", "complete");
        check(
            "ex5_window_user_counts",
            &df,
            &format!("example 5 by user ({})", mode.name()),
        );
    }
}

fn sliding(spark: &Session) -> DataFrame {
    with_event_time(spark, &activity_data())
        .with_watermark("event_time", "30 minutes")
        .unwrap()
        .group_by([window_sliding(col("event_time"), "10 minutes", "5 minutes")])
        .count()
        .unwrap()
}

#[test]
fn example_6_sliding_windows_with_a_watermark_match_spark() {
    for mode in MODES {
        let spark = session(mode);
        let (q, df) = run(&spark, &sliding(&spark), "ex6c", "complete");
        check("ex6_sliding_complete", &df, &format!("example 6 complete ({})", mode.name()));
        // Complete mode drops no late row: it keeps every group anyway.
        let dropped = |q: &StreamingQuery| -> u64 {
            q.recent_progress()
                .iter()
                .map(|p| p.state_operators[0].num_rows_dropped_by_watermark)
                .sum()
        };
        assert_eq!(dropped(&q), 0, "{mode:?}");

        let (q, df) = run(&spark, &sliding(&spark), "ex6a", "append");
        check("ex6_sliding_append", &df, &format!("example 6 append ({})", mode.name()));
        // Append mode drops late rows (the data has rows minutes in the past).
        assert!(dropped(&q) > 0, "{mode:?}: no late rows dropped");
        // Each window once, however many batches emitted.
        let rows = df.collect().unwrap();
        let windows: Vec<String> = rows
            .iter()
            .flat_map(|b| {
                let w = b.column(0);
                (0..b.num_rows()).map(move |i| sqlc_runtime::display::pretty_value(w.as_ref(), i))
            })
            .collect();
        let distinct: HashSet<&String> = windows.iter().collect();
        assert_eq!(distinct.len(), windows.len(), "{mode:?}: a window emitted twice");
        // availableNow ends with a batch without data that applies the
        // final watermark.
        let progress = q.recent_progress();
        assert_eq!(progress.len(), 9, "{mode:?}: 8 files and the closing batch");
        assert_eq!(progress.last().unwrap().num_input_rows, 0);
    }
}

#[test]
fn windows_with_a_start_offset_match_spark() {
    for mode in MODES {
        let spark = session(mode);
        let df = with_event_time(&spark, &activity_data())
            .with_watermark("event_time", "10 minutes")
            .unwrap()
            .group_by([
                window_offset(col("event_time"), "10 minutes", "10 minutes", "3 minutes"),
                col("gt"),
            ])
            .agg([
                sqlc::functions::expr("count(*) as n").unwrap(),
                sqlc::functions::expr("max(x) as max_x").unwrap(),
            ])
            .unwrap();
        let (_, out) = run(&spark, &df, "ex6o", "append");
        check("ex6_offset_append", &out, &format!("offset windows ({})", mode.name()));
    }
}

#[test]
fn example_7_deduplication_under_a_watermark_matches_spark() {
    for mode in MODES {
        let spark = session(mode);
        let df = with_event_time(&spark, &activity_data())
            .with_watermark("event_time", "5 seconds")
            .unwrap()
            .drop_duplicates(["User", "event_time"])
            .unwrap()
            .group_by(["User"])
            .count()
            .unwrap();
        let (q, out) = run(&spark, &df, "ex7", "complete");
        check("ex7_dedup_counts", &out, &format!("example 7 ({})", mode.name()));
        // The dedup state is evicted as the watermark passes.
        let last = q.last_progress().unwrap();
        let dedup = last
            .state_operators
            .iter()
            .find(|o| o.operator == "dedupe")
            .unwrap();
        assert!(
            q.recent_progress().iter().any(|p| p
                .state_operators
                .iter()
                .any(|o| o.operator == "dedupe" && o.num_rows_removed > 0)),
            "{mode:?}: no dedup state evicted"
        );
        assert!(dedup.num_rows_total < 20_000, "{mode:?}");
    }
}

#[test]
fn append_without_an_event_time_key_is_refused_with_sparks_reason() {
    let spark = session(sqlc::ExecMode::Jit);
    let s = with_event_time(&spark, &activity_data());
    // A watermark, but the aggregate is not on its column.
    let df = s
        .with_watermark("event_time", "10 minutes")
        .unwrap()
        .group_by(["gt"])
        .count()
        .unwrap();
    let err = df
        .write_stream()
        .format("memory")
        .query_name("refused")
        .output_mode("append")
        .start()
        .err()
        .expect("append must be refused");
    assert!(
        err.to_string()
            .contains("not supported for streaming aggregations without watermark"),
        "{err}"
    );
    // A window on a column without a watermark: refused too.
    let df = s
        .group_by([window(col("event_time"), "10 minutes")])
        .count()
        .unwrap();
    assert!(df
        .write_stream()
        .format("memory")
        .query_name("refused2")
        .output_mode("append")
        .start()
        .is_err());
}

#[test]
fn bad_windows_get_sparks_errors() {
    let spark = session(sqlc::ExecMode::Jit);
    let s = with_event_time(&spark, &activity_data());
    for (w, msg) in [
        (window(col("event_time"), "0 seconds"), "must be greater than 0"),
        (
            window_sliding(col("event_time"), "5 minutes", "10 minutes"),
            "must be less than or equal to the windowDuration",
        ),
        (
            window_offset(col("event_time"), "10 minutes", "5 minutes", "5 minutes"),
            "must be less than the slideDuration",
        ),
        (window(col("event_time"), "ten minutes"), "must be a duration"),
        (window(col("gt"), "10 minutes"), "requires the TIMESTAMP type"),
    ] {
        let err = s.group_by([w]).count().err().expect("must fail");
        assert!(err.to_string().contains(msg), "{err}");
    }
}
