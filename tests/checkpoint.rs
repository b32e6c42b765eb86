//! Checkpoints: restart after a clean stop (state, source log, file sink),
//! a changed query refused, retention of old batches, damaged files, and a
//! batch logged but not committed run again. Every aggregation runs
//! compiled and interpreted.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::{Map, Value};
use sqlc::functions::{col, count, sum};
use sqlc::{DataFrame, ExecMode, Session, StreamingQuery, Trigger};

const SCHEMA: &str = "id BIGINT, user STRING, v DOUBLE";
const ROWS_PER_FILE: u64 = 50;

/// Writes input files `from..to` (50 rows each, ids unique).
fn write_files(dir: &Path, from: u64, to: u64) {
    std::fs::create_dir_all(dir).unwrap();
    for f in from..to {
        let mut text = String::new();
        for r in 0..ROWS_PER_FILE {
            let id = f * ROWS_PER_FILE + r;
            let user = if id.is_multiple_of(11) {
                "null".to_string()
            } else {
                format!("\"u{}\"", id % 7)
            };
            text.push_str(&format!(
                "{{\"id\":{id},\"user\":{user},\"v\":{}}}\n",
                id as f64 * 0.5
            ));
        }
        // Named so that name order is arrival order when times tie.
        std::fs::write(dir.join(format!("f{f:04}.json")), text).unwrap();
    }
}

fn stream(spark: &Session, input: &Path) -> DataFrame {
    spark
        .read_stream()
        .schema(SCHEMA)
        .option("maxFilesPerTrigger", 1)
        .json(input)
        .unwrap()
}

fn counts(df: &DataFrame) -> DataFrame {
    df.group_by(["user"])
        .agg([count(col("id")).alias("n"), sum(col("v")).alias("s")])
        .unwrap()
}

/// Runs `df` with the available-now trigger into the memory table `name`
/// (complete mode) with checkpoint `ck`; returns the query once it ended.
fn run_counts(df: &DataFrame, name: &str, ck: &Path) -> sqlc::Result<StreamingQuery> {
    run_available_now(df, name, "complete", ck)
}

/// Runs `df` (stateless) into a JSON file sink at `out`, available now.
fn run_files(df: &DataFrame, out: &Path, ck: &Path) -> sqlc::Result<StreamingQuery> {
    let q = df
        .write_stream()
        .format("json")
        .option("path", out.display())
        .option("checkpointLocation", ck.display())
        .trigger(Trigger::AvailableNow)
        .start()?;
    q.await_termination(None)?;
    Ok(q)
}

fn sorted_rows(batches: &[sqlc::arrow::record_batch::RecordBatch]) -> Vec<String> {
    let mut rows: Vec<String> = to_json_rows(batches)
        .into_iter()
        .map(|m: Map<String, Value>| Value::Object(m).to_string())
        .collect();
    rows.sort();
    rows
}

/// The answer of the same aggregation over every input file, in batch.
fn batch_counts(spark: &Session, input: &Path) -> Vec<String> {
    let df = spark.read().schema(SCHEMA).json(input).unwrap();
    sorted_rows(&counts(&df).collect().unwrap())
}

fn table(spark: &Session, name: &str) -> Vec<String> {
    sorted_rows(
        &spark
            .sql(&format!("SELECT * FROM {name}"))
            .unwrap()
            .collect()
            .unwrap(),
    )
}

/// The ids in the file sink's output (read through its manifest), sorted.
fn output_ids(spark: &Session, out: &Path) -> Vec<i64> {
    sorted_ids(&spark.read().schema(SCHEMA).json(out).unwrap())
}

fn all_ids(files: u64) -> Vec<i64> {
    (0..(files * ROWS_PER_FILE) as i64).collect()
}

