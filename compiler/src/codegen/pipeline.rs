//! The kernel's skeleton: the row loop, the environment of current column
//! values, loading input columns from their [`ColumnView`]s, and the steps
//! (filters and projections) in order, ending in the sink.
//!
//! ```text
//! entry(ctx, start, end): load column views;
//!         if no input read has a null in this batch -> fast loop else general loop
//! loop:   row = start; k = 0
//!   header: if row < end -> body else exit(k)
//!   body:   step blocks ...; sink; -> cont      (a failed filter -> cont)
//!   cont:   row += 1 -> header
//! exit(k): return k
//! ```
//!
//! The fast loop is the general one generated again with the inputs'
//! null flags known to be 0 (so every null check folds away); it is left
//! out of big kernels, whose compile time it would double.
//!
//! [`ColumnView`]: super::abi::ColumnView

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, Value};

use crate::error::{Error, Result};
use crate::ir::{PipelineSink, PipelineSpec, ScalarFunc, Step, TExpr, TExprKind};
use crate::types::DataType;

use super::abi::*;
use super::aggregate::AggSink;
use super::collect::CollectSink;
use super::gen::{clif_type, Gen, Val};

/// One column of the environment.
#[derive(Clone, Debug)]
pub struct Slot {
    /// `None` until loaded (only for columns that are still an input column).
    pub val: Option<Val>,
    pub ty: DataType,
    /// The input column this is, unchanged through the steps.
    pub source: Option<usize>,
}

/// The current columns, as the next step sees them.
pub type Env = Vec<Slot>;

/// The hoisted fields of one input column's view (those its type needs).
#[derive(Clone, Copy, Debug)]
pub struct ColumnHandle {
    values: Option<Value>,
    offsets: Option<Value>,
    values_bit: Option<Value>,
    validity: Option<Value>,
    validity_bit: Option<Value>,
    validity_mask: Option<Value>,
}

/// Which input columns the kernel reads, and which final column is still an
/// unchanged input column (a pass-through).
pub fn analyze(spec: &PipelineSpec) -> (Vec<bool>, Vec<Option<usize>>) {
    let mut src: Vec<Option<usize>> = (0..spec.input.len()).map(Some).collect();
    let mut used = vec![false; spec.input.len()];
    let mark = |e: &TExpr, src: &[Option<usize>], used: &mut Vec<bool>| {
        let mut refs = Vec::new();
        column_refs(e, &mut refs);
        for r in refs {
            if let Some(Some(i)) = src.get(r) {
                used[*i] = true;
            }
        }
    };
    for step in &spec.steps {
        match step {
            Step::Filter(e) => mark(e, &src, &mut used),
            Step::Project(es) => {
                for e in es {
                    mark(e, &src, &mut used);
                }
                src = es
                    .iter()
                    .map(|e| match &e.kind {
                        TExprKind::Column { index, .. } => src.get(*index).copied().flatten(),
                        _ => None,
                    })
                    .collect();
            }
        }
    }
    if let Some(agg) = spec.sink.table_spec() {
        for e in agg
            .keys
            .iter()
            .chain(agg.aggs.iter().filter_map(|a| a.arg.as_ref()))
        {
            mark(e, &src, &mut used);
        }
    }
    (used, src)
}

/// The column indexes an expression reads.
pub fn column_refs(e: &TExpr, out: &mut Vec<usize>) {
    if let TExprKind::Column { index, .. } = &e.kind {
        out.push(*index);
    }
    for c in e.children() {
        crate::depth::grow(|| column_refs(c, out));
    }
}

fn refs_of(exprs: &[&TExpr]) -> Vec<usize> {
    let mut refs = Vec::new();
    for e in exprs {
        column_refs(e, &mut refs);
    }
    refs
}

