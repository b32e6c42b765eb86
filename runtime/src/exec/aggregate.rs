//! The hash aggregate operator: compiled kernels fill one partial table per
//! rayon worker, and the partials merge into the operator's state, one
//! partition per task, in parallel. The state store keeps the tables between
//! micro-batches.

use std::sync::Arc;

use arrow::array::ArrayRef;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use rayon::prelude::*;
use sqlc_compiler::agg_table::{hash, AggTable, TableLayout};
use sqlc_compiler::ir::AggSpec;
use sqlc_compiler::Kernel;

use crate::error::Result;

/// Which groups a batch emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// Every group in the state (complete mode, and batch queries).
    All,
    /// Only the groups this batch changed (update mode).
    Updated,
}

/// The state of one aggregate operator: its groups, partitioned by key hash
/// into `spark.sql.shuffle.partitions` tables.
#[derive(Debug)]
pub struct AggState {
    pub partitions: Vec<AggTable>,
    /// Per partition, the groups the last batch changed.
    touched: Vec<Vec<usize>>,
    /// The batch id of the last update: the state's version.
    version: Option<u64>,
}

/// The partition a key hash belongs to (the high half of the hash, so it is
/// independent of the slot a table probes first).
pub fn partition_of(hash: u64, partitions: usize) -> usize {
    ((hash >> 32) as usize) % partitions
}

impl AggState {
    pub fn new(layout: &Arc<TableLayout>, spec: &AggSpec, partitions: usize) -> Self {
        let partitions = partitions.max(1);
        let mut tables: Vec<AggTable> = (0..partitions)
            .map(|_| AggTable::new(layout.clone()))
            .collect();
        if spec.keys.is_empty() && !spec.has_grouping_id() {
            // A global aggregate has its one group even before any row: an
            // empty input still gives `count(*) = 0`, as in Spark.
            let h = hash::finish(hash::SEED);
            tables[partition_of(h, partitions)].find_or_insert_stored(h, &[], &[]);
        }
        AggState {
            touched: vec![Vec::new(); partitions],
            partitions: tables,
            version: None,
        }
    }

    pub fn num_groups(&self) -> usize {
        self.partitions.iter().map(AggTable::len).sum()
    }

    pub fn memory_bytes(&self) -> usize {
        self.partitions.iter().map(AggTable::memory_bytes).sum()
    }

    /// The id of the batch the state was last updated by.
    pub fn version(&self) -> Option<u64> {
        self.version
    }

    pub fn num_updated(&self) -> usize {
        self.touched.iter().map(Vec::len).sum()
    }

    /// Runs the kernel over `batches` (one partial table per worker) and
    /// merges the partials into the state, partitions in parallel.
    pub fn update(
        &mut self,
        batch_id: u64,
        kernel: &Arc<dyn Kernel>,
        layout: &Arc<TableLayout>,
        batches: &[RecordBatch],
    ) -> Result<()> {
        let partials: Vec<AggTable> = batches
            .par_iter()
            .filter(|b| b.num_rows() > 0)
            .try_fold(
                || AggTable::new(layout.clone()),
                |mut t, b| -> Result<AggTable> {
                    kernel.aggregate(b, &mut t)?;
                    Ok(t)
                },
            )
            .collect::<Result<Vec<_>>>()?;
        let n = self.partitions.len();
        let buckets: Vec<Vec<Vec<usize>>> = partials
            .par_iter()
            .map(|t| {
                let mut b = vec![Vec::new(); n];
                for g in 0..t.len() {
                    b[partition_of(t.hash_of(g), n)].push(g);
                }
                b
            })
            .collect();
        self.touched = self
            .partitions
            .par_iter_mut()
            .enumerate()
            .map(|(p, table)| -> Result<Vec<usize>> {
                let mut touched = Vec::new();
                for (t, b) in partials.iter().zip(&buckets) {
                    touched.extend(table.merge_groups(t, b[p].iter().copied())?);
                }
                touched.sort_unstable();
                touched.dedup();
                Ok(touched)
            })
            .collect::<Result<Vec<_>>>()?;
        self.version = Some(batch_id);
        Ok(())
    }

    /// The groups to emit, as batches of the aggregate's output schema.
    pub fn emit(&self, schema: &SchemaRef, which: Emit) -> Result<Vec<RecordBatch>> {
        let mut out = Vec::new();
        for (p, table) in self.partitions.iter().enumerate() {
            let groups: Vec<usize> = match which {
                Emit::All => (0..table.len()).collect(),
                Emit::Updated => self.touched[p].clone(),
            };
            if groups.is_empty() {
                continue;
            }
            let cols: Vec<ArrayRef> = table.to_arrow(&groups);
            out.push(RecordBatch::try_new(schema.clone(), cols)?);
        }
        Ok(out)
    }
}
