//! Running a physical plan over one micro-batch (or, for a batch query, over
//! all of its input at once). The executor owns the state of the plan's
//! stateful operators between batches, keyed by operator id.

mod aggregate;
mod dedup;
mod generate;
mod join;
mod keyed;
mod limit;
pub mod operator;
mod snapshot;
mod stream_join;
mod watermark;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use arrow::array::ArrayRef;
use arrow::compute::{concat_batches, lexsort_to_indices, take, SortColumn, SortOptions};
use arrow::record_batch::RecordBatch;
use rayon::prelude::*;
use sqlc_compiler::partition::{reads_partition, set_file, with_partition, InputFile, Partition};
use sqlc_compiler::physical::PhysPlan;
use sqlc_compiler::plan::SourceId;

pub use aggregate::{partition_of, AggState, Emit};
use join::HashedSide;
use operator::{OpBatch, StatefulOperator};
pub use snapshot::{StateSchema, StateSnapshot, StoredState, STREAM_JOIN};
pub use watermark::{EventTimeStats, WatermarkPolicy, WatermarkState};

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

impl OperatorMetrics {
    /// An operator's figures: rows in state, updated, removed (evicted) by
    /// the last batch, bytes held, and input rows it dropped as late. The
    /// executor fills in the shuffle partitions.
    pub fn new(
        operator: &str,
        total: u64,
        updated: u64,
        removed: u64,
        memory: u64,
        late: u64,
    ) -> Self {
        OperatorMetrics {
            operator: operator.into(),
            num_rows_total: total,
            num_rows_updated: updated,
            num_rows_removed: removed,
            memory_used_bytes: memory,
            num_rows_dropped_by_watermark: late,
            num_shuffle_partitions: 0,
        }
    }
}

/// Runs one query's physical plan batch after batch.
pub struct Executor {
    plan: PhysPlan,
    partitions: usize,
    policy: WatermarkPolicy,
    /// The stateful operators, by operator id.
    state: BTreeMap<usize, Box<dyn StatefulOperator>>,
    /// Results of subtrees without streaming scans (the static side of a
    /// stream–static join), computed once, by hash join id.
    static_sides: HashMap<usize, Arc<HashedSide>>,
    /// The operator whose late rows are kept (for a late-rows sink), and
    /// those of the last batch.
    keep_late_of: Option<usize>,
    late_rows: Vec<RecordBatch>,
    /// Whether operators record their changes (for incremental
    /// checkpoints: [`Executor::checkpoint_state`]).
    track_changes: bool,
    /// The partition of each batch of a source, where known (see
    /// [`sqlc_compiler::partition`]).
    input_partitions: HashMap<SourceId, Arc<Vec<Partition>>>,
    /// The seed that replaces `rand`'s in this batch (a stream's).
    reseed: Option<i64>,
}

pub(crate) fn is_static(p: &PhysPlan) -> bool {
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
            state: BTreeMap::new(),
            static_sides: HashMap::new(),
            keep_late_of: None,
            late_rows: Vec::new(),
            track_changes: false,
            input_partitions: HashMap::new(),
            reseed: None,
        }
    }

    /// The partition of each batch of the given sources (a file read's
    /// files), for the functions that read it (`spark_partition_id()`,
    /// `rand(seed)`, `input_file_name()`, …).
    pub fn with_input_partitions(
        mut self,
        partitions: HashMap<SourceId, Arc<Vec<Partition>>>,
    ) -> Self {
        self.set_input_partitions(partitions);
        self
    }

    /// [`Executor::with_input_partitions`] for the next batch (a stream's
    /// micro-batch brings its own files).
    pub fn set_input_partitions(&mut self, partitions: HashMap<SourceId, Arc<Vec<Partition>>>) {
        self.input_partitions = partitions;
    }

    /// Gives `rand`/`randn` this seed instead of theirs in the next
    /// batches, as Spark reseeds them in every micro-batch of a stream
    /// ([`Partition::reseed`]).
    pub fn set_reseed(&mut self, seed: Option<i64>) {
        self.reseed = seed;
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
            track_changes: self.track_changes,
            input_partitions: &self.input_partitions,
            reseed: self.reseed,
        };
        let plan = &self.plan;
        let out = Error::catch_panic("a kernel worker", || eval(plan, input, &mut ctx))?;
        Ok(out.into_iter().filter(|b| b.num_rows() > 0).collect())
    }

    /// The watermark the next batch uses: over the plan's watermark
    /// operators that have seen data, each one's max event time − delay,
    /// combined by the policy (the minimum by default).
    pub fn next_watermark(&self) -> Option<i64> {
        self.policy
            .combine(self.state.values().filter_map(|s| s.watermark()))
    }

    /// Whether the plan has an event-time watermark (`with_watermark`).
    pub fn has_watermark(&self) -> bool {
        operator::stateful_nodes(&self.plan)
            .iter()
            .any(|n| matches!(n, PhysPlan::Watermark { .. }))
    }

    /// The event times the last batch brought to the plan's first
    /// watermark operator that saw any (Spark's progress `eventTime`).
    pub fn event_time_stats(&self) -> Option<EventTimeStats> {
        self.state.values().find_map(|s| s.event_time_stats())
    }

    /// The last batch's figures of each stateful operator, in operator-id
    /// order (Spark's `stateOperators`).
    pub fn metrics(&self) -> Vec<OperatorMetrics> {
        let partitions = self.partitions as u64;
        self.state
            .values()
            .filter_map(|op| op.metrics())
            .map(|m| OperatorMetrics {
                num_shuffle_partitions: partitions,
                ..m
            })
            .collect()
    }
}

