//! Running a physical plan over one micro-batch (or, for a batch query, over
//! all of its input at once). The executor owns the state of the plan's
//! stateful operators between batches, keyed by operator id.

mod aggregate;
mod join;
mod snapshot;

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int64Array, TimestampMicrosecondArray};
use arrow::compute::{concat_batches, lexsort_to_indices, take, SortColumn, SortOptions};
use arrow::record_batch::RecordBatch;
use arrow::row::{OwnedRow, RowConverter, SortField};
use rayon::prelude::*;
use sqlc_compiler::physical::PhysPlan;
use sqlc_compiler::plan::SourceId;

pub use aggregate::{partition_of, AggState, Emit};
use join::HashedSide;
pub use snapshot::{StateSchema, StateSnapshot};

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
    /// The event-time watermark in force for this batch (µs), if any.
    pub watermark_us: Option<i64>,
}

/// Per-operator progress, in the shape of Spark's `stateOperators`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OperatorMetrics {
    pub operator: String,
    pub num_rows_total: u64,
    pub num_rows_updated: u64,
    pub memory_used_bytes: u64,
}

enum OpState {
    Aggregate(AggState),
    Watermark {
        max_event_us: Option<i64>,
        delay_us: i64,
    },
    Dedup {
        seen: std::collections::HashSet<OwnedRow>,
        converter: RowConverter,
        updated: u64,
    },
}

/// Runs one query's physical plan batch after batch.
pub struct Executor {
    plan: PhysPlan,
    partitions: usize,
    state: HashMap<usize, OpState>,
    /// Results of subtrees without streaming scans (the static side of a
    /// stream–static join), computed once.
    static_sides: HashMap<usize, Arc<HashedSide>>,
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
            state: HashMap::new(),
            static_sides: HashMap::new(),
        }
    }

    pub fn plan(&self) -> &PhysPlan {
        &self.plan
    }

    /// Runs the plan on one batch's input.
    pub fn run(&mut self, input: &BatchInput) -> Result<Vec<RecordBatch>> {
        let mut ctx = Ctx {
            partitions: self.partitions,
            state: &mut self.state,
            statics: &mut self.static_sides,
        };
        let out = eval(&self.plan, input, &mut ctx)?;
        Ok(out.into_iter().filter(|b| b.num_rows() > 0).collect())
    }

    /// The watermark the next batch uses: the minimum over the plan's
    /// watermark operators of (max event time seen − delay).
    pub fn next_watermark(&self) -> Option<i64> {
        self.state
            .values()
            .filter_map(|s| match s {
                OpState::Watermark {
                    max_event_us: Some(m),
                    delay_us,
                } => Some(m - delay_us),
                _ => None,
            })
            .min()
    }

    pub fn metrics(&self) -> Vec<OperatorMetrics> {
        let mut ids: Vec<&usize> = self.state.keys().collect();
        ids.sort();
        ids.into_iter()
            .filter_map(|id| match &self.state[id] {
                OpState::Aggregate(a) => Some(OperatorMetrics {
                    operator: "stateStoreSave".into(),
                    num_rows_total: a.num_groups() as u64,
                    num_rows_updated: a.num_updated() as u64,
                    memory_used_bytes: a.memory_bytes() as u64,
                }),
                OpState::Dedup { seen, updated, .. } => Some(OperatorMetrics {
                    operator: "dedupe".into(),
                    num_rows_total: seen.len() as u64,
                    num_rows_updated: *updated,
                    memory_used_bytes: seen
                        .iter()
                        .map(|r| r.row().as_ref().len() as u64 + 32)
                        .sum(),
                }),
                OpState::Watermark { .. } => None,
            })
            .collect()
    }
}

struct Ctx<'a> {
    partitions: usize,
    state: &'a mut HashMap<usize, OpState>,
    statics: &'a mut HashMap<usize, Arc<HashedSide>>,
}

