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
    assert_matches(
        what,
        &df.collect().unwrap(),
        &df.columns(),
        &expected,
        false,
    );
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
        check(
            "ex5_window_counts",
            &df,
            &format!("example 5 ({})", mode.name()),
        );
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
        check(
            "ex6_sliding_complete",
            &df,
            &format!("example 6 complete ({})", mode.name()),
        );
        // Complete mode drops no late row: it keeps every group anyway.
        let dropped = |q: &StreamingQuery| -> u64 {
            q.recent_progress()
                .iter()
                .map(|p| p.state_operators[0].num_rows_dropped_by_watermark)
                .sum()
        };
        assert_eq!(dropped(&q), 0, "{mode:?}");

        let (q, df) = run(&spark, &sliding(&spark), "ex6a", "append");
        check(
            "ex6_sliding_append",
            &df,
            &format!("example 6 append ({})", mode.name()),
        );
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
        assert_eq!(
            distinct.len(),
            windows.len(),
            "{mode:?}: a window emitted twice"
        );
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
        check(
            "ex6_offset_append",
            &out,
            &format!("offset windows ({})", mode.name()),
        );
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
        check(
            "ex7_dedup_counts",
            &out,
            &format!("example 7 ({})", mode.name()),
        );
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
        .expect_err("append must be refused");
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
        (
            window(col("event_time"), "0 seconds"),
            "must be greater than 0",
        ),
        (
            window_sliding(col("event_time"), "5 minutes", "10 minutes"),
            "must be less than or equal to the windowDuration",
        ),
        (
            window_offset(col("event_time"), "10 minutes", "5 minutes", "5 minutes"),
            "must be less than the slideDuration",
        ),
        (
            window(col("event_time"), "ten minutes"),
            "must be a duration",
        ),
        (
            window(col("gt"), "10 minutes"),
            "requires the TIMESTAMP type",
        ),
    ] {
        let err = s.group_by([w]).count().expect_err("must fail");
        assert!(err.to_string().contains(msg), "{err}");
    }
}