/// Generates the whole kernel function body from the function's
/// parameters `start` and `end` (rows).
///
/// The row loop is generated twice when some input the kernel reads may be
/// null: the general loop, and one that assumes every input it reads is
/// null-free (all their null checks fold away). The entry block picks one
/// per batch from the columns' validity masks.
pub fn gen_pipeline(
    g: &mut Gen,
    spec: &PipelineSpec,
    start: Value,
    end: Value,
    collect: Option<&mut CollectSink>,
) -> Result<()> {
    let (used, _) = analyze(spec);
    let ctx = g.ctx;
    let cols_base = g.load(types::I64, ctx, CTX_COLUMNS);
    let mut handles = Vec::with_capacity(spec.input.len());
    for (i, u) in used.iter().enumerate() {
        let c = &spec.input[i];
        handles.push(u.then(|| column_handle(g, cols_base, i, &c.ty, c.nullable)));
    }
    let mut collect = collect;
    let agg = match &spec.sink {
        PipelineSink::Aggregate(a) | PipelineSink::Probe(a) => Some(AggSink::new(g, a)?),
        PipelineSink::Collect => None,
    };
    if let Some(c) = collect.as_deref_mut() {
        c.setup(g);
    }
    let exit = g.b.create_block();
    let k = g.b.append_block_param(exit, types::I64);
    let masks: Vec<Value> = handles
        .iter()
        .flatten()
        .filter_map(|h| h.validity_mask)
        .collect();
    let lp = Loop {
        spec,
        handles: &handles,
        start,
        end,
        exit,
        arena: uses_arena(spec),
    };
    if masks.is_empty() {
        lp.gen(g, collect, agg.as_ref(), false)?;
    } else {
        let mut any = masks[0];
        for m in &masks[1..] {
            any = g.b.ins().bor(any, *m);
        }
        let general = g.b.create_block();
        let fast = g.b.create_block();
        g.b.ins().brif(any, general, &[], fast, &[]);
        g.b.switch_to_block(general);
        let before = g.b.func.dfg.num_insts();
        lp.gen(g, collect.as_deref_mut(), agg.as_ref(), false)?;
        if let Some(c) = collect.as_deref_mut() {
            c.freeze();
        }
        g.b.switch_to_block(fast);
        if g.b.func.dfg.num_insts() - before <= FAST_LOOP_MAX_INSTS {
            lp.gen(g, collect, agg.as_ref(), true)?;
        } else {
            // A big loop: compiling it twice would cost more than it saves.
            g.b.ins().jump(general, &[]);
        }
    }
    g.b.switch_to_block(exit);
    g.b.ins().return_(&[k]);
    Ok(())
}

/// The size (in instructions) of the general loop above which the kernel
/// has no null-free copy of it.
const FAST_LOOP_MAX_INSTS: usize = 1000;

/// One row loop over the batch, ending in a jump to `exit` with the number
/// of rows collected.
struct Loop<'s> {
    spec: &'s PipelineSpec,
    handles: &'s [Option<ColumnHandle>],
    start: Value,
    end: Value,
    exit: cranelift_codegen::ir::Block,
    /// Whether some helper may allocate in the string arena.
    arena: bool,
}

