//! The collect sink: the kernel writes a selection vector and the computed
//! output columns; pass-through columns are gathered afterwards with
//! Arrow's filter kernel, vectorized. Both halves live here: the code generation
//! ([`CollectSink`]) and the Rust that prepares the buffers and assembles
//! the `RecordBatch` ([`OutputBuffers`]).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, BooleanArray, Date32Array, Float64Array, Int32Array,
    Int64Array, NullArray, StringArray, TimestampMicrosecondArray,
};
use arrow::buffer::{BooleanBuffer, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow::compute::FilterBuilder;
use arrow::datatypes::{DataType as ArrowType, SchemaRef, TimestampMicrosecondType};
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use cranelift_codegen::ir::{types, InstBuilder, Value};

use crate::error::{Error, Result};
use crate::ir::{PipelineSpec, Step};
use crate::types::DataType;

use super::abi::*;
use super::gen::{clif_type, Gen, Val};
use super::helpers;
use super::pipeline::{analyze, Env};

/// Where one output column comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum OutCol {
    /// Input column `i`, unchanged: gathered by Arrow's filter kernel.
    Input(usize),
    /// Written by the kernel into `OutView` number `out`.
    Computed {
        out: usize,
        slot: usize,
        ty: DataType,
        nullable: bool,
    },
}

/// The collect sink's plan and code generation state.
#[derive(Debug)]
pub struct CollectSink {
    pub cols: Vec<OutCol>,
    views: Vec<(Value, Value, Value)>,
    sel: Option<Value>,
    /// Set once a loop was generated: which columns are nullable is fixed.
    frozen: bool,
    /// Whether some step filters (else every row is output, in order).
    has_filter: bool,
}

impl CollectSink {
    /// Plans the outputs of `spec`, which must have as many final columns as
    /// `output` has fields.
    pub fn plan(spec: &PipelineSpec, output: &SchemaRef) -> Result<Self> {
        let (_, sources) = analyze(spec);
        let mut types: Vec<DataType> = spec.input.iter().map(|c| c.ty.clone()).collect();
        for s in &spec.steps {
            if let Step::Project(es) = s {
                types = es.iter().map(|e| e.ty.clone()).collect();
            }
        }
        if types.len() != output.fields().len() {
            return Err(Error::internal(format!(
                "the pipeline produces {} columns but the output schema has {}",
                types.len(),
                output.fields().len()
            )));
        }
        let mut cols = Vec::with_capacity(types.len());
        let mut outs = 0;
        for (slot, (src, ty)) in sources.iter().zip(types).enumerate() {
            cols.push(match src {
                Some(i) => OutCol::Input(*i),
                None => {
                    outs += 1;
                    OutCol::Computed {
                        out: outs - 1,
                        slot,
                        ty,
                        nullable: false,
                    }
                }
            });
        }
        Ok(CollectSink {
            cols,
            views: Vec::new(),
            sel: None,
            frozen: false,
            has_filter: spec.steps.iter().any(|s| matches!(s, Step::Filter(_))),
        })
    }

    /// The final columns the kernel must have values for.
    pub fn computed_slots(&self) -> Vec<usize> {
        self.cols
            .iter()
            .filter_map(|c| match c {
                OutCol::Computed { slot, .. } => Some(*slot),
                OutCol::Input(_) => None,
            })
            .collect()
    }

    /// Fixes which columns are nullable: a later loop over the same buffers
    /// writes the validity of those columns too (1 where it has no null).
    pub fn freeze(&mut self) {
        self.frozen = true;
    }

    /// Whether the kernel must mark the surviving rows (for pass-through columns).
    pub fn needs_mask(&self) -> bool {
        needs_mask(&self.cols)
    }

    /// Loads the output pointers in the entry block.
    pub fn setup(&mut self, g: &mut Gen) {
        let ctx = g.ctx;
        // Without a filter every row is output: nothing to mark.
        if self.needs_mask() && self.has_filter {
            self.sel = Some(g.load(types::I64, ctx, CTX_SEL));
        }
        let outs = g.load(types::I64, ctx, CTX_OUTS);
        for c in &self.cols {
            if let OutCol::Computed { out, .. } = c {
                let at = OV_SIZE * *out as i32;
                let v = g.load(types::I64, outs, at + OV_VALUES);
                let n = g.load(types::I64, outs, at + OV_VALIDITY);
                let s = g.load(types::I64, outs, at + OV_STRS);
                self.views.push((v, n, s));
            }
        }
    }

