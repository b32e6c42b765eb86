//! Sinks: where a streaming query's result goes, batch by batch. A sink
//! receives each batch with its id, so a batch run again after a failure
//! replaces what the first run wrote instead of adding to it.

mod console;
mod file;
mod foreach;
mod memory;

use std::fmt;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

pub use console::ConsoleSink;
pub use file::FileSink;
pub use foreach::{BatchFn, ForeachBatchSink, ForeachSink, RowFn};
pub use memory::{MemorySink, MemoryTable};

use crate::error::{Error, Result};

/// Which rows of the result each batch writes (Spark's output modes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutputMode {
    /// Only rows that are final: new rows of a stateless query, windows the
    /// watermark closed.
    Append,
    /// Rows that changed in this batch.
    Update,
    /// The whole result, every batch.
    Complete,
}

impl OutputMode {
    pub fn parse(s: &str) -> Result<OutputMode> {
        match s.to_ascii_lowercase().as_str() {
            "append" => Ok(OutputMode::Append),
            "update" => Ok(OutputMode::Update),
            "complete" => Ok(OutputMode::Complete),
            _ => Err(Error::BadOption {
                name: "outputMode".into(),
                value: s.into(),
                reason: "accepted output modes are 'append', 'complete', 'update'".into(),
            }),
        }
    }
}

impl fmt::Display for OutputMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OutputMode::Append => "append",
            OutputMode::Update => "update",
            OutputMode::Complete => "complete",
        })
    }
}

pub trait Sink: Send {
    /// Writes batch `batch_id`'s rows. Called once per batch, in order; a
    /// batch id seen before (a rerun after a restart) must replace, not add.
    fn add_batch(
        &mut self,
        batch_id: u64,
        schema: &SchemaRef,
        rows: Vec<RecordBatch>,
        mode: OutputMode,
    ) -> Result<()>;

    /// What progress reports show as the sink's description.
    fn description(&self) -> String;

    /// At a restart from a checkpoint whose last committed batch is
    /// `last`: checks that what the sink keeps of those batches (a file
    /// sink's manifest) is all there, so a damaged one is an error, not
    /// rows silently lost or written twice.
    fn check_committed(&self, _last: u64) -> Result<()> {
        Ok(())
    }
}
