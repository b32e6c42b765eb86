//! `sqlc serve` through PySpark's own Spark Connect client (installed by
//! `scripts/pyspark-connect`, versions 4.0 and the latest 4.x): the
//! relations and commands the server maps, streaming, the seed chapter run
//! unchanged, Spark's answers on examples 1-7, two clients at once, a
//! client that goes away, sessions released, and malformed requests.
//! The client scripts are in tests/connect/ and examples/pyspark/.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// A running `sqlc serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sqlc"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .env("RUST_LOG", "sqlc=info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting sqlc serve");
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        let url = first
            .trim()
            .rsplit(' ')
            .next()
            .filter(|u| u.starts_with("sc://"))
            .unwrap_or_else(|| panic!("sqlc serve said: {first}"))
            .to_string();
        // Keep draining both pipes (console sinks print to stdout).
        let log = Arc::new(Mutex::new(String::new()));
        let err = BufReader::new(child.stderr.take().unwrap());
        let l2 = log.clone();
        std::thread::spawn(move || {
            for line in err.lines().map_while(Result::ok) {
                l2.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        std::thread::spawn(move || for _ in out.lines().map_while(Result::ok) {});
        Server { child, url, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The python of the PySpark client venv for `version` (4.0 or latest).
fn python(version: &str) -> PathBuf {
    static PY: OnceLock<Mutex<Vec<(String, PathBuf)>>> = OnceLock::new();
    let mut known = PY.get_or_init(Default::default).lock().unwrap();
    if let Some((_, p)) = known.iter().find(|(v, _)| v == version) {
        return p.clone();
    }
    let out = Command::new(common::root().join("scripts/pyspark-connect"))
        .arg(version)
        .output()
        .expect("running scripts/pyspark-connect");
    assert!(
        out.status.success(),
        "scripts/pyspark-connect {version} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = PathBuf::from(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .last()
            .unwrap(),
    );
    known.push((version.to_string(), p.clone()));
    p
}

fn client(version: &str, server: &Server, script: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(python(version));
    c.arg(script)
        .args(args)
        .env("SPARK_REMOTE", &server.url)
        .env("TZ", "UTC")
        .env("PYTHONWARNINGS", "ignore");
    c
}

/// Runs a client script to its end; returns its stdout.
fn run(version: &str, server: &Server, script: &Path, args: &[&str]) -> String {
    let out = client(version, server, script, args)
        .output()
        .expect("running python");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{} failed ({version} client):\n{stdout}\n{}\nserver log:\n{}",
        script.display(),
        String::from_utf8_lossy(&out.stderr),
        server.log()
    );
    stdout
}

fn script(name: &str) -> PathBuf {
    common::root().join("tests/connect").join(name)
}

fn data() -> String {
    common::activity_data().display().to_string()
}

fn relations(version: &str) {
    let server = Server::start(&[]);
    let out = run(version, &server, &script("relations.py"), &[&data()]);
    assert!(out.trim_end().ends_with("ok"), "{out}");
}

/// Byte, short, interval and TIMESTAMP_NTZ literals and results.
#[test]
fn narrow_interval_and_ntz_values_both_ways() {
    let server = Server::start(&[]);
    let out = run("latest", &server, &script("value_types.py"), &[]);
    assert!(out.trim_end().ends_with("ok"), "{out}");
}

#[test]
fn relations_client_4_0() {
    relations("4.0");
}

#[test]
fn relations_client_latest() {
    relations("latest");
}

fn streaming(version: &str) {
    let server = Server::start(&[]);
    let tmp = tempfile::tempdir().unwrap();
    let out = run(
        version,
        &server,
        &script("streaming.py"),
        &[&data(), tmp.path().to_str().unwrap()],
    );
    assert!(out.trim_end().ends_with("ok"), "{out}");
}

#[test]
fn streaming_client_4_0() {
    streaming("4.0");
}

#[test]
fn streaming_client_latest() {
    streaming("latest");
}

/// Examples 1-7 through the client, run by the same Python functions that
/// computed Spark's kept answers (tests/spark/expected.py), give them.
fn examples(version: &str) {
    let server = Server::start(&[]);
    let tmp = tempfile::tempdir().unwrap();
    run(
        version,
        &server,
        &script("examples.py"),
        &[&data(), tmp.path().to_str().unwrap()],
    );
    let expected = common::root().join("tests/data/expected");
    for name in [
        "ex1_activity_counts",
        "ex2_stairs",
        "ex3_cube",
        "ex4_cube_join",
        "ex5_window_counts",
        "ex5_window_user_counts",
        "ex6_sliding_complete",
        "ex6_sliding_append",
        "ex6_offset_append",
        "ex7_dedup_counts",
    ] {
        let got = common::load_expected(&tmp.path().join(format!("{name}.jsonl")));
        let want = common::load_expected(&expected.join(format!("{name}.jsonl")));
        assert_eq!(got.columns, want.columns, "{name}: columns");
        common::assert_rows_match(name, got.rows, &want, false);
    }
    let schema = |dir: &Path| std::fs::read_to_string(dir.join("schema.txt")).unwrap();
    assert_eq!(
        schema(tmp.path()),
        schema(&expected),
        "the schema the static read infers"
    );
}

#[test]
fn examples_match_spark_client_4_0() {
    examples("4.0");
}

#[test]
fn examples_match_spark_client_latest() {
    examples("latest");
}

/// The seed chapter's PySpark code, only its session line changed.
#[test]
fn seed_chapter_runs_unchanged() {
    let server = Server::start(&[]);
    let seed = common::root().join("examples/pyspark/seed.py");
    let out = run("latest", &server, &seed, &[&data()]);
    assert!(
        out.starts_with("StructType([StructField('Arrival_Time', LongType(), True)"),
        "{out}"
    );
    assert!(
        out.contains("[<pyspark.sql.connect.streaming.query.StreamingQuery object"),
        "{out}"
    );
    // static.show() and historicalAgg.show() (static, so whole).
    assert!(out.contains("| Arrival_Time|      Creation_Time|"), "{out}");
    assert!(
        out.contains("|   avg(Arrival_Time)|  avg(Creation_Time)|"),
        "{out}"
    );
    // The memory tables, shown while their queries run (so with as many
    // rows as they have by then, the column widths with them).
    let header = |cols: &[&str]| {
        out.lines().any(|l| {
            let cells: Vec<&str> = l
                .split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            cells == cols
        })
    };
    assert!(header(&["gt", "count"]), "{out}");
    assert!(
        header(&["gt", "model", "arrival_time", "creation_time"]),
        "{out}"
    );
    assert!(
        header(&["gt", "model", "avg(x)", "avg(y)", "avg(z)"]),
        "{out}"
    );
    assert!(out.trim_end().ends_with("active after stop: 0"), "{out}");
}

#[test]
fn two_clients_at_once_have_their_own_sessions() {
    let server = Server::start(&[]);
    let kids: Vec<Child> = [3, 7]
        .iter()
        .map(|t| {
            client(
                "latest",
                &server,
                &script("isolation.py"),
                &[&t.to_string()],
            )
            .stdout(Stdio::piped())
            .spawn()
            .unwrap()
        })
        .collect();
    for (k, tag) in kids.into_iter().zip([3, 7]) {
        let out = k.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains(&format!("ok {tag}")),
            "{text}\n{}",
            server.log()
        );
    }
}

#[test]
fn a_client_leaving_mid_answer_does_not_hurt_the_server() {
    let server = Server::start(&[]);
    let out = run("latest", &server, &script("disconnect.py"), &[]);
    assert!(out.contains("reading"), "{out}");
    let out = run("4.0", &server, &script("isolation.py"), &["2"]);
    assert!(out.contains("ok 2"), "{out}");
}

#[test]
fn malformed_requests_get_a_grpc_error_and_the_server_keeps_serving() {
    let server = Server::start(&[]);
    let out = run("latest", &server, &script("malformed.py"), &[]);
    assert!(out.starts_with("ok"), "{out}");
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

#[test]
fn a_broken_stream_reattaches_where_it_left_off() {
    let server = Server::start(&[]);
    let out = run("latest", &server, &script("reattach.py"), &[]);
    assert!(out.trim_end().ends_with("ok"), "{out}");
}

fn part_files(dir: &Path) -> usize {
    std::fs::read_dir(dir.join("files"))
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| !e.file_name().to_string_lossy().starts_with(['.', '_']))
                .count()
        })
        .unwrap_or(0)
}

/// Asserts that a stopped query writes no more files.
fn assert_stopped(dir: &Path) {
    let before = part_files(dir);
    assert!(before > 0, "the query wrote nothing");
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(part_files(dir), before, "the query still writes");
}

#[test]
fn sessions_are_released_by_spark_stop_and_by_the_idle_timeout() {
    let server = Server::start(&["--session-timeout", "1"]);
    let stopped = tempfile::tempdir().unwrap();
    run(
        "latest",
        &server,
        &script("abandon.py"),
        &[stopped.path().to_str().unwrap(), "stop"],
    );
    assert_stopped(stopped.path());

    let left = tempfile::tempdir().unwrap();
    run(
        "latest",
        &server,
        &script("abandon.py"),
        &[left.path().to_str().unwrap()],
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while !server.log().contains("released the idle session") {
        assert!(
            Instant::now() < deadline,
            "no session was released:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_stopped(left.path());
}
