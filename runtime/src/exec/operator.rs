//! What every stateful operator is to the executor: a [`StatefulOperator`]
//! runs a batch over its inputs' rows, reports Spark's `stateOperators`
//! metrics, names the layout of its state, snapshots and restores that
//! state for checkpoints, and says which watermark it asks for. Each
//! operator lives in its own module (aggregate, dedup, stream_join,
//! watermark); [`for_node`] is the one place that maps a plan node to its
//! operator, so adding an operator is: a `PhysPlan` variant, its module
//! with this trait, and a line here.

use arrow::record_batch::RecordBatch;
use sqlc_compiler::physical::PhysPlan;

use super::aggregate::AggregateOp;
use super::dedup::DedupOp;
use super::stream_join::StreamJoinOp;
use super::watermark::{EventTimeStats, WatermarkOp};
use super::{Emit, OperatorMetrics};
use crate::error::Result;

/// What one batch tells a stateful operator.
#[derive(Clone, Copy, Debug)]
pub struct OpBatch {
    /// The batch id: the version of the state after this batch.
    pub batch_id: u64,
    /// Which groups aggregates emit (from the output mode).
    pub emit: Emit,
    /// The watermark in force: operators evict (and, in append mode,
    /// emit) by it.
    pub watermark_us: Option<i64>,
    /// The watermark rows are judged late by (the previous batch's).
    pub late_watermark_us: Option<i64>,
    /// Whether the rows dropped as late are kept (for a late-rows sink).
    pub keep_late: bool,
    /// Whether the operator records what the batch changes, for
    /// [`StatefulOperator::take_changes`] (a query with a checkpoint).
    pub track_changes: bool,
}

/// What one batch of a stateful operator gives.
#[derive(Default)]
pub struct OpOutput {
    pub rows: Vec<RecordBatch>,
    /// The input rows dropped as late, when [`OpBatch::keep_late`].
    pub late_rows: Vec<RecordBatch>,
}

/// A stateful operator: its state, and what it needs to run.
pub trait StatefulOperator: Send {
    /// Spark's name for it, in progress and in the checkpoint's schema
    /// (`stateStoreSave`, `dedupe`, `symmetricHashJoin`, `watermark`).
    fn name(&self) -> &'static str;

    /// Runs one batch over its inputs' rows (one list per child, in the
    /// order of [`PhysPlan::children`]).
    fn run(&mut self, inputs: Vec<Vec<RecordBatch>>, batch: &OpBatch) -> Result<OpOutput>;

    /// The last batch's figures, for `stateOperators`; `None` for an
    /// operator Spark does not list there (the watermark).
    /// `num_shuffle_partitions` is the executor's to fill.
    fn metrics(&self) -> Option<OperatorMetrics>;

    /// The layout of the state, recorded in the checkpoint: a restart with
    /// another layout is refused.
    fn state_schema(&self) -> String;

    /// The state as bytes, per partition.
    fn snapshot(&self) -> Result<Vec<(usize, Vec<u8>)>>;

    /// Replaces the state by snapshots (partition, bytes); partitions
    /// without one stay empty.
    fn restore(&mut self, parts: Vec<(usize, &[u8])>) -> std::result::Result<(), String>;

    /// What the batches run since the last call changed (recorded when
    /// [`OpBatch::track_changes`]), per changed partition, as bytes
    /// [`StatefulOperator::apply_changes`] takes: a state store's delta,
    /// whose size follows the keys changed, not the state. `None` when the
    /// operator records no changes or its record is incomplete: the store
    /// then writes snapshots.
    fn take_changes(&mut self) -> Result<Option<Vec<(usize, Vec<u8>)>>> {
        Ok(None)
    }

    /// Applies one partition's changes, as [`StatefulOperator::take_changes`]
    /// gave them, to restored state (restore = snapshot + deltas in order).
    fn apply_changes(
        &mut self,
        partition: usize,
        _bytes: &[u8],
    ) -> std::result::Result<(), String> {
        Err(format!(
            "{} keeps no change records (partition {partition})",
            self.name()
        ))
    }

    /// The watermark this operator asks the next batch to use (watermark
    /// operators, once they have seen data).
    fn watermark(&self) -> Option<i64> {
        None
    }

    /// The event times of the last batch (watermark operators).
    fn event_time_stats(&self) -> Option<EventTimeStats> {
        None
    }
}

/// The operator of a stateful plan node, with empty state; `None` for a
/// node that keeps no state.
pub fn for_node(node: &PhysPlan, partitions: usize) -> Result<Option<Box<dyn StatefulOperator>>> {
    Ok(Some(match node {
        PhysPlan::HashAggregate { .. } => Box::new(AggregateOp::new(node, partitions)?),
        PhysPlan::Watermark { .. } => Box::new(WatermarkOp::new(node)?),
        PhysPlan::Deduplicate { .. } => Box::new(DedupOp::new(node)?),
        PhysPlan::StreamJoin { .. } => Box::new(StreamJoinOp::new(node)?),
        _ => return Ok(None),
    }))
}

/// The plan's stateful nodes, from the root down.
pub fn stateful_nodes(p: &PhysPlan) -> Vec<&PhysPlan> {
    fn walk<'a>(p: &'a PhysPlan, out: &mut Vec<&'a PhysPlan>) {
        if p.state_id().is_some() {
            out.push(p);
        }
        for c in p.children() {
            walk(c, out);
        }
    }
    let mut out = Vec::new();
    walk(p, &mut out);
    out
}

/// A plan node handed to the wrong operator's constructor: a bug.
pub(super) fn wrong_node(op: &str, node: &PhysPlan) -> crate::error::Error {
    crate::error::Error::internal(format!(
        "the {op} operator was built for another plan node: {}",
        node.display_tree().lines().next().unwrap_or_default()
    ))
}
