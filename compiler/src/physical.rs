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
use crate::ir::{AggSpec, ColumnType, PipelineSink, PipelineSpec, Step, TExpr, TExprKind};
use crate::kernel::{compile_cached, touches_struct, ExecMode, Kernel};
use crate::plan::{JoinType, Plan, PlanNode, SortKey, SourceId};
use crate::scan_spec::{scan_specs, ScanSpec};
use crate::time_bounds::{join_bounds, TimeBounds};
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
        /// What the query reads of it: the runtime decodes only these
        /// columns and may pre-filter records by these conjuncts.
        read: ScanSpec,
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
    /// A join whose right side is a table: built once into a hash table
    /// by an aggregate kernel over its keys, each right row's group found
    /// by a probe kernel; the left rows are probed by a compiled kernel too.
    HashJoin {
        /// The join's own id (the executor caches its built side under it).
        id: usize,
        left: Box<PhysPlan>,
        right: Box<PhysPlan>,
        how: JoinType,
        left_probe: Arc<dyn Kernel>,
        right_build: Arc<dyn Kernel>,
        right_probe: Arc<dyn Kernel>,
        schema: SchemaRef,
    },
    /// A join of two streams, both sides buffered in state (Spark's
    /// stream–stream symmetric hash join).
    StreamJoin {
        id: usize,
        left: Box<PhysPlan>,
        right: Box<PhysPlan>,
        how: JoinType,
        left_keys: Arc<dyn Kernel>,
        right_keys: Arc<dyn Kernel>,
        /// The condition over a pair's columns (left, then right), as a
        /// boolean column.
        condition: Option<Arc<dyn Kernel>>,
        /// Each side's event-time column, if it has one.
        left_time: Option<EventTime>,
        right_time: Option<EventTime>,
        /// What the condition bounds `left.t − right.t` to.
        bounds: TimeBounds,
        schema: SchemaRef,
    },
    Sort {
        input: Box<PhysPlan>,
        keys: Arc<dyn Kernel>,
        order: Vec<(bool, bool)>,
    },
    /// As `PlanNode::Limit`.
    Limit {
        input: Box<PhysPlan>,
        n: usize,
        offset: usize,
        per: Vec<usize>,
    },
    Watermark {
        id: usize,
        input: Box<PhysPlan>,
        column: usize,
        delay_us: i64,
    },
    /// Keeps the first row of each key. `event_time`: the input's
    /// event-time column, if it has one — rows at or behind the watermark
    /// are late and dropped, and (when it is a key, or `within_watermark`)
    /// remembered keys are evicted as the watermark passes.
    Deduplicate {
        id: usize,
        input: Box<PhysPlan>,
        keys: Vec<usize>,
        event_time: Option<EventTime>,
        within_watermark: bool,
    },
    /// The batches of every input, as the output's schema (`UNION ALL`).
    Union {
        inputs: Vec<PhysPlan>,
        schema: SchemaRef,
    },
    /// Rows made by a generator from each input row: the first `keep`
    /// input columns repeated, then the generated columns (see
    /// [`crate::plan::PlanNode::Generate`]).
    Generate {
        input: Box<PhysPlan>,
        generator: crate::generator::Generator,
        args: Vec<usize>,
        keep: usize,
        outer: bool,
        schema: SchemaRef,
    },
}

/// An event-time column and its watermark delay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventTime {
    pub column: usize,
    pub delay_us: i64,
}

impl PhysPlan {
    pub fn schema(&self) -> SchemaRef {
        match self {
            PhysPlan::Scan { schema, .. }
            | PhysPlan::HashAggregate { schema, .. }
            | PhysPlan::HashJoin { schema, .. }
            | PhysPlan::StreamJoin { schema, .. }
            | PhysPlan::Union { schema, .. }
            | PhysPlan::Generate { schema, .. } => schema.clone(),
            PhysPlan::Pipeline { kernel, .. } => kernel.output_schema().clone(),
            PhysPlan::Sort { input, .. }
            | PhysPlan::Limit { input, .. }
            | PhysPlan::Watermark { input, .. }
            | PhysPlan::Deduplicate { input, .. } => input.schema(),
        }
    }