    /// Writes output row `k` (input row `row`).
    pub fn emit_row(&mut self, g: &mut Gen, env: &Env, row: Value, k: Value) -> Result<()> {
        if let Some(sel) = self.sel {
            // sel[row / 8] |= 1 << (row % 8)
            let byte = g.b.ins().ushr_imm_u(row, 3);
            let at = g.b.ins().iadd(sel, byte);
            let old = g.b.ins().uload8(types::I32, super::gen::mem(), at, 0);
            let bit = g.b.ins().band_imm_u(row, 7);
            let bit = g.b.ins().ireduce(types::I32, bit);
            let one = g.b.ins().iconst(types::I32, 1);
            let bit = g.b.ins().ishl(one, bit);
            let new = g.b.ins().bor(old, bit);
            g.b.ins().istore8(super::gen::mem(), new, at, 0);
        }
        for c in self.cols.iter_mut() {
            let OutCol::Computed {
                out,
                slot,
                ty,
                nullable,
            } = c
            else {
                continue;
            };
            let (values, validity, strs) = self.views[*out];
            let v = env
                .get(*slot)
                .and_then(|s| s.val)
                .ok_or_else(|| Error::internal(format!("output column {slot} has no value")))?;
            let ok = match (v.null(), *nullable) {
                (Some(_), false) if self.frozen => {
                    return Err(Error::internal(format!(
                        "output column {slot} can be null only in the null-free loop"
                    )))
                }
                (Some(n), _) => {
                    *nullable = true;
                    Some(g.bool_not(n))
                }
                (None, true) => Some(g.i8c(1)),
                (None, false) => None,
            };
            if let Some(ok) = ok {
                let at = g.b.ins().iadd(validity, k);
                g.b.ins().store(super::gen::mem(), ok, at, 0);
            }
            match v {
                Val::Str { ptr, len, null } => {
                    let len = match null {
                        Some(n) => {
                            let z = g.i64c(0);
                            g.b.ins().select(n, z, len)
                        }
                        None => len,
                    };
                    let ctx = g.ctx;
                    g.call(
                        helpers::sqlc_out_str as *const () as usize,
                        &[ctx, strs, ptr, len],
                        None,
                    );
                }
                Val::Fixed { v, .. } => {
                    if *ty == DataType::Null {
                        continue;
                    }
                    let w = clif_type(ty).bytes() as i64;
                    let at = g.b.ins().imul_imm_s(k, w);
                    let at = g.b.ins().iadd(values, at);
                    g.b.ins().store(super::gen::mem(), v, at, 0);
                }
            }
        }
        Ok(())
    }
}

/// The buffers one call of a collect kernel writes into.
pub struct OutputBuffers {
    /// The selection bitmap (empty when every column is computed).
    pub sel: Vec<u8>,
    /// Per computed column: its values and its validity bytes (empty when
    /// the column cannot be null).
    bufs: Vec<(Buf, Vec<u8>)>,
    pub views: Vec<OutView>,
}

enum Buf {
    B(Vec<u8>),
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F64(Vec<f64>),
    F32(Vec<f32>),
    /// Unscaled decimals.
    I128(Vec<i128>),
    Str(Box<OutStr>),
    None,
}

