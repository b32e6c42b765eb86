//! The Structured Streaming Programming Guide's word count, three ways —
//! the Rust API over text files, the SQL script `examples/sql/word_count.sql`
//! through the CLI, and the Rust API over the socket source fed by the test
//! — each giving Spark's answer (tests/data/expected/word_count.jsonl,
//! computed by tests/spark/word_count.py over tests/data/word_count).

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Map, Value};
use sqlc::functions::{col, explode, split};
use sqlc::{DataFrame, Session};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/word_count")
}

fn spark_answer() -> Vec<Map<String, Value>> {
    let e = load_expected(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/expected/word_count.jsonl"),
    );
    assert_eq!(e.columns, ["word", "count"]);
    sorted(e.rows)
}

fn sorted(mut rows: Vec<Map<String, Value>>) -> Vec<Map<String, Value>> {
    rows.sort_by_key(|r| serde_json::to_string(r).unwrap());
    rows
}

/// The guide's query: words of the lines, counted.
fn word_counts(lines: &DataFrame) -> DataFrame {
    let words = lines
        .select([explode(split(col("value"), " ")).alias("word")])
        .unwrap();
    words.group_by(["word"]).count().unwrap()
}

#[test]
fn word_count_over_text_files_matches_spark() {
    for mode in MODES {
        let spark = session(mode);
        let lines = spark
            .read_stream()
            .option("maxFilesPerTrigger", 1)
            .text(corpus())
            .unwrap();
        assert!(lines.is_streaming());
        let q = word_counts(&lines)
            .write_stream()
            .query_name("word_counts")
            .format("memory")
            .output_mode("complete")
            .start()
            .unwrap();
        q.process_all_available().unwrap();
        q.stop().unwrap();
        let got = spark
            .sql("SELECT * FROM word_counts")
            .unwrap()
            .collect()
            .unwrap();
        assert_eq!(sorted(to_json_rows(&got)), spark_answer(), "{mode:?}");
        // Three files, one per trigger.
        assert_eq!(q.recent_progress().len(), 3, "{mode:?}");
    }
}

#[test]
fn word_count_sql_script_matches_spark() {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/sql/word_count.sql");
    let out = Command::new(env!("CARGO_BIN_EXE_sqlc"))
        .args(["run", "--available-now", "--quiet", "--output", "json"])
        .arg(&script)
        .arg("--var")
        .arg(format!("data={}", corpus().display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Map<String, Value>> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            serde_json::from_str::<Value>(l)
                .unwrap()
                .as_object()
                .unwrap()
                .clone()
        })
        .collect();
    assert_eq!(sorted(rows), spark_answer());
}

#[test]
fn word_count_over_the_socket_source_matches_spark() {
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = server.local_addr().unwrap().port();
    let feeder = std::thread::spawn(move || {
        let (mut conn, _) = server.accept().unwrap();
        let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(f).unwrap();
            // Each file's lines; a file's last line may lack its newline.
            for line in text.lines() {
                writeln!(conn, "{line}").unwrap();
            }
            conn.flush().unwrap();
            std::thread::sleep(Duration::from_millis(100));
        }
        // Hold the connection open until the test has read everything.
        std::thread::sleep(Duration::from_secs(60));
    });
    let spark = Session::builder().get_or_create();
    let lines = spark
        .read_stream()
        .format("socket")
        .option("host", "127.0.0.1")
        .option("port", port)
        .load_source(None)
        .unwrap();
    let q = word_counts(&lines)
        .write_stream()
        .query_name("socket_word_counts")
        .format("memory")
        .output_mode("complete")
        .start()
        .unwrap();
    let want = spark_answer();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = sorted(to_json_rows(
            &spark
                .sql("SELECT * FROM socket_word_counts")
                .unwrap()
                .collect()
                .unwrap(),
        ));
        if got == want {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "socket word count: {got:?}\nwant {want:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    q.stop().unwrap();
    drop(feeder);
}