    /// The id of a stateful operator (its state is kept under it between
    /// batches and in checkpoints); `None` for a node without state.
    pub fn state_id(&self) -> Option<usize> {
        match self {
            PhysPlan::HashAggregate { id, .. }
            | PhysPlan::StreamJoin { id, .. }
            | PhysPlan::Watermark { id, .. }
            | PhysPlan::Deduplicate { id, .. } => Some(*id),
            _ => None,
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
            | PhysPlan::Deduplicate { input, .. }
            | PhysPlan::Generate { input, .. } => vec![input],
            PhysPlan::HashJoin { left, right, .. } | PhysPlan::StreamJoin { left, right, .. } => {
                vec![left, right]
            }
            PhysPlan::Union { inputs, .. } => inputs.iter().collect(),
        }
    }

    /// What the query reads of each relation it scans (every column of a
    /// relation the plan does not know).
    pub fn scan_specs(&self) -> std::collections::HashMap<SourceId, ScanSpec> {
        let mut out = std::collections::HashMap::new();
        fn walk(p: &PhysPlan, out: &mut std::collections::HashMap<SourceId, ScanSpec>) {
            if let PhysPlan::Scan { source, read, .. } = p {
                out.insert(source.clone(), read.clone());
            }
            p.children().into_iter().for_each(|c| walk(c, out));
        }
        walk(self, &mut out);
        out
    }

    /// The stateful operator whose late rows a late-rows sink receives —
    /// the first, from the sources up, that drops rows by a watermark —
    /// with its id and the schema of its input (the rows it drops).
    pub fn late_rows_source(&self) -> Option<(usize, SchemaRef)> {
        if let Some(found) = self.children().iter().find_map(|c| c.late_rows_source()) {
            return Some(found);
        }
        match self {
            PhysPlan::HashAggregate {
                id, input, spec, ..
            } if spec.event_time_key.is_some() => Some((*id, input.schema())),
            PhysPlan::Deduplicate {
                id,
                input,
                event_time: Some(_),
                ..
            } => Some((*id, input.schema())),
            _ => None,
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
                    left_probe,
                    right_build,
                    right_probe,
                    ..
                } => {
                    out.push(("join build (right)".into(), right_build.clone()));
                    out.push(("join probe (right rows)".into(), right_probe.clone()));
                    out.push(("join probe (left)".into(), left_probe.clone()));
                }
                PhysPlan::StreamJoin {
                    left_keys,
                    right_keys,
                    condition,
                    ..
                } => {
                    out.push(("join keys (left)".into(), left_keys.clone()));
                    out.push(("join keys (right)".into(), right_keys.clone()));
                    if let Some(c) = condition {
                        out.push(("join condition".into(), c.clone()));
                    }
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
                    name,
                    streaming,
                    schema,
                    read,
                    ..
                } => {
                    let names: Vec<&str> =
                        schema.fields().iter().map(|f| f.name().as_str()).collect();
                    if *streaming {
                        format!(
                            "StreamingScan {name} ({}; JSON decoder: specialized Rust)",
                            read.display(&names)
                        )
                    } else if read.is_all() {
                        format!("Scan {name}")
                    } else {
                        // A file read decodes only this; a table in
                        // memory is given whole.
                        format!("Scan {name} ({})", read.display(&names))
                    }
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
                    "HashAggregate #{id} keys={}{}{} sets={} aggs={} [{}] ({})",
                    spec.keys.len(),
                    spec.window
                        .map(|w| format!(" {}", w.window.display(&format!("key{}", w.key))))
                        .unwrap_or_default(),
                    spec.event_time_key
                        .map(|k| format!(" watermark-key={k}"))
                        .unwrap_or_default(),
                    spec.grouping_sets.len(),
                    spec.aggs.len(),
                    steps_summary(kernel.spec()),
                    kernel.explain().mode.name()
                ),
                PhysPlan::HashJoin { id, how, .. } => format!("HashJoin #{id} {how:?}"),
                PhysPlan::StreamJoin {
                    id, how, bounds, ..
                } => {
                    let d =
                        |v: Option<i64>| v.map_or("∞".to_string(), |v| format!("{}ms", v / 1000));
                    format!(
                        "StreamStreamJoin #{id} {how:?} (left.t − right.t in [{}, {}])",
                        d(bounds.lo),
                        d(bounds.hi)
                    )
                }
                PhysPlan::Sort { .. } => "Sort".into(),
                PhysPlan::Limit { n, offset, per, .. } => {
                    crate::plan::limit_label(*n, *offset, per)
                }
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
                PhysPlan::Deduplicate {
                    id,
                    keys,
                    event_time,
                    within_watermark,
                    ..
                } => {
                    let w = if *within_watermark {
                        "WithinWatermark"
                    } else {
                        ""
                    };
                    let t = event_time
                        .map(|e| format!(" event-time={}", e.column))
                        .unwrap_or_default();
                    format!("Deduplicate{w} #{id} keys={keys:?}{t}")
                }
                PhysPlan::Union { inputs, .. } => format!("Union ({} inputs)", inputs.len()),
                PhysPlan::Generate {
                    generator,
                    args,
                    outer,
                    ..
                } => format!("Generate {} of columns {args:?}", generator.name(*outer)),
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
    build(
        plan,
        mode,
        &mut Planner {
            reads: scan_specs(plan),
            ..Planner::default()
        },
    )
}

/// What building a plan hands out: operator ids — stateful operators
/// number 0, 1, … in plan order (their checkpointed state is filed under
/// them, so they must not shift), hash joins have their own sequence — and
/// to each scan what the query reads of it.
#[derive(Default)]
struct Planner {
    stateful: usize,
    join: usize,
    reads: std::collections::HashMap<SourceId, ScanSpec>,
}

impl Planner {
    fn stateful(&mut self) -> usize {
        self.stateful += 1;
        self.stateful - 1
    }