impl OutputBuffers {
    /// Buffers for up to `rows` output rows.
    pub fn new(cols: &[OutCol], rows: usize) -> Self {
        let mut bufs = Vec::new();
        for c in cols {
            let OutCol::Computed { ty, nullable, .. } = c else {
                continue;
            };
            let b = match ty {
                // Not initialized: the kernel writes rows 0..k (see `finish`).
                DataType::Boolean => Buf::B(Vec::with_capacity(rows)),
                DataType::Int8 => Buf::I8(Vec::with_capacity(rows)),
                DataType::Int16 => Buf::I16(Vec::with_capacity(rows)),
                DataType::Int32 | DataType::Date | DataType::YearMonthInterval(..) => {
                    Buf::I32(Vec::with_capacity(rows))
                }
                DataType::Int64
                | DataType::Timestamp
                | DataType::TimestampNtz
                | DataType::DayTimeInterval(..) => Buf::I64(Vec::with_capacity(rows)),
                DataType::Float64 => Buf::F64(Vec::with_capacity(rows)),
                DataType::Float32 => Buf::F32(Vec::with_capacity(rows)),
                DataType::Decimal(..) => Buf::I128(Vec::with_capacity(rows)),
                DataType::Utf8 | DataType::Binary => {
                    Buf::Str(Box::new(OutStr::with_capacity(rows)))
                }
                _ => Buf::None,
            };
            bufs.push((
                b,
                if *nullable {
                    Vec::with_capacity(rows)
                } else {
                    Vec::new()
                },
            ));
        }
        // The views point into the vectors' heap memory, which stays put
        // when `bufs` itself moves.
        let views = bufs
            .iter_mut()
            .map(|(b, v)| {
                let (values, strs) = match b {
                    Buf::B(x) => (x.as_mut_ptr(), std::ptr::null_mut()),
                    Buf::I8(x) => (x.as_mut_ptr().cast(), std::ptr::null_mut()),
                    Buf::I16(x) => (x.as_mut_ptr().cast(), std::ptr::null_mut()),
                    Buf::I32(x) => (x.as_mut_ptr().cast(), std::ptr::null_mut()),
                    Buf::I64(x) => (x.as_mut_ptr().cast(), std::ptr::null_mut()),
                    Buf::F64(x) => (x.as_mut_ptr().cast(), std::ptr::null_mut()),
                    Buf::F32(x) => (x.as_mut_ptr().cast(), std::ptr::null_mut()),
                    Buf::I128(x) => (x.as_mut_ptr().cast(), std::ptr::null_mut()),
                    Buf::Str(s) => (std::ptr::null_mut(), &mut **s as *mut OutStr),
                    Buf::None => (std::ptr::null_mut(), std::ptr::null_mut()),
                };
                let validity = if v.capacity() == 0 {
                    std::ptr::null_mut()
                } else {
                    v.as_mut_ptr()
                };
                OutView {
                    values,
                    validity,
                    strs,
                }
            })
            .collect();
        OutputBuffers {
            sel: if needs_mask(cols) {
                vec![0; rows.div_ceil(8)]
            } else {
                Vec::new()
            },
            bufs,
            views,
        }
    }

    /// Assembles the output batch of `k` rows.
    ///
    /// # Safety
    /// The kernel must have written output rows `0..k` of every computed
    /// column (values, and validity bytes where the column is nullable),
    /// `k` being at most the number of rows the buffers were made for.
    pub unsafe fn finish(
        self,
        cols: &[OutCol],
        k: usize,
        batch: &RecordBatch,
        output: &SchemaRef,
    ) -> Result<RecordBatch> {
        let OutputBuffers { sel, mut bufs, .. } = self;
        for (b, valid) in bufs.iter_mut() {
            // SAFETY: the caller's contract: rows 0..k are initialized and
            // within the capacity every vector was created with.
            unsafe {
                match b {
                    Buf::B(v) => v.set_len(k),
                    Buf::I8(v) => v.set_len(k),
                    Buf::I16(v) => v.set_len(k),
                    Buf::I32(v) => v.set_len(k),
                    Buf::I64(v) => v.set_len(k),
                    Buf::F64(v) => v.set_len(k),
                    Buf::F32(v) => v.set_len(k),
                    Buf::I128(v) => v.set_len(k),
                    Buf::Str(_) | Buf::None => {}
                }
                if valid.capacity() > 0 {
                    valid.set_len(k);
                }
            }
        }
        let rows = batch.num_rows();
        // Pass-through columns: one filter, its strategy chosen once.
        let predicate = (needs_mask(cols) && k < rows).then(|| {
            let mask = BooleanBuffer::new(Buffer::from_vec(sel), 0, rows);
            FilterBuilder::new(&BooleanArray::new(mask, None))
                .optimize()
                .build()
        });
        let mut computed = bufs.into_iter();
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(cols.len());
        for (c, field) in cols.iter().zip(output.fields()) {
            let a = match c {
                OutCol::Input(i) => match &predicate {
                    None => batch.column(*i).clone(),
                    Some(p) => p.filter(batch.column(*i).as_ref())?,
                },
                OutCol::Computed { .. } => {
                    let (b, valid) = computed
                        .next()
                        .ok_or_else(|| Error::internal("missing output buffer"))?;
                    build(b, valid, k, field.data_type())?
                }
            };
            arrays.push(conform(a, field.data_type()));
        }
        let opts = RecordBatchOptions::new().with_row_count(Some(k));
        Ok(RecordBatch::try_new_with_options(
            output.clone(),
            arrays,
            &opts,
        )?)
    }
}

