//! The interpreted twin: a [`crate::ir::PipelineSpec`] evaluated column at a
//! time with Arrow compute kernels. It is the oracle the JIT is tested
//! against, so it reproduces a fused row-at-a-time loop exactly, errors
//! included: when a batch raises an error, the kernel finds the first row
//! that raises one (a binary search over prefixes of the batch) and reports
//! that row's error, as a loop that stops at the first failing row would;
//! for an aggregate, the rows before it are applied to the table.
//!
//! Within a row, sub-expressions are evaluated where and in the order
//! Spark's generated code evaluates them, which decides which error (if
//! any) a row raises:
//! - `AND`/`OR`: the right side only where the left does not decide;
//! - `CASE`: each condition only on rows no earlier branch took, each value
//!   only on the rows its condition took;
//! - `COALESCE`: an argument only where all before it are null;
//! - `IN`: the value, then the items in order, only where the value is not
//!   null and no earlier item matched;
//! - `+ - *` and comparisons (not `<=>`): the right side only where the
//!   left is not null;
//! - `/` and `%`: the divisor first; the dividend only where the divisor is
//!   not null; a zero divisor fails before the dividend is evaluated when
//!   neither side is nullable, else after it and only where it is not null;
//! - function calls: arguments in order, each only where those before are
//!   not null (`concat` evaluates all); `date_trunc` with an unknown unit
//!   literal is null without evaluating its timestamp;
//! - a filter's predicate before the next step; an aggregate's keys, then
//!   its arguments, then the table updates (grouping sets in order).

mod aggregate;
pub(crate) mod arith;
pub(crate) mod cast;
pub(crate) mod columns;
mod decimal;

pub use columns::scalars_to_array;
pub use decimal::one as decimal_one;
pub(crate) mod compare;
mod expr;
mod functions;
mod interval_cast;
pub(crate) mod narrow;
mod structs;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::{RecordBatch, RecordBatchOptions};

use crate::agg_table::{AggTable, LateRows, TableLayout};
use crate::error::{Error, Result};
use crate::ir::{AggSpec, PipelineSink, PipelineSpec, Step, TExpr};
use crate::kernel::{ExecMode, Kernel, KernelExplain};
use aggregate::AggInputs;
use columns::{bools, conform, internal, Cols};
use expr::Evaluator;

pub use expr::can_fail;

/// Builds the interpreted kernel of a pipeline: compiles its LIKE/RLIKE
/// patterns and checks its casts. `output` names the columns of a `Collect`
/// sink.
pub fn compile(spec: &PipelineSpec, output: SchemaRef) -> Result<Arc<dyn Kernel>> {
    Ok(Arc::new(InterpKernel::new(spec, output)?))
}

/// A pipeline run by the interpreter.
#[derive(Debug)]
pub struct InterpKernel {
    spec: PipelineSpec,
    output: SchemaRef,
    eval: Evaluator,
    layout: Option<Arc<TableLayout>>,
    compile_time: Duration,
}

fn spec_exprs(spec: &PipelineSpec) -> Vec<&TExpr> {
    let mut out: Vec<&TExpr> = Vec::new();
    for s in &spec.steps {
        match s {
            Step::Filter(e) => out.push(e),
            Step::Project(es) => out.extend(es),
        }
    }
    if let Some(agg) = spec.sink.table_spec() {
        out.extend(&agg.keys);
        out.extend(agg.aggs.iter().filter_map(|a| a.arg.as_ref()));
    }
    out
}

impl InterpKernel {
    /// Prepares `spec` (patterns, casts, table layout); `output` is the
    /// schema of a `Collect` sink's batches.
    pub fn new(spec: &PipelineSpec, output: SchemaRef) -> Result<Self> {
        let start = Instant::now();
        let eval = Evaluator::new(spec_exprs(spec))?;
        let layout = spec
            .sink
            .table_spec()
            .map(|a| TableLayout::new(a).map(Arc::new))
            .transpose()?;
        Ok(InterpKernel {
            spec: spec.clone(),
            output,
            eval,
            layout,
            compile_time: start.elapsed(),
        })
    }

    /// The batch's columns, checked against the spec's input types.
    fn input(&self, batch: &RecordBatch) -> Result<Cols> {
        if batch.num_columns() < self.spec.input.len() {
            return Err(Error::internal(format!(
                "the kernel reads {} columns, the batch has {}",
                self.spec.input.len(),
                batch.num_columns()
            )));
        }
        let mut arrays = Vec::with_capacity(self.spec.input.len());
        for (i, c) in self.spec.input.iter().enumerate() {
            arrays.push(conform(batch.column(i), &c.ty.to_arrow()).map_err(|_| {
                Error::internal(format!(
                    "input column {i} is {}, the kernel expects {}",
                    batch.column(i).data_type(),
                    c.ty.to_arrow()
                ))
            })?);
        }
        Ok(Cols::new(arrays, batch.num_rows()))
    }

    /// Runs the filter and project steps.
    fn steps(&self, mut cols: Cols) -> Result<Cols> {
        for step in &self.spec.steps {
            cols = match step {
                Step::Filter(pred) => {
                    let mask = self.eval.eval(pred, &cols)?;
                    let mask = columns::true_mask(bools(mask.as_ref())?);
                    if mask.true_count() == cols.len {
                        cols
                    } else {
                        let arrays = cols
                            .arrays
                            .iter()
                            .map(|a| arrow::compute::filter(a.as_ref(), &mask).map_err(Error::from))
                            .collect::<Result<Vec<_>>>()?;
                        Cols::new(arrays, mask.true_count())
                    }
                }
                Step::Project(exprs) => {
                    let arrays = exprs
                        .iter()
                        .map(|e| self.eval.eval(e, &cols))
                        .collect::<Result<Vec<_>>>()?;
                    Cols::new(arrays, cols.len)
                }
            };
        }
        Ok(cols)
    }

