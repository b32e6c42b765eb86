//! The kernel interface both back ends implement, the switch between them,
//! and the per-query compile cache.
//!
//! A kernel runs one fused pipeline ([`PipelineSpec`]) over one Arrow batch
//! (or a morsel of one). It keeps no state between calls, so the runtime runs
//! it on many morsels at once; an aggregate kernel updates the table it is
//! given, one table per worker.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use crate::agg_table::{AggTable, LateRows};
use crate::error::Result;
use crate::ir::{AggCall, PipelineSpec, ScalarFunc, Step, TExpr, TExprKind};
use crate::types::DataType;

/// How kernels run: compiled by Cranelift, or by the interpreted twin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExecMode {
    Jit,
    Interpret,
}

impl ExecMode {
    /// `SQLC_EXEC=jit|interpret` (jit when unset or unrecognised).
    pub fn from_env() -> Self {
        match std::env::var("SQLC_EXEC").as_deref() {
            Ok("interpret") | Ok("interpreted") | Ok("interp") => ExecMode::Interpret,
            _ => ExecMode::Jit,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ExecMode::Jit => "jit",
            ExecMode::Interpret => "interpreted",
        }
    }
}

/// What `explain` shows of a kernel.
#[derive(Clone, Debug)]
pub struct KernelExplain {
    pub mode: ExecMode,
    /// The Cranelift IR of the compiled function (empty when interpreted).
    pub clif: String,
    /// The machine code's disassembly, when available (empty otherwise).
    pub asm: String,
    pub compile_time: Duration,
    /// Parts of the spec the kernel hands to the interpreted twin, with why.
    pub fallbacks: Vec<String>,
}

pub trait Kernel: Send + Sync + std::fmt::Debug {
    fn spec(&self) -> &PipelineSpec;

    /// The schema of [`Kernel::collect`]'s batches.
    fn output_schema(&self) -> &SchemaRef;

    /// For a `Collect` sink: the rows that pass every filter, with the final
    /// columns. `batch`'s columns must have the spec's input types.
    fn collect(&self, batch: &RecordBatch) -> Result<RecordBatch>;

    /// For an `Aggregate` sink: updates `table` (built from the spec's
    /// [`crate::agg_table::TableLayout`]) with the rows that pass; rows late
    /// by `late`'s watermark (with an event-time key) are dropped, counted
    /// and noted there instead.
    fn aggregate(
        &self,
        batch: &RecordBatch,
        table: &mut AggTable,
        late: &mut LateRows,
    ) -> Result<()>;

    /// For a `Probe` sink: per row of `batch`, its group in `table` (built
    /// by an aggregate kernel over the same key types), or -1.
    fn probe(&self, batch: &RecordBatch, table: &AggTable) -> Result<Vec<i64>>;

    fn explain(&self) -> KernelExplain;
}

/// Whether an expression makes or reads a struct value.
pub fn touches_struct(e: &TExpr) -> bool {
    if e.ty.is_decimal() && jit_decimal(e) {
        return false; // computed by compiled code
    }
    let mut why = Vec::new();
    struct_uses(e, &mut why);
    !why.is_empty()
}

/// Whether a cast from decimal `from` to decimal `to` can never overflow:
/// the scale does not drop and no integral digit is lost.
pub fn decimal_widens(from: &DataType, to: &DataType) -> bool {
    match (from.decimal_ps(), to.decimal_ps()) {
        (Some((p1, s1)), Some((p2, s2))) => s2 >= s1 && p2 - s2 >= p1 - s1,
        _ => false,
    }
}

