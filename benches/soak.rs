//! A soak run: an endless `rate-micro-batch` stream (event time advancing
//! one second per batch) under a watermark, counted per 10-second window
//! and key in append mode, with a checkpoint (deltas, snapshots and
//! retention all at work), for `--minutes` minutes. Every `--every`
//! seconds it prints the process's resident memory, the rows and bytes in
//! state and the checkpoint's size; at the end, whether resident memory
//! and state stayed flat after the warm-up (the first fifth of the run).
//! Not part of the test suite:
//!
//!     cargo bench --bench soak -- --minutes 10 [--rows 20000 --keys 1000 --every 15]

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "../examples/common/args.rs"]
mod args;

use args::arg;
use sqlc::functions::{col, window};
use sqlc::Session;

/// Resident memory of this process, in MB (Linux; 0 elsewhere).
fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                dir_bytes(&p)
            } else {
                e.metadata().map_or(0, |m| m.len())
            }
        })
        .sum()
}

fn main() {
    let minutes: f64 = arg("--minutes", 10.0);
    let rows: u64 = arg("--rows", 20_000);
    let keys: u64 = arg("--keys", 1_000);
    let every: u64 = arg("--every", 15);
    let tmp = tempfile::tempdir().unwrap();
    let ck = tmp.path().join("ck");
    let spark = Session::builder().create();
    spark.conf().set("spark.sql.shuffle.partitions", 8);
    let counts = spark
        .read_stream()
        .format("rate-micro-batch")
        .option("rowsPerBatch", rows as i64)
        .load_source(None)
        .unwrap()
        .select_expr(["timestamp", &format!("value % {keys} AS k")])
        .unwrap()
        .with_watermark("timestamp", "30 seconds")
        .unwrap()
        .group_by([window(col("timestamp"), "10 seconds"), col("k")])
        .count()
        .unwrap();
    let emitted = Arc::new(AtomicU64::new(0));
    let seen = emitted.clone();
    let q = counts
        .write_stream()
        .query_name("soak")
        .output_mode("append")
        .option("checkpointLocation", ck.display())
        .processing_time("100 milliseconds")
        .foreach_batch(move |df, _| {
            seen.fetch_add(df.count()? as u64, Ordering::Relaxed);
            Ok(())
        })
        .start()
        .unwrap();
    println!(
        "soak: {rows} rows per batch, {keys} keys, 10 s windows, 30 s watermark, {minutes} min"
    );
    println!("  min   batches   RSS MB   state rows   state MB   checkpoint MB   rows out");
    let start = Instant::now();
    let end = Duration::from_secs_f64(minutes * 60.0);
    let mut samples: Vec<(f64, f64, u64)> = Vec::new();
    while start.elapsed() < end {
        std::thread::sleep(Duration::from_secs(every).min(end.saturating_sub(start.elapsed())));
        if let Some(e) = q.exception() {
            panic!("the query failed: {e}");
        }
        let p = q.last_progress();
        let (batch, state_rows, state_mb) = p.as_ref().map_or((0, 0, 0.0), |p| {
            let rows = p.state_operators.iter().map(|s| s.num_rows_total).sum();
            let mem = p
                .state_operators
                .iter()
                .map(|s| s.memory_used_bytes)
                .sum::<u64>();
            (p.batch_id, rows, mem as f64 / 1e6)
        });
        let t = start.elapsed().as_secs_f64() / 60.0;
        let rss = rss_mb();
        println!(
            "{t:5.1} {batch:>9} {rss:>8.1} {state_rows:>12} {state_mb:>10.2} {:>15.2} {:>10}",
            dir_bytes(&ck) as f64 / 1e6,
            emitted.load(Ordering::Relaxed)
        );
        samples.push((t, rss, state_rows));
    }
    q.stop().unwrap();
    let warm: Vec<_> = samples
        .iter()
        .filter(|s| s.0 >= minutes / 5.0)
        .copied()
        .collect();
    if warm.len() >= 2 {
        let (lo, hi) = warm
            .iter()
            .fold((f64::MAX, 0f64), |(lo, hi), s| (lo.min(s.1), hi.max(s.1)));
        let (slo, shi) = warm
            .iter()
            .fold((u64::MAX, 0), |(lo, hi), s| (lo.min(s.2), hi.max(s.2)));
        let first = &warm[..warm.len() / 2];
        let second = &warm[warm.len() / 2..];
        let mean = |v: &[(f64, f64, u64)]| v.iter().map(|s| s.1).sum::<f64>() / v.len() as f64;
        println!(
            "after warm-up: RSS {lo:.1}-{hi:.1} MB (mean {:.1} MB in the first half, {:.1} MB in the second); state rows {slo}-{shi}",
            mean(first),
            mean(second)
        );
    }
}
