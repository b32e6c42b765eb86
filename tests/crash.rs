//! The crash harness: runs a script with a file sink and a complete-mode
//! aggregation as a child `sqlc` process, kills it with SIGKILL at random
//! moments (while it starts, decodes, runs kernels, writes state, writes
//! the sink, between the sink and the commit log…), restarts it from its
//! checkpoints, and finally compares with one uninterrupted run over the
//! same input: the file sink holds every row exactly once and the
//! aggregation's final table is identical.
//!
//! A second harness does the same to deduplication and a stream–stream
//! join (Rust API queries into file sinks; the child is this test binary
//! run again with `SQLC_CRASH_CHILD`): every row that should pass passes
//! exactly once.
//!
//! `SQLC_CRASH_KILLS` (default 20 and 10) sets how many kills each does —
//! the long run is `SQLC_CRASH_KILLS=80 cargo test --release --test crash`
//! (160 kills); `SQLC_CRASH_SEED` replays a run (the seed is printed).

mod common;
#[path = "common/kill.rs"]
mod kill;

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use common::*;
use kill::*;
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
        let user = if id.is_multiple_of(13) {
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

#[test]
fn killed_and_restarted_query_matches_an_uninterrupted_run() {
    let (kills_wanted, mut rng, seed) = kills_and_rng(20);
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
    let (kills, completed) = kill_repeatedly(
        &|| command(&script, &input, &out, &ck),
        span_us,
        kills_wanted,
        &mut rng,
        4,
        &mut || {
            write_file(&input, files);
            files += 1;
        },
    );
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

// ---- deduplication and a stream–stream join, through the Rust API ----

/// The child process of [`killed_dedup_and_stream_join_write_every_row_exactly_once`]:
/// this test binary run again with `SQLC_CRASH_CHILD=DIR`. Two queries,
/// available now, into JSON file sinks under DIR: `dropDuplicates` of
/// `k = id / 3` under a watermark on `k`'s time (the first row of each
/// `k`, `id % 3 = 0`, passes), and an inner stream–stream join of `in` and
/// `in_right` on the id (rows wait in state for the other side).
#[test]
fn crash_child() {
    let Some(dir) = std::env::var_os("SQLC_CRASH_CHILD").map(std::path::PathBuf::from) else {
        return;
    };
    let spark = session(ExecMode::Jit);
    let read = |sub: &str| {
        spark
            .read_stream()
            .schema("id BIGINT, user STRING, v DOUBLE")
            .option("maxFilesPerTrigger", 1)
            .json(dir.join(sub))
            .unwrap()
    };
    let dedup = read("in")
        .select_expr([
            "id",
            "CAST(id / 3 AS BIGINT) AS k",
            "CAST(CAST(CAST(id / 3 AS BIGINT) AS DOUBLE) AS TIMESTAMP) AS t",
        ])
        .unwrap()
        .with_watermark("t", "5 seconds")
        .unwrap()
        .drop_duplicates(["k", "t"])
        .unwrap()
        .select(["id"])
        .unwrap();
    let right = read("in_right")
        .select_expr(["id AS rid", "v AS rv"])
        .unwrap();
    let joined = read("in")
        .join(&right, sqlc::functions::expr("id = rid").unwrap(), "inner")
        .unwrap()
        .select(["id", "rv"])
        .unwrap();
    let start = |df: sqlc::DataFrame, name: &str| {
        df.write_stream()
            .format("json")
            .option("path", dir.join(format!("out_{name}")).display())
            .option(
                "checkpointLocation",
                dir.join(format!("ck_{name}")).display(),
            )
            .trigger(sqlc::Trigger::AvailableNow)
            .start()
            .unwrap()
    };
    let queries = [start(dedup, "dedup"), start(joined, "join")];
    for q in queries {
        q.await_termination(None).unwrap();
    }
}

/// Left file `f`: ids `40f..40f+40`; right file `f`: 20 ids earlier, so
/// half of each batch's rows meet their match a batch later.
fn write_pair(dir: &Path, f: u64) {
    write_file(&dir.join("in"), f);
    let text: String = (0..ROWS_PER_FILE)
        .filter_map(|r| (f * ROWS_PER_FILE + r).checked_sub(ROWS_PER_FILE / 2))
        .map(|id| format!("{{\"id\":{id},\"user\":\"r\",\"v\":{id}}}\n"))
        .collect();
    std::fs::write(dir.join("in_right").join(format!("f{f:05}.json")), text).unwrap();
}

fn child(dir: &Path) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args([
        "--exact",
        "crash_child",
        "--nocapture",
        "--test-threads",
        "1",
    ])
    .env("SQLC_CRASH_CHILD", dir)
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    c
}

#[test]
fn killed_dedup_and_stream_join_write_every_row_exactly_once() {
    let (kills_wanted, mut rng, seed) = kills_and_rng(10);
    let tmp = tempfile::tempdir().unwrap();
    let (dir, probe) = (tmp.path().join("run"), tmp.path().join("probe"));
    let mut files = 0;
    for d in [&dir, &probe] {
        std::fs::create_dir_all(d.join("in")).unwrap();
        std::fs::create_dir_all(d.join("in_right")).unwrap();
    }
    for f in 0..10 {
        write_pair(&dir, f);
        write_pair(&probe, f);
        files += 1;
    }
    let t = Instant::now();
    let o = child(&probe).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let span_us = (t.elapsed().as_micros() as u64).max(1000);
    let (kills, completed) = kill_repeatedly(
        &|| child(&dir),
        span_us,
        kills_wanted,
        &mut rng,
        3,
        &mut || {
            write_pair(&dir, files);
            files += 1;
        },
    );
    let o = child(&dir).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    println!("{kills} kills, {completed} runs that finished first, {files} input files");
    let spark = session(ExecMode::Jit);
    let ids = |name: &str| {
        sorted_ids(
            &spark
                .read()
                .schema("id BIGINT")
                .json(dir.join(format!("out_{name}")))
                .unwrap(),
        )
    };
    let all = (files * ROWS_PER_FILE) as i64;
    let want: Vec<i64> = (0..all).filter(|i| i % 3 == 0).collect();
    assert_eq!(
        ids("dedup"),
        want,
        "dedup after {kills} kills (seed {seed})"
    );
    let want: Vec<i64> = (0..all - (ROWS_PER_FILE / 2) as i64).collect();
    assert_eq!(ids("join"), want, "join after {kills} kills (seed {seed})");
}
