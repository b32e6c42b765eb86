//! Physical planning: a resolved [`Plan`] becomes a tree of operators whose
//! per-batch work is compiled kernels. Chains of filters and projections are
//! fused into one pipeline, and a pipeline feeding an aggregate is fused into
//! the aggregate's kernel (scan → filter → project → aggregate-update in one
//! loop). Kernels are compiled here, once per query.

use std::fmt::Write;
use std::sync::Arc;

use arrow::datatypes::SchemaRef;

use crate::agg_table::TableLayout;
use crate::error::Result;
use crate::ir::{AggSpec, ColumnType, PipelineSink, PipelineSpec, Step, TExpr};
use crate::kernel::{compile_cached, touches_struct, ExecMode, Kernel};
use crate::plan::{JoinType, Plan, PlanNode, SortKey, SourceId};
use crate::types::Schema;

/// A node of the physical plan. `id`s number the stateful operators of a
/// query (depth-first), so their state can be found again after a restart.
#[derive(Debug)]
pub enum PhysPlan {
    Scan {
        source: SourceId,
        name: String,
        streaming: bool,
        schema: SchemaRef,
    },
    /// A fused filter/project pipeline.
    Pipeline {
        input: Box<PhysPlan>,
        kernel: Arc<dyn Kernel>,
    },
    /// A hash aggregate whose kernel also runs the pipeline below it.
    HashAggregate {
        id: usize,
        input: Box<PhysPlan>,
        kernel: Arc<dyn Kernel>,
        spec: AggSpec,
        layout: Arc<TableLayout>,
        schema: SchemaRef,
    },
    HashJoin {
        left: Box<PhysPlan>,
        right: Box<PhysPlan>,
        how: JoinType,
        /// Projects each side's join keys (a Collect kernel per side).
        left_keys: Arc<dyn Kernel>,
        right_keys: Arc<dyn Kernel>,
        schema: SchemaRef,
    },
    Sort {
        input: Box<PhysPlan>,
        keys: Arc<dyn Kernel>,
        order: Vec<(bool, bool)>,
    },
    Limit {
        input: Box<PhysPlan>,
        n: usize,
    },
    Watermark {
        id: usize,
        input: Box<PhysPlan>,
        column: usize,
        delay_us: i64,
    },
    Deduplicate {
        id: usize,
        input: Box<PhysPlan>,
        keys: Vec<usize>,
    },
}

impl PhysPlan {
    pub fn schema(&self) -> SchemaRef {
        match self {
            PhysPlan::Scan { schema, .. }
            | PhysPlan::HashAggregate { schema, .. }
            | PhysPlan::HashJoin { schema, .. } => schema.clone(),
            PhysPlan::Pipeline { kernel, .. } => kernel.output_schema().clone(),
            PhysPlan::Sort { input, .. }
            | PhysPlan::Limit { input, .. }
            | PhysPlan::Watermark { input, .. }
            | PhysPlan::Deduplicate { input, .. } => input.schema(),
        }
    }

    pub fn children(&self) -> Vec<&PhysPlan> {
        match self {
            PhysPlan::Scan { .. } => vec![],
            PhysPlan::Pipeline { input, .. }
            | PhysPlan::HashAggregate { input, .. }
            | PhysPlan::Sort { input, .. }
            | PhysPlan::Limit { input, .. }
            | PhysPlan::Watermark { input, .. }
            | PhysPlan::Deduplicate { input, .. } => vec![input],
            PhysPlan::HashJoin { left, right, .. } => vec![left, right],
        }
    }

    /// Every kernel of the plan with a label, for `explain` and for tests
    /// that check nothing falls back to the interpreter.
    pub fn kernels(&self) -> Vec<(String, Arc<dyn Kernel>)> {
        let mut out = Vec::new();
        fn walk(p: &PhysPlan, out: &mut Vec<(String, Arc<dyn Kernel>)>) {
            match p {
                PhysPlan::Pipeline { kernel, .. } => out.push(("pipeline".into(), kernel.clone())),
                PhysPlan::HashAggregate { id, kernel, .. } => {
                    out.push((format!("hash aggregate #{id}"), kernel.clone()))
                }
                PhysPlan::HashJoin {
                    left_keys,
                    right_keys,
                    ..
                } => {
                    out.push(("join keys (left)".into(), left_keys.clone()));
                    out.push(("join keys (right)".into(), right_keys.clone()));
                }
                PhysPlan::Sort { keys, .. } => out.push(("sort keys".into(), keys.clone())),
                _ => {}
            }
            for c in p.children() {
                walk(c, out);
            }
        }
        walk(self, &mut out);
        out
    }

