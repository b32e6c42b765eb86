//! The hash aggregate operator: compiled kernels fill one partial table per
//! rayon worker, and the partials merge into the operator's state, one
//! partition per task, in parallel. The state store keeps the tables between
//! micro-batches.

use std::sync::Arc;

use arrow::array::ArrayRef;
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use rayon::prelude::*;
use sqlc_compiler::agg_table::{event_time_of, hash, AggTable, LateRows, TableLayout};
use sqlc_compiler::ir::AggSpec;
use sqlc_compiler::partition::{reads_partition, with_partition, Partition};
use sqlc_compiler::physical::PhysPlan;
use sqlc_compiler::Kernel;

use super::operator::{wrong_node, OpBatch, OpOutput, StatefulOperator};
use super::{is_static, OperatorMetrics};
use crate::error::Result;

/// Which groups a batch emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emit {
    /// Every group in the state (complete mode, and batch queries).
    All,
    /// Only the groups this batch changed (update mode).
    Updated,
    /// Only the groups the watermark has closed, each once (append mode):
    /// windows whose end, or event times, are at or behind it.
    Closed,
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
    /// Rows the last batch dropped as late, and groups it evicted.
    late: u64,
    removed: u64,
    updated: usize,
    /// With change tracking, per partition: the groups the last batch
    /// changed and the keys it evicted, until taken for a checkpoint.
    changes: Option<Vec<Changes>>,
    /// A batch ran while the last one's changes were not taken: the record
    /// is incomplete (the next checkpoint writes a snapshot).
    changes_lost: bool,
}

