//! Disk faults: a `sqlc` child whose writes hit a file-size limit
//! (`RLIMIT_FSIZE`, the stand-in for a full disk: writes fail with EFBIG as
//! they would with ENOSPC) at different points of a batch — the sink's file,
//! the state, the logs — fails with `[FAILED_IO]` naming the file, exits
//! without a signal, leaves nothing of the failed batch committed, and a
//! restart without the limit ends exactly as one uninterrupted run. A
//! checkpoint location that cannot be a directory fails at start the same
//! way.

mod common;

use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::Output;

use common::*;
use sqlc::ExecMode;

const SCRIPT: &str = "
CREATE SOURCE events (id BIGINT, user STRING, v DOUBLE)
WITH (format = 'json', path = '${in}', maxFilesPerTrigger = 1);

CREATE SINK kept WITH (format = 'json', path = '${out}', checkpointLocation = '${ck}/kept')
AS SELECT id, user, v FROM events WHERE id % 3 <> 0;

CREATE SINK counts WITH (format = 'memory', outputMode = 'complete', checkpointLocation = '${ck}/counts')
AS SELECT user, count(id) AS n, sum(v) AS s FROM events GROUP BY user;

SELECT * FROM counts ORDER BY user;
";

const ROWS_PER_FILE: u64 = 40;

fn write_file(dir: &Path, f: u64) {
    let text: String = (0..ROWS_PER_FILE)
        .map(|r| {
            let id = f * ROWS_PER_FILE + r;
            format!(
                "{{\"id\":{id},\"user\":\"u{}\",\"v\":{}}}\n",
                id % 5,
                id as f64 * 0.5
            )
        })
        .collect();
    std::fs::write(dir.join(format!("f{f:05}.json")), text).unwrap();
}

/// Runs the script to the end over `input`, writes limited to
/// `limit` bytes per file if given.
fn run(script: &Path, input: &Path, out: &Path, ck: &Path, limit: Option<u64>) -> Output {
    let mut c = sqlc_run_script(script, &[("in", input), ("out", out), ("ck", ck)]);
    if let Some(bytes) = limit {
        // SAFETY: between fork and exec only setrlimit runs, which is
        // async-signal-safe and touches no memory but the local struct.
        unsafe {
            c.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: bytes,
                    rlim_max: bytes,
                };
                if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    c.output().unwrap()
}

fn sorted_lines(o: &Output) -> Vec<String> {
    let mut v: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    v.sort();
    v
}

fn output_ids(out: &Path) -> Vec<i64> {
    if !out.exists() {
        return vec![];
    }
    let spark = session(ExecMode::Jit);
    let df = spark
        .read()
        .schema("id BIGINT, user STRING, v DOUBLE")
        .json(out)
        .unwrap();
    sorted_ids(&df)
}

fn numbered(dir: &Path) -> Vec<u64> {
    let mut v: Vec<u64> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    v.sort();
    v
}

#[test]
fn a_full_disk_fails_the_query_cleanly_and_a_restart_resumes_exactly_once() {
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("q.sql");
    std::fs::write(&script, SCRIPT).unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let mut files = 0;
    // Each limit stops a different write: the sink's data file, a state
    // file, the logs as they grow.
    let mut failures = 0;
    for (i, limit) in [200u64, 700, 1_500, 3_000, 6_000].into_iter().enumerate() {
        for _ in 0..3 {
            write_file(&input, files);
            files += 1;
        }
        let (out, ck) = (tmp.path().join("out"), tmp.path().join("ck"));
        let o = run(&script, &input, &out, &ck, Some(limit));
        assert_eq!(o.status.signal(), None, "limit {limit}: killed by a signal");
        if !o.status.success() {
            failures += 1;
            let err = String::from_utf8_lossy(&o.stderr);
            println!("limit {limit}: {}", err.trim());
            assert!(
                err.contains("[FAILED_IO]") && err.contains("File too large"),
                "limit {limit}: {err}"
            );
            // Nothing of the failed batch is committed: the file sink's
            // manifest lists exactly the committed batches.
            let commits = numbered(&ck.join("kept/commits"));
            let manifest = numbered(&out.join("_spark_metadata"));
            assert!(
                manifest.iter().all(|b| commits.contains(b)),
                "limit {limit}: manifest {manifest:?}, commits {commits:?}"
            );
            let ids = output_ids(&out);
            let mut dedup = ids.clone();
            dedup.dedup();
            assert_eq!(ids, dedup, "limit {limit}: rows written twice");
        }
        // The disk has room again: the restart ends as one uninterrupted
        // run (with one file more, so that the memory table, which a
        // restart starts empty, gets a batch).
        write_file(&input, files);
        files += 1;
        let o = run(&script, &input, &out, &ck, None);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let (ref_out, ref_ck) = (
            tmp.path().join(format!("r{i}")),
            tmp.path().join(format!("rck{i}")),
        );
        let want = run(&script, &input, &ref_out, &ref_ck, None);
        assert_eq!(
            sorted_lines(&o),
            sorted_lines(&want),
            "limit {limit}: counts"
        );
        let want_ids: Vec<i64> = (0..(files * ROWS_PER_FILE) as i64)
            .filter(|i| i % 3 != 0)
            .collect();
        assert_eq!(output_ids(&out), want_ids, "limit {limit}: sink rows");
    }
    assert!(failures >= 3, "only {failures} runs hit the limit");
}

#[test]
fn a_checkpoint_location_that_cannot_be_written_fails_at_start_with_a_class() {
    let tmp = tempfile::tempdir().unwrap();
    let script = tmp.path().join("q.sql");
    std::fs::write(&script, SCRIPT).unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    write_file(&input, 0);
    // A regular file where the checkpoint's directory should be (a
    // permission check would not stop root).
    let blocked = tmp.path().join("blocked");
    std::fs::write(&blocked, "a file").unwrap();
    let out = tmp.path().join("out");
    let o = run(&script, &input, &out, &blocked, None);
    assert!(!o.status.success());
    assert_eq!(o.status.signal(), None);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("[FAILED_IO]") && err.contains(&blocked.display().to_string()),
        "{err}"
    );
    assert!(output_ids(&out).is_empty());
}
