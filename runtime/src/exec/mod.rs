//! Running a physical plan over one micro-batch (or, for a batch query, over
//! all of its input at once). The executor owns the state of the plan's
//! stateful operators between batches, keyed by operator id.

mod aggregate;
mod dedup;
mod join;
mod snapshot;
mod stream_join;
mod watermark;

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::ArrayRef;
use arrow::compute::{concat_batches, lexsort_to_indices, take, SortColumn, SortOptions};
use arrow::record_batch::RecordBatch;
use rayon::prelude::*;
use sqlc_compiler::physical::PhysPlan;
use sqlc_compiler::plan::SourceId;

pub use aggregate::{partition_of, AggState, Emit};
use dedup::DedupState;
use join::HashedSide;
pub use snapshot::{StateSchema, StateSnapshot, STREAM_JOIN};
use stream_join::{JoinSpec, StreamJoinState};
pub use watermark::{WatermarkPolicy, WatermarkState};

use crate::error::{Error, Result};

/// What one run of the plan sees.
pub struct BatchInput<'a> {
    /// The micro-batch's id (0 for a batch query): the version stateful
    /// operators record.
    pub batch_id: u64,
    /// The rows each source contributes to this batch.
    pub data: &'a HashMap<SourceId, Vec<RecordBatch>>,
    /// Which groups stateful aggregates emit.
    pub emit: Emit,
    /// The event-time watermark in force for this batch (µs), if any:
    /// stateful operators evict and (append mode) emit by it.
    pub watermark_us: Option<i64>,
    /// The watermark rows are judged late by: the previous batch's, as
    /// Spark (3.4+) does so that chained stateful operators agree.
    pub late_watermark_us: Option<i64>,
}

/// Per-operator progress, in the shape of Spark's `stateOperators`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OperatorMetrics {
    pub operator: String,
    pub num_rows_total: u64,
    pub num_rows_updated: u64,
    pub num_rows_removed: u64,
    pub memory_used_bytes: u64,
    /// Input rows (for windows: row–window pairs) dropped as late.
    pub num_rows_dropped_by_watermark: u64,
    pub num_shuffle_partitions: u64,
}

enum OpState {
    Aggregate(AggState),
    Watermark(WatermarkState),
    Dedup(DedupState),
    StreamJoin(StreamJoinState),
}

/// Runs one query's physical plan batch after batch.
pub struct Executor {
    plan: PhysPlan,
    partitions: usize,
    policy: WatermarkPolicy,
    state: HashMap<usize, OpState>,
    /// Results of subtrees without streaming scans (the static side of a
    /// stream–static join), computed once.
    static_sides: HashMap<usize, Arc<HashedSide>>,
    /// The operator whose late rows are kept (for a late-rows sink), and
    /// those of the last batch.
    keep_late_of: Option<usize>,
    late_rows: Vec<RecordBatch>,
}

fn is_static(p: &PhysPlan) -> bool {
    match p {
        PhysPlan::Scan { streaming, .. } => !streaming,
        p => p.children().iter().all(|c| is_static(c)),
    }
}

impl Executor {
    pub fn new(plan: PhysPlan, partitions: usize) -> Self {
        Executor {
            plan,
            partitions: partitions.max(1),
            policy: WatermarkPolicy::Min,
            state: HashMap::new(),
            static_sides: HashMap::new(),
            keep_late_of: None,
            late_rows: Vec::new(),
        }
    }

    /// Keeps the rows the plan's first watermark-dropping operator drops
    /// (see [`PhysPlan::late_rows_source`]), for [`Executor::take_late_rows`].
    pub fn keep_late_rows(mut self) -> Self {
        self.keep_late_of = self.plan.late_rows_source().map(|(id, _)| id);
        self
    }

    /// The late rows the last batch dropped (with [`Executor::keep_late_rows`]).
    pub fn take_late_rows(&mut self) -> Vec<RecordBatch> {
        std::mem::take(&mut self.late_rows)
    }

