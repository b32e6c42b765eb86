//! The executor's state as bytes, for checkpoints: what each stateful
//! operator is (its schema, checked at restart), its state per partition
//! after a batch, and rebuilding the state from those bytes. The files are
//! the checkpoint module's business; this module does no I/O.

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

/// One partition of one operator's state.
#[derive(Clone, Debug)]
pub struct StateSnapshot {
    pub op: usize,
    pub partition: usize,
    pub bytes: Vec<u8>,
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

    /// Every partition of every operator's state, as bytes.
    pub fn snapshot_state(&self) -> Result<Vec<StateSnapshot>> {
        let mut out = Vec::new();
        for (&op, state) in &self.state {
            for (partition, bytes) in state.snapshot()? {
                out.push(StateSnapshot {
                    op,
                    partition,
                    bytes,
                });
            }
        }
        Ok(out)
    }

    /// Rebuilds the operators' state from snapshots (operator, partition,
    /// bytes); operators without a snapshot start empty.
    pub fn restore_state<'a>(
        &mut self,
        parts: impl IntoIterator<Item = (usize, usize, &'a [u8])>,
    ) -> Result<()> {
        let mut by_op: HashMap<usize, Vec<(usize, &[u8])>> = HashMap::new();
        for (op, partition, bytes) in parts {
            by_op.entry(op).or_default().push((partition, bytes));
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
            op.restore(parts).map_err(|e| bad(id, e))?;
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