impl Loop<'_> {
    /// The loop, from the current block. `no_nulls`: every input read is
    /// known to be null-free.
    fn gen(
        &self,
        g: &mut Gen,
        collect: Option<&mut CollectSink>,
        agg: Option<&AggSink>,
        no_nulls: bool,
    ) -> Result<()> {
        let spec = self.spec;
        let ctx = g.ctx;
        let row_var = g.b.declare_var(types::I64);
        let k_var = g.b.declare_var(types::I64);
        g.b.def_var(row_var, self.start);
        let zero = g.i64c(0);
        g.b.def_var(k_var, zero);
        let header = g.b.create_block();
        let body = g.b.create_block();
        let cont = g.b.create_block();
        let done = g.b.create_block();
        g.b.ins().jump(header, &[]);

        g.b.switch_to_block(header);
        let row = g.b.use_var(row_var);
        let more = g.b.ins().icmp(IntCC::UnsignedLessThan, row, self.end);
        g.b.ins().brif(more, body, &[], done, &[]);

        g.b.switch_to_block(body);
        if self.arena {
            let one = g.i64c(1);
            g.store(one, ctx, CTX_ARENA_RESET);
        }
        let mut env: Env = spec
            .input
            .iter()
            .enumerate()
            .map(|(i, c)| Slot {
                val: None,
                ty: c.ty.clone(),
                source: Some(i),
            })
            .collect();
        let nullable: Vec<bool> = spec.input.iter().map(|c| c.nullable && !no_nulls).collect();
        let handles = self.handles;
        let load = |g: &mut Gen, env: &mut Env, refs: Vec<usize>| -> Result<()> {
            for r in refs {
                let slot = env
                    .get_mut(r)
                    .ok_or_else(|| Error::internal(format!("column {r} does not exist")))?;
                if slot.val.is_none() {
                    let i = slot
                        .source
                        .ok_or_else(|| Error::internal(format!("column {r} has no value")))?;
                    let h = handles[i]
                        .ok_or_else(|| Error::internal(format!("input {i} was not loaded")))?;
                    slot.val = Some(load_column(g, &h, &slot.ty, nullable[i], row)?);
                }
            }
            Ok(())
        };

        for step in &spec.steps {
            match step {
                Step::Filter(e) => {
                    load(g, &mut env, refs_of(&[e]))?;
                    let v = g.expr(e, &env)?;
                    let t = g.is_true(v)?;
                    let next = g.b.create_block();
                    g.b.ins().brif(t, next, &[], cont, &[]);
                    g.b.switch_to_block(next);
                }
                Step::Project(es) => {
                    // Columns passed through stay unloaded until read.
                    let computed: Vec<&TExpr> = es
                        .iter()
                        .filter(|e| !matches!(e.kind, TExprKind::Column { .. }))
                        .collect();
                    load(g, &mut env, refs_of(&computed))?;
                    let mut next = Vec::with_capacity(es.len());
                    for e in es {
                        next.push(match &e.kind {
                            TExprKind::Column { index, .. } => {
                                env.get(*index).cloned().ok_or_else(|| {
                                    Error::internal(format!("column {index} does not exist"))
                                })?
                            }
                            _ => Slot {
                                val: Some(g.expr(e, &env)?),
                                ty: e.ty.clone(),
                                source: None,
                            },
                        });
                    }
                    env = next;
                }
            }
        }

        match (&spec.sink, collect, agg) {
            (PipelineSink::Collect, Some(c), _) => {
                load(g, &mut env, c.computed_slots())?;
                let k = g.b.use_var(k_var);
                c.emit_row(g, &env, row, k)?;
                let k1 = g.b.ins().iadd_imm_s(k, 1);
                g.b.def_var(k_var, k1);
            }
            (PipelineSink::Aggregate(a), _, Some(sink)) => {
                let exprs: Vec<&TExpr> = a
                    .keys
                    .iter()
                    .chain(a.aggs.iter().filter_map(|c| c.arg.as_ref()))
                    .collect();
                load(g, &mut env, refs_of(&exprs))?;
                sink.emit_row(g, a, &env, row)?;
            }
            (PipelineSink::Probe(a), _, Some(sink)) => {
                let exprs: Vec<&TExpr> = a.keys.iter().collect();
                load(g, &mut env, refs_of(&exprs))?;
                sink.emit_probe(g, a, &env, row)?;
            }
            _ => return Err(Error::internal("the sink was not set up")),
        }
        g.b.ins().jump(cont, &[]);

        g.b.switch_to_block(cont);
        let next = g.b.ins().iadd_imm_s(row, 1);
        g.b.def_var(row_var, next);
        g.b.ins().jump(header, &[]);

        g.b.switch_to_block(done);
        let k = g.b.use_var(k_var);
        g.b.ins().jump(self.exit, &[k.into()]);
        Ok(())
    }
}

/// Whether some expression may call a helper that allocates in the ctx's
/// string arena (then the kernel lets the arena recycle at each row).
fn uses_arena(spec: &PipelineSpec) -> bool {
    fn walk(e: &TExpr) -> bool {
        let own = match &e.kind {
            TExprKind::Call { func, .. } => matches!(
                func,
                ScalarFunc::Lower | ScalarFunc::Upper | ScalarFunc::Concat | ScalarFunc::Substring
            ),
            TExprKind::Cast { arg } => e.ty == DataType::Utf8 && arg.ty != DataType::Utf8,
            _ => false,
        };
        own || e.children().into_iter().any(walk)
    }
    let mut exprs: Vec<&TExpr> = Vec::new();
    for s in &spec.steps {
        match s {
            Step::Filter(e) => exprs.push(e),
            Step::Project(es) => exprs.extend(es),
        }
    }
    if let Some(a) = spec.sink.table_spec() {
        exprs.extend(&a.keys);
        exprs.extend(a.aggs.iter().filter_map(|c| c.arg.as_ref()));
    }
    exprs.into_iter().any(walk)
}

