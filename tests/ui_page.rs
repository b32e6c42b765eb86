//! The live page in a real browser: headless Chromium (installed by
//! `scripts/chromium` from Debian's packages) loads the page of a running
//! query twice, checks the charts are drawn and have moved on, and saves a
//! screenshot as target/ui-page.png. Skipped, with a message, when there
//! is no Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlc::script::Queries;
use sqlc::Session;

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|c| {
            let o = Command::new("sh")
                .args(["-c", &format!("command -v {c}")])
                .output()
                .ok()?;
            let p = String::from_utf8_lossy(&o.stdout).trim().to_string();
            (o.status.success() && !p.is_empty()).then(|| PathBuf::from(p))
        })
}

/// Runs headless Chromium on `url` with `extra` flags; its stdout.
fn chromium_run(bin: &Path, profile: &Path, url: &str, extra: &[&str]) -> String {
    let o = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        o.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The number after `attr="` in `dom`'s first match.
fn attr(dom: &str, attr: &str) -> Option<u64> {
    let i = dom.find(&format!("{attr}=\""))? + attr.len() + 2;
    dom[i..].split('"').next()?.parse().ok()
}

#[test]
fn the_page_draws_charts_that_update() {
    let Some(bin) = chromium() else {
        eprintln!("skipped: no Chromium on PATH (run scripts/chromium to install it from Debian's packages)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    // A producer: a file of rows every 150 ms until the test ends.
    let done = Arc::new(AtomicBool::new(false));
    let producer = {
        let (input, done) = (input.clone(), done.clone());
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !done.load(Ordering::SeqCst) {
                let rows: String = (0..50 + (i % 7) * 40)
                    .map(|r| {
                        format!(
                            "{{\"t\":\"2024-01-01 10:{:02}:{:02}\",\"k\":\"k{}\"}}\n",
                            (i / 6) % 60,
                            (i * 10 + r % 10) % 60,
                            r % 5
                        )
                    })
                    .collect();
                let tmp = input.join(format!(".f{i:05}.tmp"));
                std::fs::write(&tmp, rows).unwrap();
                std::fs::rename(&tmp, input.join(format!("f{i:05}.json"))).unwrap();
                i += 1;
                std::thread::sleep(Duration::from_millis(150));
            }
        })
    };
    let spark = Session::builder().create();
    spark.conf().set("spark.sql.shuffle.partitions", 2);
    spark
        .read_stream()
        .schema("t TIMESTAMP, k STRING")
        .option("maxFilesPerTrigger", 1)
        .json(&input)
        .unwrap()
        .with_watermark("t", "2 minutes")
        .unwrap()
        .create_or_replace_temp_view("events")
        .unwrap();
    let q = spark
        .sql("SELECT window(t, '1 minute') AS w, k, count(*) AS n FROM events GROUP BY window(t, '1 minute'), k")
        .unwrap()
        .write_stream()
        .query_name("events_per_minute")
        .format("memory")
        .output_mode("update")
        .start()
        .unwrap();
    let queries = Queries::default();
    queries.push(q.clone());
    let monitor = sqlc::monitor::serve(0, queries).unwrap();
    let url = format!("http://127.0.0.1:{}/", monitor.port());
    let wait_batches = |n: u64| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while q.last_progress().map_or(0, |p| p.batch_id + 1) < n {
            assert!(Instant::now() < deadline, "the query made no progress");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_batches(3);
    let profile = tempfile::tempdir().unwrap();
    let first = chromium_run(&bin, profile.path(), &url, &["--dump-dom"]);
    assert!(first.contains("events_per_minute"), "{first}");
    for chart in [
        "input-rate",
        "process-rate",
        "input-rows",
        "batch-duration",
        "operation-duration",
        "state-rows",
    ] {
        assert!(
            first.contains(&format!("data-chart=\"{chart}\"")),
            "no {chart} chart:\n{first}"
        );
    }
    assert!(first.contains("<polyline"), "no line drawn:\n{first}");
    let b1 = attr(&first, "data-batches").expect("the query's section");
    let p1 = attr(&first, "data-points").unwrap();
    assert!(b1 >= 3 && p1 >= 3, "batches {b1}, points {p1}");
    wait_batches(b1 + 3);
    let second = chromium_run(&bin, profile.path(), &url, &["--dump-dom"]);
    let b2 = attr(&second, "data-batches").unwrap();
    assert!(b2 > b1, "the page did not move on: {b1} then {b2}");
    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ui-page.png");
    let _ = std::fs::remove_file(&shot);
    chromium_run(
        &bin,
        profile.path(),
        &url,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1100",
            "--hide-scrollbars",
        ],
    );
    assert!(
        std::fs::metadata(&shot)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "no screenshot at {}",
        shot.display()
    );
    done.store(true, Ordering::SeqCst);
    producer.join().unwrap();
    q.stop().unwrap();
}
