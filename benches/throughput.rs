//! End-to-end throughput: the seed's example 1 (`group_by("gt").count()`,
//! complete mode, memory sink) on 1M activity rows in 80 JSON files, with one
//! file per trigger and with everything in one batch, compiled and
//! interpreted; example 2 (the stairs filter, append) and example 6
//! (sliding windows under a watermark, append) likewise; and example 1
//! compiled with a checkpoint location (offset and commit logs, source log
//! and state snapshots written and synced every batch), to show what
//! checkpointing costs.
//!
//!     cargo bench --bench throughput [-- --rows N --files K]
//!
//! Prints rows/s and MB/s of JSON per case, and the session start time.

use std::path::{Path, PathBuf};
use std::time::Instant;

#[path = "../examples/common/args.rs"]
mod args;

use args::arg;
use sqlc::datagen::ActivityGen;
use sqlc::functions::{col, expr, window_sliding};
use sqlc::{DataFrame, ExecMode, Session};

fn data(rows: usize, files: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("bench-data")
        .join(format!("activity-{rows}-{files}"));
    if !dir.join("_done").exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        ActivityGen {
            rows: rows as u64,
            files,
            ..ActivityGen::default()
        }
        .write_dir(&dir)
        .unwrap();
        std::fs::write(dir.join("_done"), b"").unwrap();
    }
    dir
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

#[allow(clippy::too_many_arguments)] // one bench case, spelled at each call
fn run(
    name: &str,
    dir: &Path,
    mode: ExecMode,
    max_files: Option<usize>,
    build: fn(&DataFrame) -> DataFrame,
    output: &str,
    rows: usize,
    bytes: u64,
    checkpoint: Option<&Path>,
) {
    let t0 = Instant::now();
    let spark = Session::builder().create();
    spark.conf().set("spark.sql.shuffle.partitions", 5);
    spark.conf().set(
        "sqlc.exec",
        if mode == ExecMode::Jit {
            "jit"
        } else {
            "interpret"
        },
    );
    let static_df = spark.read().json(dir).unwrap();
    let session_and_schema = t0.elapsed();
    let mut reader = spark.read_stream().schema(static_df.schema());
    if let Some(n) = max_files {
        reader = reader.option("maxFilesPerTrigger", n);
    }
    let streaming = reader.json(dir).unwrap();
    let t = Instant::now();
    let mut w = build(&streaming)
        .write_stream()
        .query_name("bench")
        .format("memory")
        .output_mode(output);
    if let Some(ck) = checkpoint {
        let _ = std::fs::remove_dir_all(ck);
        w = w.option("checkpointLocation", ck.display());
    }
    let q = w.start().unwrap();
    q.process_all_available().unwrap();
    let secs = t.elapsed().as_secs_f64();
    let batches = q.recent_progress().len();
    q.stop().unwrap();
    println!(
        "{name:<12} {:<12} {:<10} {:<5} {:>9.0} rows/s {:>8.1} MB/s  {:>6.3} s  {batches:>3} batches  (static read + schema {:.3} s)",
        mode.name(),
        max_files.map(|n| format!("{n} file/trig")).unwrap_or("all at once".into()),
        if checkpoint.is_some() { "ckpt" } else { "" },
        rows as f64 / secs,
        bytes as f64 / 1e6 / secs,
        secs,
        session_and_schema.as_secs_f64()
    );
}

fn main() {
    let rows: usize = arg("--rows", 1_000_000);
    let files: usize = arg("--files", 80);
    let dir = data(rows, files);
    let bytes = dir_bytes(&dir);
    println!(
        "{rows} rows, {files} files, {:.1} MB of JSON",
        bytes as f64 / 1e6
    );
    let ex1: fn(&DataFrame) -> DataFrame = |df| df.group_by(["gt"]).count().unwrap();
    let ex2: fn(&DataFrame) -> DataFrame = |df| {
        df.with_column("stairs", expr("gt like '%stairs%'").unwrap())
            .unwrap()
            .where_("stairs")
            .unwrap()
            .where_("gt is not null")
            .unwrap()
            .select(["gt", "model", "arrival_time", "creation_time"])
            .unwrap()
    };
    // Example 6: sliding windows under a watermark, append mode.
    let ex6: fn(&DataFrame) -> DataFrame = |df| {
        df.select_expr([
            "*",
            "cast(cast(Creation_Time as double)/1000000000 as timestamp) as event_time",
        ])
        .unwrap()
        .with_watermark("event_time", "30 minutes")
        .unwrap()
        .group_by([window_sliding(col("event_time"), "10 minutes", "5 minutes")])
        .count()
        .unwrap()
    };
    for mode in [ExecMode::Jit, ExecMode::Interpret] {
        for max_files in [Some(1), None] {
            run(
                "example 6",
                &dir,
                mode,
                max_files,
                ex6,
                "append",
                rows,
                bytes,
                None,
            );
            run(
                "example 1",
                &dir,
                mode,
                max_files,
                ex1,
                "complete",
                rows,
                bytes,
                None,
            );
            if mode == ExecMode::Jit {
                let ck = dir.with_file_name("bench-checkpoint");
                run(
                    "example 1",
                    &dir,
                    mode,
                    max_files,
                    ex1,
                    "complete",
                    rows,
                    bytes,
                    Some(&ck),
                );
                let _ = std::fs::remove_dir_all(&ck);
            }
            run(
                "example 2",
                &dir,
                mode,
                max_files,
                ex2,
                "append",
                rows,
                bytes,
                None,
            );
        }
    }
}
