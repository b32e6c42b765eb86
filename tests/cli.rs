//! The `sqlc` command line: the example scripts against Spark's answers,
//! script errors (exit 2, nothing started), `explain` and `gen`.

mod common;

use std::process::{Command, Output};

use common::*;
use serde_json::{Map, Value};

fn sqlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sqlc"))
        .args(args)
        .output()
        .expect("sqlc runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `examples/sql/NAME.sql` as a one-shot job; the rows its SELECT printed.
fn run_example(name: &str) -> Vec<Map<String, Value>> {
    let script = root().join("examples/sql").join(format!("{name}.sql"));
    let o = sqlc_run_script(&script, &[("data", &activity_data())])
        .output()
        .expect("sqlc runs");
    assert!(o.status.success(), "{name}: {}", stderr(&o));
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .unwrap()
                .as_object()
                .unwrap()
                .clone()
        })
        .collect()
}

/// The rows equal Spark's answer in `expected` (any order, doubles to 1e-9).
fn assert_rows(name: &str, got: Vec<Map<String, Value>>, expected: &str) {
    let want = load_expected(&root().join("tests/data/expected").join(expected));
    let got = got
        .into_iter()
        .map(|r| python_timestamps(Value::Object(r)))
        .collect::<Vec<_>>();
    let got = got
        .into_iter()
        .filter_map(|v| v.as_object().cloned())
        .collect();
    assert_rows_match(name, got, &want, false);
}

/// The CLI's ISO-8601 timestamps (`2015-02-23T10:10:00.000Z`) as Python's
/// `str(datetime)` wrote Spark's answers (`2015-02-23 10:10:00`).
fn python_timestamps(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, python_timestamps(v)))
                .collect(),
        ),
        Value::String(s) if s.len() >= 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T' => {
            let body = s[..s.len() - 1].replacen('T', " ", 1);
            let (base, frac) = body.split_once('.').unwrap_or((&body, ""));
            let frac = format!("{frac:0<6}");
            Value::String(if frac.bytes().all(|b| b == b'0') {
                base.to_string()
            } else {
                format!("{base}.{frac}")
            })
        }
        v => v,
    }
}

#[test]
fn example_1_counts_match_spark() {
    assert_rows("ex1", run_example("ex1"), "ex1_activity_counts.jsonl");
}

#[test]
fn example_2_stairs_match_spark() {
    assert_rows("ex2", run_example("ex2"), "ex2_stairs.jsonl");
}

#[test]
fn example_3_cube_matches_spark() {
    assert_rows("ex3", run_example("ex3"), "ex3_cube.jsonl");
}

#[test]
fn example_4_cube_join_matches_spark() {
    assert_rows("ex4", run_example("ex4"), "ex4_cube_join.jsonl");
}

#[test]
fn example_5_windows_match_spark() {
    assert_rows("ex5", run_example("ex5"), "ex5_window_counts.jsonl");
    assert_rows(
        "ex5 by user",
        run_example("ex5_user"),
        "ex5_window_user_counts.jsonl",
    );
}

#[test]
fn example_6_sliding_windows_in_append_mode_match_spark() {
    assert_rows("ex6", run_example("ex6"), "ex6_sliding_append.jsonl");
}

#[test]
fn example_7_deduplication_matches_spark() {
    assert_rows("ex7", run_example("ex7"), "ex7_dedup_counts.jsonl");
}

const SOURCE: &str = "CREATE SOURCE activity (gt STRING, model STRING, x DOUBLE)\n  WITH (format = 'json', path = '${data}', maxFilesPerTrigger = 1);\n";

