//! The command line with hostile or careless input: a script with a BOM,
//! bad and misspelled `--conf` settings, misspelled and back-quoted
//! options, a watermark error's place, and expressions deep enough to
//! have overflowed the stack.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

fn sqlc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sqlc"))
        .args(args)
        .output()
        .expect("sqlc runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn script(dir: &Path, name: &str, body: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p.display().to_string()
}

#[test]
fn a_script_starting_with_a_byte_order_mark_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let s = script(tmp.path(), "bom.sql", b"\xef\xbb\xbfSELECT 41 + 1 AS x;\n");
    let o = sqlc(&["run", &s, "--output", "csv"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "x\n42\n");
}

#[test]
fn conf_settings_are_checked_and_misspellings_named() {
    let tmp = tempfile::tempdir().unwrap();
    let s = script(tmp.path(), "one.sql", b"SELECT 1 AS x;\n");
    let o = sqlc(&["run", "--conf", "spark.sql.shuffle.partitions=0", &s]);
    assert_eq!(o.status.code(), Some(2), "a usage error");
    assert!(text(&o.stderr).contains("spark.sql.shuffle.partitions"));
    // Spark keeps settings it does not use; so does sqlc, and says so.
    let o = sqlc(&["run", "--conf", "spark.sql.shufle.partitions=3", &s]);
    assert!(o.status.success());
    let e = text(&o.stderr);
    assert!(
        e.contains("'spark.sql.shufle.partitions'") && e.contains("'spark.sql.shuffle.partitions'"),
        "{e}"
    );
}

#[test]
fn a_watermark_error_names_the_watermark_clause() {
    let tmp = tempfile::tempdir().unwrap();
    let body = format!(
        "CREATE SOURCE s (gt STRING, t TIMESTAMP,\n  WATERMARK FOR t AS t - INTERVAL 'abc' SECOND)\n  WITH (format = 'json', path = '{}');\n",
        activity_data().display()
    );
    let s = script(tmp.path(), "wm.sql", body.as_bytes());
    let o = sqlc(&["run", &s]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains("line 2, column 3") && e.contains("INVALID_WATERMARK"),
        "{e}"
    );
}

#[test]
fn options_back_quoted_apply_and_misspelled_ones_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let body = format!(
        "CREATE SOURCE s (gt STRING) WITH (format = 'json', path = '{}', `maxFilesPerTrigger` = '4', maxFilesPerTriger = '2');\nCREATE SINK k AS SELECT gt FROM s;\n",
        activity_data().display()
    );
    let s = script(tmp.path(), "opt.sql", body.as_bytes());
    let o = sqlc(&["run", "--available-now", &s]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let e = text(&o.stderr);
    // The activity data is 8 files: 4 per batch.
    assert!(
        e.contains("k: batch 1,") && !e.contains("k: batch 2,"),
        "{e}"
    );
    assert_eq!(
        e.matches("no option 'maxFilesPerTriger'").count(),
        1,
        "warned once, naming the option: {e}"
    );
    assert!(e.contains("did you mean 'maxFilesPerTrigger'"), "{e}");
}

#[test]
fn deep_expressions_run_explain_and_refuse_past_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let sum = vec!["1"; 3000].join(" + ");
    let s = script(
        tmp.path(),
        "deep.sql",
        format!("SELECT {sum} AS s;\n").as_bytes(),
    );
    let o = sqlc(&["run", &s, "--output", "csv"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "s\n3000\n");
    assert!(sqlc(&["explain", &s]).status.success());
    let and = vec!["1 > 0"; 5000].join(" AND ");
    let o = sqlc(&["sql", "-e", &format!("SELECT 1 AS x WHERE {and}")]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let sum = vec!["1"; 6000].join(" + ");
    let s = script(
        tmp.path(),
        "deeper.sql",
        format!("SELECT {sum};\n").as_bytes(),
    );
    let o = sqlc(&["run", &s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("FAILED_TO_PARSE_TOO_COMPLEX"));
}