/// A decimal value compiled code computes: a column, a literal, a cast of
/// one that only widens (its unscaled value scaled up), `+ - *` of two
/// whose exact result fits Spark's result type without losing precision
/// (so it is one `i128` operation that cannot overflow), or `/` and `%`
/// of two (a per-row call of the twin's routine).
fn jit_decimal(e: &TExpr) -> bool {
    use crate::ir::BinaryOp::{Add, Div, Mod, Mul, Sub};
    match &e.kind {
        // `/` and `%` call the twin's routine per row.
        TExprKind::Binary {
            op: Div | Mod,
            left,
            right,
        } => {
            e.ty.is_decimal()
                && left.ty.is_decimal()
                && right.ty.is_decimal()
                && jit_decimal(left)
                && jit_decimal(right)
        }
        TExprKind::Column { .. } | TExprKind::Literal(_) => e.ty.is_decimal(),
        // Negation and `abs` keep the type and cannot overflow (a
        // decimal's range is symmetric): one `i128` operation.
        TExprKind::Unary {
            op: crate::ir::UnaryOp::Neg,
            arg,
        } => arg.ty == e.ty && jit_decimal(arg),
        TExprKind::Call {
            func: ScalarFunc::Abs,
            args,
        } => args.len() == 1 && args[0].ty == e.ty && jit_decimal(&args[0]),
        TExprKind::Cast { arg } => {
            (decimal_widens(&arg.ty, &e.ty) && jit_decimal(arg)) || integer_fits(&arg.ty, &e.ty)
        }
        TExprKind::Binary {
            op: op @ (Add | Sub | Mul),
            left,
            right,
        } => {
            let (Some((pa, sa)), Some((pb, sb)), Some(r)) = (
                left.ty.decimal_ps(),
                right.ty.decimal_ps(),
                e.ty.decimal_ps(),
            ) else {
                return false;
            };
            let (pa, sa, pb, sb) = (pa as i32, sa as i32, pb as i32, sb as i32);
            let exact = if *op == Mul {
                (pa + pb < 38).then_some(((pa + pb + 1) as u8, (sa + sb) as u8))
            } else {
                let s = sa.max(sb);
                let p = (pa - sa).max(pb - sb) + s + 1;
                (p <= 38).then_some((p as u8, s as u8))
            };
            exact == Some(r) && jit_decimal(left) && jit_decimal(right)
        }
        _ => false,
    }
}

/// Whether compiled code computes `e` where it makes or reads a FLOAT, a
/// TINYINT, a SMALLINT, a TIMESTAMP_NTZ or an interval (their values are
/// compiled only in these expressions): loads, literals, null tests,
/// CASE/COALESCE, comparisons, FLOAT and narrow-integer arithmetic
/// (`+ - * %`, negation; `abs` of a narrow integer) and the casts
/// `jit_cast` names.
fn partial_type_compiled(e: &TExpr) -> bool {
    use crate::ir::{BinaryOp as B, UnaryOp};
    let involves = e.ty.runs_interpreted() || e.children().iter().any(|c| c.ty.runs_interpreted());
    if !involves {
        return true;
    }
    let narrow = is_narrow(&e.ty) || e.children().iter().any(|c| is_narrow(&c.ty));
    match &e.kind {
        TExprKind::Column { .. }
        | TExprKind::Literal(_)
        | TExprKind::IsNull(_)
        | TExprKind::IsNotNull(_)
        | TExprKind::Case { .. }
        | TExprKind::Coalesce(_) => true,
        TExprKind::Binary { op, left, right } if op.is_comparison() || *op == B::EqNullSafe => {
            left.ty == right.ty
        }
        TExprKind::Binary {
            op: B::Add | B::Sub | B::Mul | B::Mod,
            left,
            right,
        } => (e.ty == DataType::Float32 || is_narrow(&e.ty)) && left.ty == right.ty,
        TExprKind::Unary {
            op: UnaryOp::Neg, ..
        } => e.ty == DataType::Float32 || is_narrow(&e.ty),
        TExprKind::Call {
            func: ScalarFunc::Abs,
            ..
        } => is_narrow(&e.ty),
        TExprKind::Cast { arg } => jit_cast(&arg.ty, &e.ty),
        TExprKind::Function { .. } if narrow => false,
        TExprKind::Function { func, args } => crate::codegen::interval::compiled(func.name(), args),
        _ => false,
    }
}

