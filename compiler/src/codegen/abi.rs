//! The memory contract between Rust and a generated kernel.
//!
//! A kernel is `extern "C" fn(ctx: *mut KernelCtx, row_start: u64, row_end: u64) -> u64`.
//! It runs rows `row_start..row_end` of the batch the ctx describes and
//! returns the number of rows it selected (`Collect`), 0 (`Aggregate`), or
//! [`ERR`] after recording a runtime error in the ctx.
//!
//! - `ctx.columns` points to one [`ColumnView`] per input column.
//! - `Collect`: the kernel sets bit `row` of the bitmap `ctx.sel` for each
//!   surviving row (when some output column is a pass-through of an input
//!   column: those are gathered afterwards) and, for each other output
//!   column, writes its value into the [`OutView`] of `ctx.outs` (indexed by
//!   the output row): fixed-width values at `values + k * width` (booleans as
//!   one byte), a validity byte (1 = valid) at `validity + k`, strings through
//!   the `sqlc_out_str` helper.
//! - `Aggregate`: `ctx.table` is the `AggTable` (whose first field is the
//!   [`crate::agg_table::RawTable`] the kernel probes inline); `ctx.late`
//!   the [`LateRows`] it judges, counts and notes late rows in (read only
//!   by kernels with an event-time key).
//! - Helpers that produce a string return its address and leave its length
//!   in `ctx.ret_len`; helpers that can fail record the error and set
//!   `ctx.failed`. Strings made by helpers live in the ctx's [`StrArena`],
//!   which the kernel allows to be recycled at the start of each row by
//!   storing 1 into `ctx.arena_reset`.
//!
//! Everything after the JIT-visible fields of [`KernelCtx`] is only touched
//! by Rust (the helpers).

use std::mem::offset_of;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{
    DataType as ArrowType, Date32Type, Float64Type, Int32Type, Int64Type, IntervalUnit, TimeUnit,
};

use crate::agg_table::{AggTable, LateRows};
use crate::error::{Error, Result};
use crate::types::DataType;

use super::sites::ErrorSite;

/// What a kernel returns after a runtime error.
pub const ERR: u64 = u64::MAX;

/// A validity bitmap of all-valid bytes, used with a zero `validity_mask`
/// for arrays without a null buffer (the kernel then always reads byte 0).
pub static ALL_VALID: [u8; 8] = [0xFF; 8];

/// One input column as the kernel reads it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ColumnView {
    /// Fixed-width: the array's first value (its offset applied). Boolean:
    /// the bit-packed bytes, the first value at bit `values_bit_offset`.
    /// Utf8/Binary: the data bytes (the offsets index into them).
    pub values: *const u8,
    /// Utf8/Binary: the `i32` offsets, the array's offset applied; null otherwise.
    pub offsets: *const i32,
    pub values_bit_offset: u64,
    /// Never null: the null bitmap, or [`ALL_VALID`] when the array has none.
    pub validity: *const u8,
    pub validity_bit_offset: u64,
    /// `u64::MAX` with a real bitmap, 0 with [`ALL_VALID`]: the byte index
    /// is and-ed with it, so the kernel needs no branch.
    pub validity_mask: u64,
}

/// Size in bytes of a `ColumnView`.
pub const CV_SIZE: i32 = std::mem::size_of::<ColumnView>() as i32;
/// Byte offset of `ColumnView::values`.
pub const CV_VALUES: i32 = offset_of!(ColumnView, values) as i32;
/// Byte offset of `ColumnView::offsets`.
pub const CV_OFFSETS: i32 = offset_of!(ColumnView, offsets) as i32;
/// Byte offset of `ColumnView::values_bit_offset`.
pub const CV_VALUES_BIT: i32 = offset_of!(ColumnView, values_bit_offset) as i32;
/// Byte offset of `ColumnView::validity`.
pub const CV_VALIDITY: i32 = offset_of!(ColumnView, validity) as i32;
/// Byte offset of `ColumnView::validity_bit_offset`.
pub const CV_VALIDITY_BIT: i32 = offset_of!(ColumnView, validity_bit_offset) as i32;
/// Byte offset of `ColumnView::validity_mask`.
pub const CV_VALIDITY_MASK: i32 = offset_of!(ColumnView, validity_mask) as i32;

