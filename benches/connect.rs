//! The Spark Connect overhead per call: the same work through PySpark's
//! Connect client against `sqlc serve` and through the Rust API in this
//! process (`spark.sql("SELECT 1").collect()`, and `count()` over the
//! activity data). Not criterion: the client side is Python, so this runs
//! examples/pyspark/roundtrip.py and prints both sides' per-call times.
//!
//!     cargo bench --bench connect [-- N]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("target/test-data/bench-connect-activity");
    if !data.join("_done").exists() {
        sqlc::datagen::ActivityGen::default()
            .rows(20_000)
            .files(8)
            .seed(7)
            .write_dir(&data)
            .expect("generating the activity data");
        std::fs::write(data.join("_done"), b"").unwrap();
    }
    let sqlc_bin = root.join("target/release/sqlc");
    assert!(
        sqlc_bin.exists(),
        "build the CLI first: cargo build --release --bin sqlc"
    );

    // The Rust API, same process.
    let spark = sqlc::Session::builder().create();
    let time = |name: &str, f: &dyn Fn()| {
        for _ in 0..5 {
            f();
        }
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        println!(
            "rust   {name:<22} {:8.3} ms/call",
            t.elapsed().as_secs_f64() * 1e3 / n as f64
        );
    };
    time("sql_select_1_collect", &|| {
        spark.sql("SELECT 1").unwrap().collect().unwrap();
    });
    let df = spark.read().json(&data).unwrap();
    time("activity_count", &|| {
        df.count().unwrap();
    });

    // PySpark's client against `sqlc serve`.
    let py = Command::new(root.join("scripts/pyspark-connect"))
        .arg("latest")
        .output()
        .expect("scripts/pyspark-connect");
    let py = String::from_utf8(py.stdout).unwrap().trim().to_string();
    let mut server = Command::new(&sqlc_bin)
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first.trim().rsplit(' ').next().unwrap().to_string();
    let out = Command::new(py)
        .arg(root.join("examples/pyspark/roundtrip.py"))
        .arg(&data)
        .arg(n.to_string())
        .env("SPARK_REMOTE", url)
        .env("PYTHONWARNINGS", "ignore")
        .output()
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let f: Vec<&str> = line.split(' ').collect();
        if let [name, mean, median] = f.as_slice() {
            println!("client {name:<22} {mean:>8} ms/call (median {median})");
        }
    }
}