/// The casts from or to a FLOAT, an interval, a TINYINT or a SMALLINT that
/// compiled code makes (a narrow integer is cast on as the INT it is).
fn jit_cast(from: &DataType, to: &DataType) -> bool {
    use DataType::*;
    matches!(
        (from, to),
        (
            Int8 | Int16,
            Int32 | Int64 | Float64 | Float32 | Boolean | Utf8 | Timestamp
        ) | (Int8 | Int16 | Int32 | Int64, Int8 | Int16)
            | (Float32, Float64 | Boolean | Int32 | Int64)
            | (Float64 | Int32 | Int64 | Boolean, Float32)
            | (YearMonthInterval(..), YearMonthInterval(..))
            | (DayTimeInterval(..), DayTimeInterval(..))
    ) || (from == to)
}

/// Whether every INT or BIGINT `from` fits the decimal `to` exactly (the
/// resolver's `DECIMAL(10,0)`/`DECIMAL(20,0)`), so a cast is a scaling.
pub fn integer_fits(from: &DataType, to: &DataType) -> bool {
    let digits = match from {
        DataType::Int32 => 10,
        DataType::Int64 => 19,
        _ => return false,
    };
    to.decimal_ps().is_some_and(|(p, s)| p - s >= digits)
}

fn struct_uses(e: &TExpr, why: &mut Vec<String>) {
    // Decimals compiled code handles: comparisons of decimal operands it
    // reads (an `i128` compare), and null tests of them.
    match &e.kind {
        TExprKind::Binary { op, left, right }
            if op.is_comparison()
                && left.ty.is_decimal()
                && jit_decimal(left)
                && jit_decimal(right) =>
        {
            return
        }
        TExprKind::IsNull(arg) | TExprKind::IsNotNull(arg)
            if arg.ty.is_decimal() && jit_decimal(arg) =>
        {
            return
        }
        _ => {}
    }
    // Interval and TIMESTAMP_NTZ arithmetic compiled code computes.
    let compiled_function = matches!(&e.kind, TExprKind::Function { func, args }
        if crate::codegen::interval::compiled(func.name(), args));
    let what = match &e.kind {
        _ if compiled_function => None,
        TExprKind::Call { func, .. } if matches!(func, ScalarFunc::Struct) => {
            Some(format!("{}()", func.name()))
        }
        TExprKind::GetField { .. } => Some("struct field access".to_string()),
        // A function making or reading a struct (`from_json`, `to_json`)
        // is one of the struct values'.
        TExprKind::Function { func, args }
            if matches!(e.ty, DataType::Struct(_))
                || args.iter().any(|a| matches!(a.ty, DataType::Struct(_))) =>
        {
            Some(format!("{}()", func.name()))
        }
        TExprKind::Function { func, .. } => {
            Some(format!("{}() (interpreted function)", func.name()))
        }
        _ if matches!(e.ty, DataType::Struct(_)) => Some(format!("struct value {e}")),
        _ if matches!(e.ty, DataType::Array(..)) => Some(format!("array value {e}")),
        _ if matches!(e.ty, DataType::Map(..)) => Some(format!("map value {e}")),
        _ if e.ty.is_decimal() => Some(format!("decimal value {e}")),
        _ if !partial_type_compiled(e) => {
            let t = std::iter::once(e)
                .chain(e.children())
                .map(|x| &x.ty)
                .find(|t| t.runs_interpreted())
                .unwrap_or(&e.ty);
            Some(format!("{} value {e}", t.spark_name()))
        }
        _ => None,
    };
    if let Some(w) = what {
        if !why.contains(&w) {
            why.push(w);
        }
    }
    e.children()
        .into_iter()
        // A decimal operand of compiled interval arithmetic is computed.
        .filter(|c| !(compiled_function && c.ty.is_decimal() && jit_decimal(c)))
        .for_each(|c| crate::depth::grow(|| struct_uses(c, why)));
}