#[test]
fn restart_after_clean_stop_carries_on() {
    for mode in MODES {
        let tmp = tempfile::tempdir().unwrap();
        let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
        let (ck_agg, ck_files) = (tmp.path().join("ck_agg"), tmp.path().join("ck_files"));
        write_files(&input, 0, 3);
        let spark = session(mode);
        let q1 = run_counts(&counts(&stream(&spark, &input)), "c", &ck_agg).unwrap();
        assert_eq!(table(&spark, "c"), batch_counts(&spark, &input));
        run_files(
            &stream(&spark, &input).where_("v >= 0").unwrap(),
            &out,
            &ck_files,
        )
        .unwrap();
        assert_eq!(output_ids(&spark, &out), all_ids(3));

        write_files(&input, 3, 6);
        let spark = session(mode);
        let q2 = run_counts(&counts(&stream(&spark, &input)), "c", &ck_agg).unwrap();
        // The state of the first run plus the new files: the whole answer.
        assert_eq!(
            table(&spark, "c"),
            batch_counts(&spark, &input),
            "{}",
            mode.name()
        );
        assert_eq!(q2.id(), q1.id(), "the query id survives a restart");
        assert_ne!(q2.run_id(), q1.run_id());
        let ids: Vec<u64> = q2.recent_progress().iter().map(|p| p.batch_id).collect();
        assert_eq!(ids, vec![3, 4, 5], "batch ids carry on");
        run_files(
            &stream(&spark, &input).where_("v >= 0").unwrap(),
            &out,
            &ck_files,
        )
        .unwrap();
        assert_eq!(output_ids(&spark, &out), all_ids(6));
        // Nothing new: a restart runs no batch and changes nothing.
        let q3 = run_counts(&counts(&stream(&spark, &input)), "c2", &ck_agg).unwrap();
        assert!(q3.recent_progress().is_empty());
        let text = std::fs::read_to_string(ck_agg.join("offsets/5")).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("v1"));
        assert!(lines
            .next()
            .unwrap()
            .contains("\"spark.sql.shuffle.partitions\":\"5\""));
        assert_eq!(lines.next(), Some("{\"logOffset\":5}"));
        assert_eq!(
            std::fs::read_to_string(ck_agg.join("commits/5")).unwrap(),
            "v1\n{\"nextBatchWatermarkMs\":0}"
        );
    }
}

fn expect_refused(r: sqlc::Result<StreamingQuery>, ck: &Path, what: &str) -> String {
    let e = r.expect_err(what).to_string();
    assert!(e.contains(&ck.display().to_string()), "{what}: {e}");
    e
}

#[test]
fn changed_stateful_query_is_refused_but_a_new_filter_is_not() {
    for mode in MODES {
        let tmp = tempfile::tempdir().unwrap();
        let (input, ck) = (tmp.path().join("in"), tmp.path().join("ck"));
        write_files(&input, 0, 2);
        let spark = session(mode);
        run_counts(&counts(&stream(&spark, &input)), "c", &ck).unwrap();
        write_files(&input, 2, 3);
        // Other grouping keys.
        let by_two = stream(&spark, &input)
            .group_by(["user", "id"])
            .count()
            .unwrap();
        let e = expect_refused(run_counts(&by_two, "c", &ck), &ck, "other keys");
        assert!(
            e.contains("STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA"),
            "{e}"
        );
        // Other aggregate functions.
        let other = stream(&spark, &input).group_by(["user"]).count().unwrap();
        expect_refused(run_counts(&other, "c", &ck), &ck, "other aggregates");
        // A stateless query on a stateful checkpoint.
        let out = tmp.path().join("out");
        expect_refused(
            run_files(&stream(&spark, &input), &out, &ck),
            &ck,
            "stateless",
        );
        // A filter added before the aggregation is allowed.
        let spark = session(mode);
        let filtered = counts(&stream(&spark, &input).where_("id >= 120").unwrap());
        run_counts(&filtered, "c", &ck).unwrap();
        let rows = table(&spark, "c");
        let want = {
            let all = spark.read().schema(SCHEMA).json(&input).unwrap();
            let kept = all.where_("id < 100 OR id >= 120").unwrap();
            sorted_rows(&counts(&kept).collect().unwrap())
        };
        assert_eq!(
            rows, want,
            "files 0-1 unfiltered, file 2 (ids 100..150) filtered"
        );
    }
}