    /// The operator tree, one line per node.
    pub fn display_tree(&self) -> String {
        let mut out = String::new();
        fn walk(p: &PhysPlan, depth: usize, out: &mut String) {
            let pad = "  ".repeat(depth);
            let line = match p {
                PhysPlan::Scan {
                    name, streaming, ..
                } => {
                    format!("{}Scan {name}", if *streaming { "Streaming" } else { "" })
                }
                PhysPlan::Pipeline { kernel, .. } => {
                    format!(
                        "Pipeline [{}] ({})",
                        steps_summary(kernel.spec()),
                        kernel.explain().mode.name()
                    )
                }
                PhysPlan::HashAggregate {
                    id, kernel, spec, ..
                } => format!(
                    "HashAggregate #{id} keys={} sets={} aggs={} [{}] ({})",
                    spec.keys.len(),
                    spec.grouping_sets.len(),
                    spec.aggs.len(),
                    steps_summary(kernel.spec()),
                    kernel.explain().mode.name()
                ),
                PhysPlan::HashJoin { how, .. } => format!("HashJoin {how:?}"),
                PhysPlan::Sort { .. } => "Sort".into(),
                PhysPlan::Limit { n, .. } => format!("Limit {n}"),
                PhysPlan::Watermark {
                    id,
                    column,
                    delay_us,
                    ..
                } => {
                    format!(
                        "Watermark #{id} column={column} delay={}ms",
                        delay_us / 1000
                    )
                }
                PhysPlan::Deduplicate { id, keys, .. } => {
                    format!("Deduplicate #{id} keys={keys:?}")
                }
            };
            let _ = writeln!(out, "{pad}{line}");
            for c in p.children() {
                walk(c, depth + 1, out);
            }
        }
        walk(self, 0, &mut out);
        out
    }
}

fn steps_summary(spec: &PipelineSpec) -> String {
    let mut parts: Vec<String> = spec
        .steps
        .iter()
        .map(|s| match s {
            Step::Filter(p) => format!("filter {p}"),
            Step::Project(e) => format!("project {} cols", e.len()),
        })
        .collect();
    if let PipelineSink::Aggregate(_) = spec.sink {
        parts.push("aggregate-update".into());
    }
    parts.join(" → ")
}

fn column_types(schema: &Schema) -> Vec<ColumnType> {
    schema
        .fields
        .iter()
        .map(|f| ColumnType {
            ty: f.data_type.clone(),
            nullable: f.nullable,
        })
        .collect()
}

/// Plans a resolved query, compiling its kernels in `mode`.
pub fn plan_physical(plan: &Plan, mode: ExecMode) -> Result<PhysPlan> {
    let mut next_id = 0;
    build(plan, mode, &mut next_id)
}

/// Walks down a chain of filters and projections; returns the steps (in
/// execution order) and the node below the chain. In JIT mode the chain
/// stops above the last step that touches a struct value (`from_json`,
/// field access, …): that step and those below it become a pipeline of
/// their own, run by the interpreted twin, and the steps above (and the
/// aggregate they feed) are compiled. `keep_one`: a pipeline (which needs a
/// step) whose top step touches a struct is interpreted whole.
fn fuse_chain(plan: &Plan, mode: ExecMode, keep_one: bool) -> (Vec<Step>, &Plan) {
    let mut steps = Vec::new();
    let mut cur = plan;
    let mut whole = mode != ExecMode::Jit;
    loop {
        let (step, input) = match &cur.node {
            PlanNode::Filter { input, predicate } => (Step::Filter(predicate.clone()), input),
            PlanNode::Project { input, exprs } => (Step::Project(exprs.clone()), input),
            _ => break,
        };
        if !whole && step_touches_struct(&step, &input.schema) {
            if steps.is_empty() && keep_one {
                whole = true;
            } else {
                break;
            }
        }
        steps.push(step);
        cur = input;
    }
    steps.reverse();
    (steps, cur)
}

