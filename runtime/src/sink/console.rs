//! The console sink: each batch printed as `show()` prints a table, under
//! Spark's `Batch: N` header.

use std::io::Write;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::{OutputMode, Sink};
use crate::display;
use crate::error::{Error, Result};

pub struct ConsoleSink {
    pub num_rows: usize,
    pub truncate: usize,
    out: Box<dyn Write + Send>,
}

impl ConsoleSink {
    /// `numRows` (default 20) and `truncate` (default true: 20 characters).
    pub fn new(num_rows: usize, truncate: usize) -> Self {
        Self::to_writer(num_rows, truncate, Box::new(std::io::stdout()))
    }

    pub fn to_writer(num_rows: usize, truncate: usize, out: Box<dyn Write + Send>) -> Self {
        ConsoleSink { num_rows, truncate, out }
    }
}

impl Sink for ConsoleSink {
    fn add_batch(&mut self, batch_id: u64, schema: &SchemaRef, rows: Vec<RecordBatch>, _mode: OutputMode) -> Result<()> {
        let text = format!(
            "{}{}\n",
            display::console_batch_header(batch_id),
            display::show_string(schema, &rows, self.num_rows, self.truncate)
        );
        self.out
            .write_all(text.as_bytes())
            .and_then(|_| self.out.flush())
            .map_err(|e| Error::io("<console>", e))
    }

    fn description(&self) -> String {
        "org.apache.spark.sql.execution.streaming.ConsoleTable$".into()
    }
}
