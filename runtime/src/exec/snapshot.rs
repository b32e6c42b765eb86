//! The executor's state as bytes, for checkpoints: what each stateful
//! operator is (its schema, checked at restart), its state per partition
//! after a batch, and rebuilding the state from those bytes. The files are
//! the checkpoint module's business; this module does no I/O.

use std::collections::HashMap;

use rayon::prelude::*;
use sqlc_compiler::agg_table::AggTable;
use sqlc_compiler::physical::PhysPlan;

use super::dedup::DedupState;
use super::stream_join::StreamJoinState;
use super::{AggState, Executor, OpState, WatermarkState};
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

fn stateful_nodes<'a>(p: &'a PhysPlan, out: &mut Vec<&'a PhysPlan>) {
    if matches!(
        p,
        PhysPlan::HashAggregate { .. }
            | PhysPlan::Watermark { .. }
            | PhysPlan::Deduplicate { .. }
            | PhysPlan::StreamJoin { .. }
    ) {
        out.push(p);
    }
    for c in p.children() {
        stateful_nodes(c, out);
    }
}

/// The operator name a stream–stream join's state has (both sides' rows,
/// as Arrow IPC, with their matched flags).
pub const STREAM_JOIN: &str = "symmetricHashJoin";

impl Executor {
    /// The plan's stateful operators, in operator-id order.
    pub fn state_schemas(&self) -> Vec<StateSchema> {
        let mut nodes = Vec::new();
        stateful_nodes(&self.plan, &mut nodes);
        let mut out: Vec<StateSchema> = nodes
            .into_iter()
            .filter_map(|n| match n {
                PhysPlan::HashAggregate { id, layout, .. } => Some(StateSchema {
                    op: *id,
                    operator: "stateStoreSave".into(),
                    schema: layout.fingerprint(),
                }),
                PhysPlan::Deduplicate {
                    id,
                    input,
                    keys,
                    event_time,
                    within_watermark,
                } => {
                    let schema = input.schema();
                    let types: Vec<_> = keys
                        .iter()
                        .map(|&k| schema.field(k).data_type().clone())
                        .collect();
                    let timed = event_time.is_some();
                    Some(StateSchema {
                        op: *id,
                        operator: "dedupe".into(),
                        schema: format!(
                            "keys={types:?};eventTime={timed};withinWatermark={within_watermark}"
                        ),
                    })
                }
                PhysPlan::StreamJoin {
                    id,
                    left,
                    right,
                    how,
                    bounds,
                    ..
                } => Some(StateSchema {
                    op: *id,
                    operator: STREAM_JOIN.into(),
                    schema: format!(
                        "{how:?};left={:?};right={:?};bounds={bounds:?}",
                        left.schema().fields(),
                        right.schema().fields()
                    ),
                }),
                PhysPlan::Watermark { id, .. } => Some(StateSchema {
                    op: *id,
                    operator: "watermark".into(),
                    schema: "maxEventTime".into(),
                }),
                _ => None,
            })
            .collect();
        out.sort_by_key(|s| s.op);
        out
    }

    /// Every partition of every operator's state, as bytes.
    pub fn snapshot_state(&self) -> Result<Vec<StateSnapshot>> {
        let mut out = Vec::new();
        let mut ids: Vec<&usize> = self.state.keys().collect();
        ids.sort();
        for &op in ids {
            match &self.state[&op] {
                OpState::Aggregate(a) => {
                    let parts: Vec<StateSnapshot> = a
                        .partitions
                        .par_iter()
                        .enumerate()
                        .map(|(partition, t)| {
                            let mut bytes = Vec::new();
                            t.serialize_into(&mut bytes);
                            StateSnapshot {
                                op,
                                partition,
                                bytes,
                            }
                        })
                        .collect();
                    out.extend(parts);
                }
                OpState::Watermark(w) => out.push(StateSnapshot {
                    op,
                    partition: 0,
                    bytes: w.max_event_us.map_or(vec![], |m| m.to_le_bytes().to_vec()),
                }),
                OpState::Dedup(d) => out.push(StateSnapshot {
                    op,
                    partition: 0,
                    bytes: d.to_bytes(),
                }),
                OpState::StreamJoin(j) => out.push(StateSnapshot {
                    op,
                    partition: 0,
                    bytes: j.to_bytes()?,
                }),
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
        let mut nodes = Vec::new();
        stateful_nodes(&self.plan, &mut nodes);
        for node in nodes {
            match node {
                PhysPlan::HashAggregate {
                    id, layout, spec, ..
                } => {
                    let Some(parts) = by_op.remove(id) else {
                        continue;
                    };
                    // Partitions without a snapshot keep their initial table.
                    let mut state = AggState::new(layout, spec, self.partitions);
                    for (p, bytes) in parts {
                        if p >= self.partitions {
                            return Err(bad(*id, format!("partition {p} of {}", self.partitions)));
                        }
                        state.partitions[p] = AggTable::deserialize(layout.clone(), bytes)?;
                    }
                    self.state.insert(*id, OpState::Aggregate(state));
                }
                PhysPlan::Watermark { id, delay_us, .. } => {
                    let Some(parts) = by_op.remove(id) else {
                        continue;
                    };
                    let bytes = parts.first().map_or(&[][..], |p| p.1);
                    let max_event_us = match bytes.len() {
                        0 => None,
                        8 => Some(i64::from_le_bytes(bytes.try_into().expect("8 bytes"))),
                        n => return Err(bad(*id, format!("{n} bytes for a watermark"))),
                    };
                    let mut w = WatermarkState::new(*delay_us);
                    w.max_event_us = max_event_us;
                    self.state.insert(*id, OpState::Watermark(w));
                }
                PhysPlan::Deduplicate {
                    id,
                    input,
                    keys,
                    event_time,
                    within_watermark,
                } => {
                    let Some(parts) = by_op.remove(id) else {
                        continue;
                    };
                    let mut d =
                        DedupState::new(&input.schema(), keys, *event_time, *within_watermark)?;
                    let bytes = parts.first().map_or(&[][..], |p| p.1);
                    d.restore_bytes(bytes).map_err(|e| bad(*id, e))?;
                    self.state.insert(*id, OpState::Dedup(d));
                }
                PhysPlan::StreamJoin {
                    id,
                    left,
                    right,
                    left_keys,
                    right_keys,
                    left_time,
                    right_time,
                    ..
                } => {
                    let Some(parts) = by_op.remove(id) else {
                        continue;
                    };
                    let mut j = StreamJoinState::new(
                        left.schema(),
                        right.schema(),
                        *left_time,
                        *right_time,
                        left_keys,
                    )?;
                    let bytes = parts.first().map_or(&[][..], |p| p.1);
                    j.restore_bytes(bytes, left_keys, right_keys)
                        .map_err(|e| bad(*id, e))?;
                    self.state.insert(*id, OpState::StreamJoin(j));
                }
                _ => {}
            }
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
