//! The session time zone end to end: JSON and CSV sources read times
//! without an offset on its wall clock (or on their `timeZone` option's),
//! `show()` prints on it, and JSON and CSV sinks write Spark's
//! `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in it. Spark 4.3's answers (local[2],
//! session zone America/Los_Angeles) are written beside each check. The
//! SQL functions in a zone are golden cases (`tests/golden/tz_*.sql`).

mod common;

use std::path::Path;

use sqlc::{ExecMode, Session, Trigger};

const LA: &str = "America/Los_Angeles";

fn la_session(mode: ExecMode) -> Session {
    let spark = common::session(mode);
    spark.conf().set("spark.sql.session.timeZone", LA);
    spark
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

/// The cells of column `t` as `show()` prints them.
fn shown(df: &sqlc::DataFrame) -> Vec<String> {
    let table = df.show_string(20, 0).unwrap();
    table
        .lines()
        .filter(|l| l.starts_with('|'))
        .skip(1)
        .map(|l| l.trim_matches('|').trim().to_string())
        .collect()
}

const JSON_LINES: &str = "{\"t\":\"2024-01-15T10:00:00\"}\n{\"t\":\"2024-01-15T10:00:00Z\"}\n{\"t\":\"2024-01-15 10:00:00+01:00\"}\n";

#[test]
fn json_and_csv_sources_read_local_times_in_the_session_zone() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("json");
    write(&json, "a.json", JSON_LINES);
    let csv = dir.path().join("csv");
    write(
        &csv,
        "b.csv",
        "t\n2024-01-15T10:00:00\n2024-01-15 10:00:00\n",
    );
    for mode in common::MODES {
        let spark = la_session(mode);
        let df = spark.read().schema("t timestamp").json(&json).unwrap();
        // Spark: 10:00 local, then 10:00Z and 09:00Z on the LA clock.
        assert_eq!(
            shown(&df),
            [
                "2024-01-15 10:00:00",
                "2024-01-15 02:00:00",
                "2024-01-15 01:00:00"
            ]
        );
        // The instants, not only their text: 18:00Z for the local time.
        df.create_or_replace_temp_view("j").unwrap();
        let secs = spark.sql("SELECT unix_seconds(t) AS s FROM j").unwrap();
        assert_eq!(shown(&secs), ["1705341600", "1705312800", "1705309200"]);
        // The reader's own zone wins over the session's.
        let tokyo = spark
            .read()
            .schema("t timestamp")
            .option("timeZone", "Asia/Tokyo")
            .json(&json)
            .unwrap();
        assert_eq!(
            shown(&tokyo),
            [
                "2024-01-14 17:00:00",
                "2024-01-15 02:00:00",
                "2024-01-15 01:00:00"
            ]
        );
        let c = spark
            .read()
            .schema("t timestamp")
            .option("header", "true")
            .csv(&csv)
            .unwrap();
        assert_eq!(shown(&c), ["2024-01-15 10:00:00", "2024-01-15 10:00:00"]);
        let bad = spark
            .read()
            .schema("t timestamp")
            .option("timeZone", "Mars/Olympus")
            .json(&json);
        assert!(bad.is_err());
    }
}

#[test]
fn file_sinks_write_timestamps_in_the_session_zone() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write(&input, "a.json", JSON_LINES);
    for (i, format) in ["json", "csv"].into_iter().enumerate() {
        let spark = la_session(ExecMode::Jit);
        let out = dir.path().join(format!("out{i}"));
        let q = spark
            .read_stream()
            .schema("t timestamp")
            .json(&input)
            .unwrap()
            .write_stream()
            .format(format)
            .option("path", out.display())
            .option(
                "checkpointLocation",
                dir.path().join(format!("ck{i}")).display(),
            )
            .trigger(Trigger::AvailableNow)
            .start()
            .unwrap();
        q.await_termination(None).unwrap();
        let mut text = String::new();
        for e in std::fs::read_dir(&out).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == format) {
                text.push_str(&std::fs::read_to_string(p).unwrap());
            }
        }
        let mut lines: Vec<&str> = text.lines().collect();
        lines.sort();
        // Spark's writers print the session zone's offset.
        let want: Vec<String> = ["01:00", "02:00", "10:00"]
            .iter()
            .map(|hm| {
                let v = format!("2024-01-15T{hm}:00.000-08:00");
                if format == "json" {
                    format!("{{\"t\":\"{v}\"}}")
                } else {
                    v
                }
            })
            .collect();
        assert_eq!(lines, want, "{format}");
    }
}

/// UTC sessions keep compiling zone-aware expressions; another zone runs
/// them in the twin, and both give the zone's answer.
#[test]
fn explain_says_where_zoned_expressions_run() {
    let utc = common::session(ExecMode::Jit);
    let plan = utc
        .sql("SELECT hour(TIMESTAMP '2024-01-15 10:00:00') AS h")
        .unwrap()
        .explain()
        .unwrap();
    assert!(!plan.contains("not compiled"), "{plan}");
    let la = la_session(ExecMode::Jit);
    let df = la
        .sql("SELECT hour(CAST('2024-01-15 10:00:00Z' AS TIMESTAMP)) AS h")
        .unwrap();
    let plan = df.explain().unwrap();
    assert!(plan.contains("not compiled"), "{plan}");
    assert_eq!(shown(&df), ["2"]);
}