    /// How the watermarks of several inputs combine.
    pub fn with_watermark_policy(mut self, policy: WatermarkPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn plan(&self) -> &PhysPlan {
        &self.plan
    }

    /// Runs the plan on one batch's input.
    pub fn run(&mut self, input: &BatchInput) -> Result<Vec<RecordBatch>> {
        self.late_rows.clear();
        let mut ctx = Ctx {
            partitions: self.partitions,
            state: &mut self.state,
            statics: &mut self.static_sides,
            keep_late_of: self.keep_late_of,
            late_rows: &mut self.late_rows,
        };
        let out = eval(&self.plan, input, &mut ctx)?;
        Ok(out.into_iter().filter(|b| b.num_rows() > 0).collect())
    }

    /// The watermark the next batch uses: over the plan's watermark
    /// operators that have seen data, each one's max event time − delay,
    /// combined by the policy (the minimum by default).
    pub fn next_watermark(&self) -> Option<i64> {
        self.policy
            .combine(self.state.values().filter_map(|s| match s {
                OpState::Watermark(w) => w.watermark(),
                _ => None,
            }))
    }

    pub fn metrics(&self) -> Vec<OperatorMetrics> {
        let mut ids: Vec<&usize> = self.state.keys().collect();
        ids.sort();
        let partitions = self.partitions as u64;
        ids.into_iter()
            .filter_map(|id| match &self.state[id] {
                OpState::Aggregate(a) => Some(OperatorMetrics {
                    operator: "stateStoreSave".into(),
                    num_rows_total: a.num_groups() as u64,
                    num_rows_updated: a.num_updated() as u64,
                    num_rows_removed: a.num_removed(),
                    memory_used_bytes: a.memory_bytes() as u64,
                    num_rows_dropped_by_watermark: a.num_late(),
                    num_shuffle_partitions: partitions,
                }),
                OpState::Dedup(d) => Some(OperatorMetrics {
                    operator: "dedupe".into(),
                    num_rows_total: d.len() as u64,
                    num_rows_updated: d.updated,
                    num_rows_removed: d.removed,
                    memory_used_bytes: d.memory_bytes() as u64,
                    num_rows_dropped_by_watermark: d.late,
                    num_shuffle_partitions: partitions,
                }),
                OpState::StreamJoin(j) => Some(OperatorMetrics {
                    operator: "symmetricHashJoin".into(),
                    num_rows_total: j.len() as u64,
                    num_rows_updated: j.updated,
                    num_rows_removed: j.removed,
                    memory_used_bytes: j.memory_bytes() as u64,
                    num_rows_dropped_by_watermark: j.late,
                    num_shuffle_partitions: partitions,
                }),
                OpState::Watermark(_) => None,
            })
            .collect()
    }
}

struct Ctx<'a> {
    partitions: usize,
    state: &'a mut HashMap<usize, OpState>,
    statics: &'a mut HashMap<usize, Arc<HashedSide>>,
    keep_late_of: Option<usize>,
    late_rows: &'a mut Vec<RecordBatch>,
}