#[test]
fn retention_keeps_the_last_batches() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, ck) = (tmp.path().join("in"), tmp.path().join("ck"));
    write_files(&input, 0, 22);
    let spark = session(ExecMode::Jit);
    spark
        .conf()
        .set("spark.sql.streaming.minBatchesToRetain", 3);
    run_counts(&counts(&stream(&spark, &input)), "c", &ck).unwrap();
    let names = |d: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(ck.join(d))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort_by_key(|n| (n.len(), n.clone()));
        v
    };
    assert_eq!(names("offsets"), ["19", "20", "21"]);
    assert_eq!(names("commits"), ["19", "20", "21"]);
    // The source log compacts every 10 batches (9, 19); the second
    // compaction removed the files before the first.
    let log = names("sources/0");
    assert!(
        log.contains(&"19.compact".to_string()) && log.contains(&"9.compact".to_string()),
        "{log:?}"
    );
    assert!((0..9).all(|i| !log.contains(&i.to_string())), "{log:?}");
    // Per partition (every batch changes every key): what batches 19-21
    // need — the newest snapshot not newer than 19 and the files after it.
    // Batches 0-8 wrote deltas, 9 a snapshot (the tenth batch), 10-18
    // deltas, 19 a snapshot, 20 and 21 deltas.
    let want = ["19.snapshot", "20.delta", "21.delta"];
    for p in std::fs::read_dir(ck.join("state/0")).unwrap() {
        let p = p.unwrap().path();
        if p.ends_with("_metadata") {
            continue;
        }
        let mut files: Vec<String> = std::fs::read_dir(&p)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        files.sort();
        assert_eq!(files, want, "{p:?}");
    }
    // The retained checkpoint still restarts exactly.
    write_files(&input, 22, 24);
    let spark = session(ExecMode::Jit);
    run_counts(&counts(&stream(&spark, &input)), "c", &ck).unwrap();
    assert_eq!(table(&spark, "c"), batch_counts(&spark, &input));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A checkpoint of 3 batches (files 0-2), and a fourth file to process.
fn prepared(tmp: &Path) -> (PathBuf, PathBuf) {
    let (input, ck) = (tmp.join("in"), tmp.join("ck"));
    write_files(&input, 0, 3);
    run_counts(&counts(&stream(&session(ExecMode::Jit), &input)), "c", &ck).unwrap();
    write_files(&input, 3, 4);
    (input, ck)
}

/// The newest state file (a delta or a snapshot) of operator 0.
fn newest_state_file(ck: &Path) -> PathBuf {
    let mut all = Vec::new();
    for p in std::fs::read_dir(ck.join("state/0")).unwrap() {
        let p = p.unwrap().path();
        for f in std::fs::read_dir(&p).unwrap() {
            let f = f.unwrap().path();
            if f.extension()
                .is_some_and(|e| e == "snapshot" || e == "delta")
            {
                all.push(f);
            }
        }
    }
    let version =
        |f: &PathBuf| -> u64 { f.file_stem().unwrap().to_str().unwrap().parse().unwrap() };
    all.sort_by_key(version);
    all.pop().expect("a state file")
}

#[test]
fn damaged_files_are_named_and_a_damaged_uncommitted_batch_is_replanned() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, ck) = prepared(tmp.path());
    let garble = |p: &Path| {
        let mut b = std::fs::read(p).unwrap();
        let n = b.len();
        b[n / 3] ^= 0x5a;
        b.truncate(n / 2);
        std::fs::write(p, b).unwrap();
    };
    let cases: [(&str, fn(&Path) -> PathBuf); 4] = [
        ("commits/2", |ck| ck.join("commits/2")),
        ("offsets/2", |ck| ck.join("offsets/2")),
        ("metadata", |ck| ck.join("metadata")),
        ("state", newest_state_file),
    ];
    for (i, (what, file)) in cases.iter().enumerate() {
        let copy = tmp.path().join(format!("ck{i}"));
        copy_dir(&ck, &copy);
        let f = file(&copy);
        garble(&f);
        let spark = session(ExecMode::Jit);
        let e = run_counts(&counts(&stream(&spark, &input)), "c", &copy)
            .expect_err(what)
            .to_string();
        assert!(e.contains(&f.display().to_string()), "{what}: {e}");
        assert!(e.contains("damaged"), "{what}: {e}");
    }
    // Batch 2 not committed and its offsets damaged: planned again.
    std::fs::remove_file(ck.join("commits/2")).unwrap();
    garble(&ck.join("offsets/2"));
    let spark = session(ExecMode::Jit);
    run_counts(&counts(&stream(&spark, &input)), "c", &ck).unwrap();
    assert_eq!(table(&spark, "c"), batch_counts(&spark, &input));
}

