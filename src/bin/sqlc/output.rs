//! Printing a query's rows: as `show()` does, as JSON lines, or as CSV.

use std::io::Write;

use sqlc::arrow::record_batch::RecordBatch;
use sqlc::DataFrame;
use sqlc_runtime::display;

/// How `SELECT` results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Spark's `show()` table, every row, cells cut at 20 characters
    /// (see --truncate).
    Table,
    /// One JSON object per row and line.
    Json,
    /// CSV with a header line.
    Csv,
}

/// A format and, for tables, where cells are cut (0: never, as
/// `show(truncate=False)`).
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub format: OutputFormat,
    pub truncate: usize,
}

/// The rows of a query run now.
pub struct Answer {
    pub schema: sqlc::arrow::datatypes::SchemaRef,
    pub rows: Vec<RecordBatch>,
}

impl Answer {
    /// Runs `df`.
    pub fn of(df: &DataFrame) -> sqlc::Result<Answer> {
        // Timestamps print on the session time zone's wall clock.
        let tz = df.session().time_zone()?;
        Ok(Answer {
            rows: display::in_zone(&df.collect()?, &tz),
            schema: df.schema().to_arrow(),
        })
    }

    /// The rows as `style` prints them.
    pub fn render(&self, style: Style) -> String {
        match style.format {
            OutputFormat::Table => {
                let n: usize = self.rows.iter().map(|b| b.num_rows()).sum();
                display::show_string(
                    &self.schema,
                    &self.rows,
                    n,
                    style.truncate,
                    &sqlc::TimeZone::Utc,
                )
            }
            OutputFormat::Json => sqlc_runtime::format::json::to_json_lines(&self.rows),
            OutputFormat::Csv => display::to_csv(&self.schema, &self.rows),
        }
    }
}

/// Writes `text` to stdout. A closed pipe (`| head`) is not an error of
/// the query.
pub fn write_out(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// Runs `df` and prints its rows to stdout in `style`.
pub fn print(df: &DataFrame, style: Style) -> sqlc::Result<()> {
    write_out(&Answer::of(df)?.render(style));
    Ok(())
}
