//! Input a hostile user might give — absurd options, files that are not
//! what they seem, code that panics — ends in a clear error, never an
//! abort, a panic that kills the process, or a hang.

mod common;

use std::time::Duration;

use common::*;
use sqlc::{ExecMode, Scalar, Session};

/// The error of starting a stream of `format` with `options`, at `load` or
/// at `start`, whichever refuses it.
fn start_error(spark: &Session, format: &str, options: &[(&str, &str)]) -> String {
    let mut reader = spark.read_stream().format(format);
    for (k, v) in options {
        reader = reader.option(k, *v);
    }
    let df = match reader.load_source(None) {
        Ok(df) => df,
        Err(e) => return e.to_string(),
    };
    match df.write_stream().format("memory").query_name("r").start() {
        Ok(q) => {
            q.stop().unwrap();
            panic!("{format} {options:?} started")
        }
        Err(e) => e.to_string(),
    }
}

#[test]
fn absurd_rate_options_are_refused_with_the_bound() {
    let spark = session(ExecMode::Jit);
    for (format, opts) in [
        ("rate", vec![("rowsPerSecond", "100000000000")]),
        ("rate", vec![("rowsPerSecond", "9223372036854775807")]),
        ("rate", vec![("numPartitions", "100000000000")]),
        ("rate", vec![("rampUpTime", "100000000000s")]),
        ("rate-micro-batch", vec![("rowsPerBatch", "100000000000")]),
        (
            "rate-micro-batch",
            vec![("rowsPerBatch", "10"), ("numPartitions", "100000000000")],
        ),
        (
            "rate-micro-batch",
            vec![
                ("rowsPerBatch", "10"),
                ("startTimestamp", "9223372036854775807"),
            ],
        ),
    ] {
        let e = start_error(&spark, format, &opts);
        assert!(
            e.starts_with("[INVALID_OPTION_VALUE]") && e.contains(opts.last().unwrap().0),
            "{format} {opts:?}: {e}"
        );
    }
}

#[test]
fn a_rate_micro_batch_whose_timestamps_would_overflow_fails_the_query() {
    let spark = session(ExecMode::Jit);
    let q = spark
        .read_stream()
        .format("rate-micro-batch")
        .option("rowsPerBatch", "1")
        .option("startTimestamp", "253402300799000")
        .option("advanceMillisPerBatch", "253402300799999")
        .load_source(None)
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("late")
        .start()
        .unwrap();
    assert!(q.await_termination(Some(Duration::from_secs(60))).is_err());
    let e = q.exception().expect("failed").to_string();
    assert!(e.contains("advanceMillisPerBatch"), "{e}");
}

#[test]
fn a_panic_in_user_code_ends_the_query_with_an_internal_error() {
    let spark = session(ExecMode::Jit);
    let q = spark
        .read_stream()
        .format("rate-micro-batch")
        .option("rowsPerBatch", "5")
        .load_source(None)
        .unwrap()
        .write_stream()
        .foreach(|_row| panic!("the sink's own bug"))
        .start()
        .unwrap();
    // Terminates (with the failure) instead of leaving its waiters hanging.
    assert!(q.await_termination(Some(Duration::from_secs(60))).is_err());
    let e = q.exception().expect("failed").to_string();
    assert!(
        e.contains("[INTERNAL_ERROR]") && e.contains("the sink's own bug"),
        "{e}"
    );
}

#[test]
fn a_json_line_nested_50000_deep_is_a_malformed_record_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    let n = 50_000;
    let deep = format!(
        "{{\"a\": 1}}\n{}\n{{\"a\": {}1{}}}\n{{\"a\": 2}}\n",
        "[".repeat(n),
        "[".repeat(n),
        "]".repeat(n)
    );
    std::fs::write(dir.path().join("deep.json"), deep).unwrap();
    for mode in MODES {
        let spark = session(mode);
        let inferred = spark.read().json(dir.path()).unwrap();
        assert_eq!(inferred.count().unwrap(), 4);
        let typed = spark.read().schema("a BIGINT").json(dir.path()).unwrap();
        let rows = typed.collect_rows().unwrap();
        let a: Vec<Option<Scalar>> = rows.iter().map(|r| r.get(0).cloned()).collect();
        assert_eq!(a.len(), 4);
        assert_eq!(a[0], Some(Scalar::Int64(1)));
        assert_eq!(a[3], Some(Scalar::Int64(2)));
    }
}