#[test]
fn a_logged_uncommitted_batch_runs_again_exactly_once() {
    for mode in MODES {
        let tmp = tempfile::tempdir().unwrap();
        let (input, ck) = prepared(tmp.path());
        let (out, ck_files) = (tmp.path().join("out"), tmp.path().join("ck_files"));
        let spark = session(mode);
        run_files(&stream(&spark, &input), &out, &ck_files).unwrap();
        // As if killed between the sink (or the state) and the commit log.
        std::fs::remove_file(ck.join("commits/2")).unwrap();
        std::fs::remove_file(ck_files.join("commits/3")).unwrap();
        write_files(&input, 4, 5);
        let q = run_counts(&counts(&stream(&spark, &input)), "c", &ck).unwrap();
        let ids: Vec<u64> = q.recent_progress().iter().map(|p| p.batch_id).collect();
        assert_eq!(ids, vec![2, 3, 4]);
        // Batch 2 ran again with its logged offsets: file 2 alone.
        assert_eq!(q.recent_progress()[0].num_input_rows, ROWS_PER_FILE);
        assert_eq!(table(&spark, "c"), batch_counts(&spark, &input));
        run_files(&stream(&spark, &input), &out, &ck_files).unwrap();
        assert_eq!(output_ids(&spark, &out), all_ids(5));
    }
}

#[test]
fn file_sinks_write_json_csv_parquet_partitioned_and_need_a_checkpoint() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_files(&input, 0, 2);
    let spark = session(ExecMode::Jit);
    let df = stream(&spark, &input);
    let e = df
        .write_stream()
        .format("parquet")
        .option("path", tmp.path().join("x").display())
        .start()
        .expect_err("no checkpoint")
        .to_string();
    assert!(e.contains("checkpointLocation must be specified"), "{e}");
    let e = counts(&df)
        .write_stream()
        .format("json")
        .output_mode("complete")
        .option("path", tmp.path().join("x").display())
        .option("checkpointLocation", tmp.path().join("xc").display())
        .start()
        .expect_err("complete mode")
        .to_string();
    assert!(e.contains("does not support complete output mode"), "{e}");
    for format in ["json", "csv", "parquet"] {
        let out = tmp.path().join(format!("out_{format}"));
        let q = df
            .write_stream()
            .format(format)
            .option("path", out.display())
            .option(
                "checkpointLocation",
                tmp.path().join(format!("ck_{format}")).display(),
            )
            .option("header", "true")
            .partition_by(["user"])
            .trigger(Trigger::AvailableNow)
            .start()
            .unwrap();
        q.await_termination(None).unwrap();
        assert!(out.join("user=u3").is_dir(), "{format}");
        assert!(
            out.join("user=__HIVE_DEFAULT_PARTITION__").is_dir(),
            "{format}"
        );
        // Partition directories are not discovered on read: the files hold
        // the other columns.
        let back = spark
            .read()
            .schema("id BIGINT, v DOUBLE")
            .option("header", "true")
            .format(format)
            .load(&out)
            .unwrap();
        assert_eq!(sorted_ids(&back), all_ids(2), "{format}");
    }
    // A file that is not in the manifest is not read.
    let out = tmp.path().join("out_json");
    std::fs::write(out.join("part-99999-stray.json"), "{\"id\":-1}\n").unwrap();
    let n = spark
        .read()
        .schema("id BIGINT, v DOUBLE")
        .json(&out)
        .unwrap()
        .count()
        .unwrap();
    assert_eq!(n as u64, 2 * ROWS_PER_FILE);
}