fn step_touches_struct(step: &Step, input: &Schema) -> bool {
    match step {
        Step::Filter(p) => {
            input.fields.iter().any(|f| matches!(f.data_type, crate::types::DataType::Struct(_)))
                || touches_struct(p)
        }
        Step::Project(es) => es.iter().any(touches_struct),
    }
}

fn build(plan: &Plan, mode: ExecMode, next_id: &mut usize) -> Result<PhysPlan> {
    let out_schema = plan.schema.to_arrow();
    Ok(match &plan.node {
        PlanNode::Scan {
            source,
            name,
            streaming,
        } => PhysPlan::Scan {
            source: source.clone(),
            name: name.clone(),
            streaming: *streaming,
            schema: out_schema,
        },
        PlanNode::Filter { .. } | PlanNode::Project { .. } => {
            let (steps, below) = fuse_chain(plan, mode, true);
            let spec = PipelineSpec {
                input: column_types(&below.schema),
                steps,
                sink: PipelineSink::Collect,
            };
            let kernel = compile_cached(&spec, out_schema, mode)?;
            PhysPlan::Pipeline {
                input: Box::new(build(below, mode, next_id)?),
                kernel,
            }
        }
        PlanNode::Aggregate {
            input,
            keys,
            grouping_sets,
            aggs,
        } => {
            let id = *next_id;
            *next_id += 1;
            let (steps, below) = fuse_chain(input, mode, false);
            let agg = AggSpec {
                keys: keys.clone(),
                grouping_sets: grouping_sets.clone(),
                aggs: aggs.clone(),
            };
            let layout = Arc::new(TableLayout::new(&agg)?);
            let spec = PipelineSpec {
                input: column_types(&below.schema),
                steps,
                sink: PipelineSink::Aggregate(agg.clone()),
            };
            let kernel = compile_cached(&spec, out_schema.clone(), mode)?;
            PhysPlan::HashAggregate {
                id,
                input: Box::new(build(below, mode, next_id)?),
                kernel,
                spec: agg,
                layout,
                schema: out_schema,
            }
        }
        PlanNode::Join {
            left,
            right,
            how,
            left_keys,
            right_keys,
        } => {
            let lk = key_kernel(&left.schema, left_keys, mode)?;
            let rk = key_kernel(&right.schema, right_keys, mode)?;
            PhysPlan::HashJoin {
                left: Box::new(build(left, mode, next_id)?),
                right: Box::new(build(right, mode, next_id)?),
                how: *how,
                left_keys: lk,
                right_keys: rk,
                schema: out_schema,
            }
        }
        PlanNode::Sort { input, keys } => {
            let exprs: Vec<TExpr> = keys.iter().map(|k: &SortKey| k.expr.clone()).collect();
            let kernel = key_kernel(&input.schema, &exprs, mode)?;
            let order = keys.iter().map(|k| (k.ascending, k.nulls_first)).collect();
            PhysPlan::Sort {
                input: Box::new(build(input, mode, next_id)?),
                keys: kernel,
                order,
            }
        }
        PlanNode::Limit { input, n } => PhysPlan::Limit {
            input: Box::new(build(input, mode, next_id)?),
            n: *n,
        },
        PlanNode::Watermark {
            input,
            column,
            delay_us,
        } => {
            let id = *next_id;
            *next_id += 1;
            PhysPlan::Watermark {
                id,
                input: Box::new(build(input, mode, next_id)?),
                column: *column,
                delay_us: *delay_us,
            }
        }
        PlanNode::Deduplicate { input, keys } => {
            let id = *next_id;
            *next_id += 1;
            PhysPlan::Deduplicate {
                id,
                input: Box::new(build(input, mode, next_id)?),
                keys: keys.clone(),
            }
        }
    })
}

/// A Collect kernel that evaluates `exprs` over every row (no filter).
fn key_kernel(input: &Schema, exprs: &[TExpr], mode: ExecMode) -> Result<Arc<dyn Kernel>> {
    let spec = PipelineSpec {
        input: column_types(input),
        steps: vec![Step::Project(exprs.to_vec())],
        sink: PipelineSink::Collect,
    };
    let fields: Vec<crate::types::Field> = exprs
        .iter()
        .enumerate()
        .map(|(i, e)| crate::types::Field::new(format!("k{i}"), e.ty.clone(), e.nullable))
        .collect();
    compile_cached(&spec, Schema::new(fields).to_arrow(), mode)
}