#[test]
fn a_row_arriving_after_its_window_was_emitted_is_dropped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    // One file per batch; the third brings a row for the window the second
    // batch emitted.
    write_batches(
        dir.path(),
        &[
            r#"{"t":"2026-01-01T10:00:00Z","k":"a"}
{"t":"2026-01-01T10:25:00Z","k":"a"}"#,
            r#"{"t":"2026-01-01T10:31:00Z","k":"a"}"#,
            r#"{"t":"2026-01-01T10:05:00Z","k":"late"}"#,
        ],
    );
    for mode in MODES {
        let spark = session(mode);
        let df = spark
            .read_stream()
            .schema("t TIMESTAMP, k STRING")
            .option("maxFilesPerTrigger", 1)
            .json(dir.path())
            .unwrap()
            .with_watermark("t", "10 minutes")
            .unwrap()
            .group_by([window(col("t"), "10 minutes")])
            .count()
            .unwrap();
        let name = format!("late_{}", mode.name());
        let late_table = format!("late_rows_{}", mode.name());
        let q = df
            .write_stream()
            .query_name(&name)
            .format("memory")
            .output_mode("append")
            .late_rows_table(&late_table)
            .trigger(Trigger::AvailableNow)
            .start()
            .unwrap();
        q.await_termination(None).unwrap();
        let out = spark.sql(&format!("SELECT * FROM {name}")).unwrap();
        // Beyond Spark: the dropped row is not lost.
        let late = to_json_rows(
            &spark
                .sql(&format!("SELECT k FROM {late_table}"))
                .unwrap()
                .collect()
                .unwrap(),
        );
        assert_eq!(late.len(), 1, "{mode:?}: {late:?}");
        assert_eq!(late[0]["k"], "late");
        let rows = to_json_rows(&out.collect().unwrap());
        // [10:00, 10:10) once, with its on-time row only: the second batch
        // emitted it (watermark 10:15), the third dropped the 10:05 row.
        // [10:20, 10:30) and [10:30, 10:40) are still open (10:21).
        let starts: Vec<String> = rows
            .iter()
            .map(|r| format!("{}={}", r["window"]["start"], r["count"]))
            .collect();
        assert_eq!(starts, [r#""2026-01-01 10:00:00"=1"#], "{mode:?}");
        let progress = q.recent_progress();
        let dropped: Vec<u64> = progress
            .iter()
            .map(|p| p.state_operators[0].num_rows_dropped_by_watermark)
            .collect();
        assert_eq!(dropped, [0, 0, 1], "{mode:?}");
    }
}

#[test]
fn windowed_state_stays_bounded_by_the_watermark_and_grows_in_complete_mode() {
    // Event time advances 5 minutes per batch of 100,000 rows; 10-minute
    // windows by 50 keys under a 30-minute watermark.
    let mut max_state = Vec::new();
    for mode in ["update", "complete"] {
        let spark = session(sqlc::ExecMode::Jit);
        let df = spark
            .read_stream()
            .format("rate-micro-batch")
            .option("rowsPerBatch", 100_000)
            .option("advanceMillisPerBatch", 300_000)
            .option("numPartitions", 2)
            .load_source(None)
            .unwrap()
            .select_expr(["timestamp", "value % 50 AS k"])
            .unwrap()
            .with_watermark("timestamp", "30 minutes")
            .unwrap()
            .group_by([window(col("timestamp"), "10 minutes"), col("k")])
            .count()
            .unwrap();
        let q = df
            .write_stream()
            .query_name(&format!("bounded_{mode}"))
            .format("memory")
            .output_mode(mode)
            .start()
            .unwrap();
        while q.last_progress().is_none_or(|p| p.batch_id < 40) {
            assert!(q.exception().is_none(), "{:?}", q.exception());
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        q.stop().unwrap();
        let progress = q.recent_progress();
        let rows: u64 = progress.iter().map(|p| p.num_input_rows).sum();
        assert!(rows >= 4_000_000, "{rows}");
        let max = progress
            .iter()
            .map(|p| p.state_operators[0].num_rows_total)
            .max()
            .unwrap();
        eprintln!("{mode}: {rows} rows, at most {max} state rows");
        max_state.push(max);
    }
    // Update mode: the open windows only (the watermark is 30 minutes
    // behind, windows are 10 minutes, 50 keys each): at most 5 windows.
    assert!(max_state[0] <= 5 * 50, "update mode kept {}", max_state[0]);
    // Complete mode keeps every window: 40 batches × 5 minutes = 20 windows.
    assert!(
        max_state[1] >= 20 * 50,
        "complete mode kept {}",
        max_state[1]
    );
}

#[test]
fn drop_duplicates_within_watermark_forgets_keys_after_the_delay() {
    let dir = tempfile::tempdir().unwrap();
    // id 1 at 10:00; a duplicate at 10:04 (within the 5-minute delay:
    // dropped); time moves to 10:20 (watermark 10:15 passes 10:00 + 5 min,
    // so id 1 is forgotten); id 1 again at 10:21: kept. Event time is not a
    // key, so plain drop_duplicates would keep id 1 forever.
    write_batches(
        dir.path(),
        &[
            r#"{"t":"2026-01-01T10:00:00Z","id":1}"#,
            r#"{"t":"2026-01-01T10:04:00Z","id":1}
{"t":"2026-01-01T10:20:00Z","id":2}"#,
            r#"{"t":"2026-01-01T10:21:00Z","id":3}"#,
            r#"{"t":"2026-01-01T10:21:00Z","id":1}"#,
        ],
    );
    for mode in MODES {
        let spark = session(mode);
        let stream = spark
            .read_stream()
            .schema("t TIMESTAMP, id BIGINT")
            .option("maxFilesPerTrigger", 1)
            .json(dir.path())
            .unwrap()
            .with_watermark("t", "5 minutes")
            .unwrap();
        for (within, want) in [(true, vec![1, 2, 1, 3]), (false, vec![1, 2, 3])] {
            let df = if within {
                stream.drop_duplicates_within_watermark(["id"]).unwrap()
            } else {
                stream.drop_duplicates(["id"]).unwrap()
            };
            let name = format!("dedup_{within}_{}", mode.name());
            let (q, out) = run(&spark, &df, &name, "append");
            let mut got: Vec<(String, i64)> = to_json_rows(&out.collect().unwrap())
                .iter()
                .map(|r| {
                    (
                        r["t"].as_str().unwrap().to_string(),
                        r["id"].as_i64().unwrap(),
                    )
                })
                .collect();
            got.sort();
            let ids: Vec<i64> = got.iter().map(|g| g.1).collect();
            assert_eq!(ids, want, "within={within} {mode:?}: {got:?}");
            let state = q.last_progress().unwrap().state_operators[0].num_rows_total;
            // Within the watermark only ids 2, 3 and the new 1 are still
            // remembered at the end; plain dedup remembers every id.
            assert_eq!(state, 3, "within={within} {mode:?}");
        }
    }
}

#[test]
fn drop_duplicates_within_watermark_needs_a_watermark_on_a_stream() {
    let spark = session(sqlc::ExecMode::Jit);
    let err = with_event_time(&spark, &activity_data())
        .drop_duplicates_within_watermark(["User"])
        .expect_err("refused");
    assert!(err.to_string().contains("without watermark"), "{err}");
}
