//! The seed chapter's second example: rows whose activity mentions stairs,
//! selected with an expression column and two filters, appended to a memory
//! table as files arrive.
//!
//!     cargo run --release --example stairs -- [--rows N] [--files K]

#[path = "common/args.rs"]
mod args;

use args::arg;
use sqlc::datagen::ActivityGen;
use sqlc::functions::expr;
use sqlc::Session;

fn main() -> sqlc::Result<()> {
    let dir = std::env::temp_dir().join(format!("sqlc-stairs-{}", std::process::id()));
    let gen = ActivityGen {
        rows: arg("--rows", 200_000) as u64,
        files: arg("--files", 20),
        ..ActivityGen::default()
    };
    gen.write_dir(&dir)?;

    let spark = Session::builder().app_name("stairs").get_or_create();
    let static_df = spark.read().json(&dir)?;
    let streaming = spark
        .read_stream()
        .schema(static_df.schema())
        .option("maxFilesPerTrigger", 1)
        .json(&dir)?;
    let stairs = streaming
        .with_column("stairs", expr("gt like '%stairs%'")?)?
        .where_("stairs")?
        .where_("gt is not null")?
        .select(["gt", "model", "arrival_time", "creation_time"])?;
    let query = stairs
        .write_stream()
        .query_name("stairs")
        .format("memory")
        .output_mode("append")
        .start()?;
    query.process_all_available()?;

    spark.sql("SELECT * FROM stairs")?.show_n(10)?;
    spark
        .sql("SELECT gt, count(*) AS n FROM stairs GROUP BY gt ORDER BY gt")?
        .show()?;
    println!(
        "{} batches; last: {}",
        query.recent_progress().len(),
        query
            .last_progress()
            .map(|p| p.to_json().to_string())
            .unwrap_or_default()
    );
    query.stop()?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
