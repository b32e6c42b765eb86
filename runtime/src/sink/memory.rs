//! The memory sink: a named in-memory table that `session.sql` can query.
//! Readers always see the last committed batch, never a half-written one:
//! the table's contents are swapped whole under a lock.

use std::sync::{Arc, RwLock};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::{OutputMode, Sink};
use crate::error::Result;

/// The rows of a memory table, shared between its sink and its readers.
#[derive(Debug)]
pub struct MemoryTable {
    pub schema: SchemaRef,
    inner: RwLock<Snapshot>,
}

#[derive(Debug, Default, Clone)]
struct Snapshot {
    batches: Arc<Vec<RecordBatch>>,
    last_batch_id: Option<u64>,
}

impl MemoryTable {
    pub fn new(schema: SchemaRef) -> Arc<Self> {
        Arc::new(MemoryTable {
            schema,
            inner: RwLock::new(Snapshot::default()),
        })
    }

    /// The rows as of the last committed batch.
    pub fn snapshot(&self) -> Arc<Vec<RecordBatch>> {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .batches
            .clone()
    }

    pub fn last_batch_id(&self) -> Option<u64> {
        self.inner
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .last_batch_id
    }

    pub fn num_rows(&self) -> usize {
        self.snapshot().iter().map(|b| b.num_rows()).sum()
    }
}

pub struct MemorySink {
    table: Arc<MemoryTable>,
    /// The rows each batch added (append/update), so a rerun batch replaces
    /// its own rows.
    per_batch: Vec<(u64, Vec<RecordBatch>)>,
}

impl MemorySink {
    pub fn new(table: Arc<MemoryTable>) -> Self {
        MemorySink {
            table,
            per_batch: Vec::new(),
        }
    }
}

impl Sink for MemorySink {
    fn add_batch(
        &mut self,
        batch_id: u64,
        _schema: &SchemaRef,
        rows: Vec<RecordBatch>,
        mode: OutputMode,
    ) -> Result<()> {
        let batches = match mode {
            OutputMode::Complete => {
                self.per_batch.clear();
                rows
            }
            OutputMode::Append | OutputMode::Update => {
                self.per_batch.retain(|(id, _)| *id < batch_id);
                self.per_batch.push((batch_id, rows));
                self.per_batch
                    .iter()
                    .flat_map(|(_, b)| b.iter().cloned())
                    .collect()
            }
        };
        let mut snap = self.table.inner.write().unwrap_or_else(|e| e.into_inner());
        snap.batches = Arc::new(batches);
        snap.last_batch_id = Some(batch_id);
        Ok(())
    }

    fn description(&self) -> String {
        "MemorySink".into()
    }
}
