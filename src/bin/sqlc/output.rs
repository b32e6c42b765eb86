//! Printing a query's rows: as `show()` does, as JSON lines, or as CSV.

use std::io::Write;

use sqlc::DataFrame;
use sqlc_runtime::display;

/// How `SELECT` results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Spark's `show()` table, every row, cells cut at 20 characters.
    Table,
    /// One JSON object per row and line.
    Json,
    /// CSV with a header line.
    Csv,
}

/// Runs `df` and prints its rows to stdout in `format`.
pub fn print(df: &DataFrame, format: OutputFormat) -> sqlc::Result<()> {
    let rows = df.collect()?;
    let schema = df.schema().to_arrow();
    let text = match format {
        OutputFormat::Table => {
            let n: usize = rows.iter().map(|b| b.num_rows()).sum();
            display::show_string(&schema, &rows, n, 20)
        }
        OutputFormat::Json => display::to_json_lines(&rows),
        OutputFormat::Csv => display::to_csv(&schema, &rows),
    };
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error of the query.
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    Ok(())
}
