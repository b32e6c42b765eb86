//! What a batch's state checkpoint costs when a large state changes a
//! little: a streaming `group_by("k").count()` (update mode, memory sink)
//! first takes a file of `--keys` distinct keys (1M), then one file per
//! batch of `--changed` keys (1,000) already in the state. Per batch it
//! prints the bytes written under `state/` (snapshots, deltas and
//! `_versions/`) and the `addBatch` time, for three runs: no checkpoint,
//! a snapshot of every changed partition every batch (`minDeltasForSnapshot
//! = 1`: what sqlc did before deltas), and deltas with a snapshot every 10
//! batches (Spark's default).
//!
//!     cargo bench --bench state_checkpoint [-- --keys N --changed M --batches B --partitions P]
//!
//! (without `--partitions`: 200, Spark's default, then 8).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

#[path = "../examples/common/args.rs"]
mod args;

use args::arg;
use sqlc::Session;

/// File 0: keys 0..keys; file b ≥ 1: `changed` distinct keys among them.
fn data(keys: u64, changed: u64, batches: u64) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-data")
        .join(format!("state-{keys}-{changed}-{batches}"));
    if dir.join("_done").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let t0 = SystemTime::now() - Duration::from_secs(3600);
    for b in 0..=batches {
        let path = dir.join(format!("{b:05}.json"));
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let (n, step) = if b == 0 { (keys, 1) } else { (changed, 7919) };
        for i in 0..n {
            let k = (i * step + b * 104_729) % keys;
            writeln!(w, "{{\"k\":{k}}}").unwrap();
        }
        let f = w.into_inner().unwrap();
        // Listing is oldest first: one second apart, in batch order.
        f.set_modified(t0 + Duration::from_secs(b)).unwrap();
    }
    std::fs::write(dir.join("_done"), b"").unwrap();
    dir
}

/// Bytes of state files of batch `b`: `<b>.delta`, `<b>.snapshot`,
/// `_versions/<b>`.
fn state_bytes(state: &Path, b: u64) -> (u64, bool) {
    let mut bytes = 0;
    let mut snapshot = false;
    let names = [format!("{b}.delta"), format!("{b}.snapshot"), b.to_string()];
    fn walk(dir: &Path, names: &[String], bytes: &mut u64, snapshot: &mut bool) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, names, bytes, snapshot);
            } else if let Some(n) = p.file_name().and_then(|n| n.to_str()) {
                if names.iter().any(|x| x == n) {
                    *bytes += e.metadata().unwrap().len();
                    *snapshot |= n.ends_with(".snapshot");
                }
            }
        }
    }
    walk(state, &names, &mut bytes, &mut snapshot);
    (bytes, snapshot)
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn run(dir: &Path, partitions: usize, min_deltas: Option<u64>, keys: u64) {
    let spark = Session::builder().create();
    spark
        .conf()
        .set("spark.sql.shuffle.partitions", partitions as i64);
    if let Some(n) = min_deltas {
        spark.conf().set(
            "spark.sql.streaming.stateStore.minDeltasForSnapshot",
            n as i64,
        );
    }
    let ck = dir.with_file_name("state-bench-checkpoint");
    let _ = std::fs::remove_dir_all(&ck);
    let counts = spark
        .read_stream()
        .schema("k BIGINT")
        .option("maxFilesPerTrigger", 1)
        .json(dir)
        .unwrap()
        .group_by(["k"])
        .count()
        .unwrap();
    let mut w = counts
        .write_stream()
        .query_name("state_bench")
        .format("memory")
        .output_mode("update");
    if min_deltas.is_some() {
        w = w.option("checkpointLocation", ck.display());
    }
    let q = w.start().unwrap();
    q.process_all_available().unwrap();
    let progress = q.recent_progress();
    q.stop().unwrap();
    let state_rows = progress
        .last()
        .and_then(|p| p.state_operators.first())
        .map_or(0, |m| m.num_rows_total);
    assert_eq!(state_rows, keys, "every key stays in state");
    let name = match min_deltas {
        None => "no checkpoint".to_string(),
        Some(1) => "snapshot every batch (before)".to_string(),
        Some(n) => format!("deltas, snapshot every {n} (after)"),
    };
    let (mut delta_b, mut delta_ms, mut snap_b, mut snap_ms, mut all_ms) =
        (vec![], vec![], vec![], vec![], vec![]);
    let mut first = String::new();
    for p in &progress {
        let ms = p.duration_ms.get("addBatch").copied().unwrap_or(0) as f64;
        let (bytes, snapshot) = if min_deltas.is_some() {
            state_bytes(&ck.join("state"), p.batch_id)
        } else {
            (0, false)
        };
        if p.batch_id == 0 {
            first = format!("{:.1} MB, {ms:.0} ms", bytes as f64 / 1e6);
            continue;
        }
        all_ms.push(ms);
        if snapshot {
            snap_b.push(bytes as f64);
            snap_ms.push(ms);
        } else {
            delta_b.push(bytes as f64);
            delta_ms.push(ms);
        }
    }
    let total: f64 = delta_b.iter().chain(&snap_b).sum();
    let n = (delta_b.len() + snap_b.len()).max(1) as f64;
    println!("{name}");
    println!("  batch 0 ({keys} keys in):   {first}");
    if !delta_b.is_empty() {
        println!(
            "  {:>2} delta batches:      median {:>9.1} KB written, addBatch median {:>6.1} ms",
            delta_b.len(),
            median(delta_b) / 1e3,
            median(delta_ms)
        );
    }
    if !snap_b.is_empty() {
        println!(
            "  {:>2} snapshot batches:   median {:>9.1} KB written, addBatch median {:>6.1} ms",
            snap_b.len(),
            median(snap_b) / 1e3,
            median(snap_ms)
        );
    }
    println!(
        "  batches 1..: mean {:.1} KB written per batch, addBatch median {:.1} ms",
        total / n / 1e3,
        median(all_ms)
    );
    let _ = std::fs::remove_dir_all(&ck);
}

fn main() {
    let keys: u64 = arg("--keys", 1_000_000);
    let changed: u64 = arg("--changed", 1_000);
    let batches: u64 = arg("--batches", 20);
    let partitions: Option<usize> = std::env::args()
        .any(|a| a == "--partitions")
        .then(|| arg("--partitions", 200));
    let dir = data(keys, changed, batches);
    // Spark's default 200 shuffle partitions (200 small files a batch, so
    // file syncs weigh), and 8.
    for partitions in partitions.map_or(vec![200, 8], |p| vec![p]) {
        println!(
            "state of {keys} keys, {changed} of them changed per batch, {batches} batches, {partitions} shuffle partitions"
        );
        for min_deltas in [None, Some(1), Some(10)] {
            run(&dir, partitions, min_deltas, keys);
        }
    }
}