struct Ctx<'a> {
    partitions: usize,
    state: &'a mut BTreeMap<usize, Box<dyn StatefulOperator>>,
    statics: &'a mut HashMap<usize, Arc<HashedSide>>,
    keep_late_of: Option<usize>,
    late_rows: &'a mut Vec<RecordBatch>,
    track_changes: bool,
    input_partitions: &'a HashMap<SourceId, Arc<Vec<Partition>>>,
    reseed: Option<i64>,
}

/// Runs a stateful node: its children, then its operator (made at its
/// first batch).
fn eval_stateful(
    id: usize,
    node: &PhysPlan,
    input: &BatchInput,
    ctx: &mut Ctx,
) -> Result<Vec<RecordBatch>> {
    let inputs = node
        .children()
        .into_iter()
        .map(|c| eval(c, input, ctx))
        .collect::<Result<Vec<_>>>()?;
    let op = match ctx.state.entry(id) {
        std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::btree_map::Entry::Vacant(v) => {
            let op = operator::for_node(node, ctx.partitions)?.ok_or_else(|| {
                Error::internal(format!("plan node #{id} has a state id but no operator"))
            })?;
            v.insert(op)
        }
    };
    let out = op.run(
        inputs,
        &OpBatch {
            batch_id: input.batch_id,
            emit: input.emit,
            watermark_us: input.watermark_us,
            late_watermark_us: input.late_watermark_us,
            keep_late: ctx.keep_late_of == Some(id),
            track_changes: ctx.track_changes,
        },
    )?;
    ctx.late_rows.extend(out.late_rows);
    Ok(out.rows)
}

fn eval(node: &PhysPlan, input: &BatchInput, ctx: &mut Ctx) -> Result<Vec<RecordBatch>> {
    if let Some(id) = node.state_id() {
        return eval_stateful(id, node, input, ctx);
    }
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
            let out: Vec<RecordBatch> = if reads_partition(kernel.spec()) {
                by_partition(child, &batches, ctx.input_partitions, ctx.reseed)
                    .par_iter()
                    .map(|(p, range, files)| {
                        with_partition(p, || {
                            batches[range.clone()]
                                .iter()
                                .zip(files)
                                .map(|(b, file)| {
                                    set_file(file.clone());
                                    kernel.collect(b).map_err(Error::from)
                                })
                                .collect::<Result<Vec<_>>>()
                        })
                    })
                    .collect::<Result<Vec<_>>>()?
                    .into_iter()
                    .flatten()
                    .collect()
            } else {
                batches
                    .par_iter()
                    .map(|b| kernel.collect(b).map_err(Error::from))
                    .collect::<Result<_>>()?
            };
            Ok(out.into_iter().filter(|b| b.num_rows() > 0).collect())
        }
        PhysPlan::HashJoin {
            id,
            left,
            right,
            how,
            left_probe,
            right_build,
            right_probe,
            schema,
        } => {
            let side = match ctx.statics.get(id) {
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
                        ctx.statics.insert(*id, side.clone());
                    }
                    side
                }
            };
            let lb = eval(left, input, ctx)?;
            side.probe(&left.schema(), &lb, left_probe, *how, schema)
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
        PhysPlan::Limit {
            input: child,
            n,
            offset,
            per,
        } => limit::limit(eval(child, input, ctx)?, *n, *offset, per),
        PhysPlan::Union { inputs, schema } => {
            let mut out = Vec::new();
            for i in inputs {
                for b in eval(i, input, ctx)? {
                    // Same column types; the union's names and nullability.
                    let options = arrow::record_batch::RecordBatchOptions::new()
                        .with_row_count(Some(b.num_rows()));
                    out.push(RecordBatch::try_new_with_options(
                        schema.clone(),
                        b.columns().to_vec(),
                        &options,
                    )?);
                }
            }
            Ok(out)
        }
        PhysPlan::Generate {
            input: child,
            generator,
            args,
            keep,
            outer,
            schema,
        } => {
            let batches = eval(child, input, ctx)?;
            let out: Vec<RecordBatch> = batches
                .par_iter()
                .map(|b| generate::generate(b, *generator, args, *keep, *outer, schema))
                .collect::<Result<_>>()?;
            Ok(out.into_iter().filter(|b| b.num_rows() > 0).collect())
        }
        // Every stateful node has a state id and ran above.
        _ => Err(Error::internal("a stateful plan node without a state id")),
    }
}

/// The partitions of a pipeline's input batches, each with its run of
/// batches and the file of each: a scan's known partitions (consecutive
/// batches of one index: a file read's files or splits, an inline table's
/// slices), or else each batch a partition of its own.
fn by_partition(
    child: &PhysPlan,
    batches: &[RecordBatch],
    known: &HashMap<SourceId, Arc<Vec<Partition>>>,
    reseed: Option<i64>,
) -> Vec<(Partition, std::ops::Range<usize>, Vec<Option<InputFile>>)> {
    let of_scan = match child {
        PhysPlan::Scan { source, .. } => known.get(source).filter(|p| p.len() == batches.len()),
        _ => None,
    };
    let Some(parts) = of_scan else {
        return (0..batches.len())
            .map(|i| {
                let p = Partition {
                    index: i as u32,
                    file: None,
                    reseed,
                };
                (p, i..i + 1, vec![None])
            })
            .collect();
    };
    // Consecutive batches of one partition (its files, or splits of
    // them, in order), each with its file.
    let mut out: Vec<(Partition, std::ops::Range<usize>, Vec<Option<InputFile>>)> = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        match out.last_mut() {
            Some((last, range, files)) if last.index == p.index => {
                range.end = i + 1;
                files.push(p.file.clone());
            }
            _ => out.push((
                Partition {
                    reseed,
                    ..p.clone()
                },
                i..i + 1,
                vec![p.file.clone()],
            )),
        }
    }
    out
}