/// The expressions compiled code evaluates for an aggregate's argument
/// (none for count(*)): the argument, or the two fields of the packed
/// `struct(x, y)` of corr, covar_pop, covar_samp, max_by and min_by; `None`
/// when the twin alone updates the aggregate's accumulator.
pub fn compiled_args(call: &AggCall) -> Option<Vec<&TExpr>> {
    use crate::ir::AggFunc::*;
    match (&call.func, &call.arg) {
        (Corr | CovarPop | CovarSamp | MaxBy | MinBy, Some(arg)) => match &arg.kind {
            TExprKind::Call {
                func: ScalarFunc::Struct,
                args,
            } if args.len() == 2 => Some(args.iter().collect()),
            _ => None,
        },
        (f, _) if f.interpreted_only() => None,
        (_, arg) => Some(arg.iter().collect()),
    }
}

/// TINYINT and SMALLINT, whose values compiled code computes only in the
/// expressions `partial_type_compiled` names.
fn is_narrow(t: &DataType) -> bool {
    matches!(t, DataType::Int8 | DataType::Int16)
}

/// Why the JIT hands `spec` to the interpreted twin, if it does: struct
/// values (`from_json`, `to_json`, `struct(..)`, field access, struct
/// columns) are not compiled; the twin runs the pipeline, one Arrow call
/// per batch for each struct function. (The physical planner cuts a chain
/// above its last struct step, so what follows is still compiled.)
pub fn needs_interpreter(spec: &PipelineSpec) -> Option<String> {
    // A struct column passed through unread is fine: compiled kernels
    // gather pass-through columns without reading them.
    let mut why = Vec::new();
    for step in &spec.steps {
        match step {
            Step::Filter(e) => struct_uses(e, &mut why),
            Step::Project(es) => es
                .iter()
                .filter(|e| !matches!(e.kind, TExprKind::Column { .. }))
                // A decimal the kernel computes is written to its output.
                .filter(|e| !(e.ty.is_decimal() && jit_decimal(e)))
                .for_each(|e| struct_uses(e, &mut why)),
        }
    }
    if let Some(a) = spec.sink.table_spec() {
        a.keys.iter().for_each(|e| struct_uses(e, &mut why));
        // The aggregates whose accumulators the twin alone updates
        // (collecting, percentiles, …): their arguments are never compiled.
        let mut names: Vec<&str> = a
            .aggs
            .iter()
            .filter(|c| compiled_args(c).is_none())
            .map(|c| c.func.name())
            .collect();
        if !names.is_empty() {
            names.dedup();
            return Some(format!(
                "not compiled (interpreted aggregates): {}",
                names.join(", ")
            ));
        }
        a.aggs
            .iter()
            .flat_map(|c| compiled_args(c).unwrap_or_default())
            .for_each(|e| struct_uses(e, &mut why));
    }
    if why.is_empty() {
        return None;
    }
    let functions_only = why.iter().all(|w| w.ends_with("(interpreted function)"));
    Some(if functions_only {
        let names: Vec<&str> = why
            .iter()
            .map(|w| w.trim_end_matches(" (interpreted function)"))
            .collect();
        format!("not compiled (interpreted functions): {}", names.join(", "))
    } else {
        let what = if why.iter().any(|w| w.starts_with("array value")) {
            "nested values"
        } else if why.iter().any(|w| w.starts_with("decimal value")) {
            "decimal values"
        } else if why
            .iter()
            .any(|w| w.starts_with("tinyint") || w.starts_with("smallint"))
        {
            "narrow integer values"
        } else if why.iter().any(|w| w.starts_with("float value")) {
            "float values"
        } else if why.iter().any(|w| w.starts_with("interval ")) {
            "interval values"
        } else {
            "struct values"
        };
        format!("not compiled ({what}): {}", why.join(", "))
    })
}

/// A kernel the JIT handed to the interpreted twin, saying why in `explain`.
#[derive(Debug)]
struct Fallback {
    inner: Arc<dyn Kernel>,
    why: String,
}

