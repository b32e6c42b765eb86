//! The seed chapter's first example, live: a producer writes activity data
//! into a directory file by file while a streaming query counts rows per
//! activity (`group_by("gt").count()`, complete mode, into the memory table
//! `activity_counts`), and the main thread prints
//! `SELECT * FROM activity_counts` every second, the counts growing.
//!
//!     cargo run --release --example activity_stream -- [--rows N] [--files K] [--interval-ms MS]

use std::time::{Duration, Instant};

#[path = "common/args.rs"]
mod args;

use args::arg;
use sqlc::datagen::ActivityGen;
use sqlc::Session;

fn main() -> sqlc::Result<()> {
    let rows: u64 = arg("--rows", 400_000);
    let files: usize = arg("--files", 40);
    let interval = Duration::from_millis(arg("--interval-ms", 250u64));
    let dir = std::env::temp_dir().join(format!("sqlc-activity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| sqlc_err(&dir, e))?;
    let gen = ActivityGen {
        rows,
        files,
        ..ActivityGen::default()
    };

    // The first file, so the static read below can infer the schema, as the
    // seed does with `spark.read.json(...)`.
    gen.write_file(&dir, 0)?;
    let spark = Session::builder().app_name("activity").get_or_create();
    spark.conf().set("spark.sql.shuffle.partitions", 5);
    let static_df = spark.read().json(&dir)?;
    static_df.print_schema();

    let streaming = spark
        .read_stream()
        .schema(static_df.schema())
        .option("maxFilesPerTrigger", 1)
        .json(&dir)?;
    let counts = streaming.group_by(["gt"]).count()?;
    let query = counts
        .write_stream()
        .query_name("activity_counts")
        .format("memory")
        .output_mode("complete")
        .start()?;

    // The producer: one file per interval.
    let producer = {
        let (gen, dir) = (gen.clone(), dir.clone());
        std::thread::spawn(move || -> sqlc::Result<()> {
            for i in 1..gen.files {
                std::thread::sleep(interval);
                gen.write_file(&dir, i)?;
            }
            Ok(())
        })
    };

    let started = Instant::now();
    while !producer.is_finished() {
        std::thread::sleep(Duration::from_secs(1));
        println!("after {:.0} s:", started.elapsed().as_secs_f64());
        spark
            .sql("SELECT * FROM activity_counts ORDER BY gt")?
            .show()?;
    }
    producer
        .join()
        .expect("the producer thread does not panic")?;
    query.process_all_available()?;
    println!("all {rows} rows processed:");
    spark
        .sql("SELECT * FROM activity_counts ORDER BY gt")?
        .show()?;
    if let Some(p) = query.last_progress() {
        println!("last batch: {}", p.to_json());
    }
    query.stop()?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn sqlc_err(dir: &std::path::Path, e: std::io::Error) -> sqlc::Error {
    sqlc::Error::Runtime(sqlc_runtime::Error::io(dir, e))
}