/// JSON nested as deep as Spark reads (999 levels, under Jackson's 1,000)
/// is read, its schema inferred and its rows collected on a thread of a
/// 2 MB stack: no overflow from the nesting the reader accepts.
#[test]
fn json_nested_as_deep_as_spark_reads_is_read_on_a_small_stack() {
    let dir = tempfile::tempdir().unwrap();
    let n = 998;
    let deep = format!(
        "{{\"a\":1,\"x\":{}7{}}}\n{{\"a\":2,\"o\":{}1{}}}\n",
        "[".repeat(n),
        "]".repeat(n),
        "{\"y\":".repeat(n),
        "}".repeat(n)
    );
    std::fs::write(dir.path().join("deep.json"), deep).unwrap();
    let path = dir.path().to_path_buf();
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            for mode in MODES {
                let spark = session(mode);
                let typed = spark.read().schema("a BIGINT").json(&path).unwrap();
                assert_eq!(typed.count().unwrap(), 2);
                let inferred = spark.read().json(&path).unwrap();
                assert_eq!(inferred.count().unwrap(), 2);
                assert_eq!(
                    inferred
                        .collect()
                        .unwrap()
                        .iter()
                        .map(|b| b.num_rows())
                        .sum::<usize>(),
                    2
                );
            }
        })
        .unwrap()
        .join()
        .expect("read without overflowing the stack");
}

/// A Parquet file of `rows` rows written by sqlc's file sink, as bytes.
fn parquet_file(spark: &Session, dir: &std::path::Path) -> Vec<u8> {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let lines: String = (0..50)
        .map(|i| format!("{{\"id\": {i}, \"name\": \"n{i}\"}}\n"))
        .collect();
    std::fs::write(input.join("0.json"), lines).unwrap();
    let out = dir.join("out");
    let q = spark
        .read_stream()
        .schema("id BIGINT, name STRING")
        .json(&input)
        .unwrap()
        .write_stream()
        .format("parquet")
        .option("path", out.display())
        .option("checkpointLocation", dir.join("ck").display())
        .trigger(sqlc::Trigger::AvailableNow)
        .start()
        .unwrap();
    q.await_termination(None).unwrap();
    let file = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "parquet"))
        .expect("a parquet file");
    std::fs::read(file).unwrap()
}

#[test]
fn a_parquet_file_with_a_damaged_footer_is_an_error_naming_it() {
    let spark = session(ExecMode::Jit);
    let tmp = tempfile::tempdir().unwrap();
    let good = parquet_file(&spark, tmp.path());
    let damaged = tmp.path().join("damaged");
    std::fs::create_dir_all(&damaged).unwrap();
    let file = damaged.join("x.parquet");
    // Every byte of the footer's metadata, replaced by values a damaged
    // disk or a hostile writer gives: each read is rows or an error, never
    // a panic out of the parquet crate.
    let footer_len = u32::from_le_bytes(good[good.len() - 8..good.len() - 4].try_into().unwrap());
    let start = good.len() - 8 - footer_len as usize;
    let mut errors = 0;
    for at in start..good.len() - 4 {
        for v in [0x00, 0xff, 0x80, 0x7f] {
            let mut bytes = good.clone();
            bytes[at] = v;
            std::fs::write(&file, &bytes).unwrap();
            let read = spark
                .read()
                .schema("id BIGINT, name STRING")
                .parquet(&damaged)
                .and_then(|df| df.collect());
            if let Err(e) = read {
                errors += 1;
                let e = e.to_string();
                assert!(e.contains("x.parquet"), "{e}");
            }
        }
    }
    assert!(errors > 0);
}

#[test]
fn named_pipes_in_a_source_directory_are_skipped_and_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.json"), "{\"a\": 1}\n").unwrap();
    let fifo = dir.join("pipe.json");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let spark = session(ExecMode::Jit);
    // Inference and a typed read list the directory: the pipe is not a
    // data file (it would block the read forever).
    assert_eq!(spark.read().json(&dir).unwrap().count().unwrap(), 1);
    let csv = spark
        .read()
        .option("inferSchema", "true")
        .csv(&dir)
        .unwrap();
    assert_eq!(csv.count().unwrap(), 1);
    let q = spark
        .read_stream()
        .schema("a BIGINT")
        .json(&dir)
        .unwrap()
        .write_stream()
        .format("memory")
        .query_name("piped")
        .trigger(sqlc::Trigger::AvailableNow)
        .start()
        .unwrap();
    assert!(q.await_termination(Some(Duration::from_secs(60))).unwrap());
    assert!(q.exception().is_none());
    // Named as the path, it is refused.
    let e = spark.read().json(&fifo).expect_err("refused").to_string();
    assert!(e.contains("not a regular file"), "{e}");
}

#[test]
fn a_file_truncated_after_it_was_opened_reads_what_was_there() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("a.json");
    std::fs::write(&path, "{\"a\": 1}\n".repeat(100_000)).unwrap();
    let file = sqlc_runtime::source::MappedFile::open(&path).unwrap();
    // A producer rewriting the file in place: with a memory map, touching
    // the bytes now is SIGBUS.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(0)
        .unwrap();
    let lines = file.bytes().iter().filter(|&&b| b == b'\n').count();
    assert_eq!(lines, 100_000);
}
