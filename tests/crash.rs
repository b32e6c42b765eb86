//! The crash harness: runs a script with a file sink and a complete-mode
//! aggregation as a child `sqlc` process, kills it with SIGKILL at random
//! moments (while it starts, decodes, runs kernels, writes state, writes
//! the sink, between the sink and the commit log…), restarts it from its
//! checkpoints, and finally compares with one uninterrupted run over the
//! same input: the file sink holds every row exactly once and the
//! aggregation's final table is identical.
//!
//! `SQLC_CRASH_KILLS` (default 20) sets how many kills; `SQLC_CRASH_SEED`
//! replays a run (the seed is printed).

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use sqlc::ExecMode;

const SCRIPT: &str = "
CREATE SOURCE events (id BIGINT, user STRING, v DOUBLE)
WITH (format = 'json', path = '${in}', maxFilesPerTrigger = 1);

CREATE SINK kept WITH (format = 'json', path = '${out}', checkpointLocation = '${ck}/kept')
AS SELECT id, user, v FROM events WHERE id % 3 <> 0;

CREATE SINK counts WITH (format = 'memory', outputMode = 'complete', checkpointLocation = '${ck}/counts')
AS SELECT user, count(id) AS n, sum(v) AS s, max(id) AS last FROM events GROUP BY user;

SELECT * FROM counts ORDER BY user;
";

const ROWS_PER_FILE: u64 = 40;

fn write_file(dir: &Path, f: u64) {
    let mut text = String::new();
    for r in 0..ROWS_PER_FILE {
        let id = f * ROWS_PER_FILE + r;
        let user = if id % 13 == 0 {
            "null".to_string()
        } else {
            format!("\"u{}\"", id % 5)
        };
        text.push_str(&format!(
            "{{\"id\":{id},\"user\":{user},\"v\":{}}}\n",
            id as f64 * 0.5
        ));
    }
    std::fs::write(dir.join(format!("f{f:05}.json")), text).unwrap();
}

fn command(script: &Path, input: &Path, out: &Path, ck: &Path) -> Command {
    sqlc_run_script(script, &[("in", input), ("out", out), ("ck", ck)])
}

/// Runs to the end; returns the printed table's lines, sorted.
fn run_to_end(script: &Path, input: &Path, out: &Path, ck: &Path) -> Vec<String> {
    let o = command(script, input, out, ck).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut lines: Vec<String> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// The ids in the file sink's output, as read through its manifest.
fn output_ids(out: &Path) -> Vec<i64> {
    let spark = session(ExecMode::Jit);
    let df = spark
        .read()
        .schema("id BIGINT, user STRING, v DOUBLE")
        .json(out)
        .unwrap();
    sorted_ids(&df)
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn killed_and_restarted_query_matches_an_uninterrupted_run() {
    let kills_wanted: u32 = std::env::var("SQLC_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let seed = std::env::var("SQLC_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!("SQLC_CRASH_SEED={seed}");
    let mut rng = XorShift(seed);
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("crash.sql");
    std::fs::write(&script, SCRIPT).unwrap();
    let (input, out, ck) = (
        tmp.path().join("in"),
        tmp.path().join("out"),
        tmp.path().join("ck"),
    );
    std::fs::create_dir_all(&input).unwrap();
    let mut files = 0;
    for _ in 0..12 {
        write_file(&input, files);
        files += 1;
    }
    // How long an uninterrupted run of the first files takes: kills land
    // anywhere in that span.
    let t = Instant::now();
    run_to_end(
        &script,
        &input,
        &tmp.path().join("probe_out"),
        &tmp.path().join("probe_ck"),
    );
    let span_us = (t.elapsed().as_micros() as u64).max(1000);
    let (mut kills, mut completed) = (0u32, 0u32);
    while kills < kills_wanted {
        let mut child = command(&script, &input, &out, &ck).spawn().unwrap();
        let delay = Duration::from_micros(rng.next() % span_us);
        std::thread::sleep(delay);
        let finished = match child.try_wait().unwrap() {
            Some(status) => {
                let o = child.wait_with_output().unwrap();
                assert!(
                    status.success(),
                    "run failed: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                completed += 1;
                true
            }
            None => {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                kills += 1;
                false
            }
        };
        // The stream keeps growing, so there is always work to interrupt:
        // a run that finished gets a few files more.
        let more = if finished {
            4
        } else {
            u64::from(rng.next() % 3 == 0)
        };
        for _ in 0..more {
            write_file(&input, files);
            files += 1;
        }
    }
    // One more file, so the last run has a batch to emit the complete table.
    write_file(&input, files);
    files += 1;
    let got = run_to_end(&script, &input, &out, &ck);
    let (ref_out, ref_ck) = (tmp.path().join("ref_out"), tmp.path().join("ref_ck"));
    let want = run_to_end(&script, &input, &ref_out, &ref_ck);
    println!("{kills} kills, {completed} runs that finished first, {files} input files");
    assert_eq!(
        got, want,
        "the complete-mode table after {kills} kills (seed {seed})"
    );
    let want_ids: Vec<i64> = (0..(files * ROWS_PER_FILE) as i64)
        .filter(|i| i % 3 != 0)
        .collect();
    assert_eq!(output_ids(&ref_out), want_ids, "uninterrupted file sink");
    let got_ids = output_ids(&out);
    assert_eq!(
        got_ids.len(),
        want_ids.len(),
        "file sink rows after {kills} kills (seed {seed})"
    );
    assert_eq!(
        got_ids, want_ids,
        "file sink after {kills} kills (seed {seed})"
    );
}
