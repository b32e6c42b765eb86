//! The socket source (example 9: lines from a TCP server into a memory
//! table) and the rate source, both exec modes.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::*;
use sqlc::{DataFrame, Session};

fn rows_of(spark: &Session, sql: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    to_json_rows(&spark.sql(sql).unwrap().collect().unwrap())
}

fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Example 9.
#[test]
fn example_9_socket_lines_into_a_memory_table() {
    for mode in MODES {
        let server = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = server.local_addr().unwrap().port();
        let spark = session(mode);
        let lines: DataFrame = spark
            .read_stream()
            .format("socket")
            .option("host", "127.0.0.1")
            .option("port", port)
            .option("includeTimestamp", true)
            .load_source(None)
            .unwrap();
        assert_eq!(lines.columns(), ["value", "timestamp"]);
        let words = lines
            .select_expr([
                "value",
                "upper(value) AS loud",
                "timestamp IS NOT NULL AS stamped",
            ])
            .unwrap()
            .where_("value != 'skip'")
            .unwrap();
        let q = words
            .write_stream()
            .query_name("socket_lines")
            .format("memory")
            .output_mode("append")
            .start()
            .unwrap();
        let (mut conn, _) = server.accept().unwrap();
        conn.write_all(b"hello\nskip\nworld\n").unwrap();
        conn.flush().unwrap();
        wait_for("two lines", || {
            q.process_all_available().unwrap();
            rows_of(&spark, "SELECT * FROM socket_lines").len() >= 2
        });
        conn.write_all(b"again\n").unwrap();
        wait_for("the third line", || {
            q.process_all_available().unwrap();
            rows_of(&spark, "SELECT * FROM socket_lines").len() >= 3
        });
        let got = rows_of(&spark, "SELECT value, loud, stamped FROM socket_lines");
        let got: Vec<(String, String, bool)> = got
            .iter()
            .map(|r| {
                (
                    r["value"].as_str().unwrap().into(),
                    r["loud"].as_str().unwrap().into(),
                    r["stamped"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [("hello", "HELLO"), ("world", "WORLD"), ("again", "AGAIN")].map(|(a, b)| (
                a.to_string(),
                b.to_string(),
                true
            )),
            "{mode:?}"
        );
        q.stop().unwrap();
    }
}

/// Waits for the peer of `conn` to close the connection; fails if it keeps
/// it open (and so keeps reading) for 20 seconds.
fn assert_closed_by_peer(conn: &mut std::net::TcpStream, what: &str) {
    conn.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut buf = [0u8; 16];
    match conn.read(&mut buf) {
        Ok(0) => {}
        other => panic!("{what}: the socket source still holds its connection: {other:?}"),
    }
}

#[test]
fn a_stopped_socket_query_closes_its_connection() {
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = server.local_addr().unwrap().port();
    let spark = session(sqlc::ExecMode::Jit);
    let lines = spark
        .read_stream()
        .format("socket")
        .option("host", "127.0.0.1")
        .option("port", port)
        .load_source(None)
        .unwrap();
    let q = lines
        .write_stream()
        .query_name("socket_stop")
        .format("memory")
        .start()
        .unwrap();
    let (mut conn, _) = server.accept().unwrap();
    conn.write_all(b"one\n").unwrap();
    wait_for("the line", || {
        q.process_all_available().unwrap();
        !rows_of(&spark, "SELECT * FROM socket_stop").is_empty()
    });
    q.stop().unwrap();
    assert_closed_by_peer(&mut conn, "a stopped query");
    // A query that fails to start after opening its source (a memory sink
    // needs a query name) lets its connection go too.
    let e = lines.write_stream().format("memory").start().unwrap_err();
    assert!(e.to_string().contains("queryName"), "{e}");
    let (mut conn, _) = server.accept().unwrap();
    assert_closed_by_peer(&mut conn, "a query that failed to start");
}

#[test]
fn socket_source_needs_a_reachable_server() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let spark = session(sqlc::ExecMode::Jit);
    let df = spark
        .read_stream()
        .format("socket")
        .option("host", "127.0.0.1")
        .option("port", port)
        .load_source(None)
        .unwrap();
    let e = df
        .write_stream()
        .query_name("socket_nowhere")
        .format("memory")
        .start()
        .expect_err("no server: start fails")
        .to_string();
    assert!(e.contains(&format!("127.0.0.1:{port}")), "{e}");
    let e = spark
        .read_stream()
        .format("socket")
        .option("host", "h")
        .load_source(None)
        .err()
        .unwrap();
    assert!(e.to_string().contains("port"), "{e}");
}

#[test]
fn rate_source_counts_up_without_gaps() {
    for mode in MODES {
        let spark = session(mode);
        let df = spark
            .read_stream()
            .format("rate")
            .option("rowsPerSecond", 200)
            .option("numPartitions", 2)
            .load_source(None)
            .unwrap();
        assert_eq!(df.columns(), ["timestamp", "value"]);
        let q = df
            .select_expr(["value", "value % 2 AS parity", "timestamp"])
            .unwrap()
            .write_stream()
            .query_name("rate_rows")
            .format("memory")
            .start()
            .unwrap();
        wait_for("two seconds of rows", || {
            rows_of(&spark, "SELECT value FROM rate_rows").len() >= 400
        });
        q.stop().unwrap();
        let rows = rows_of(&spark, "SELECT value, parity, timestamp FROM rate_rows");
        let mut values: Vec<i64> = rows.iter().map(|r| r["value"].as_i64().unwrap()).collect();
        values.sort();
        let n = values.len() as i64;
        assert_eq!(values, (0..n).collect::<Vec<_>>(), "{mode:?}");
        assert_eq!(n % 200, 0, "whole seconds of rows: {n}");
        assert!(rows
            .iter()
            .all(|r| r["parity"].as_i64().unwrap() == r["value"].as_i64().unwrap() % 2));
    }
}