    fn join(&mut self) -> usize {
        self.join += 1;
        self.join - 1
    }
}

/// Walks down a chain of filters and projections; returns the steps (in
/// execution order) and the node below the chain. In JIT mode the chain
/// stops above the last step that touches a struct value (`from_json`,
/// field access, …): that step and those below it become a pipeline of
/// their own, run by the interpreted twin, and the steps above (and the
/// aggregate they feed) are compiled. `keep_one`: a pipeline (which needs a
/// step) whose top step touches a struct is interpreted whole. An
/// aggregate's chain also stops above a step that reads the partition
/// (`rand(seed)`, `input_file_name()`, …): that step and those below are
/// a pipeline over the scan, which the runtime runs file by file
/// ([`crate::partition`]).
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
        if !keep_one && crate::partition::step_reads_partition(&step) {
            break;
        }
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

/// Spark's `PullOutNondeterministic` for the grouping keys that read the
/// partition (`GROUP BY input_file_name()`): a projection below the
/// aggregate computes them (after every input column, so the other keys
/// and the arguments keep their columns), where the runtime knows each
/// batch's partition; the keys become its columns.
fn pull_out_partition_keys(input: &Arc<Plan>, keys: &[TExpr]) -> (Arc<Plan>, Vec<TExpr>) {
    use crate::partition::expr_reads_partition;
    if !keys.iter().any(expr_reads_partition) {
        return (input.clone(), keys.to_vec());
    }
    let mut fields = input.schema.fields.clone();
    let mut exprs: Vec<TExpr> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| TExpr::column(i, &f.name, f.data_type.clone(), f.nullable))
        .collect();
    let keys = keys
        .iter()
        .map(|k| {
            if !expr_reads_partition(k) {
                return k.clone();
            }
            let name = format!("_nondeterministic{}", exprs.len());
            let col = TExpr::column(exprs.len(), &name, k.ty.clone(), k.nullable);
            fields.push(crate::types::Field::new(name, k.ty.clone(), k.nullable));
            exprs.push(k.clone());
            col
        })
        .collect();
    let project = PlanNode::Project {
        input: input.clone(),
        exprs,
    };
    (Plan::new(project, crate::types::Schema::new(fields)), keys)
}