/// Example 7's shape: a watermark, a dedup and an aggregation, whose
/// watermark and dedup state must survive the restart too.
fn dedup_counts(df: &DataFrame) -> DataFrame {
    df.select_expr(["*", "cast(cast(id - id % 4 as double) as timestamp) as t"])
        .unwrap()
        .with_watermark("t", "10 seconds")
        .unwrap()
        .drop_duplicates(["t"])
        .unwrap()
        .group_by(["user"])
        .count()
        .unwrap()
}

/// A session whose memory table `d` holds [`dedup_counts`] over all of
/// `input`, run without a checkpoint.
fn dedup_counts_in_one_run(mode: ExecMode, input: &Path) -> Session {
    let once = session(mode);
    let q = dedup_counts(&stream(&once, input))
        .write_stream()
        .query_name("d")
        .format("memory")
        .output_mode("complete")
        .trigger(Trigger::AvailableNow)
        .start()
        .unwrap();
    q.await_termination(None).unwrap();
    once
}

#[test]
fn watermark_and_dedup_state_survive_a_restart() {
    for mode in MODES {
        let tmp = tempfile::tempdir().unwrap();
        let (input, ck) = (tmp.path().join("in"), tmp.path().join("ck"));
        write_files(&input, 0, 3);
        let spark = session(mode);
        run_counts(&dedup_counts(&stream(&spark, &input)), "d", &ck).unwrap();
        // Ids 148..151 share an event time across the restart: 150 and 151
        // are duplicates only if the dedup state came back.
        write_files(&input, 3, 6);
        let spark = session(mode);
        run_counts(&dedup_counts(&stream(&spark, &input)), "d", &ck).unwrap();
        let restarted = table(&spark, "d");
        let once = dedup_counts_in_one_run(mode, &input);
        assert_eq!(restarted, table(&once, "d"), "{}", mode.name());
        let total: u64 = to_json_rows(&once.sql("SELECT * FROM d").unwrap().collect().unwrap())
            .iter()
            .map(|r| r["count"].as_u64().unwrap())
            .sum();
        assert_eq!(total, 6 * ROWS_PER_FILE / 4, "one row per event time");
    }
}

#[test]
fn a_stream_stream_join_restarts_from_its_checkpoint() {
    // Each id joined with its own row on the other side, one batch later:
    // the right side lags, so rows wait in the join's state across the
    // restart, which must carry them.
    let tmp = tempfile::tempdir().unwrap();
    let (input, lagged, ck) = (
        tmp.path().join("in"),
        tmp.path().join("lag"),
        tmp.path().join("ck"),
    );
    let joined = |spark: &Session| {
        let left = stream(spark, &input);
        let right = stream(spark, &lagged)
            .select_expr(["id AS rid", "v AS rv"])
            .unwrap();
        left.join(&right, sqlc::functions::expr("id = rid").unwrap(), "inner")
            .unwrap()
            .select(["id", "rv"])
            .unwrap()
    };
    for mode in MODES {
        let _ = std::fs::remove_dir_all(tmp.path());
        write_files(&input, 0, 3);
        write_files(&lagged, 0, 2);
        let out = tmp.path().join("out");
        let spark = session(mode);
        run_files(&joined(&spark), &out, &ck).unwrap();
        // More input on both sides; the restarted query carries on.
        write_files(&lagged, 2, 4);
        write_files(&input, 3, 4);
        let spark = session(mode);
        let q = run_files(&joined(&spark), &out, &ck).unwrap();
        // Only the new files were read again: the lagging side was idle in
        // the last batch before the stop, and resumes where it was.
        let read: u64 = q.recent_progress().iter().map(|p| p.num_input_rows).sum();
        assert_eq!(read, 3 * ROWS_PER_FILE, "{}", mode.name());
        assert_eq!(output_ids(&spark, &out), all_ids(4), "{}", mode.name());
    }
}

