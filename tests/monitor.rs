//! The live page's server while a query runs: `/metrics` in Prometheus'
//! format with values equal to `last_progress()`, `/api/queries`, the stop
//! endpoint, and the page itself. (The page in a browser: `ui_page.rs`.)

use std::io::{Read, Write};
use std::net::TcpStream;

use sqlc::script::Queries;
use sqlc::{Session, StreamingQuery};

/// `METHOD path` on 127.0.0.1:`port`: (status line, body).
fn http(port: u16, method: &str, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.0\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_string(), body.to_string())
}

/// The sample `name{…query="q"…}` (without further labels) in `text`.
fn sample(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| {
            l.starts_with(&format!("{name}{{query=\"wins\",id="))
                && !l[name.len()..].contains(",le=")
                && !l.contains("phase=")
        })
        .unwrap_or_else(|| panic!("no {name} in\n{text}"))
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A windowed count with a watermark over three files, the last with a
/// row behind the watermark; started, and run until idle.
fn windowed_query(dir: &std::path::Path) -> (Session, StreamingQuery) {
    let files = [
        "{\"t\":\"2024-01-01 10:00:00\",\"k\":\"a\"}\n{\"t\":\"2024-01-01 10:01:00\",\"k\":\"b\"}\n{\"t\":\"2024-01-01 10:06:00\",\"k\":\"a\"}\n",
        "{\"t\":\"2024-01-01 10:20:00\",\"k\":\"a\"}\n{\"t\":\"2024-01-01 10:21:00\",\"k\":\"b\"}\n",
        "{\"t\":\"2024-01-01 10:00:30\",\"k\":\"late\"}\n{\"t\":\"2024-01-01 10:22:00\",\"k\":\"a\"}\n",
    ];
    for (i, f) in files.iter().enumerate() {
        std::fs::write(dir.join(format!("f{i}.json")), f).unwrap();
        // Distinct modification times: the source takes the oldest first.
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let spark = Session::builder().create();
    spark.conf().set("spark.sql.shuffle.partitions", 2);
    spark.conf().set("spark.sql.session.timeZone", "UTC");
    let events = spark
        .read_stream()
        .schema("t TIMESTAMP, k STRING")
        .option("maxFilesPerTrigger", 1)
        .json(dir)
        .unwrap()
        .with_watermark("t", "1 minute")
        .unwrap();
    events.create_or_replace_temp_view("events").unwrap();
    let q = spark
        .sql("SELECT window(t, '5 minutes') AS w, count(*) AS n FROM events GROUP BY window(t, '5 minutes')")
        .unwrap()
        .write_stream()
        .query_name("wins")
        .format("memory")
        .output_mode("update")
        .start()
        .unwrap();
    q.process_all_available().unwrap();
    (spark, q)
}

#[test]
fn metrics_match_the_last_progress() {
    let dir = tempfile::tempdir().unwrap();
    let (_spark, q) = windowed_query(dir.path());
    let queries = Queries::default();
    queries.push(q.clone());
    let monitor = sqlc::monitor::serve(0, queries).unwrap();
    let before = q.last_progress().unwrap();
    let (status, text) = http(monitor.port(), "GET", "/metrics");
    assert_eq!(q.last_progress().unwrap(), before, "the query was idle");
    assert!(status.contains("200"), "{status}");
    let all = q.recent_progress();
    assert_eq!(sample(&text, "sqlc_query_active"), 1.0);
    assert_eq!(sample(&text, "sqlc_query_errors_total"), 0.0);
    assert_eq!(
        sample(&text, "sqlc_query_last_batch_id"),
        before.batch_id as f64
    );
    assert_eq!(
        sample(&text, "sqlc_query_last_batch_input_rows"),
        before.num_input_rows as f64
    );
    assert_eq!(
        sample(&text, "sqlc_query_input_rows_per_second"),
        before.input_rows_per_second
    );
    assert_eq!(
        sample(&text, "sqlc_query_processed_rows_per_second"),
        before.processed_rows_per_second
    );
    let state: u64 = before
        .state_operators
        .iter()
        .map(|o| o.num_rows_total)
        .sum();
    assert_eq!(sample(&text, "sqlc_query_state_rows"), state as f64);
    assert!(
        state > 0,
        "windows are kept until the watermark passes them"
    );
    let memory: u64 = before
        .state_operators
        .iter()
        .map(|o| o.memory_used_bytes)
        .sum();
    assert_eq!(
        sample(&text, "sqlc_query_state_memory_bytes"),
        memory as f64
    );
    let input: u64 = all.iter().map(|p| p.num_input_rows).sum();
    assert_eq!(input, 7);
    assert_eq!(sample(&text, "sqlc_query_input_rows_total"), 7.0);
    assert_eq!(sample(&text, "sqlc_query_batches_total"), all.len() as f64);
    assert_eq!(
        sample(&text, "sqlc_query_batch_duration_seconds_count"),
        all.len() as f64
    );
    let late: u64 = all
        .iter()
        .flat_map(|p| &p.state_operators)
        .map(|o| o.num_rows_dropped_by_watermark)
        .sum();
    assert_eq!(
        late, 1,
        "the 10:00:30 row came after the watermark passed its window"
    );
    assert_eq!(sample(&text, "sqlc_query_late_rows_total"), 1.0);
    // The watermark: the max event time (10:22) minus the delay, as of the
    // last batch.
    let w = before.watermark.as_deref().unwrap();
    assert!(w.starts_with("2024-01-01T10:2"), "{w}");
    let wm = sample(&text, "sqlc_query_watermark_seconds");
    let expected = sqlc_compiler::scalar_fns::parse_timestamp(w).unwrap() as f64 / 1e6;
    assert_eq!(wm, expected);
    assert!(text.contains("sqlc_query_watermark_lag_seconds{query=\"wins\""));
    assert!(text.contains("# TYPE sqlc_query_batch_duration_seconds histogram"));
    assert!(text.contains("sqlc_query_batch_duration_seconds_bucket{query=\"wins\""));
    assert!(text.contains("phase=\"triggerExecution\""), "{text}");

    let (_, api) = http(monitor.port(), "GET", "/api/queries");
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api[0]["name"], "wins");
    assert_eq!(api[0]["active"], true);
    let batches = api[0]["progress"].as_array().unwrap();
    assert_eq!(batches.last().unwrap()["batchId"], before.batch_id);

    let (_, page) = http(monitor.port(), "GET", "/");
    assert!(page.contains("Operation Duration") && page.contains("/api/queries"));

    let (status, _) = http(
        monitor.port(),
        "POST",
        &format!("/api/queries/{}/stop", q.id()),
    );
    assert!(status.contains("202"), "{status}");
    assert!(q
        .await_termination(Some(std::time::Duration::from_secs(30)))
        .unwrap());
    let (_, text) = http(monitor.port(), "GET", "/metrics");
    assert_eq!(sample(&text, "sqlc_query_active"), 0.0);
    let (status, _) = http(monitor.port(), "GET", "/nope");
    assert!(status.contains("404"), "{status}");
}