/// Loads the fields of column `i`'s view that a column of type `ty` needs.
fn column_handle(
    g: &mut Gen,
    base: Value,
    i: usize,
    ty: &DataType,
    nullable: bool,
) -> ColumnHandle {
    let at = CV_SIZE * i as i32;
    let mut field = |off: i32, want: bool| want.then(|| g.load(types::I64, base, at + off));
    let nullable = nullable && *ty != DataType::Null;
    ColumnHandle {
        values: field(CV_VALUES, *ty != DataType::Null),
        offsets: field(CV_OFFSETS, ty.is_string_like()),
        values_bit: field(CV_VALUES_BIT, *ty == DataType::Boolean),
        validity: field(CV_VALIDITY, nullable),
        validity_bit: field(CV_VALIDITY_BIT, nullable),
        validity_mask: field(CV_VALIDITY_MASK, nullable),
    }
}

fn field(v: Option<Value>) -> Result<Value> {
    v.ok_or_else(|| Error::internal("a column view field was not loaded"))
}

/// Bit `pos` of the bitmap at `p`, as an i8.
fn load_bit(g: &mut Gen, p: Value, pos: Value, mask: Option<Value>) -> Value {
    let mut byte_idx = g.b.ins().ushr_imm_u(pos, 3);
    if let Some(m) = mask {
        byte_idx = g.b.ins().band(byte_idx, m);
    }
    let addr = g.b.ins().iadd(p, byte_idx);
    let byte = g.b.ins().uload8(types::I32, super::gen::mem(), addr, 0);
    let sh = g.b.ins().band_imm_u(pos, 7);
    let sh = g.b.ins().ireduce(types::I32, sh);
    let bit = g.b.ins().ushr(byte, sh);
    let bit = g.b.ins().band_imm_u(bit, 1);
    g.b.ins().ireduce(types::I8, bit)
}

/// The value of input column `h` (of type `ty`) at `row`; `nullable`
/// false when the column is known to hold no null here.
fn load_column(
    g: &mut Gen,
    h: &ColumnHandle,
    ty: &DataType,
    nullable: bool,
    row: Value,
) -> Result<Val> {
    if ty.is_opaque_to_jit() {
        // Its view has no buffers (see `abi::column_view`).
        return Err(Error::internal(
            "compiled code does not read struct, array or decimal columns",
        ));
    }
    let null = if *ty == DataType::Null {
        Some(g.i8c(1))
    } else if nullable {
        let pos = g.b.ins().iadd(row, field(h.validity_bit)?);
        let bit = load_bit(g, field(h.validity)?, pos, Some(field(h.validity_mask)?));
        Some(g.b.ins().bxor_imm_u(bit, 1))
    } else {
        None
    };
    Ok(match ty {
        DataType::Null => Val::Fixed { v: g.i8c(0), null },
        DataType::Boolean => {
            let pos = g.b.ins().iadd(row, field(h.values_bit)?);
            Val::Fixed {
                v: load_bit(g, field(h.values)?, pos, None),
                null,
            }
        }
        DataType::Utf8 | DataType::Binary => {
            let at = g.b.ins().ishl_imm_u(row, 2);
            let at = g.b.ins().iadd(field(h.offsets)?, at);
            let o0 = g.b.ins().uload32(super::gen::mem(), at, 0);
            let o1 = g.b.ins().uload32(super::gen::mem(), at, 4);
            let ptr = g.b.ins().iadd(field(h.values)?, o0);
            let len = g.b.ins().isub(o1, o0);
            Val::Str { ptr, len, null }
        }
        t => {
            let cty = clif_type(t);
            let at = g.b.ins().imul_imm_s(row, cty.bytes() as i64);
            let at = g.b.ins().iadd(field(h.values)?, at);
            Val::Fixed {
                v: g.load(cty, at, 0),
                null,
            }
        }
    })
}