/// Where a `Collect` kernel writes one computed output column.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct OutView {
    /// Fixed-width values, `width` bytes per output row (booleans: 1 byte).
    pub values: *mut u8,
    /// One byte per output row, 1 when valid (null when the column is not nullable).
    pub validity: *mut u8,
    /// Utf8/Binary: the builder `sqlc_out_str` appends to.
    pub strs: *mut OutStr,
}

/// Size in bytes of a `OutView`.
pub const OV_SIZE: i32 = std::mem::size_of::<OutView>() as i32;
/// Byte offset of `OutView::values`.
pub const OV_VALUES: i32 = offset_of!(OutView, values) as i32;
/// Byte offset of `OutView::validity`.
pub const OV_VALIDITY: i32 = offset_of!(OutView, validity) as i32;
/// Byte offset of `OutView::strs`.
pub const OV_STRS: i32 = offset_of!(OutView, strs) as i32;

/// A string output column being built: Arrow offsets and bytes.
#[derive(Debug)]
pub struct OutStr {
    pub offsets: Vec<i32>,
    pub bytes: Vec<u8>,
}

impl OutStr {
    /// An empty column with room for `rows` offsets and, so that short
    /// values do not regrow it several times per batch, 16 bytes a row.
    pub fn with_capacity(rows: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        OutStr {
            offsets,
            bytes: Vec::with_capacity(rows.saturating_mul(16)),
        }
    }
}

/// Scratch memory for strings made by helpers during one kernel call.
/// Chunks never reallocate, so a string stays put until the arena is reset.
#[derive(Debug, Default)]
pub struct StrArena {
    chunks: Vec<Vec<u8>>,
}

impl StrArena {
    /// Forgets every string but keeps the largest chunk for reuse.
    pub fn reset(&mut self) {
        if let Some(last) = self.chunks.pop() {
            self.chunks.clear();
            self.chunks.push(last);
            self.chunks[0].clear();
        }
    }

    /// Copies `bytes` into the arena; the result stays valid until `reset`.
    pub fn put(&mut self, bytes: &[u8]) -> *const u8 {
        self.put_with(bytes.len(), |dst| dst.copy_from_slice(bytes))
    }

    /// Reserves `len` bytes, which `fill` writes (a helper's new string
    /// made in place, with no allocation of its own); valid until `reset`.
    pub fn put_with(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) -> *const u8 {
        if len == 0 {
            return ALL_VALID.as_ptr();
        }
        let chunk = match self.chunks.last_mut() {
            Some(c) if c.capacity() - c.len() >= len => c,
            last => {
                let cap = last.map_or(0, |c| c.capacity());
                self.chunks
                    .push(Vec::with_capacity((cap * 2).max(len).max(4096)));
                let n = self.chunks.len();
                &mut self.chunks[n - 1]
            }
        };
        let start = chunk.len();
        // SAFETY: `start + len` is within the chunk's capacity (checked
        // above), so nothing reallocates and earlier strings stay put. Only
        // the new bytes are borrowed, through `as_mut_ptr` (which leaves
        // pointers to the earlier strings valid: `fill` may read them, as
        // `concat(lower(a), b)` does); they are zeroed before the slice is
        // made, and counted in the length once written.
        unsafe {
            let dst = chunk.as_mut_ptr().add(start);
            std::ptr::write_bytes(dst, 0, len);
            fill(std::slice::from_raw_parts_mut(dst, len));
            chunk.set_len(start + len);
            dst
        }
    }
}