/// What a batch changed in one partition: the groups it added or updated
/// (their whole state) and the keys it evicted.
#[derive(Debug)]
struct Changes {
    upserts: AggTable,
    removed: AggTable,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.upserts.is_empty() && self.removed.is_empty()
    }

    /// `u64` length of the upserts' bytes, the upserts, the removed keys.
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![0; 8];
        self.upserts.serialize_into(&mut out);
        let n = (out.len() - 8) as u64;
        out[..8].copy_from_slice(&n.to_le_bytes());
        self.removed.serialize_into(&mut out);
        out
    }

    fn from_bytes(layout: &Arc<TableLayout>, bytes: &[u8]) -> std::result::Result<Self, String> {
        let n = bytes
            .get(..8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
            .ok_or("truncated aggregate changes")?;
        let rest = &bytes[8..];
        let (up, rm) = usize::try_from(n)
            .ok()
            .and_then(|n| rest.split_at_checked(n))
            .ok_or("aggregate changes: bad length")?;
        let table = |b| AggTable::deserialize(layout.clone(), b).map_err(|e| e.to_string());
        Ok(Changes {
            upserts: table(up)?,
            removed: table(rm)?,
        })
    }
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
            late: 0,
            removed: 0,
            updated: 0,
            changes: None,
            changes_lost: false,
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

    /// Groups the last batch changed.
    pub fn num_updated(&self) -> usize {
        self.updated
    }

    /// Rows (row–window pairs) the last batch dropped as late.
    pub fn num_late(&self) -> u64 {
        self.late
    }

    /// Groups the last batch evicted.
    pub fn num_removed(&self) -> u64 {
        self.removed
    }

    /// Runs the kernel over `batches` (one partial table per worker) and
    /// merges the partials into the state, partitions in parallel. With
    /// `keep_late`, returns the input rows dropped as late (for a late-rows
    /// sink), in input order.
    pub fn update(
        &mut self,
        batch_id: u64,
        kernel: &Arc<dyn Kernel>,
        layout: &Arc<TableLayout>,
        batches: &[RecordBatch],
        watermark: Option<i64>,
        keep_late: bool,
    ) -> Result<Vec<RecordBatch>> {
        // Each partial table beside the late-row context its kernel calls
        // judge, count and note late rows in.
        let fresh = || {
            let late = LateRows::new(watermark.filter(|_| layout.event_time_key.is_some()));
            (AggTable::new(layout.clone()), late)
        };
        type Partial = (AggTable, LateRows);
        let run = |(mut t, mut late): Partial, (i, b): (usize, &RecordBatch)| -> Result<Partial> {
            if keep_late {
                late.record(i as u32);
            }
            if reads_partition(kernel.spec()) {
                // Each batch a partition of its own (see
                // `sqlc_compiler::partition`).
                let p = Partition {
                    index: i as u32,
                    ..Partition::default()
                };
                with_partition(&p, || kernel.aggregate(b, &mut t, &mut late))?;
            } else {
                kernel.aggregate(b, &mut t, &mut late)?;
            }
            Ok((t, late))
        };
        let inputs = batches
            .par_iter()
            .enumerate()
            .filter(|(_, b)| b.num_rows() > 0);
        // A few batches (an inline table's slices, a small micro-batch)
        // each get their own partial, merged in order, as Spark merges one
        // partial per input partition: statistics then split as Spark's
        // do. More batches share a partial per worker.
        let few = batches.iter().filter(|b| b.num_rows() > 0).count()
            <= rayon::current_num_threads().max(crate::catalog::INLINE_TABLE_SLICES);
        let (partials, mut lates): (Vec<AggTable>, Vec<LateRows>) = if few {
            inputs
                .map(|ib| run(fresh(), ib))
                .collect::<Result<Vec<_>>>()?
        } else {
            inputs.try_fold(fresh, run).collect::<Result<Vec<_>>>()?
        }
        .into_iter()
        .unzip();
        let late_rows = if keep_late {
            let noted = lates.iter_mut().flat_map(LateRows::take_noted);
            gather_rows(batches, noted)?
        } else {
            Vec::new()
        };
        self.late = lates.iter().map(LateRows::count).sum();
        self.removed = 0;
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
        self.updated = self.touched.iter().map(Vec::len).sum();
        self.version = Some(batch_id);
        Ok(late_rows)
    }

    /// The groups to emit, as batches of the aggregate's output schema;
    /// then, with a watermark on a key, the groups it has closed are
    /// evicted (after being emitted, in append mode). Complete mode keeps
    /// every group, as Spark does. With `track`, what the batch changed is
    /// recorded for [`AggState::take_changes`].
    pub fn emit(
        &mut self,
        schema: &SchemaRef,
        which: Emit,
        watermark: Option<i64>,
        track: bool,
    ) -> Result<Vec<RecordBatch>> {
        let closing = match (self.layout_event_time_key(), watermark) {
            (Some(k), Some(wm)) if which != Emit::All => Some((k, wm)),
            _ => None,
        };
        if track {
            self.record_changes(closing)?;
        }
        let mut out = Vec::new();
        for (p, table) in self.partitions.iter().enumerate() {
            let groups: Vec<usize> = match which {
                Emit::All => (0..table.len()).collect(),
                Emit::Updated => self.touched[p].clone(),
                Emit::Closed => match closing {
                    Some((k, wm)) => (0..table.len())
                        .filter(|&g| is_closed(table, g, k, wm))
                        .collect(),
                    None => Vec::new(),
                },
            };
            if groups.is_empty() {
                continue;
            }
            let cols: Vec<ArrayRef> = table.to_arrow(&groups);
            // A row count, for an aggregate with no column (`SELECT 1 …
            // HAVING true` aggregates nothing).
            let options =
                arrow::record_batch::RecordBatchOptions::new().with_row_count(Some(groups.len()));
            out.push(RecordBatch::try_new_with_options(
                schema.clone(),
                cols,
                &options,
            )?);
        }
        if let Some((k, wm)) = closing {
            let before = self.num_groups();
            self.partitions
                .par_iter_mut()
                .for_each(|t| t.retain(|t, g| !is_closed(t, g, k, wm)));
            self.removed = (before - self.num_groups()) as u64;
            // Group indexes changed; nothing of this batch is left to emit.
            self.touched.iter_mut().for_each(Vec::clear);
        }
        Ok(out)
    }

    /// Records the groups the batch changed (those `closing` will evict
    /// as removed), before eviction renumbers them.
    fn record_changes(&mut self, closing: Option<(usize, i64)>) -> Result<()> {
        self.changes_lost |= self.changes.is_some();
        let changes = self
            .partitions
            .par_iter()
            .zip(&self.touched)
            .map(|(table, touched)| -> Result<Changes> {
                let closed = |g: usize| closing.is_some_and(|(k, wm)| is_closed(table, g, k, wm));
                let removed = match closing {
                    Some(_) => table.copy_groups((0..table.len()).filter(|&g| closed(g)))?,
                    None => AggTable::new(table.layout().clone()),
                };
                Ok(Changes {
                    upserts: table.copy_groups(touched.iter().copied().filter(|&g| !closed(g)))?,
                    removed,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.changes = Some(changes);
        Ok(())
    }

    /// The changes recorded since the last call, per changed partition, as
    /// bytes; `None` if a batch's record was lost.
    pub fn take_changes(&mut self) -> Option<Vec<(usize, Vec<u8>)>> {
        let changes = self.changes.take();
        if std::mem::take(&mut self.changes_lost) {
            return None;
        }
        Some(
            changes
                .unwrap_or_default()
                .par_iter()
                .enumerate()
                .filter(|(_, c)| !c.is_empty())
                .map(|(p, c)| (p, c.to_bytes()))
                .collect(),
        )
    }

    /// Applies [`AggState::take_changes`]'s bytes of one partition.
    pub fn apply_changes(
        &mut self,
        layout: &Arc<TableLayout>,
        partition: usize,
        bytes: &[u8],
    ) -> std::result::Result<(), String> {
        let n = self.partitions.len();
        let table = self
            .partitions
            .get_mut(partition)
            .ok_or_else(|| format!("partition {partition} of {n}"))?;
        let c = Changes::from_bytes(layout, bytes)?;
        table
            .apply_changes(&c.upserts, &c.removed)
            .map_err(|e| e.to_string())
    }

    fn layout_event_time_key(&self) -> Option<usize> {
        self.partitions.first()?.layout().event_time_key
    }
}

/// The hash aggregate as a stateful operator: its state, and the kernel,
/// layout and output schema of its plan node.
pub struct AggregateOp {
    pub state: AggState,
    kernel: Arc<dyn Kernel>,
    layout: Arc<TableLayout>,
    spec: AggSpec,
    schema: SchemaRef,
    /// A static subtree (a table joined to a stream) is a batch query: it
    /// emits every group, whatever the stream's output mode.
    static_input: bool,
}

impl AggregateOp {
    pub fn new(node: &PhysPlan, partitions: usize) -> Result<Self> {
        let PhysPlan::HashAggregate {
            kernel,
            spec,
            layout,
            schema,
            ..
        } = node
        else {
            return Err(wrong_node("aggregate", node));
        };
        Ok(AggregateOp {
            state: AggState::new(layout, spec, partitions),
            kernel: kernel.clone(),
            layout: layout.clone(),
            spec: spec.clone(),
            schema: schema.clone(),
            static_input: is_static(node),
        })
    }
}

impl StatefulOperator for AggregateOp {
    fn name(&self) -> &'static str {
        "stateStoreSave"
    }

    fn run(&mut self, inputs: Vec<Vec<RecordBatch>>, batch: &OpBatch) -> Result<OpOutput> {
        let rows: Vec<RecordBatch> = inputs.into_iter().flatten().collect();
        let emit = if self.static_input {
            Emit::All
        } else {
            batch.emit
        };
        // Complete mode keeps every group and so drops no late row
        // (Spark filters late rows in append and update modes only).
        let late_by = batch.late_watermark_us.filter(|_| emit != Emit::All);
        let late_rows = self.state.update(
            batch.batch_id,
            &self.kernel,
            &self.layout,
            &rows,
            late_by,
            batch.keep_late,
        )?;
        let rows = self
            .state
            .emit(&self.schema, emit, batch.watermark_us, batch.track_changes)?;
        Ok(OpOutput { rows, late_rows })
    }

    fn metrics(&self) -> Option<OperatorMetrics> {
        let a = &self.state;
        Some(OperatorMetrics::new(
            self.name(),
            a.num_groups() as u64,
            a.num_updated() as u64,
            a.num_removed(),
            a.memory_bytes() as u64,
            a.num_late(),
        ))
    }

    fn state_schema(&self) -> String {
        self.layout.fingerprint()
    }

    fn snapshot(&self) -> Result<Vec<(usize, Vec<u8>)>> {
        Ok(self
            .state
            .partitions
            .par_iter()
            .enumerate()
            .map(|(partition, t)| {
                let mut bytes = Vec::new();
                t.serialize_into(&mut bytes);
                (partition, bytes)
            })
            .collect())
    }

    fn restore(&mut self, parts: Vec<(usize, &[u8])>) -> std::result::Result<(), String> {
        // Partitions without a snapshot keep their initial table.
        let n = self.state.partitions.len();
        self.state = AggState::new(&self.layout, &self.spec, n);
        for (p, bytes) in parts {
            if p >= n {
                return Err(format!("partition {p} of {n}"));
            }
            self.state.partitions[p] =
                AggTable::deserialize(self.layout.clone(), bytes).map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    fn take_changes(&mut self) -> Result<Option<Vec<(usize, Vec<u8>)>>> {
        Ok(self.state.take_changes())
    }

    fn apply_changes(&mut self, partition: usize, bytes: &[u8]) -> std::result::Result<(), String> {
        self.state.apply_changes(&self.layout, partition, bytes)
    }
}

/// Whether the watermark has closed group `g`: its event-time key (a
/// window: its end) is at or behind the watermark.
fn is_closed(t: &AggTable, g: usize, key: usize, wm: i64) -> bool {
    event_time_of(t.layout(), t.key_row(g), key).is_some_and(|e| e <= wm)
}

/// The rows `(batch, row)` of `batches`, in input order, one output batch
/// per input batch that has some.
pub(crate) fn gather_rows(
    batches: &[RecordBatch],
    rows: impl Iterator<Item = (u32, u32)>,
) -> Result<Vec<RecordBatch>> {
    let mut rows: Vec<(u32, u32)> = rows.collect();
    rows.sort_unstable();
    let mut out = Vec::new();
    for chunk in rows.chunk_by(|a, b| a.0 == b.0) {
        let b = &batches[chunk[0].0 as usize];
        let idx = arrow::array::UInt32Array::from_iter_values(chunk.iter().map(|r| r.1));
        let cols = b
            .columns()
            .iter()
            .map(|c| arrow::compute::take(c.as_ref(), &idx, None))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(RecordBatch::try_new(b.schema(), cols)?);
    }
    Ok(out)
}
