//! The kernel's skeleton: the row loop, the environment of current column
//! values, loading input columns from their [`ColumnView`]s, and the steps
//! (filters and projections) in order, ending in the sink.
//!
//! ```text
//! entry(ctx, start, end): load column views; row = start; k = 0
//! header: if row < end -> body else exit
//! body:   step blocks ...; sink; -> cont      (a failed filter -> cont)
//! cont:   row += 1 -> header
//! exit:   return k
//! ```
//!
//! [`ColumnView`]: super::abi::ColumnView

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, Value};

use crate::error::{Error, Result};
use crate::ir::{PipelineSink, PipelineSpec, Step, TExpr, TExprKind};
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

/// The hoisted fields of one input column's view.
#[derive(Clone, Copy, Debug)]
pub struct ColumnHandle {
    values: Value,
    offsets: Value,
    values_bit: Value,
    validity: Value,
    validity_bit: Value,
    validity_mask: Value,
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
    if let PipelineSink::Aggregate(agg) = &spec.sink {
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
        column_refs(c, out);
    }
}

fn refs_of(exprs: &[&TExpr]) -> Vec<usize> {
    let mut refs = Vec::new();
    for e in exprs {
        column_refs(e, &mut refs);
    }
    refs
}

/// Generates the whole kernel function body. `params` are the function's
/// (ctx, row_start, row_end).
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
        handles.push(if *u {
            Some(column_handle(g, cols_base, i))
        } else {
            None
        });
    }
    let mut collect = collect;
    let mut agg = match &spec.sink {
        PipelineSink::Aggregate(a) => Some(AggSink::new(g, a)?),
        PipelineSink::Collect => None,
    };
    if let Some(c) = collect.as_deref_mut() {
        c.setup(g);
    }

    let row_var = g.b.declare_var(types::I64);
    let k_var = g.b.declare_var(types::I64);
    g.b.def_var(row_var, start);
    let zero = g.i64c(0);
    g.b.def_var(k_var, zero);
    let header = g.b.create_block();
    let body = g.b.create_block();
    let cont = g.b.create_block();
    let exit = g.b.create_block();
    g.b.ins().jump(header, &[]);

    g.b.switch_to_block(header);
    let row = g.b.use_var(row_var);
    let more = g.b.ins().icmp(IntCC::UnsignedLessThan, row, end);
    g.b.ins().brif(more, body, &[], exit, &[]);

    g.b.switch_to_block(body);
    let one = g.i64c(1);
    g.store(one, ctx, CTX_ARENA_RESET);
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
    let nullable: Vec<bool> = spec.input.iter().map(|c| c.nullable).collect();
    let load = |g: &mut Gen, env: &mut Env, refs: Vec<usize>| -> Result<()> {
        for r in refs {
            let slot = env
                .get_mut(r)
                .ok_or_else(|| Error::Codegen(format!("column {r} does not exist")))?;
            if slot.val.is_none() {
                let i = slot
                    .source
                    .ok_or_else(|| Error::Codegen(format!("column {r} has no value")))?;
                let h = handles[i]
                    .ok_or_else(|| Error::Codegen(format!("input {i} was not loaded")))?;
                slot.val = Some(load_column(g, &h, &slot.ty, nullable[i], row));
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
                load(g, &mut env, refs_of(&es.iter().collect::<Vec<_>>()))?;
                let mut next = Vec::with_capacity(es.len());
                for e in es {
                    next.push(match &e.kind {
                        TExprKind::Column { index, .. } => {
                            env.get(*index).cloned().ok_or_else(|| {
                                Error::Codegen(format!("column {index} does not exist"))
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

    match (&spec.sink, collect) {
        (PipelineSink::Collect, Some(c)) => {
            load(g, &mut env, c.computed_slots())?;
            let k = g.b.use_var(k_var);
            c.emit_row(g, &env, row, k)?;
            let k1 = g.b.ins().iadd_imm_s(k, 1);
            g.b.def_var(k_var, k1);
        }
        (PipelineSink::Aggregate(a), _) => {
            let exprs: Vec<&TExpr> = a
                .keys
                .iter()
                .chain(a.aggs.iter().filter_map(|c| c.arg.as_ref()))
                .collect();
            load(g, &mut env, refs_of(&exprs))?;
            agg.as_mut()
                .ok_or_else(|| Error::Codegen("the aggregate sink was not set up".into()))?
                .emit_row(g, a, &env)?;
        }
        (PipelineSink::Collect, None) => {
            return Err(Error::Codegen(
                "a collect sink needs its output plan".into(),
            ))
        }
    }
    g.b.ins().jump(cont, &[]);

    g.b.switch_to_block(cont);
    let next = g.b.ins().iadd_imm_s(row, 1);
    g.b.def_var(row_var, next);
    g.b.ins().jump(header, &[]);

    g.b.switch_to_block(exit);
    let k = g.b.use_var(k_var);
    g.b.ins().return_(&[k]);
    Ok(())
}

fn column_handle(g: &mut Gen, base: Value, i: usize) -> ColumnHandle {
    let at = CV_SIZE * i as i32;
    ColumnHandle {
        values: g.load(types::I64, base, at + CV_VALUES),
        offsets: g.load(types::I64, base, at + CV_OFFSETS),
        values_bit: g.load(types::I64, base, at + CV_VALUES_BIT),
        validity: g.load(types::I64, base, at + CV_VALIDITY),
        validity_bit: g.load(types::I64, base, at + CV_VALIDITY_BIT),
        validity_mask: g.load(types::I64, base, at + CV_VALIDITY_MASK),
    }
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

/// The value of input column `h` (of type `ty`) at `row`.
fn load_column(g: &mut Gen, h: &ColumnHandle, ty: &DataType, nullable: bool, row: Value) -> Val {
    let null = if *ty == DataType::Null {
        Some(g.i8c(1))
    } else if nullable {
        let pos = g.b.ins().iadd(row, h.validity_bit);
        let bit = load_bit(g, h.validity, pos, Some(h.validity_mask));
        Some(g.b.ins().bxor_imm_u(bit, 1))
    } else {
        None
    };
    match ty {
        DataType::Null => Val::Fixed { v: g.i8c(0), null },
        DataType::Boolean => {
            let pos = g.b.ins().iadd(row, h.values_bit);
            Val::Fixed {
                v: load_bit(g, h.values, pos, None),
                null,
            }
        }
        DataType::Utf8 | DataType::Binary => {
            let at = g.b.ins().ishl_imm_u(row, 2);
            let at = g.b.ins().iadd(h.offsets, at);
            let o0 = g.b.ins().uload32(super::gen::mem(), at, 0);
            let o1 = g.b.ins().uload32(super::gen::mem(), at, 4);
            let ptr = g.b.ins().iadd(h.values, o0);
            let len = g.b.ins().isub(o1, o0);
            Val::Str { ptr, len, null }
        }
        t => {
            let cty = clif_type(t);
            let at = g.b.ins().imul_imm_s(row, cty.bytes() as i64);
            let at = g.b.ins().iadd(h.values, at);
            Val::Fixed {
                v: g.load(cty, at, 0),
                null,
            }
        }
    }
}