/// The state of one kernel call.
#[repr(C)]
pub struct KernelCtx<'a> {
    pub columns: *const ColumnView,
    pub outs: *const OutView,
    /// Collect: the selection bitmap, one bit per input row (or null).
    pub sel: *mut u8,
    pub table: *mut AggTable,
    /// `Aggregate` with an event-time key: the late-row context.
    pub late: *mut LateRows,
    /// Probe: one i64 per input row, the row's group or -1.
    pub groups: *mut i64,
    /// Length of the string a helper just returned.
    pub ret_len: u64,
    /// Set by a helper that recorded an error.
    pub failed: u64,
    /// Set by the kernel at each row: the arena may be recycled.
    pub arena_reset: u64,
    // ---- Rust only ----
    pub arena: StrArena,
    pub sites: &'a [ErrorSite],
    pub error: Option<Error>,
}

/// Byte offset of `KernelCtx::columns`.
pub const CTX_COLUMNS: i32 = offset_of!(KernelCtx<'static>, columns) as i32;
/// Byte offset of `KernelCtx::outs`.
pub const CTX_OUTS: i32 = offset_of!(KernelCtx<'static>, outs) as i32;
/// Byte offset of `KernelCtx::sel`.
pub const CTX_SEL: i32 = offset_of!(KernelCtx<'static>, sel) as i32;
/// Byte offset of `KernelCtx::table`.
pub const CTX_TABLE: i32 = offset_of!(KernelCtx<'static>, table) as i32;
/// Byte offset of `KernelCtx::late`.
pub const CTX_LATE: i32 = offset_of!(KernelCtx<'static>, late) as i32;
/// Byte offset of `KernelCtx::groups`.
pub const CTX_GROUPS: i32 = offset_of!(KernelCtx<'static>, groups) as i32;
/// Byte offset of `KernelCtx::ret_len`.
pub const CTX_RET_LEN: i32 = offset_of!(KernelCtx<'static>, ret_len) as i32;
/// Byte offset of `KernelCtx::failed`.
pub const CTX_FAILED: i32 = offset_of!(KernelCtx<'static>, failed) as i32;
/// Byte offset of `KernelCtx::arena_reset`.
pub const CTX_ARENA_RESET: i32 = offset_of!(KernelCtx<'static>, arena_reset) as i32;

impl<'a> KernelCtx<'a> {
    /// A ctx reading `columns`, raising errors from `sites`.
    pub fn new(columns: &[ColumnView], sites: &'a [ErrorSite]) -> Self {
        KernelCtx {
            columns: columns.as_ptr(),
            outs: std::ptr::null(),
            sel: std::ptr::null_mut(),
            table: std::ptr::null_mut(),
            late: std::ptr::null_mut(),
            groups: std::ptr::null_mut(),
            ret_len: 0,
            failed: 0,
            arena_reset: 0,
            arena: StrArena::default(),
            sites,
            error: None,
        }
    }

    /// Records an error unless one is already recorded (the first wins).
    pub fn fail(&mut self, e: Error) {
        if self.error.is_none() {
            self.error = Some(e);
        }
        self.failed = 1;
    }

    /// A helper's string result: copied into the arena, length in `ret_len`.
    pub fn ret_str(&mut self, bytes: &[u8]) -> u64 {
        self.ret_str_with(bytes.len(), |dst| dst.copy_from_slice(bytes))
    }

    /// A helper's string result of `len` bytes, written by `fill` straight
    /// into the arena (no per-row allocation); length in `ret_len`.
    pub fn ret_str_with(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) -> u64 {
        if self.arena_reset != 0 {
            self.arena.reset();
            self.arena_reset = 0;
        }
        self.ret_len = len as u64;
        self.arena.put_with(len, fill) as u64
    }
}

/// Builds the view of one input column, checking that its Arrow type is the
/// spec's. The view borrows `array`'s buffers: keep the array alive.
pub fn column_view(
    array: &ArrayRef,
    ty: &DataType,
    nullable: bool,
    index: usize,
) -> Result<ColumnView> {
    let mismatch = || {
        Error::internal(format!(
            "kernel input column {index} has type {}, expected {}",
            array.data_type(),
            ty.to_arrow()
        ))
    };
    let mut v = ColumnView {
        values: std::ptr::null(),
        offsets: std::ptr::null(),
        values_bit_offset: 0,
        validity: ALL_VALID.as_ptr(),
        validity_bit_offset: 0,
        validity_mask: 0,
    };
    match (ty, array.data_type()) {
        (DataType::Null, ArrowType::Null) => return Ok(v),
        (DataType::Boolean, ArrowType::Boolean) => {
            let a = array.as_boolean();
            v.values = a.values().values().as_ptr();
            v.values_bit_offset = a.values().offset() as u64;
        }
        (DataType::Int8, ArrowType::Int8) => {
            v.values = array
                .as_primitive::<arrow::datatypes::Int8Type>()
                .values()
                .as_ptr()
                .cast()
        }
        (DataType::Int16, ArrowType::Int16) => {
            v.values = array
                .as_primitive::<arrow::datatypes::Int16Type>()
                .values()
                .as_ptr()
                .cast()
        }
        (DataType::Int32, ArrowType::Int32) => {
            v.values = array.as_primitive::<Int32Type>().values().as_ptr().cast()
        }
        (DataType::Date, ArrowType::Date32) => {
            v.values = array.as_primitive::<Date32Type>().values().as_ptr().cast()
        }
        (DataType::Int64, ArrowType::Int64) => {
            v.values = array.as_primitive::<Int64Type>().values().as_ptr().cast()
        }
        (DataType::Float64, ArrowType::Float64) => {
            v.values = array.as_primitive::<Float64Type>().values().as_ptr().cast()
        }
        (DataType::Float32, ArrowType::Float32) => {
            v.values = array
                .as_primitive::<arrow::datatypes::Float32Type>()
                .values()
                .as_ptr()
                .cast()
        }
        (DataType::YearMonthInterval(..), ArrowType::Interval(IntervalUnit::YearMonth)) => {
            v.values = array
                .as_primitive::<arrow::datatypes::IntervalYearMonthType>()
                .values()
                .as_ptr()
                .cast()
        }
        (DataType::DayTimeInterval(..), ArrowType::Duration(TimeUnit::Microsecond)) => {
            v.values = array
                .as_primitive::<arrow::datatypes::DurationMicrosecondType>()
                .values()
                .as_ptr()
                .cast()
        }
        (DataType::TimestampNtz, ArrowType::Timestamp(TimeUnit::Microsecond, None))
        | (DataType::Timestamp, ArrowType::Timestamp(arrow::datatypes::TimeUnit::Microsecond, _)) =>
        {
            let a = array.as_primitive::<arrow::datatypes::TimestampMicrosecondType>();
            v.values = a.values().as_ptr().cast();
        }
        (DataType::Utf8, ArrowType::Utf8) => {
            let a = array.as_string::<i32>();
            v.values = a.values().as_ptr();
            v.offsets = a.value_offsets().as_ptr();
        }
        (DataType::Binary, ArrowType::Binary) => {
            let a = array.as_binary::<i32>();
            v.values = a.values().as_ptr();
            v.offsets = a.value_offsets().as_ptr();
        }
        // Kernels never read a struct, array or map column (`load_column`
        // refuses to): it can only pass through, gathered outside the kernel.
        (DataType::Decimal(..), ArrowType::Decimal128(..)) => {
            v.values = array
                .as_primitive::<arrow::datatypes::Decimal128Type>()
                .values()
                .as_ptr()
                .cast()
        }
        (DataType::Struct(_), ArrowType::Struct(_))
        | (DataType::Array(..), ArrowType::List(_))
        | (DataType::Map(..), ArrowType::Map(..)) => return Ok(v),
        _ => return Err(mismatch()),
    }
    if let Some(nulls) = array.nulls().filter(|n| n.null_count() > 0) {
        if !nullable {
            return Err(Error::internal(format!(
                "kernel input column {index} is declared non-nullable but holds {} nulls",
                nulls.null_count()
            )));
        }
        v.validity = nulls.inner().values().as_ptr();
        v.validity_bit_offset = nulls.inner().offset() as u64;
        v.validity_mask = u64::MAX;
    }
    Ok(v)
}