fn eval(node: &PhysPlan, input: &BatchInput, ctx: &mut Ctx) -> Result<Vec<RecordBatch>> {
    match node {
        PhysPlan::Scan { source, schema, .. } => {
            let batches = input.data.get(source).cloned().unwrap_or_default();
            for b in &batches {
                if b.schema().fields() != schema.fields() {
                    return Err(Error::internal(format!(
                        "a source produced a batch with schema {:?}, expected {:?}",
                        b.schema(),
                        schema
                    )));
                }
            }
            Ok(batches)
        }
        PhysPlan::Pipeline {
            input: child,
            kernel,
        } => {
            let batches = eval(child, input, ctx)?;
            let out: Vec<RecordBatch> = batches
                .par_iter()
                .map(|b| kernel.collect(b).map_err(Error::from))
                .collect::<Result<_>>()?;
            Ok(out.into_iter().filter(|b| b.num_rows() > 0).collect())
        }
        PhysPlan::HashAggregate {
            id,
            input: child,
            kernel,
            spec,
            layout,
            schema,
        } => {
            let batches = eval(child, input, ctx)?;
            let partitions = ctx.partitions;
            let st = ctx
                .state
                .entry(*id)
                .or_insert_with(|| OpState::Aggregate(AggState::new(layout, spec, partitions)));
            let OpState::Aggregate(agg) = st else {
                unreachable!("operator ids are unique")
            };
            // A static subtree (a table joined to a stream) is a batch
            // query: every group, whatever the stream's output mode.
            let emit = if is_static(node) {
                Emit::All
            } else {
                input.emit
            };
            // Complete mode keeps every group and so drops no late row
            // (Spark filters late rows in append and update modes only).
            let late_by = input.late_watermark_us.filter(|_| emit != Emit::All);
            let keep_late = ctx.keep_late_of == Some(*id);
            let late = agg.update(input.batch_id, kernel, layout, &batches, late_by, keep_late)?;
            ctx.late_rows.extend(late);
            agg.emit(schema, emit, input.watermark_us)
        }
        PhysPlan::HashJoin {
            left,
            right,
            how,
            left_probe,
            right_build,
            right_probe,
            schema,
        } => {
            let key = right.as_ref() as *const PhysPlan as usize;
            let side = match ctx.statics.get(&key) {
                Some(s) => s.clone(),
                None => {
                    let rb = eval(right, input, ctx)?;
                    let side = Arc::new(HashedSide::build(
                        &right.schema(),
                        &rb,
                        right_build,
                        right_probe,
                    )?);
                    if is_static(right) {
                        ctx.statics.insert(key, side.clone());
                    }
                    side
                }
            };
            let lb = eval(left, input, ctx)?;
            side.probe(&left.schema(), &lb, left_probe, *how, schema)
        }
        PhysPlan::StreamJoin {
            id,
            left,
            right,
            how,
            left_keys,
            right_keys,
            condition,
            left_time,
            right_time,
            bounds,
            schema,
        } => {
            let lb = eval(left, input, ctx)?;
            let rb = eval(right, input, ctx)?;
            let st = match ctx.state.entry(*id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(OpState::StreamJoin(StreamJoinState::new(
                        left.schema(),
                        right.schema(),
                        *left_time,
                        *right_time,
                        left_keys,
                    )?))
                }
            };
            let OpState::StreamJoin(j) = st else {
                unreachable!("operator ids are unique")
            };
            let spec = JoinSpec {
                how: *how,
                left_keys,
                right_keys,
                condition: condition.as_ref(),
                bounds: *bounds,
                out: schema,
            };
            j.run(&spec, lb, rb, input.late_watermark_us, input.watermark_us)
        }
        PhysPlan::Sort {
            input: child,
            keys,
            order,
        } => {
            let batches = eval(child, input, ctx)?;
            let schema = child.schema();
            let all = concat_batches(&schema, &batches)?;
            if all.num_rows() == 0 {
                return Ok(vec![]);
            }
            let k = keys.collect(&all)?;
            let cols: Vec<SortColumn> = k
                .columns()
                .iter()
                .zip(order)
                .map(|(c, (asc, nulls_first))| SortColumn {
                    values: c.clone(),
                    options: Some(SortOptions {
                        descending: !asc,
                        nulls_first: *nulls_first,
                    }),
                })
                .collect();
            let idx = lexsort_to_indices(&cols, None)?;
            let cols: Vec<ArrayRef> = all
                .columns()
                .iter()
                .map(|c| take(c.as_ref(), &idx, None))
                .collect::<Result<_, _>>()?;
            Ok(vec![RecordBatch::try_new(schema, cols)?])
        }
        PhysPlan::Limit { input: child, n } => {
            let mut left = *n;
            let mut out = Vec::new();
            for b in eval(child, input, ctx)? {
                if left == 0 {
                    break;
                }
                let take_n = left.min(b.num_rows());
                out.push(b.slice(0, take_n));
                left -= take_n;
            }
            Ok(out)
        }
        PhysPlan::Watermark {
            id,
            input: child,
            column,
            delay_us,
        } => {
            // Rows pass unchanged: late rows are dropped by the stateful
            // operators above, each by its own rule, as in Spark.
            let batches = eval(child, input, ctx)?;
            let st = ctx
                .state
                .entry(*id)
                .or_insert_with(|| OpState::Watermark(WatermarkState::new(*delay_us)));
            if let OpState::Watermark(w) = st {
                w.observe(&batches, *column);
            }
            Ok(batches)
        }
        PhysPlan::Deduplicate {
            id,
            input: child,
            keys,
            event_time,
            within_watermark,
        } => {
            let batches = eval(child, input, ctx)?;
            let schema = child.schema();
            let st = match ctx.state.entry(*id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(OpState::Dedup(
                    DedupState::new(&schema, keys, *event_time, *within_watermark)?,
                )),
            };
            let OpState::Dedup(d) = st else {
                unreachable!("operator ids are unique")
            };
            d.keep_late = ctx.keep_late_of == Some(*id);
            let out = d.run(
                &schema,
                batches,
                input.late_watermark_us,
                input.watermark_us,
            )?;
            ctx.late_rows.append(&mut d.late_rows);
            Ok(out)
        }
    }
}
