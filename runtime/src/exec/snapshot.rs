//! The executor's state as bytes, for checkpoints: what each stateful
//! operator is (its schema, checked at restart), its state per partition
//! after a batch — whole (a snapshot) or what the batch changed (a delta,
//! from [`StatefulOperator::take_changes`]) — and rebuilding the state from
//! a snapshot and the deltas after it. The files are the checkpoint
//! module's business; this module does no I/O.

use std::collections::HashMap;

use super::operator::{for_node, stateful_nodes};
use super::Executor;
use crate::error::{Error, Result};

/// What a stateful operator keeps, as a checkpoint records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateSchema {
    pub op: usize,
    /// Spark's operator name: `stateStoreSave`, `dedupe`, `watermark`.
    pub operator: String,
    /// The layout of its state; a restart with another layout is refused.
    pub schema: String,
}

/// One partition of one operator's state: whole, or (`delta`) the changes
/// of the batches since the last one saved.
#[derive(Clone, Debug)]
pub struct StateSnapshot {
    pub op: usize,
    pub partition: usize,
    pub bytes: Vec<u8>,
    pub delta: bool,
}

/// One partition's stored state, as a restart reads it: a snapshot (`None`:
/// the operator's initial state) and the deltas written after it, oldest
/// first.
pub struct StoredState<'a> {
    pub op: usize,
    pub partition: usize,
    pub snapshot: Option<&'a [u8]>,
    pub deltas: Vec<&'a [u8]>,
}

/// The operator name a stream–stream join's state has (both sides' rows,
/// as Arrow IPC, with their matched flags).
pub const STREAM_JOIN: &str = "symmetricHashJoin";

impl Executor {
    /// The plan's stateful operators, in operator-id order.
    pub fn state_schemas(&self) -> Vec<StateSchema> {
        let mut out: Vec<StateSchema> = stateful_nodes(&self.plan)
            .into_iter()
            .filter_map(|n| {
                let op = for_node(n, self.partitions).ok()??;
                Some(StateSchema {
                    op: n.state_id()?,
                    operator: op.name().into(),
                    schema: op.state_schema(),
                })
            })
            .collect();
        out.sort_by_key(|s| s.op);
        out
    }

    /// Has the operators record what each batch changes, for
    /// [`Executor::checkpoint_state`].
    pub fn track_state_changes(&mut self) {
        self.track_changes = true;
    }

    /// The state to checkpoint after a batch: per operator, the deltas of
    /// the partitions its batches changed since the last call, or — when
    /// `snapshot_due(op)`, or the operator has no complete record of its
    /// changes — a snapshot of every partition.
    pub fn checkpoint_state(
        &mut self,
        snapshot_due: impl Fn(usize) -> bool,
    ) -> Result<Vec<StateSnapshot>> {
        let mut out = Vec::new();
        for (&op, state) in &mut self.state {
            let changes = state.take_changes()?;
            let (parts, delta) = match changes {
                Some(c) if !snapshot_due(op) => (c, true),
                _ => (state.snapshot()?, false),
            };
            out.extend(parts.into_iter().map(|(partition, bytes)| StateSnapshot {
                op,
                partition,
                bytes,
                delta,
            }));
        }
        Ok(out)
    }

    /// Rebuilds the operators' state from what a checkpoint stored: each
    /// partition's snapshot, then its deltas in order; operators without
    /// stored state start empty.
    pub fn restore_state<'a>(
        &mut self,
        parts: impl IntoIterator<Item = StoredState<'a>>,
    ) -> Result<()> {
        let mut by_op: HashMap<usize, Vec<StoredState<'a>>> = HashMap::new();
        for p in parts {
            by_op.entry(p.op).or_default().push(p);
        }
        let bad =
            |op: usize, why: String| Error::internal(format!("state of operator {op}: {why}"));
        for node in stateful_nodes(&self.plan) {
            let Some(id) = node.state_id() else { continue };
            let Some(parts) = by_op.remove(&id) else {
                continue;
            };
            let Some(mut op) = for_node(node, self.partitions)? else {
                continue;
            };
            let snapshots = parts
                .iter()
                .filter_map(|p| Some((p.partition, p.snapshot?)))
                .collect();
            op.restore(snapshots).map_err(|e| bad(id, e))?;
            for p in &parts {
                for d in &p.deltas {
                    op.apply_changes(p.partition, d)
                        .map_err(|e| bad(id, format!("partition {}: {e}", p.partition)))?;
                }
            }
            self.state.insert(id, op);
        }
        if let Some(op) = by_op.keys().next() {
            return Err(bad(*op, "the query has no such stateful operator".into()));
        }
        Ok(())
    }
}

impl Executor {
    /// Sets the number of state partitions (a restarted query keeps its
    /// checkpoint's); only before the first batch.
    pub fn set_state_partitions(&mut self, n: usize) {
        debug_assert!(
            self.state.is_empty(),
            "state partitions are fixed once state exists"
        );
        self.partitions = n.max(1);
    }
}

impl Executor {
    /// The number of state partitions (`spark.sql.shuffle.partitions`).
    pub fn state_partitions(&self) -> usize {
        self.partitions
    }
}
