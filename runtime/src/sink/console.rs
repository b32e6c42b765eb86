//! The console sink: each batch printed as `show()` prints a table, under
//! Spark's `Batch: N` header.

use std::io::Write;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::{OutputMode, Sink};
use crate::display;
use crate::error::{Error, Result};
use sqlc_compiler::time_zone::TimeZone;

pub struct ConsoleSink {
    pub num_rows: usize,
    pub truncate: usize,
    out: Box<dyn Write + Send>,
    /// The session time zone, whose wall clock timestamps are printed on.
    tz: TimeZone,
}

impl ConsoleSink {
    /// `numRows` (default 20) and `truncate` (default true: 20 characters).
    pub fn new(num_rows: usize, truncate: usize) -> Self {
        Self::to_writer(num_rows, truncate, Box::new(std::io::stdout()))
    }

    /// Prints timestamps in the session time zone `tz`.
    pub fn in_zone(mut self, tz: TimeZone) -> Self {
        self.tz = tz;
        self
    }

    pub fn to_writer(num_rows: usize, truncate: usize, out: Box<dyn Write + Send>) -> Self {
        ConsoleSink {
            num_rows,
            truncate,
            out,
            tz: TimeZone::Utc,
        }
    }
}

impl Sink for ConsoleSink {
    fn add_batch(
        &mut self,
        batch_id: u64,
        schema: &SchemaRef,
        rows: Vec<RecordBatch>,
        _mode: OutputMode,
    ) -> Result<()> {
        let text = format!(
            "{}{}\n",
            display::console_batch_header(batch_id),
            display::show_string(schema, &rows, self.num_rows, self.truncate, &self.tz)
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use arrow::array::{Int64Array, StringArray};
    use arrow::datatypes::{DataType, Field, Schema};

    use super::*;

    #[derive(Clone, Default)]
    struct Buf(Arc<Mutex<Vec<u8>>>);

    impl Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn prints_each_batch_under_its_header_as_show_does() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("gt", DataType::Utf8, true),
            Field::new("count", DataType::Int64, false),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec![Some("walk"), None])),
                Arc::new(Int64Array::from(vec![3, 12])),
            ],
        )
        .unwrap();
        let buf = Buf::default();
        let mut sink = ConsoleSink::to_writer(20, 20, Box::new(buf.clone()));
        sink.add_batch(7, &schema, vec![batch], OutputMode::Complete)
            .unwrap();
        let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
        let want = "-------------------------------------------\nBatch: 7\n-------------------------------------------\n\
                    +----+-----+\n|  gt|count|\n+----+-----+\n|walk|    3|\n|NULL|   12|\n+----+-----+\n\n";
        assert_eq!(text, want);
    }
}