fn eval(node: &PhysPlan, input: &BatchInput, ctx: &mut Ctx) -> Result<Vec<RecordBatch>> {
    match node {
        PhysPlan::Scan { source, schema, .. } => {
            let batches = input.data.get(source).cloned().unwrap_or_default();
            for b in &batches {
                if b.schema().fields() != schema.fields() {
                    return Err(Error::Unsupported(format!(
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
            agg.update(input.batch_id, kernel, layout, &batches)?;
            agg.emit(schema, input.emit)
        }
        PhysPlan::HashJoin {
            left,
            right,
            how,
            left_keys,
            right_keys,
            schema,
        } => {
            let key = right.as_ref() as *const PhysPlan as usize;
            let side = match ctx.statics.get(&key) {
                Some(s) => s.clone(),
                None => {
                    let rb = eval(right, input, ctx)?;
                    let side = Arc::new(HashedSide::build(&right.schema(), &rb, right_keys)?);
                    if is_static(right) {
                        ctx.statics.insert(key, side.clone());
                    }
                    side
                }
            };
            let lb = eval(left, input, ctx)?;
            side.probe(&left.schema(), &lb, left_keys, *how, schema)
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
            let batches = eval(child, input, ctx)?;
            let mut max = None;
            for b in &batches {
                let col = b.column(*column);
                if let Some(ts) = col.as_any().downcast_ref::<TimestampMicrosecondArray>() {
                    if let Some(m) = arrow::compute::max(ts) {
                        max = max.max(Some(m));
                    }
                } else if let Some(v) = col.as_any().downcast_ref::<Int64Array>() {
                    max = max.max(arrow::compute::max(v));
                }
            }
            let st = ctx.state.entry(*id).or_insert(OpState::Watermark {
                max_event_us: None,
                delay_us: *delay_us,
            });
            if let OpState::Watermark { max_event_us, .. } = st {
                *max_event_us = (*max_event_us).max(max);
            }
            // Rows behind the watermark in force are late for the stateful
            // operators above.
            match input.watermark_us {
                Some(wm) => batches
                    .iter()
                    .map(|b| drop_late(b, *column, wm))
                    .collect::<Result<Vec<_>>>(),
                None => Ok(batches),
            }
        }
        PhysPlan::Deduplicate {
            id,
            input: child,
            keys,
        } => {
            let batches = eval(child, input, ctx)?;
            let schema = child.schema();
            let st = match ctx.state.entry(*id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    let fields = keys
                        .iter()
                        .map(|&k| SortField::new(schema.field(k).data_type().clone()))
                        .collect();
                    v.insert(OpState::Dedup {
                        seen: Default::default(),
                        converter: RowConverter::new(fields)?,
                        updated: 0,
                    })
                }
            };
            let OpState::Dedup {
                seen,
                converter,
                updated,
            } = st
            else {
                unreachable!("operator ids are unique")
            };
            *updated = 0;
            let mut out = Vec::new();
            for b in batches {
                let cols: Vec<ArrayRef> = keys.iter().map(|&k| b.column(k).clone()).collect();
                let rows = converter.convert_columns(&cols)?;
                let mut keep = Vec::new();
                for i in 0..b.num_rows() {
                    if seen.insert(rows.row(i).owned()) {
                        keep.push(i as u32);
                        *updated += 1;
                    }
                }
                let idx = arrow::array::UInt32Array::from(keep);
                let cols: Vec<ArrayRef> = b
                    .columns()
                    .iter()
                    .map(|c| take(c.as_ref(), &idx, None))
                    .collect::<Result<_, _>>()?;
                out.push(RecordBatch::try_new(schema.clone(), cols)?);
            }
            Ok(out)
        }
    }
}

/// The rows of `b` whose event time (column `col`) is not behind `wm`.
fn drop_late(b: &RecordBatch, col: usize, wm: i64) -> Result<RecordBatch> {
    let c = b.column(col);
    let Some(ts) = c.as_any().downcast_ref::<TimestampMicrosecondArray>() else {
        return Ok(b.clone());
    };
    let keep: arrow::array::BooleanArray = ts
        .iter()
        .map(|v| Some(v.is_some_and(|v| v >= wm)))
        .collect();
    Ok(arrow::compute::filter_record_batch(b, &keep)?)
}