/// The files under `dir` (recursively) named `name`.
fn files_named(dir: &Path, name: &str) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_named(&p, name));
        } else if p.file_name().is_some_and(|n| n == name) {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn a_missing_file_the_commit_log_vouches_for_is_an_error_naming_it() {
    for mode in MODES {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("in");
        write_files(&input, 0, 3);
        let spark = session(mode);
        let ck = tmp.path().join("ck");
        run_counts(&counts(&stream(&spark, &input)), "c", &ck).unwrap();
        write_files(&input, 3, 4);
        // Batch 2 is committed: one partition's delta of it is lost.
        // Restoring that partition without it would count wrong, silently.
        let lost = files_named(&ck.join("state"), "2.delta")[0].clone();
        std::fs::remove_file(&lost).unwrap();
        let e = run_counts(&counts(&stream(&spark, &input)), "c", &ck)
            .expect_err("refused")
            .to_string();
        assert!(e.contains(&lost.display().to_string()), "{mode:?}: {e}");
        // The file source's log of batch 1's files: without it, batch 1's
        // file would be read again.
        let ck2 = tmp.path().join("ck2");
        run_files(&stream(&spark, &input), &tmp.path().join("out"), &ck2).unwrap();
        let lost = ck2.join("sources").join("0").join("1");
        std::fs::remove_file(&lost).unwrap();
        write_files(&input, 4, 5);
        let e = run_files(&stream(&spark, &input), &tmp.path().join("out"), &ck2)
            .expect_err("refused")
            .to_string();
        assert!(e.contains(&lost.display().to_string()), "{mode:?}: {e}");
        // The file sink's manifest: without it, committed batches' files are
        // no longer listed (rows lost to every reader).
        let ck3 = tmp.path().join("ck3");
        let out3 = tmp.path().join("out3");
        run_files(&stream(&spark, &input), &out3, &ck3).unwrap();
        std::fs::remove_dir_all(out3.join("_spark_metadata")).unwrap();
        write_files(&input, 5, 6);
        let e = run_files(&stream(&spark, &input), &out3, &ck3)
            .expect_err("refused")
            .to_string();
        assert!(e.contains("_spark_metadata"), "{mode:?}: {e}");
    }
}

#[test]
fn a_log_entry_damaged_into_other_valid_json_is_an_error_naming_its_file() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_files(&input, 0, 2);
    let spark = session(ExecMode::Jit);
    let (out, ck) = (tmp.path().join("out"), tmp.path().join("ck"));
    run_files(&stream(&spark, &input), &out, &ck).unwrap();
    // One byte of the path batch 0 took: still JSON, another file's name.
    // Believed, file 0 would be taken again and its rows written twice.
    let log = ck.join("sources").join("0").join("0");
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("f0000.json"), "{text}");
    std::fs::write(&log, text.replace("f0000.json", "f0001.json")).unwrap();
    write_files(&input, 2, 3);
    let e = run_files(&stream(&spark, &input), &out, &ck)
        .expect_err("refused")
        .to_string();
    assert!(e.contains(&log.display().to_string()), "{e}");
}

#[test]
fn an_offset_log_whose_partition_count_disagrees_with_the_state_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_files(&input, 0, 2);
    let spark = session(ExecMode::Jit);
    let ck = tmp.path().join("ck");
    run_counts(&counts(&stream(&spark, &input)), "c", &ck).unwrap();
    // The committed batch's logged setting, damaged into another count:
    // restored with it, every key would hash to another partition than its
    // state's (the same key twice in the output).
    let log = ck.join("offsets").join("1");
    let text = std::fs::read_to_string(&log).unwrap();
    let damaged = text.replace(
        "\"spark.sql.shuffle.partitions\":\"5\"",
        "\"spark.sql.shuffle.partitions\":\"7\"",
    );
    assert_ne!(text, damaged);
    std::fs::write(&log, damaged).unwrap();
    write_files(&input, 2, 3);
    let e = run_counts(&counts(&stream(&spark, &input)), "c", &ck)
        .expect_err("refused")
        .to_string();
    assert!(e.contains(&log.display().to_string()), "{e}");
}

