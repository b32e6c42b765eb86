//! Progress reports as Spark computes them, on paced sources: the input
//! rate over the time since the previous batch started, the processed rate
//! over the batch's duration, `durationMs` phases within the batch,
//! `eventTime` and `stateOperators`. The checks are the definitions (the
//! reported figures against each other) and bounds that hold however slow
//! the machine is; never tight timing.

mod common;

use std::time::{Duration, Instant};

use common::*;
use sqlc::functions::{col, window};
use sqlc::{ExecMode, QueryProgress, StreamingQuery};
use sqlc_runtime::query::progress::iso_millis;

/// Milliseconds since the epoch of a progress timestamp
/// (`2026-12-07T04:00:00.123Z`).
fn epoch_ms(ts: &str) -> i64 {
    let n = |r: std::ops::Range<usize>| ts[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400_000 + n(11..13) * 3_600_000 + n(14..16) * 60_000 + n(17..19) * 1000 + n(20..23)
}

/// Waits for batch `n` (or fails on the query's error), then stops.
fn run_until_batch(q: &StreamingQuery, n: u64) -> Vec<QueryProgress> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while q.last_progress().is_none_or(|p| p.batch_id < n) {
        assert!(q.exception().is_none(), "{:?}", q.exception());
        assert!(Instant::now() < deadline, "no batch {n}");
        std::thread::sleep(Duration::from_millis(20));
    }
    q.stop().unwrap();
    q.recent_progress()
}

/// The rates and phases every report must satisfy, by definition.
fn check_definitions(ps: &[QueryProgress]) {
    for (i, p) in ps.iter().enumerate() {
        let took = p.duration_ms["triggerExecution"];
        let phases: u64 = [
            "latestOffset",
            "walCommit",
            "getBatch",
            "queryPlanning",
            "addBatch",
            "commitOffsets",
        ]
        .iter()
        .map(|k| p.duration_ms[*k])
        .sum();
        assert!(phases <= took, "phases are parts of the batch: {p:?}");
        let rows = p.num_input_rows as f64;
        let processed = rows / (took.max(1) as f64 / 1000.0);
        assert_eq!(p.processed_rows_per_second, processed, "{p:?}");
        let input = match i {
            // The first batch of the run has no previous trigger.
            0 => 0.0,
            _ => {
                let gap = epoch_ms(&p.timestamp) - epoch_ms(&ps[i - 1].timestamp);
                rows / (gap as f64 / 1000.0)
            }
        };
        assert_eq!(p.input_rows_per_second, input, "{p:?}");
        let s = &p.sources[0];
        assert_eq!(s.input_rows_per_second, p.input_rows_per_second);
        assert_eq!(s.processed_rows_per_second, p.processed_rows_per_second);
    }
}

#[test]
fn rates_on_a_source_paced_by_a_processing_time_trigger() {
    // 100 rows a batch, a batch every 100 ms at most: at most ~1,000
    // rows/s in, however the machine is loaded (a batch never starts early).
    let spark = session(ExecMode::Jit);
    let q = spark
        .read_stream()
        .format("rate-micro-batch")
        .option("rowsPerBatch", 100)
        .load_source(None)
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("paced")
        .processing_time("100 milliseconds")
        .start()
        .unwrap();
    let ps = run_until_batch(&q, 5);
    check_definitions(&ps);
    for p in &ps[1..] {
        assert_eq!(p.num_input_rows, 100);
        let gap = epoch_ms(&p.timestamp) - epoch_ms(&ps[p.batch_id as usize - 1].timestamp);
        assert!(gap >= 99, "batches start 100 ms apart at least: {gap}");
        assert!(
            p.input_rows_per_second > 0.0 && p.input_rows_per_second <= 100.0 / 0.099,
            "{}",
            p.input_rows_per_second
        );
    }
}

#[test]
fn a_1000_rows_per_second_producer_shows_about_1000_rows_per_second() {
    let spark = session(ExecMode::Jit);
    let q = spark
        .read_stream()
        .format("rate")
        .option("rowsPerSecond", 1000)
        .load_source(None)
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("producer")
        .start()
        .unwrap();
    let ps = run_until_batch(&q, 5);
    check_definitions(&ps);
    // Each batch takes the whole seconds passed since the last: over four
    // batches the rows over the time they took are the producer's rate,
    // within a second's rounding either way.
    let later = &ps[1..5];
    let rows: f64 = later.iter().map(|p| p.num_input_rows as f64).sum();
    let secs: f64 = later
        .iter()
        .map(|p| p.num_input_rows as f64 / p.input_rows_per_second)
        .sum();
    let rate = rows / secs;
    assert!((500.0..=2000.0).contains(&rate), "{rate} rows/s");
}

#[test]
fn event_time_and_state_operators_per_batch() {
    // Batch k: 10 rows at start + k seconds; 1-second windows, a 2-second
    // watermark, append mode.
    const START: i64 = 1_000_000_000_000;
    for mode in MODES {
        let spark = session(mode);
        let q = spark
            .read_stream()
            .format("rate-micro-batch")
            .option("rowsPerBatch", 10)
            .option("startTimestamp", START)
            .option("advanceMillisPerBatch", 1000)
            .load_source(None)
            .unwrap()
            .with_watermark("timestamp", "2 seconds")
            .unwrap()
            .group_by([window(col("timestamp"), "1 second")])
            .count()
            .unwrap()
            .write_stream()
            .format("memory")
            .query_name(&format!("windows_{mode:?}"))
            .output_mode("append")
            .start()
            .unwrap();
        let ps = run_until_batch(&q, 6);
        for p in &ps {
            let k = p.batch_id as i64;
            assert_eq!(p.num_input_rows, 10, "{p:?}");
            let at = iso_millis(START + k * 1000);
            let et = &p.event_time;
            assert_eq!((&et["min"], &et["max"], &et["avg"]), (&at, &at, &at));
            // The watermark in force: the previous batches' latest event
            // time less the delay; the epoch before there is one.
            let wm = if k == 0 {
                0
            } else {
                START + (k - 1) * 1000 - 2000
            };
            assert_eq!(et["watermark"], iso_millis(wm), "batch {k}");
            let json = p.to_json();
            assert_eq!(json["eventTime"]["avg"], at.as_str());
            let op = &p.state_operators[0];
            assert_eq!(op.operator, "stateStoreSave");
            // Window k is updated; windows ending at or before the
            // watermark (window k − 4 on) are emitted and removed.
            assert_eq!(op.num_rows_updated, 1, "batch {k}");
            let removed = u64::from(k >= 4);
            assert_eq!(op.num_rows_removed, removed, "batch {k}");
            assert_eq!(p.num_output_rows, removed, "batch {k}");
            assert_eq!(op.num_rows_total, (k + 1).min(4) as u64, "batch {k}");
            assert_eq!(op.num_rows_dropped_by_watermark, 0);
            assert!(op.memory_used_bytes > 0);
            assert_eq!(json["stateOperators"][0]["numRowsRemoved"], removed);
        }
    }
}