/// Runs a script that must fail before starting anything: exit 2, a short
/// message containing `needles`, and no progress file written.
fn script_error(body: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("bad.sql");
    std::fs::write(&script, format!("{SOURCE}{body}")).unwrap();
    let progress = dir.path().join("progress.jsonl");
    let data = format!("data={}", activity_data().display());
    let o = sqlc(&[
        "run",
        script.to_str().unwrap(),
        "--available-now",
        "--var",
        &data,
        "--progress-json",
        progress.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{body}: {err}");
    assert!(err.lines().count() <= 2, "{err}");
    for n in needles {
        assert!(err.contains(n), "{body}: `{n}` not in {err}");
    }
    assert!(o.stdout.is_empty(), "{body}: printed {:?}", o.stdout);
    let written = std::fs::read_to_string(&progress).unwrap_or_default();
    assert!(written.is_empty(), "{body}: a query ran: {written}");
}

#[test]
fn unknown_column_is_a_script_error() {
    script_error(
        "CREATE VIEW v AS SELECT gt FROM activity;\nCREATE SINK c WITH (outputMode = 'complete')\nAS SELECT gtx, count(*) FROM activity GROUP BY gtx;\n",
        &["UNRESOLVED_COLUMN", "gtx", "line 5, column 11", "statement 3"],
    );
}

#[test]
fn bad_option_value_is_a_script_error() {
    script_error(
        "CREATE SINK c WITH (outputMode = 'complete', trigger = 'sometimes')\nAS SELECT gt, count(*) FROM activity GROUP BY gt;\n",
        &["trigger", "sometimes", "statement 2"],
    );
}

#[test]
fn append_on_an_aggregation_without_watermark_is_a_script_error() {
    script_error(
        "CREATE SINK ok WITH (outputMode = 'append') AS SELECT gt FROM activity;\nCREATE SINK c WITH (outputMode = 'append')\nAS SELECT gt, count(*) FROM activity GROUP BY gt;\n",
        &["append", "watermark", "statement 3"],
    );
}

#[test]
fn syntax_error_names_line_and_column() {
    script_error(
        "CREATE SINK c WITH (outputMode = 'complete')\nAS SELECT gt, count(*) FROM activity GROUP BYY gt;\n",
        &["PARSE_SYNTAX_ERROR", "line 4, column 38", "statement 2"],
    );
}

#[test]
fn missing_path_is_a_script_error() {
    script_error(
        "CREATE TABLE h WITH (format = 'json', path = '/no/such/dir');\n",
        &["PATH_NOT_FOUND", "statement 2"],
    );
}

#[test]
fn explain_modes() {
    let dir = tempfile::tempdir().unwrap();
    let init = dir.path().join("init.sql");
    std::fs::write(&init, SOURCE).unwrap();
    let data = format!("data={}", dir.path().display());
    let explain = |mode: Option<&str>| {
        let mut args = vec![
            "explain",
            "-e",
            "SELECT gt, count(*) AS count FROM activity GROUP BY gt",
            "--init",
            init.to_str().unwrap(),
            "--var",
            &data,
        ];
        if let Some(m) = mode {
            args.extend(["--mode", m]);
        }
        let o = sqlc(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let simple = explain(None);
    assert!(simple.contains("== Physical Plan ==\n"), "{simple}");
    assert!(simple.contains("HashAggregate"), "{simple}");
    assert!(
        !simple.contains("Logical Plan") && !simple.contains("Cranelift"),
        "{simple}"
    );
    assert_eq!(explain(Some("simple")), simple);
    let extended = explain(Some("extended"));
    assert!(extended.contains("== Logical Plan ==") && extended.contains("== Physical Plan =="));
    assert!(!extended.contains("Cranelift"), "{extended}");
    let codegen = explain(Some("codegen"));
    assert!(codegen.contains("-- Cranelift IR --") && codegen.contains("-- machine code --"));
    let formatted = explain(Some("formatted"));
    assert!(formatted.contains("(1) "), "{formatted}");
    assert!(
        formatted.contains("== Kernel: ") && !formatted.contains("Cranelift"),
        "{formatted}"
    );
    assert_eq!(
        sqlc(&["explain", "-e", "SELECT 1", "--mode", "cost"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn sql_prints_only_its_query_and_cuts_cells_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("t.json"),
        "{\"s\": \"a string longer than twenty characters\"}\n",
    )
    .unwrap();
    let init = dir.path().join("init.sql");
    std::fs::write(
        &init,
        "CREATE TABLE t WITH (format = 'json', path = '${d}');\nSELECT s AS noise FROM t;\n",
    )
    .unwrap();
    let var = format!("d={}", dir.path().join("t.json").display());
    let run = |extra: &[&str]| {
        let mut args = vec![
            "sql",
            "-e",
            "SELECT s FROM t",
            "--init",
            init.to_str().unwrap(),
            "--var",
            &var,
        ];
        args.extend(extra);
        let o = sqlc(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let cut = run(&[]);
    assert!(
        !cut.contains("noise"),
        "the init script's SELECT printed:\n{cut}"
    );
    assert!(cut.contains("|a string longer t...|"), "{cut}");
    let whole = run(&["--no-truncate"]);
    assert!(
        whole.contains("|a string longer than twenty characters|"),
        "{whole}"
    );
    let ten = run(&["--truncate", "10"]);
    assert!(ten.contains("|a strin...|"), "{ten}");
}

#[test]
fn errors_point_at_the_name_they_are_about() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.json"), "{\"a\": 1}\n").unwrap();
    let init = dir.path().join("init.sql");
    std::fs::write(
        &init,
        "CREATE TABLE t WITH (format = 'json', path = '${d}');\n",
    )
    .unwrap();
    let var = format!("d={}", dir.path().join("t.json").display());
    let o = sqlc(&[
        "sql",
        "-e",
        "SELECT a,\n  nope + 1 AS b FROM t",
        "--init",
        init.to_str().unwrap(),
        "--var",
        &var,
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("line 2, column 3") && err.contains("UNRESOLVED_COLUMN"),
        "{err}"
    );
    let o = sqlc(&["sql", "-e", "SELECT * FROM   missing_table"]);
    let err = stderr(&o);
    assert!(
        err.contains("line 1, column 17") && err.contains("TABLE_OR_VIEW_NOT_FOUND"),
        "{err}"
    );
}

#[test]
fn help_has_examples_and_describes_the_script_language() {
    for cmd in ["run", "explain", "sql", "gen", "shell"] {
        let o = sqlc(&[cmd, "--help"]);
        assert!(o.status.success());
        let text = String::from_utf8(o.stdout).unwrap();
        assert!(text.contains("Examples:"), "{cmd}: {text}");
        let o = sqlc(&["help", cmd]);
        assert!(
            String::from_utf8(o.stdout).unwrap().contains("Examples:"),
            "help {cmd}"
        );
    }
    let o = sqlc(&["help", "script"]);
    let text = String::from_utf8(o.stdout).unwrap();
    for stmt in [
        "CREATE SOURCE",
        "CREATE SINK",
        "SHOW QUERIES",
        "STOP QUERY",
        "EXPLAIN",
    ] {
        assert!(text.contains(stmt), "{stmt} not in {text}");
    }
    assert_eq!(sqlc(&["help", "nothing"]).status.code(), Some(2));
}

#[test]
fn gen_writes_files_and_sql_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("data");
    let o = sqlc(&[
        "gen",
        "activity",
        out.to_str().unwrap(),
        "--rows",
        "1000",
        "--files",
        "3",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(files, 3);
    let init = dir.path().join("init.sql");
    std::fs::write(
        &init,
        "CREATE TABLE t WITH (format = 'json', path = '${d}');",
    )
    .unwrap();
    let var = format!("d={}", out.display());
    let o = sqlc(&[
        "sql",
        "-e",
        "SELECT count(*) AS n FROM t",
        "--init",
        init.to_str().unwrap(),
        "--var",
        &var,
        "--output",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "n\n1000\n");
}

#[test]
fn bad_flags_exit_2() {
    let o = sqlc(&["run", "x.sql", "--output", "xml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = sqlc(&["run", "/no/such/script.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read"));
}

#[test]
fn file_sinks_with_checkpoints_restart_where_they_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let write = |f: u32| {
        let rows: String = (0..10)
            .map(|r| format!("{{\"id\":{},\"k\":\"k{}\"}}\n", f * 10 + r, r % 2))
            .collect();
        std::fs::write(input.join(format!("f{f}.json")), rows).unwrap();
    };
    let script = dir.path().join("sink.sql");
    std::fs::write(
        &script,
        "CREATE SOURCE s (id BIGINT, k STRING) WITH (format = 'json', path = '${d}/in', maxFilesPerTrigger = 1);
         CREATE SINK out WITH (format = 'parquet', path = '${d}/out', checkpointLocation = '${d}/ck', partitionBy = 'k')
         AS SELECT id, k FROM s WHERE id % 2 = 0;",
    )
    .unwrap();
    let var = format!("d={}", dir.path().display());
    let run = || {
        let o = sqlc(&[
            "run",
            script.to_str().unwrap(),
            "--available-now",
            "--quiet",
            "--var",
            &var,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let back = session(sqlc::ExecMode::Jit)
            .read()
            .schema("id BIGINT")
            .format("parquet")
            .load(dir.path().join("out"))
            .unwrap();
        sorted_ids(&back)
    };
    write(0);
    write(1);
    assert_eq!(run(), (0..20).step_by(2).collect::<Vec<i64>>());
    assert!(dir.path().join("out/k=k0/").is_dir());
    assert!(dir.path().join("ck/offsets/1").is_file());
    write(2);
    assert_eq!(
        run(),
        (0..30).step_by(2).collect::<Vec<i64>>(),
        "the restart takes only the new file"
    );
}

#[test]
fn ctrl_c_stops_a_streaming_script_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("stream.sql");
    std::fs::write(
        &script,
        format!(
            "{SOURCE}CREATE SINK counts WITH (format = 'memory', outputMode = 'complete')\n\
             AS SELECT gt, count(*) AS n FROM activity GROUP BY gt;\n"
        ),
    )
    .unwrap();
    let progress = dir.path().join("progress.jsonl");
    let data = format!("data={}", activity_data().display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_sqlc"))
        .args([
            "run",
            script.to_str().unwrap(),
            "--var",
            &data,
            "--quiet",
            "--progress-json",
            progress.to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    // Wait until every file is processed: the query then idles, waiting
    // for more, until interrupted.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::fs::read_to_string(&progress)
        .unwrap_or_default()
        .lines()
        .count()
        < 8
    {
        assert!(std::time::Instant::now() < deadline, "no progress");
        assert!(child.try_wait().unwrap().is_none(), "sqlc exited early");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // SAFETY: kill(2) with the child's pid and SIGINT has no memory effects.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "sqlc did not stop on SIGINT"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "a clean stop exits 0");
    // Every batch it started, it finished: one progress line per batch.
    let lines = std::fs::read_to_string(&progress).unwrap().lines().count();
    assert_eq!(lines, 8);
}
