//! Golden cases: each `tests/golden/NAME.sql` is one test
//! (`cargo test --release golden::NAME`; `build.rs` generates the tests),
//! and Spark's answer is `tests/golden/NAME.expected.jsonl`, computed by
//! `tests/spark/expected.py`. Adding a case is adding those two files.
//!
//! A case's leading `--` comment lines may hold directives:
//! - `-- modes: jit interpret` — the exec modes to run (default: both);
//! - `-- conf: KEY=VALUE` — a session setting for the case (repeatable),
//!   such as `spark.sql.session.timeZone=America/Los_Angeles`;
//! - `-- error: CLASS` — the query must fail with Spark's error class
//!   `CLASS` (or a sub-class of it, `CLASS.SUB`); no answer file;
//! - `-- stream: complete|update|append` — the query runs as a streaming
//!   query over the stream `activity` (the same files, read as a stream)
//!   into a memory sink, to its end (`availableNow`). It runs with one file
//!   per trigger and with all files in one batch, and with 1 and 5 shuffle
//!   partitions: the answer must be Spark's every time (an answer that does
//!   not depend on step size or worker count), unless
//! - `-- batch-dependent` — the answer depends on batch boundaries (late
//!   rows under a watermark): only one file per trigger, as Spark ran it.
//!
//! Batch cases run over the static table `activity`.

mod common;

use std::path::PathBuf;

use common::*;
use sqlc::{ExecMode, Session, Trigger};

/// The directives of a case.
#[derive(Debug, Default)]
struct Case {
    sql: String,
    modes: Vec<ExecMode>,
    error: Option<String>,
    stream: Option<String>,
    batch_dependent: bool,
    conf: Vec<(String, String)>,
}

impl Case {
    /// `spark` with the case's settings.
    fn configure(&self, spark: Session) -> Session {
        for (k, v) in &self.conf {
            spark.conf().set(k, v);
        }
        spark
    }
}

fn parse_case(text: &str) -> Case {
    let mut c = Case {
        sql: text.to_string(),
        modes: MODES.to_vec(),
        ..Case::default()
    };
    for line in text
        .lines()
        .take_while(|l| l.trim_start().starts_with("--"))
    {
        let line = line.trim_start().trim_start_matches('-').trim();
        let Some((key, value)) = line.split_once(':') else {
            if line == "batch-dependent" {
                c.batch_dependent = true;
            }
            continue;
        };
        let value = value.trim();
        match key.trim() {
            "modes" => {
                c.modes = value
                    .split_whitespace()
                    .map(|m| match m {
                        "jit" => ExecMode::Jit,
                        "interpret" => ExecMode::Interpret,
                        other => panic!("unknown mode `{other}`"),
                    })
                    .collect()
            }
            "error" => c.error = Some(value.to_string()),
            "stream" => c.stream = Some(value.to_string()),
            "conf" => {
                let (k, v) = value.split_once('=').expect("-- conf: KEY=VALUE");
                c.conf.push((k.trim().to_string(), v.trim().to_string()));
            }
            _ => {}
        }
    }
    c
}

fn golden_dir() -> PathBuf {
    root().join("tests").join("golden")
}

/// Runs the case `name` in each of its modes (and, for a stream, each step
/// size and partition count), panicking with every mismatch found.
fn run_case(name: &str) {
    let dir = golden_dir();
    let text = std::fs::read_to_string(dir.join(format!("{name}.sql"))).unwrap();
    let case = parse_case(&text);
    let data = activity_data();
    let ordered = case.sql.to_uppercase().contains("ORDER BY");
    for &mode in &case.modes {
        if let Some(class) = &case.error {
            let spark = case.configure(static_session(mode, &data));
            let err = match spark.sql(&case.sql).and_then(|df| df.collect()) {
                Ok(_) => panic!(
                    "{name} ({}): expected [{class}], got an answer",
                    mode.name()
                ),
                Err(e) => e,
            };
            let got = err.class();
            assert!(
                got == class || got.starts_with(&format!("{class}.")),
                "{name} ({}): expected [{class}], got [{got}]: {err}",
                mode.name()
            );
            continue;
        }
        let expected = load_expected(&dir.join(format!("{name}.expected.jsonl")));
        match &case.stream {
            None => {
                let spark = case.configure(static_session(mode, &data));
                let what = format!("{name} ({})", mode.name());
                let df = spark
                    .sql(&case.sql)
                    .unwrap_or_else(|e| panic!("{what}: {e}"));
                let batches = df.collect().unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_matches(&what, &batches, &df.columns(), &expected, ordered);
            }
            Some(output_mode) => {
                // The schema a static read infers, once for every run below.
                let schema = session(mode).read().json(&data).unwrap().schema();
                let steps: &[Option<usize>] = if case.batch_dependent {
                    &[Some(1)]
                } else {
                    &[Some(1), None]
                };
                for &files_per_trigger in steps {
                    for partitions in [1, 5] {
                        let what = format!(
                            "{name} ({}, {} per trigger, {partitions} partitions)",
                            mode.name(),
                            files_per_trigger
                                .map_or("all files".to_string(), |n| format!("{n} file")),
                        );
                        let spark = case.configure(session(mode));
                        spark.conf().set("spark.sql.shuffle.partitions", partitions);
                        let mut reader = spark.read_stream().schema(schema.clone());
                        if let Some(n) = files_per_trigger {
                            reader = reader.option("maxFilesPerTrigger", n);
                        }
                        reader
                            .json(&data)
                            .unwrap()
                            .create_or_replace_temp_view("activity")
                            .unwrap();
                        let df = spark
                            .sql(&case.sql)
                            .unwrap_or_else(|e| panic!("{what}: {e}"));
                        let q = df
                            .write_stream()
                            .query_name("golden")
                            .format("memory")
                            .output_mode(output_mode)
                            .trigger(Trigger::AvailableNow)
                            .start()
                            .unwrap_or_else(|e| panic!("{what}: {e}"));
                        q.await_termination(None)
                            .unwrap_or_else(|e| panic!("{what}: {e}"));
                        let out = spark.sql("SELECT * FROM golden").unwrap();
                        assert_matches(
                            &what,
                            &out.collect().unwrap(),
                            &out.columns(),
                            &expected,
                            false,
                        );
                    }
                }
            }
        }
    }
}

fn static_session(mode: ExecMode, data: &std::path::Path) -> Session {
    let spark = session(mode);
    spark
        .read()
        .json(data)
        .unwrap()
        .create_or_replace_temp_view("activity")
        .unwrap();
    spark
}

/// Every case is a file with its answer (or an expected error).
#[test]
fn every_case_has_its_answer() {
    let dir = golden_dir();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "sql") {
            n += 1;
            let case = parse_case(&std::fs::read_to_string(&p).unwrap());
            let answer = p.with_extension("expected.jsonl");
            assert!(
                case.error.is_some() || answer.exists(),
                "{} has no answer file {}",
                p.display(),
                answer.display()
            );
        }
    }
    assert!(n >= 28, "the golden cases are there ({n})");
}

mod golden {
    include!(concat!(env!("OUT_DIR"), "/golden_cases.rs"));
}