/// Struct columns merely passed through (a `window` after an aggregate)
/// do not count: compiled kernels gather them without reading them.
fn step_touches_struct(step: &Step, _input: &Schema) -> bool {
    match step {
        Step::Filter(p) => touches_struct(p),
        Step::Project(es) => es.iter().any(|e| !is_column(e) && touches_struct(e)),
    }
}

fn is_column(e: &TExpr) -> bool {
    matches!(e.kind, TExprKind::Column { .. })
}

fn build(plan: &Plan, mode: ExecMode, ids: &mut Planner) -> Result<PhysPlan> {
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
            read: ids
                .reads
                .get(source)
                .cloned()
                .unwrap_or_else(|| ScanSpec::all(out_schema.fields().len())),
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
                input: Box::new(build(below, mode, ids)?),
                kernel,
            }
        }
        PlanNode::Aggregate {
            input,
            keys,
            grouping_sets,
            aggs,
            window,
        } => {
            let id = ids.stateful();
            let (input, keys) = &pull_out_partition_keys(input, keys);
            let (steps, below) = fuse_chain(input, mode, false);
            // The key carrying the watermark: the window when its time
            // column is an event-time column, else the first such column.
            let is_event_time = |k: &TExpr| match &k.kind {
                TExprKind::Column { index, .. } => input.event_time_delay(*index).is_some(),
                _ => false,
            };
            let window_key = window.map(|w| w.key);
            let event_time_key = match window {
                Some(w) if is_event_time(&keys[w.key]) => Some(w.key),
                _ => (0..keys.len()).find(|&i| Some(i) != window_key && is_event_time(&keys[i])),
            };
            let agg = AggSpec {
                keys: keys.clone(),
                grouping_sets: grouping_sets.clone(),
                aggs: aggs.clone(),
                window: *window,
                event_time_key,
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
                input: Box::new(build(below, mode, ids)?),
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
            condition,
        } => {
            // The condition's kernel reads a pair's columns, left then right.
            let both: Vec<crate::types::Field> = left
                .schema
                .fields
                .iter()
                .chain(&right.schema.fields)
                .cloned()
                .collect();
            let both = Schema::new(both);
            if left.is_streaming() && right.is_streaming() {
                // The condition of each candidate pair, as a boolean column.
                let cond = condition
                    .as_ref()
                    .map(|c| key_kernel(&both, std::slice::from_ref(c), mode))
                    .transpose()?;
                let id = ids.stateful();
                let time = |p: &Plan| {
                    (0..p.schema.len()).find_map(|c| {
                        p.event_time_delay(c).map(|delay_us| EventTime {
                            column: c,
                            delay_us,
                        })
                    })
                };
                let lk = key_kernel(&left.schema, left_keys, mode)?;
                let rk = key_kernel(&right.schema, right_keys, mode)?;
                let (left_time, right_time) = (time(left), time(right));
                let bounds = join_bounds(
                    left_time.map(|t| t.column),
                    right_time.map(|t| t.column),
                    left.schema.len(),
                    (left_keys, right_keys),
                    condition.as_ref(),
                );
                PhysPlan::StreamJoin {
                    id,
                    left: Box::new(build(left, mode, ids)?),
                    right: Box::new(build(right, mode, ids)?),
                    how: *how,
                    left_keys: lk,
                    right_keys: rk,
                    condition: cond,
                    left_time,
                    right_time,
                    bounds,
                    schema: out_schema,
                }
            } else {
                let cond = condition
                    .as_ref()
                    .map(|c| filter_kernel(&both, c, mode))
                    .transpose()?;
                let keys_only = |keys: &[TExpr]| AggSpec {
                    keys: keys.to_vec(),
                    grouping_sets: vec![if keys.is_empty() {
                        0
                    } else {
                        u64::MAX >> (64 - keys.len())
                    }],
                    aggs: vec![],
                    window: None,
                    event_time_key: None,
                };
                let probe_spec = |p: &Plan, keys: &[TExpr]| PipelineSpec {
                    input: column_types(&p.schema),
                    steps: vec![],
                    sink: PipelineSink::Probe(keys_only(keys)),
                };
                let build_spec = PipelineSpec {
                    input: column_types(&right.schema),
                    steps: vec![],
                    sink: PipelineSink::Aggregate(keys_only(right_keys)),
                };
                let empty = Schema::new(vec![]).to_arrow();
                let join = PhysPlan::HashJoin {
                    id: ids.join(),
                    left: Box::new(build(left, mode, ids)?),
                    right: Box::new(build(right, mode, ids)?),
                    how: *how,
                    left_probe: compile_cached(&probe_spec(left, left_keys), empty.clone(), mode)?,
                    right_build: compile_cached(&build_spec, empty.clone(), mode)?,
                    right_probe: compile_cached(&probe_spec(right, right_keys), empty, mode)?,
                    schema: out_schema,
                };
                match cond {
                    None => join,
                    // Inner: a pair the condition rejects is simply not output.
                    Some(k) if *how == JoinType::Inner => PhysPlan::Pipeline {
                        input: Box::new(join),
                        kernel: k,
                    },
                    Some(_) => {
                        return Err(crate::error::Error::not_supported(format!(
                            "a join condition other than equalities is supported in inner joins \
                             and stream–stream joins, not in a {how:?} join of a table"
                        )))
                    }
                }
            }
        }
        PlanNode::Sort { input, keys } => {
            let exprs: Vec<TExpr> = keys.iter().map(|k: &SortKey| k.expr.clone()).collect();
            let kernel = key_kernel(&input.schema, &exprs, mode)?;
            let order = keys.iter().map(|k| (k.ascending, k.nulls_first)).collect();
            PhysPlan::Sort {
                input: Box::new(build(input, mode, ids)?),
                keys: kernel,
                order,
            }
        }
        PlanNode::Limit {
            input,
            n,
            offset,
            per,
        } => PhysPlan::Limit {
            input: Box::new(build(input, mode, ids)?),
            n: *n,
            offset: *offset,
            per: per.clone(),
        },
        PlanNode::Watermark {
            input,
            column,
            delay_us,
        } => {
            let id = ids.stateful();
            PhysPlan::Watermark {
                id,
                input: Box::new(build(input, mode, ids)?),
                column: *column,
                delay_us: *delay_us,
            }
        }
        PlanNode::Union { inputs } => PhysPlan::Union {
            inputs: inputs
                .iter()
                .map(|i| build(i, mode, ids))
                .collect::<Result<_>>()?,
            schema: out_schema,
        },
        PlanNode::Generate {
            input,
            generator,
            args,
            keep,
            outer,
        } => PhysPlan::Generate {
            input: Box::new(build(input, mode, ids)?),
            generator: *generator,
            args: args.clone(),
            keep: *keep,
            outer: *outer,
            schema: out_schema,
        },
        PlanNode::Deduplicate {
            input,
            keys,
            within_watermark,
        } => {
            let id = ids.stateful();
            let event_time = (0..input.schema.len()).find_map(|c| {
                input.event_time_delay(c).map(|delay_us| EventTime {
                    column: c,
                    delay_us,
                })
            });
            PhysPlan::Deduplicate {
                id,
                input: Box::new(build(input, mode, ids)?),
                keys: keys.clone(),
                event_time,
                within_watermark: *within_watermark,
            }
        }
    })
}

/// A Collect kernel that keeps the rows of `input` where `predicate` holds,
/// with every column.
fn filter_kernel(input: &Schema, predicate: &TExpr, mode: ExecMode) -> Result<Arc<dyn Kernel>> {
    let all: Vec<TExpr> = input
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| {
            TExpr::new(
                TExprKind::Column {
                    index: i,
                    name: f.name.as_str().into(),
                },
                f.data_type.clone(),
                f.nullable,
            )
        })
        .collect();
    let spec = PipelineSpec {
        input: column_types(input),
        steps: vec![Step::Filter(predicate.clone()), Step::Project(all)],
        sink: PipelineSink::Collect,
    };
    compile_cached(&spec, input.to_arrow(), mode)
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