#[test]
fn a_source_log_entry_that_is_not_a_file_entry_names_the_log() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    write_files(&input, 0, 1);
    let spark = session(ExecMode::Jit);
    let (out, ck) = (tmp.path().join("out"), tmp.path().join("ck"));
    run_files(&stream(&spark, &input), &out, &ck).unwrap();
    // Written as Spark would (no checksum), but not a file entry.
    let log = ck.join("sources").join("0");
    std::fs::write(log.join("0"), "v1\n{\"batchId\":0}").unwrap();
    write_files(&input, 1, 2);
    let e = run_files(&stream(&spark, &input), &out, &ck)
        .expect_err("refused")
        .to_string();
    assert!(e.contains(&log.display().to_string()), "{e}");
}

/// A session keeping little: a snapshot every 2 deltas, 3 batches retained.
fn small_retention(mode: ExecMode) -> Session {
    let spark = session(mode);
    let conf = spark.conf();
    conf.set("spark.sql.streaming.stateStore.minDeltasForSnapshot", 2);
    conf.set("spark.sql.streaming.minBatchesToRetain", 3);
    spark
}

/// The rows of the JSON under `out` (a file sink's output), sorted.
fn output_rows(spark: &Session, out: &Path) -> Vec<String> {
    sorted_rows(&spark.read().json(out).unwrap().collect().unwrap())
}

#[test]
fn state_restored_from_snapshots_and_deltas_after_every_batch_agrees_with_one_run() {
    // Windows close and are evicted every batch (removals in the deltas);
    // the dedup state grows and is evicted by the watermark too.
    let windowed = |df: &DataFrame| {
        df.select_expr(["*", "cast(cast(id as double) as timestamp) as t"])
            .unwrap()
            .with_watermark("t", "20 seconds")
            .unwrap()
            .group_by([sqlc::functions::window(col("t"), "30 seconds"), col("user")])
            .count()
            .unwrap()
    };
    for mode in MODES {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("in");
        let (out, ck) = (tmp.path().join("out"), tmp.path().join("ck"));
        let dck = tmp.path().join("dck");
        for f in 0..9 {
            write_files(&input, f, f + 1);
            let spark = small_retention(mode);
            run_files(&windowed(&stream(&spark, &input)), &out, &ck).unwrap();
            run_counts(&dedup_counts(&stream(&spark, &input)), "d", &dck).unwrap();
            let once = dedup_counts_in_one_run(mode, &input);
            assert_eq!(
                table(&spark, "d"),
                table(&once, "d"),
                "{} file {f}",
                mode.name()
            );
        }
        // Both kinds of state file were written; old batches were purged.
        let mut files = Vec::new();
        for ckpt in [&ck, &dck] {
            files.extend(files_named_like(&ckpt.join("state"), ".delta"));
            files.extend(files_named_like(&ckpt.join("state"), ".snapshot"));
            let versions = std::fs::read_dir(ckpt.join("state/_versions")).unwrap();
            assert_eq!(versions.count(), 3, "{ckpt:?}");
        }
        assert!(files.iter().any(|f| f.ends_with(".delta")), "{files:?}");
        assert!(files.iter().any(|f| f.ends_with(".snapshot")), "{files:?}");
        let spark = session(mode);
        let one = tmp.path().join("one");
        run_files(
            &windowed(&stream(&spark, &input)),
            &one,
            &tmp.path().join("ck1"),
        )
        .unwrap();
        assert_eq!(
            output_rows(&spark, &out),
            output_rows(&spark, &one),
            "{}",
            mode.name()
        );
        assert!(!output_rows(&spark, &one).is_empty());
    }
}

/// The names of the files under `dir` (recursively) ending in `suffix`.
fn files_named_like(dir: &Path, suffix: &str) -> Vec<String> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_named_like(&p, suffix));
        } else if let Some(n) = p.file_name().and_then(|n| n.to_str()) {
            if n.ends_with(suffix) {
                out.push(n.to_string());
            }
        }
    }
    out
}