fn needs_mask(cols: &[OutCol]) -> bool {
    cols.iter().any(|c| matches!(c, OutCol::Input(_)))
}

fn nulls(valid: &[u8], k: usize) -> Option<NullBuffer> {
    if valid.len() < k || valid.is_empty() {
        return None;
    }
    let n = NullBuffer::new(BooleanBuffer::collect_bool(k, |i| valid[i] != 0));
    (n.null_count() > 0).then_some(n)
}

fn build(b: Buf, valid: Vec<u8>, k: usize, t: &ArrowType) -> Result<ArrayRef> {
    let nb = nulls(&valid, k);
    Ok(match b {
        Buf::B(v) => Arc::new(BooleanArray::new(
            BooleanBuffer::collect_bool(k, |i| v[i] != 0),
            nb,
        )),
        Buf::I8(v) => Arc::new(arrow::array::Int8Array::new(ScalarBuffer::from(v), nb)),
        Buf::I16(v) => Arc::new(arrow::array::Int16Array::new(ScalarBuffer::from(v), nb)),
        Buf::I32(v) => match t {
            ArrowType::Date32 => Arc::new(Date32Array::new(ScalarBuffer::from(v), nb)),
            ArrowType::Interval(_) => Arc::new(arrow::array::IntervalYearMonthArray::new(
                ScalarBuffer::from(v),
                nb,
            )),
            _ => Arc::new(Int32Array::new(ScalarBuffer::from(v), nb)),
        },
        Buf::I64(v) => match t {
            ArrowType::Timestamp(_, tz) => Arc::new(
                TimestampMicrosecondArray::new(ScalarBuffer::from(v), nb)
                    .with_timezone_opt(tz.clone()),
            ),
            ArrowType::Duration(_) => Arc::new(arrow::array::DurationMicrosecondArray::new(
                ScalarBuffer::from(v),
                nb,
            )),
            _ => Arc::new(Int64Array::new(ScalarBuffer::from(v), nb)),
        },
        Buf::F64(v) => Arc::new(Float64Array::new(ScalarBuffer::from(v), nb)),
        Buf::F32(v) => Arc::new(arrow::array::Float32Array::new(ScalarBuffer::from(v), nb)),
        Buf::I128(v) => Arc::new(
            arrow::array::Decimal128Array::new(ScalarBuffer::from(v), nb).with_data_type(t.clone()),
        ),
        Buf::Str(s) => {
            let OutStr { offsets, bytes } = *s;
            let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
            let values = Buffer::from_vec(bytes);
            if *t == ArrowType::Binary {
                Arc::new(BinaryArray::try_new(offsets, values, nb)?)
            } else {
                Arc::new(StringArray::try_new(offsets, values, nb)?)
            }
        }
        Buf::None => Arc::new(NullArray::new(k)),
    })
}

/// Gives a timestamp array the output field's time zone (inputs may carry
/// any); other arrays are returned as they are.
fn conform(a: ArrayRef, t: &ArrowType) -> ArrayRef {
    match (a.data_type(), t) {
        (ArrowType::Timestamp(_, from), ArrowType::Timestamp(_, to)) if from != to => Arc::new(
            a.as_primitive::<TimestampMicrosecondType>()
                .clone()
                .with_timezone_opt(to.clone()),
        ),
        _ => a,
    }
}