impl Kernel for Fallback {
    fn spec(&self) -> &PipelineSpec {
        self.inner.spec()
    }
    fn output_schema(&self) -> &SchemaRef {
        self.inner.output_schema()
    }
    fn collect(&self, batch: &RecordBatch) -> Result<RecordBatch> {
        self.inner.collect(batch)
    }
    fn aggregate(
        &self,
        batch: &RecordBatch,
        table: &mut AggTable,
        late: &mut LateRows,
    ) -> Result<()> {
        self.inner.aggregate(batch, table, late)
    }
    fn probe(&self, batch: &RecordBatch, table: &AggTable) -> Result<Vec<i64>> {
        self.inner.probe(batch, table)
    }
    fn explain(&self) -> KernelExplain {
        let mut e = self.inner.explain();
        e.fallbacks.push(self.why.clone());
        e
    }
}

/// Compiles a pipeline for the given mode. `output` names and types the
/// columns of a `Collect` sink (ignored for aggregates).
pub fn compile(spec: &PipelineSpec, output: SchemaRef, mode: ExecMode) -> Result<Arc<dyn Kernel>> {
    crate::verify::verify(spec)?;
    match mode {
        ExecMode::Jit => match needs_interpreter(spec) {
            Some(why) => Ok(Arc::new(Fallback {
                inner: crate::interp::compile(spec, output)?,
                why,
            })),
            None => crate::codegen::compile(spec, output),
        },
        ExecMode::Interpret => crate::interp::compile(spec, output),
    }
}

/// What identifies a compiled kernel: its mode, its pipeline and the schema
/// of its output. Hashed and compared structurally — literals bit for bit,
/// catalog functions by name and instance key — never as text.
#[derive(PartialEq, Eq, Hash)]
struct KernelKey {
    mode: ExecMode,
    spec: PipelineSpec,
    output: SchemaRef,
}

/// [`compile`], memoised by plan: a query's kernels are compiled once, and a
/// query started again with the same plan reuses them.
pub fn compile_cached(
    spec: &PipelineSpec,
    output: SchemaRef,
    mode: ExecMode,
) -> Result<Arc<dyn Kernel>> {
    // Bounded: a long-running session (a shell, a server) that plans many
    // distinct queries does not keep every kernel it ever compiled.
    const CAPACITY: usize = 512;
    static CACHE: OnceLock<Mutex<HashMap<KernelKey, Arc<dyn Kernel>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    // Cloning, hashing, comparing and dropping a key are derived passes over
    // the spec's expressions: on a stack for the deepest accepted tree.
    crate::depth::whole_tree(|| {
        let key = KernelKey {
            mode,
            spec: spec.clone(),
            output: output.clone(),
        };
        if let Some(k) = lock().get(&key) {
            return Ok(k.clone());
        }
        let k = compile(spec, output, mode)?;
        let mut c = lock();
        if c.len() >= CAPACITY && !c.contains_key(&key) {
            c.clear();
        }
        c.insert(key, k.clone());
        Ok(k)
    })
}

#[cfg(test)]
mod tests {
    use std::hash::{BuildHasher, RandomState};

    use super::*;
    use crate::ir::{ColumnType, PipelineSink};
    use crate::types::Scalar;

    fn key(v: f64) -> KernelKey {
        let out = arrow::datatypes::Schema::new(vec![arrow::datatypes::Field::new(
            "x",
            arrow::datatypes::DataType::Float64,
            false,
        )]);
        KernelKey {
            mode: ExecMode::Jit,
            spec: PipelineSpec {
                input: vec![ColumnType {
                    ty: DataType::Float64,
                    nullable: true,
                }],
                steps: vec![Step::Project(vec![TExpr::literal(Scalar::Float64(v))])],
                sink: PipelineSink::Collect,
            },
            output: Arc::new(out),
        }
    }

    #[test]
    fn kernel_keys_tell_literals_apart_bit_for_bit() {
        let h = RandomState::new();
        assert!(key(1.5) == key(1.5));
        assert_eq!(h.hash_one(key(1.5)), h.hash_one(key(1.5)));
        // A NaN literal finds its kernel again; 0.0 and -0.0 compile apart.
        assert!(key(f64::NAN) == key(f64::NAN));
        assert_eq!(h.hash_one(key(f64::NAN)), h.hash_one(key(f64::NAN)));
        assert!(key(0.0) != key(-0.0));
        assert!(key(1.5) != key(2.5));
    }
}
