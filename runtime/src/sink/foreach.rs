//! `foreach` (a closure per row) and `foreach_batch` (a closure per batch
//! with its id). At-least-once: a batch rerun after a failure calls the
//! closure again with the same id, so the closure can make its writes
//! idempotent.

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::{OutputMode, Sink};
use crate::error::Result;
use crate::row::Row;

pub type RowFn = Box<dyn FnMut(&Row) -> Result<()> + Send>;
pub type BatchFn = Box<dyn FnMut(&[RecordBatch], u64) -> Result<()> + Send>;

pub struct ForeachSink {
    f: RowFn,
}

impl ForeachSink {
    pub fn new(f: RowFn) -> Self {
        ForeachSink { f }
    }
}

impl Sink for ForeachSink {
    fn add_batch(
        &mut self,
        _batch_id: u64,
        _schema: &SchemaRef,
        rows: Vec<RecordBatch>,
        _mode: OutputMode,
    ) -> Result<()> {
        for b in &rows {
            for r in Row::from_batch(b) {
                (self.f)(&r)?;
            }
        }
        Ok(())
    }

    fn description(&self) -> String {
        "ForeachSink".into()
    }
}

pub struct ForeachBatchSink {
    f: BatchFn,
}

impl ForeachBatchSink {
    pub fn new(f: BatchFn) -> Self {
        ForeachBatchSink { f }
    }
}

impl Sink for ForeachBatchSink {
    fn add_batch(
        &mut self,
        batch_id: u64,
        _schema: &SchemaRef,
        rows: Vec<RecordBatch>,
        _mode: OutputMode,
    ) -> Result<()> {
        (self.f)(&rows, batch_id)
    }

    fn description(&self) -> String {
        "ForeachBatchSink".into()
    }
}
