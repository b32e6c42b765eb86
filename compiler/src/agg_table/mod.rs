//! The hash-aggregate table: open addressing with linear probing, groups
//! stored row-wise. The JIT kernels probe it inline (through [`RawTable`],
//! whose layout is fixed), call [`sqlc_agg_insert`] only to add a new group,
//! and update accumulators in place; the interpreted twin and the runtime's
//! state store use the same table through its Rust methods.
//!
//! Layout of a group:
//! - key row, `key_width` bytes: one null byte per key (the hidden grouping
//!   id included), padded to 8, then each key's slot: 8 bytes for fixed-width
//!   types (the value's bits as a `u64`, see [`encode_fixed`]), 16 for strings
//!   (`u64` offset into the arena, `u64` length). A null key's slot is zero.
//! - accumulator row, 16 bytes per aggregate (32 for central moments, 48
//!   for higher and co-moments; see [`AccKind`] and
//!   [`TableLayout::acc_offsets`]); states of no fixed size (lists,
//!   sketches) beside the rows in [`SideStates`].
//!
//! A *probe row* (what a kernel passes to `insert`) has the key row's layout
//! except that a string slot holds the `u64` address of the bytes and their
//! `u64` length, instead of an arena offset.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BinaryBuilder, BooleanBuilder, Date32Builder, Float64Builder, Int32Builder,
    Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};

use crate::accumulators::higher::{bits, comoments, moments4};
use crate::accumulators::{
    decimal_sum, moments, DistinctSets, DistinctVal, SideStates, NULL_STR, PICK_VALUE,
};
use crate::error::{Error, Result};
use crate::ir::{AggFunc, AggSpec, WindowKey};
use crate::types::DataType;

mod accs;
pub mod encoding;
mod ffi;
pub mod hash;
mod late;
pub mod layout;
mod merge;
mod output;
mod probe;
pub mod raw;
mod side;
mod snapshot;

pub use encoding::{
    compare_encoded, decode_decimal, encode_decimal, encode_f64, read_u64, write_u64, CANONICAL_NAN,
};
use encoding::{in_arena, read_pair, write_pair};
pub use ffi::*;
pub use late::{late_offsets, LateRows};
pub use layout::{AccKind, TableLayout, ACC_WIDTH, UNSET_STR};
pub use output::event_time_of;
pub use raw::{raw_offsets, RawTable, EMPTY_SLOT};
pub use side::ValRef;

/// A hash-aggregate table. `raw` comes first so that a `*mut AggTable` is a
/// `*mut RawTable` for the kernels.
#[repr(C)]
pub struct AggTable {
    raw: RawTable,
    layout: Arc<TableLayout>,
    init: Vec<u8>,
    slots: Vec<u32>,
    hashes: Vec<u64>,
    keys: Vec<u8>,
    accs: Vec<u8>,
    arena: Vec<u8>,
    /// The sets of the distinct accumulators.
    distinct: DistinctSets,
    /// The states of the accumulators kept beside the row.
    side: SideStates,
    /// A runtime error raised inside a Rust call made by a kernel.
    pending_error: Option<Error>,
}

// SAFETY: the raw pointers only ever point into the table's own vectors; a
// table is used by one thread at a time (`&mut`), and moving it between
// threads moves the vectors' heap memory with it.
unsafe impl Send for AggTable {}
unsafe impl Sync for AggTable {}

impl std::fmt::Debug for AggTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AggTable")
            .field("groups", &self.len())
            .finish()
    }
}

impl AggTable {
    pub fn new(layout: Arc<TableLayout>) -> Self {
        Self::with_capacity(layout, 64)
    }

    pub fn with_capacity(layout: Arc<TableLayout>, groups: usize) -> Self {
        let cap = (groups.max(8) * 2).next_power_of_two();
        let init = layout.init_accs();
        let mut t = AggTable {
            raw: RawTable {
                slots: std::ptr::null_mut(),
                mask: 0,
                hashes: std::ptr::null_mut(),
                keys: std::ptr::null_mut(),
                accs: std::ptr::null_mut(),
                arena: std::ptr::null_mut(),
                len: 0,
            },
            layout,
            init,
            slots: vec![EMPTY_SLOT; cap],
            hashes: Vec::new(),
            keys: Vec::new(),
            accs: Vec::new(),
            arena: Vec::new(),
            distinct: DistinctSets::default(),
            side: SideStates::default(),
            pending_error: None,
        };
        t.refresh();
        t
    }

    pub fn layout(&self) -> &Arc<TableLayout> {
        &self.layout
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Bytes held, for progress reports.
    pub fn memory_bytes(&self) -> usize {
        self.slots.capacity() * 4
            + self.hashes.capacity() * 8
            + self.keys.capacity()
            + self.accs.capacity()
            + self.arena.capacity()
            + self.distinct.memory_bytes()
            + self.side.memory_bytes()
    }

    pub fn raw_ptr(&mut self) -> *mut AggTable {
        self as *mut AggTable
    }

    pub fn hash_of(&self, group: usize) -> u64 {
        self.hashes[group]
    }

    pub fn key_row(&self, group: usize) -> &[u8] {
        let w = self.layout.key_width;
        &self.keys[group * w..(group + 1) * w]
    }

    pub fn acc_row(&self, group: usize) -> &[u8] {
        let w = self.layout.acc_width();
        &self.accs[group * w..(group + 1) * w]
    }

    pub fn acc_row_mut(&mut self, group: usize) -> &mut [u8] {
        let w = self.layout.acc_width();
        &mut self.accs[group * w..(group + 1) * w]
    }

    /// The string bytes a stored (offset, length) pair names.
    pub fn arena_bytes(&self, off: u64, len: u64) -> &[u8] {
        &self.arena[off as usize..(off + len) as usize]
    }

    /// Takes the error a Rust call from a kernel left behind, if any.
    pub fn take_error(&mut self) -> Option<Error> {
        self.pending_error.take()
    }

    pub fn set_error(&mut self, e: Error) {
        if self.pending_error.is_none() {
            self.pending_error = Some(e);
        }
    }

    fn refresh(&mut self) {
        self.raw.slots = self.slots.as_mut_ptr();
        self.raw.mask = (self.slots.len() - 1) as u64;
        self.raw.hashes = self.hashes.as_mut_ptr();
        self.raw.keys = self.keys.as_mut_ptr();
        self.raw.accs = self.accs.as_mut_ptr();
        self.raw.arena = self.arena.as_mut_ptr();
        self.raw.len = self.hashes.len() as u64;
    }
}
