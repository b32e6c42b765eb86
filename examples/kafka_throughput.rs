//! Kafka throughput, end to end through sqlc (a broker must run: `eval
//! "$(scripts/kafka start)"; export KAFKA_BOOTSTRAP`):
//! 1. activity JSON lines (text file stream) → Kafka sink: produce rate;
//! 2. Kafka → from_json → example 1's `group_by("gt").count()` → memory;
//! 3. Kafka → filter (`value LIKE '%stairs%'`) → Kafka.
//!
//! Each query runs with the available-now trigger over the whole topic.
//!
//!     cargo run --release --example kafka_throughput -- [--rows N] [--files K]

use std::time::Instant;

#[path = "common/args.rs"]
mod args;

use args::arg;
use sqlc::datagen::ActivityGen;
use sqlc::functions::{col, from_json};
use sqlc::{DataFrame, ExecMode, Session, Trigger};

const DDL: &str = "Arrival_Time BIGINT, Creation_Time BIGINT, Device STRING, Index BIGINT, \
                   Model STRING, User STRING, gt STRING, x DOUBLE, y DOUBLE, z DOUBLE";

fn kafka(spark: &Session, bootstrap: &str, topic: &str) -> sqlc::Result<DataFrame> {
    spark
        .read_stream()
        .format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .options(extra_source_options())
        .load_source(None)
}

/// Extra source options from `--source-option k=v,k=v` (client tuning).
fn extra_source_options() -> Vec<(String, String)> {
    let spec: String = arg("--source-option", String::new());
    spec.split(',')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Runs `df` to a sink with the available-now trigger; the seconds taken.
fn run(
    df: &DataFrame,
    format: &str,
    opts: &[(&str, &str)],
    name: &str,
    mode: &str,
) -> sqlc::Result<f64> {
    let t0 = Instant::now();
    let mut w = df
        .write_stream()
        .format(format)
        .output_mode(mode)
        .trigger(Trigger::AvailableNow);
    if format == "memory" {
        w = w.query_name(name);
    }
    for (k, v) in opts {
        w = w.option(k, v);
    }
    if format == "kafka" {
        // A Kafka sink needs a checkpoint, as in Spark: a fresh one per run.
        static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let ck = std::env::temp_dir().join(format!("sqlc-kafka-bench-{}-{n}", std::process::id()));
        w = w.option("checkpointLocation", ck.display());
    }
    let q = w.start()?;
    q.await_termination(None)?;
    Ok(t0.elapsed().as_secs_f64())
}

fn main() -> sqlc::Result<()> {
    let rows: u64 = arg("--rows", 1_000_000);
    let files: usize = arg("--files", 16);
    let bootstrap = std::env::var("KAFKA_BOOTSTRAP")
        .expect("KAFKA_BOOTSTRAP: start a broker with `eval \"$(scripts/kafka start)\"; export KAFKA_BOOTSTRAP`");
    let dir = std::env::temp_dir().join(format!("sqlc-kafka-bench-{}", std::process::id()));
    let gen = ActivityGen {
        rows,
        files,
        ..ActivityGen::default()
    };
    gen.write_dir(&dir)?;
    let stamp = std::process::id();
    let (raw, stairs) = (
        format!("bench-activity-{stamp}"),
        format!("bench-stairs-{stamp}"),
    );
    let spark = Session::builder().app_name("kafka-bench").get_or_create();
    spark.conf().set("spark.sql.shuffle.partitions", 5);

    let lines = spark.read_stream().format("text").load(&dir)?;
    let secs = run(
        &lines,
        "kafka",
        &[
            ("kafka.bootstrap.servers", &bootstrap),
            ("topic", &raw),
            ("kafka.linger.ms", "20"),
        ],
        "",
        "append",
    )?;
    println!(
        "files → Kafka sink           {rows} rows  {secs:6.2} s  {:>10.0} rows/s",
        rows as f64 / secs
    );

    for mode in [ExecMode::Jit, ExecMode::Interpret] {
        spark.conf().set(
            "sqlc.exec",
            if mode == ExecMode::Jit {
                "jit"
            } else {
                "interpret"
            },
        );
        let counts = kafka(&spark, &bootstrap, &raw)?
            .select([from_json(col("value").cast("string")?, DDL).alias("data")])?
            .select(["data.*"])?
            .group_by(["gt"])
            .count()?;
        let name = format!("counts_{}", mode.name());
        let secs = run(&counts, "memory", &[], &name, "complete")?;
        let total: i64 = spark
            .sql(&format!("SELECT sum(count) AS n FROM {name}"))?
            .collect()?
            .first()
            .map(|b| {
                b.column(0)
                    .as_any()
                    .downcast_ref::<sqlc::arrow::array::Int64Array>()
                    .map_or(0, |a| a.value(0))
            })
            .unwrap_or(0);
        println!(
            "Kafka → from_json → count   {total} rows  {secs:6.2} s  {:>10.0} rows/s  ({})",
            total as f64 / secs,
            mode.name()
        );
    }

    spark.conf().set("sqlc.exec", "jit");
    let filtered = kafka(&spark, &bootstrap, &raw)?
        .where_("CAST(value AS STRING) LIKE '%stairs%'")?
        .select(["key", "value"])?;
    let secs = run(
        &filtered,
        "kafka",
        &[
            ("kafka.bootstrap.servers", &bootstrap),
            ("topic", &stairs),
            ("kafka.linger.ms", "20"),
        ],
        "",
        "append",
    )?;
    println!(
        "Kafka → filter → Kafka       {rows} rows  {secs:6.2} s  {:>10.0} rows/s (rows read)",
        rows as f64 / secs
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