    fn agg_spec(&self) -> Result<&AggSpec> {
        match &self.spec.sink {
            PipelineSink::Aggregate(a) => Ok(a),
            PipelineSink::Collect | PipelineSink::Probe(_) => Err(Error::internal(
                "aggregate() on a kernel whose sink is Collect",
            )),
        }
    }

    /// Steps, then the aggregate's keys and arguments (keys first, in order).
    fn agg_inputs(&self, agg: &AggSpec, cols: Cols) -> Result<AggInputs> {
        let cols = self.steps(cols)?;
        let keys = agg
            .keys
            .iter()
            .map(|k| self.eval.eval(k, &cols))
            .collect::<Result<Vec<_>>>()?;
        let args = agg
            .aggs
            .iter()
            .map(|a| a.arg.as_ref().map(|x| self.eval.eval(x, &cols)).transpose())
            .collect::<Result<Vec<_>>>()?;
        Ok(AggInputs {
            len: cols.len,
            keys,
            args,
        })
    }
}

/// The first row of `cols` on which `run` fails: `run` fails on a prefix
/// exactly when some row of it fails, so a binary search over prefix lengths
/// finds it. Returns that row and its error (`err` if there is no such row).
fn first_failing_row<T>(
    cols: &Cols,
    err: Error,
    run: impl Fn(Cols) -> Result<T>,
) -> (usize, Error) {
    let (mut ok, mut bad) = (0usize, cols.len);
    while bad - ok > 1 {
        let mid = ok + (bad - ok) / 2;
        if run(cols.slice(0, mid)).is_err() {
            bad = mid;
        } else {
            ok = mid;
        }
    }
    let row = bad.saturating_sub(1);
    match run(cols.slice(row, 1.min(cols.len))) {
        Err(e) => (row, e),
        Ok(_) => (row, err),
    }
}

impl Kernel for InterpKernel {
    fn spec(&self) -> &PipelineSpec {
        &self.spec
    }

    fn output_schema(&self) -> &SchemaRef {
        &self.output
    }

    fn collect(&self, batch: &RecordBatch) -> Result<RecordBatch> {
        if !matches!(self.spec.sink, PipelineSink::Collect) {
            return Err(Error::internal(
                "collect() on a kernel whose sink is Aggregate",
            ));
        }
        let cols = self.input(batch)?;
        let out = match self.steps(cols.clone()) {
            Ok(out) => out,
            Err(e) if e.is_runtime() => {
                return Err(first_failing_row(&cols, e, |c| self.steps(c)).1)
            }
            Err(e) => return Err(e),
        };
        let fields = self.output.fields();
        if fields.len() != out.arrays.len() {
            return Err(internal(format!(
                "{} output fields for {} columns",
                fields.len(),
                out.arrays.len()
            )));
        }
        let arrays = out
            .arrays
            .iter()
            .zip(fields.iter())
            .map(|(a, f)| conform(a, f.data_type()))
            .collect::<Result<Vec<_>>>()?;
        let opts = RecordBatchOptions::new().with_row_count(Some(out.len));
        Ok(RecordBatch::try_new_with_options(
            self.output.clone(),
            arrays,
            &opts,
        )?)
    }

    fn aggregate(
        &self,
        batch: &RecordBatch,
        table: &mut AggTable,
        late: &mut LateRows,
    ) -> Result<()> {
        let agg = self.agg_spec()?;
        let layout = self
            .layout
            .as_ref()
            .ok_or_else(|| internal("no table layout"))?;
        if **table.layout() != **layout {
            return Err(internal("the table's layout is not the kernel's"));
        }
        let cols = self.input(batch)?;
        match self.agg_inputs(agg, cols.clone()) {
            Ok(inputs) => aggregate::update(agg, layout, &inputs, table, late),
            Err(e) if e.is_runtime() => {
                let (row, err) = first_failing_row(&cols, e, |c| self.agg_inputs(agg, c));
                let before = self.agg_inputs(agg, cols.slice(0, row))?;
                aggregate::update(agg, layout, &before, table, late)?;
                Err(err)
            }
            Err(e) => Err(e),
        }
    }

    fn probe(&self, batch: &RecordBatch, table: &AggTable) -> Result<Vec<i64>> {
        let (PipelineSink::Probe(spec), Some(layout)) = (&self.spec.sink, &self.layout) else {
            return Err(Error::internal(
                "probe() on a kernel whose sink is not Probe",
            ));
        };
        if table.layout().key_types != layout.key_types {
            return Err(internal("the probed table's keys are not the kernel's"));
        }
        if self.spec.steps.iter().any(|s| matches!(s, Step::Filter(_))) {
            return Err(internal("a probe kernel keeps every row: it has no filter"));
        }
        let cols = self.steps(self.input(batch)?)?;
        let keys = spec
            .keys
            .iter()
            .map(|k| self.eval.eval(k, &cols))
            .collect::<Result<Vec<_>>>()?;
        aggregate::probe(layout, &keys, cols.len, table)
    }

    fn explain(&self) -> KernelExplain {
        KernelExplain {
            mode: ExecMode::Interpret,
            clif: String::new(),
            asm: String::new(),
            compile_time: self.compile_time,
            fallbacks: Vec::new(),
        }
    }
}
