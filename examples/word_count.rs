//! The Structured Streaming Programming Guide's first example, the running
//! word count, as the guide writes it in PySpark:
//!
//! ```python
//! lines = spark.readStream.format("socket").option("host", "localhost").option("port", 9999).load()
//! words = lines.select(explode(split(lines.value, " ")).alias("word"))
//! wordCounts = words.groupBy("word").count()
//! query = wordCounts.writeStream.outputMode("complete").format("console").start()
//! ```
//!
//! With `--port N` it reads lines from a TCP server on localhost (run
//! `nc -lk 9999` in another terminal and type lines); without, it reads
//! the text files of a directory it writes, one file per trigger.
//!
//!     cargo run --release --example word_count [-- --port 9999]

#[path = "common/args.rs"]
mod args;

use args::arg;
use sqlc::functions::{col, explode, split};
use sqlc::Session;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let spark = Session::builder().app_name("word_count").get_or_create();
    let port = arg("--port", 0);
    let lines = if port > 0 {
        spark
            .read_stream()
            .format("socket")
            .option("host", "localhost")
            .option("port", port)
            .load_source(None)?
    } else {
        let dir = std::env::temp_dir().join(format!("sqlc-words-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        for (i, text) in [
            "apache spark structured streaming",
            "spark streaming counts words\nwords as they arrive",
            "the word count in spark",
        ]
        .iter()
        .enumerate()
        {
            std::fs::write(dir.join(format!("part-{i}.txt")), text)?;
        }
        spark
            .read_stream()
            .option("maxFilesPerTrigger", 1)
            .text(&dir)?
    };
    let words = lines.select([explode(split(col("value"), " ")).alias("word")])?;
    let word_counts = words.group_by(["word"]).count()?;
    let query = word_counts
        .write_stream()
        .output_mode("complete")
        .format("console")
        .start()?;
    if port > 0 {
        query.await_termination(None)?;
    } else {
        query.process_all_available()?;
        query.stop()?;
    }
    Ok(())
}
