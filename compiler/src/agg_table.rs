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
//! - accumulator row, 16 bytes per aggregate (32 for central moments; see
//!   [`AccKind`] and [`TableLayout::acc_offsets`]).
//!
//! A *probe row* (what a kernel passes to `insert`) has the key row's layout
//! except that a string slot holds the `u64` address of the bytes and their
//! `u64` length, instead of an arena offset.

use std::sync::Arc;

use arrow::array::{
    ArrayRef, BinaryBuilder, BooleanBuilder, Date32Builder, Float64Builder, Int32Builder,
    Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};

use crate::accumulators::{moments, DistinctSets, DistinctVal, NULL_STR, PICK_VALUE};
use crate::error::{Error, Result};
use crate::ir::{AggFunc, AggSpec, WindowKey};
use crate::types::DataType;

/// The hash of a group key, shared bit for bit by the JIT and Rust.
pub mod hash {
    pub const SEED: u64 = 0;
    pub const K: u64 = 0x517c_c1b7_2722_0a95;
    /// Mixed in for a null key.
    pub const NULL_MARK: u64 = 0x9e37_79b9_7f4a_7c15;

    #[inline(always)]
    pub fn combine(h: u64, v: u64) -> u64 {
        (h.rotate_left(5) ^ v).wrapping_mul(K)
    }

    /// Bytes: whole 8-byte little-endian words, then the tail (if any) packed
    /// little-endian into one zero-padded word, then the length.
    #[inline]
    pub fn combine_bytes(mut h: u64, b: &[u8]) -> u64 {
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            h = combine(h, u64::from_le_bytes(c.try_into().unwrap()));
        }
        let tail = chunks.remainder();
        if !tail.is_empty() {
            let mut w = 0u64;
            for (j, &byte) in tail.iter().enumerate() {
                w |= (byte as u64) << (8 * j);
            }
            h = combine(h, w);
        }
        combine(h, b.len() as u64)
    }

    /// Murmur3's fmix64, applied once after all keys.
    #[inline(always)]
    pub fn finish(mut h: u64) -> u64 {
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^= h >> 33;
        h
    }
}

/// Canonical NaN bits: every NaN groups (and compares) as one value, as in Spark.
pub const CANONICAL_NAN: u64 = 0x7ff8_0000_0000_0000;

/// The `u64` a fixed-width key value is stored and hashed as: booleans 0/1,
/// integers, dates and timestamps sign-extended, doubles as their bits with
/// -0.0 turned into 0.0 and every NaN into [`CANONICAL_NAN`].
pub fn encode_f64(v: f64) -> u64 {
    if v.is_nan() {
        CANONICAL_NAN
    } else if v == 0.0 {
        0
    } else {
        v.to_bits()
    }
}

/// What one accumulator's 16 bytes hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccKind {
    /// `[i64 count][unused]`
    Count,
    /// `[i64 sum][i64 non-null count]`; overflow is an error.
    SumInt,
    /// `[f64 sum][i64 non-null count]` (sum of doubles, and avg of anything).
    SumFloat,
    /// `[value as encoded u64][i64 seen count]` for a fixed-width min/max.
    MinFixed,
    MaxFixed,
    /// `[u64 arena offset][u64 length, u64::MAX while unset]`.
    MinStr,
    MaxStr,
    /// first/last of a fixed-width value: `[raw bits][state]` (see
    /// [`crate::accumulators`]).
    Pick {
        last: bool,
        ignore_nulls: bool,
    },
    /// first/last of a string: `[u64 arena offset][u64 length]`, the length
    /// [`UNSET_STR`] while unset and [`NULL_STR`] when the answer is null.
    PickStr {
        last: bool,
        ignore_nulls: bool,
    },
    /// variance/stddev: `[f64 n][f64 mean][f64 m2][unused]`, 32 bytes.
    Moments,
    /// count/sum/avg DISTINCT: `[u64 set index + 1][running sum]`.
    Distinct,
}

impl AccKind {
    /// Bytes the accumulator takes in the accumulator row.
    pub fn width(self) -> usize {
        match self {
            AccKind::Moments => 2 * ACC_WIDTH,
            _ => ACC_WIDTH,
        }
    }
}

pub const ACC_WIDTH: usize = 16;
pub const UNSET_STR: u64 = u64::MAX;

/// Everything about a table's rows that follows from its [`AggSpec`].
#[derive(Clone, Debug, PartialEq)]
pub struct TableLayout {
    /// Types of the stored keys, the hidden grouping id (Int64) last if present.
    pub key_types: Vec<DataType>,
    /// Byte offset of each key's slot in the key row.
    pub key_offsets: Vec<usize>,
    pub key_width: usize,
    pub accs: Vec<AccKind>,
    /// Byte offset of each accumulator in the accumulator row.
    pub acc_offsets: Vec<usize>,
    /// The function and result type of each aggregate.
    pub funcs: Vec<(AggFunc, DataType)>,
    /// Type of each aggregate's argument (for min/max decoding).
    pub arg_types: Vec<Option<DataType>>,
    /// The window key: stored as its start, output as `{start, end}`.
    pub window: Option<WindowKey>,
    /// The key carrying the watermark (see [`AggSpec::event_time_key`]).
    pub event_time_key: Option<usize>,
}

impl TableLayout {
    pub fn new(spec: &AggSpec) -> Result<Self> {
        let mut key_types: Vec<DataType> = spec.keys.iter().map(|k| k.ty.clone()).collect();
        if spec.has_grouping_id() {
            key_types.push(DataType::Int64);
        }
        let nulls = key_types.len().div_ceil(8) * 8;
        let mut off = nulls;
        let mut key_offsets = Vec::with_capacity(key_types.len());
        for t in &key_types {
            key_offsets.push(off);
            off += match t {
                DataType::Utf8 | DataType::Binary => 16,
                DataType::Struct(_) => {
                    return Err(Error::not_supported(
                        "grouping by a struct column is not supported",
                    ))
                }
                _ => 8,
            };
        }
        let mut accs = Vec::new();
        let mut funcs = Vec::new();
        let mut arg_types = Vec::new();
        for call in &spec.aggs {
            let arg_ty = call.arg.as_ref().map(|a| a.ty.clone());
            let kind = match (call.func, &arg_ty) {
                (AggFunc::CountStar | AggFunc::Count, _) => AccKind::Count,
                (AggFunc::Sum, Some(t)) if t.is_integer() => AccKind::SumInt,
                (AggFunc::Sum | AggFunc::Avg, Some(t))
                    if t.is_numeric() || *t == DataType::Null =>
                {
                    AccKind::SumFloat
                }
                (AggFunc::Min, Some(t)) if t.is_string_like() => AccKind::MinStr,
                (AggFunc::Max, Some(t)) if t.is_string_like() => AccKind::MaxStr,
                (AggFunc::Min, Some(_)) => AccKind::MinFixed,
                (AggFunc::Max, Some(_)) => AccKind::MaxFixed,
                (AggFunc::First { ignore_nulls } | AggFunc::Last { ignore_nulls }, Some(t)) => {
                    let last = matches!(call.func, AggFunc::Last { .. });
                    if t.is_string_like() {
                        AccKind::PickStr { last, ignore_nulls }
                    } else {
                        AccKind::Pick { last, ignore_nulls }
                    }
                }
                (
                    AggFunc::VarSamp | AggFunc::VarPop | AggFunc::StddevSamp | AggFunc::StddevPop,
                    Some(t),
                ) if t.is_numeric() || *t == DataType::Null => AccKind::Moments,
                (AggFunc::CountDistinct, Some(_)) => AccKind::Distinct,
                (AggFunc::SumDistinct | AggFunc::AvgDistinct, Some(t))
                    if t.is_numeric() || *t == DataType::Null =>
                {
                    AccKind::Distinct
                }
                (f, t) => {
                    return Err(Error::TypeMismatch {
                        expr: f.name().into(),
                        reason: format!(
                            "the argument of {} requires a numeric type, not {}",
                            f.name(),
                            t.as_ref()
                                .map(|t| t.spark_name())
                                .unwrap_or_else(|| "nothing".into())
                        ),
                    })
                }
            };
            accs.push(kind);
            funcs.push((call.func, call.func.result_type(arg_ty.as_ref())));
            arg_types.push(arg_ty);
        }
        let mut acc_offsets = Vec::with_capacity(accs.len());
        let mut acc_off = 0;
        for a in &accs {
            acc_offsets.push(acc_off);
            acc_off += a.width();
        }
        Ok(TableLayout {
            key_types,
            key_offsets,
            key_width: off,
            accs,
            acc_offsets,
            funcs,
            arg_types,
            window: spec.window,
            event_time_key: spec.event_time_key,
        })
    }

    pub fn acc_width(&self) -> usize {
        self.accs.iter().map(|a| a.width()).sum()
    }

    /// The accumulator row of a new group.
    pub fn init_accs(&self) -> Vec<u8> {
        let mut row = vec![0u8; self.acc_width()];
        for (k, &o) in self.accs.iter().zip(&self.acc_offsets) {
            if matches!(
                k,
                AccKind::MinStr | AccKind::MaxStr | AccKind::PickStr { .. }
            ) {
                row[o + 8..o + 16].copy_from_slice(&UNSET_STR.to_le_bytes());
            }
        }
        row
    }
}

/// The part of the table JIT kernels read directly. Every pointer is
/// refreshed after anything that may reallocate, so a kernel must reload them
/// after calling [`sqlc_agg_insert`] or [`sqlc_agg_set_str`].
#[repr(C)]
#[derive(Debug)]
pub struct RawTable {
    /// `mask + 1` slots: a group index, or `u32::MAX` when empty.
    pub slots: *mut u32,
    pub mask: u64,
    /// Per group: its hash.
    pub hashes: *mut u64,
    /// Per group: `key_width` bytes.
    pub keys: *mut u8,
    /// Per group: `acc_width` bytes.
    pub accs: *mut u8,
    /// String bytes of keys and of string min/max.
    pub arena: *mut u8,
    /// Number of groups.
    pub len: u64,
    /// Rows whose event-time key (a window: its end) is at or before this
    /// are late: kernels drop them and count them in `late`. `i64::MIN`
    /// when there is no watermark.
    pub watermark: i64,
    pub late: u64,
}

pub const EMPTY_SLOT: u32 = u32::MAX;

/// Offsets of [`RawTable`]'s fields, for code generation.
pub mod raw_offsets {
    pub const SLOTS: i32 = 0;
    pub const MASK: i32 = 8;
    pub const HASHES: i32 = 16;
    pub const KEYS: i32 = 24;
    pub const ACCS: i32 = 32;
    pub const ARENA: i32 = 40;
    pub const LEN: i32 = 48;
    pub const WATERMARK: i32 = 56;
    pub const LATE: i32 = 64;
}

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
    /// A runtime error raised inside a Rust call made by a kernel.
    pending_error: Option<Error>,
    /// Whether kernels' late rows are noted (for a late-rows sink), the
    /// morsel being run, and the (morsel, row) of each late row.
    record_late: bool,
    late_morsel: u32,
    late_noted: Vec<(u32, u32)>,
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
                watermark: i64::MIN,
                late: 0,
            },
            layout,
            init,
            slots: vec![EMPTY_SLOT; cap],
            hashes: Vec::new(),
            keys: Vec::new(),
            accs: Vec::new(),
            arena: Vec::new(),
            distinct: DistinctSets::default(),
            pending_error: None,
            record_late: false,
            late_morsel: 0,
            late_noted: Vec::new(),
        };
        t.refresh();
        t
    }

    /// Sets the watermark the kernels drop late rows by (see
    /// [`RawTable::watermark`]).
    pub fn set_watermark(&mut self, watermark_us: Option<i64>) {
        self.raw.watermark = watermark_us.unwrap_or(i64::MIN);
    }

    /// The watermark in force (`i64::MIN`: none).
    pub fn watermark(&self) -> i64 {
        self.raw.watermark
    }

    /// Rows (row–window pairs, for windows) dropped as late so far.
    pub fn late_rows(&self) -> u64 {
        self.raw.late
    }

    pub fn add_late_rows(&mut self, n: u64) {
        self.raw.late += n;
    }

    /// Notes which rows are late (every window of the row late), so they
    /// can go to a late-rows sink; `morsel` tags the rows of the next
    /// kernel call.
    pub fn record_late_rows(&mut self, morsel: u32) {
        self.record_late = true;
        self.late_morsel = morsel;
    }

    /// Notes row `row` of the current morsel as late, if recording.
    pub fn note_late_row(&mut self, row: u64) {
        if self.record_late {
            self.late_noted.push((self.late_morsel, row as u32));
        }
    }

    /// The (morsel, row) of each late row noted so far.
    pub fn take_late_noted(&mut self) -> Vec<(u32, u32)> {
        std::mem::take(&mut self.late_noted)
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

    /// Compares stored key row `group` with a key row whose strings live in
    /// `other_arena` (stored form) — used when merging tables.
    fn stored_eq(&self, group: usize, row: &[u8], other_arena: &[u8]) -> bool {
        let mine = self.key_row(group);
        let l = &self.layout;
        let nulls = l.key_offsets.first().copied().unwrap_or(0);
        if mine[..nulls] != row[..nulls] {
            return false;
        }
        for (i, t) in l.key_types.iter().enumerate() {
            if mine[i] != 0 {
                continue;
            }
            let o = l.key_offsets[i];
            if t.is_string_like() {
                let (ao, al) = read_pair(mine, o);
                let (bo, bl) = read_pair(row, o);
                if al != bl
                    || self.arena_bytes(ao, al) != &other_arena[bo as usize..(bo + bl) as usize]
                {
                    return false;
                }
            } else if mine[o..o + 8] != row[o..o + 8] {
                return false;
            }
        }
        true
    }

    /// Finds the group of a stored-form key row (strings in `other_arena`),
    /// inserting it if absent. Returns (group, inserted).
    pub fn find_or_insert_stored(
        &mut self,
        hash: u64,
        row: &[u8],
        other_arena: &[u8],
    ) -> (usize, bool) {
        if let Some(g) = self.find_stored(hash, row, other_arena) {
            return (g, false);
        }
        // Re-encode strings into this table's arena.
        let mut key = row.to_vec();
        for (k, t) in self.layout.key_types.iter().enumerate() {
            if t.is_string_like() && row[k] == 0 {
                let o = self.layout.key_offsets[k];
                let (bo, bl) = read_pair(row, o);
                let off = self.arena.len() as u64;
                self.arena
                    .extend_from_slice(&other_arena[bo as usize..(bo + bl) as usize]);
                write_pair(&mut key, o, off, bl);
            }
        }
        (self.push_group(hash, &key), true)
    }

    /// The group of a key row in stored form (strings in `other_arena`).
    pub fn find_stored(&self, hash: u64, row: &[u8], other_arena: &[u8]) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let s = self.slots[i];
            if s == EMPTY_SLOT {
                return None;
            }
            let g = s as usize;
            if self.hashes[g] == hash && self.stored_eq(g, row, other_arena) {
                return Some(g);
            }
            i = (i + 1) & mask;
        }
    }

    /// Appends a group (key already in stored form) and indexes it.
    fn push_group(&mut self, hash: u64, key: &[u8]) -> usize {
        let g = self.hashes.len();
        assert!(
            g < EMPTY_SLOT as usize - 1,
            "an aggregate table holds at most 2^32-2 groups"
        );
        self.hashes.push(hash);
        self.keys.extend_from_slice(key);
        self.accs.extend_from_slice(&self.init);
        if (g + 1) * 2 > self.slots.len() {
            self.grow();
        } else {
            self.place(hash, g as u32);
        }
        self.refresh();
        g
    }

    fn place(&mut self, hash: u64, g: u32) {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i] != EMPTY_SLOT {
            i = (i + 1) & mask;
        }
        self.slots[i] = g;
    }

    fn grow(&mut self) {
        let cap = self.slots.len() * 2;
        self.slots = vec![EMPTY_SLOT; cap];
        for g in 0..self.hashes.len() {
            self.place(self.hashes[g], g as u32);
        }
    }

    /// Inserts a new group from a probe row (strings as address + length),
    /// the kernel having checked that the key is absent.
    ///
    /// # Safety
    /// Every non-null string slot of `probe` must hold the address and length
    /// of readable bytes.
    pub unsafe fn insert_probe(&mut self, hash: u64, probe: &[u8]) -> usize {
        let mut key = probe.to_vec();
        for (k, t) in self.layout.key_types.iter().enumerate() {
            if t.is_string_like() && probe[k] == 0 {
                let o = self.layout.key_offsets[k];
                let (ptr, len) = read_pair(probe, o);
                // SAFETY: the caller promises (ptr, len) names readable bytes.
                let bytes =
                    unsafe { std::slice::from_raw_parts(ptr as usize as *const u8, len as usize) };
                let off = self.arena.len() as u64;
                self.arena.extend_from_slice(bytes);
                write_pair(&mut key, o, off, len);
            }
        }
        self.push_group(hash, &key)
    }

    /// Stores `bytes` as string accumulator `acc` of `group` (string
    /// min/max, first/last): over the old value when it fits (the arena
    /// bytes of an accumulator are its own), else appended to the arena.
    pub fn set_acc_str(&mut self, group: usize, acc: usize, bytes: &[u8]) {
        let w = self.layout.acc_width();
        let base = group * w + self.layout.acc_offsets[acc];
        let (old, old_len) = read_pair(&self.accs[base..base + 16], 0);
        let off = if old_len < NULL_STR && old_len >= bytes.len() as u64 {
            self.arena[old as usize..old as usize + bytes.len()].copy_from_slice(bytes);
            old
        } else {
            let off = self.arena.len() as u64;
            self.arena.extend_from_slice(bytes);
            off
        };
        write_pair(&mut self.accs[base..base + 16], 0, off, bytes.len() as u64);
        self.refresh();
    }

    /// Marks string accumulator `acc` of `group` as null (first/last).
    pub fn set_acc_str_null(&mut self, group: usize, acc: usize) {
        let w = self.layout.acc_width();
        let base = group * w + self.layout.acc_offsets[acc];
        write_u64(&mut self.accs[base..base + 16], 8, NULL_STR);
    }

    /// Reads string accumulator `acc` of `group`, `None` while unset or null.
    pub fn acc_str(&self, group: usize, acc: usize) -> Option<&[u8]> {
        let (off, len) = read_pair(self.acc_row(group), self.layout.acc_offsets[acc]);
        (len < NULL_STR).then(|| self.arena_bytes(off, len))
    }

    /// Whether string accumulator `acc` of `group` was never set.
    pub fn acc_str_unset(&self, group: usize, acc: usize) -> bool {
        read_u64(self.acc_row(group), self.layout.acc_offsets[acc] + 8) == UNSET_STR
    }

    /// Adds a value to distinct accumulator `acc` of `group`.
    pub fn distinct_insert(&mut self, group: usize, acc: usize, v: DistinctVal<'_>) -> Result<()> {
        let w = self.layout.acc_width();
        let base = group * w;
        let o = self.layout.acc_offsets[acc];
        let (func, _) = self.layout.funcs[acc];
        let ty = self.layout.arg_types[acc]
            .as_ref()
            .unwrap_or(&DataType::Null);
        let row = &mut self.accs[base..base + w];
        self.distinct.insert(row, o, func, ty, v)
    }

    /// Merges every group of `other` (same layout) into this table; returns
    /// the groups of this table that changed.
    pub fn merge(&mut self, other: &AggTable) -> Result<Vec<usize>> {
        self.merge_groups(other, 0..other.len())
    }

    /// Merges the given groups of `other` into this table.
    pub fn merge_groups(
        &mut self,
        other: &AggTable,
        groups: impl IntoIterator<Item = usize>,
    ) -> Result<Vec<usize>> {
        let mut touched = Vec::new();
        for og in groups {
            let (g, _) =
                self.find_or_insert_stored(other.hashes[og], other.key_row(og), &other.arena);
            self.combine_accs(g, other, og)?;
            touched.push(g);
        }
        Ok(touched)
    }

    fn combine_accs(&mut self, g: usize, other: &AggTable, og: usize) -> Result<()> {
        let layout = self.layout.clone();
        for (i, kind) in layout.accs.iter().enumerate() {
            let o = layout.acc_offsets[i];
            let src = other.acc_row(og);
            let (sa, sb) = (read_u64(src, o), read_u64(src, o + 8));
            match kind {
                AccKind::Count => {
                    let dst = self.acc_row_mut(g);
                    let a = read_u64(dst, o) as i64;
                    write_u64(dst, o, (a + sa as i64) as u64);
                }
                AccKind::SumInt => {
                    let dst = self.acc_row_mut(g);
                    let a = read_u64(dst, o) as i64;
                    let n = read_u64(dst, o + 8) as i64;
                    let sum = a.checked_add(sa as i64).ok_or_else(|| Error::Overflow {
                        expr: layout.funcs[i].0.name().to_string(),
                        detail: "long overflow".into(),
                    })?;
                    write_u64(dst, o, sum as u64);
                    write_u64(dst, o + 8, (n + sb as i64) as u64);
                }
                AccKind::SumFloat => {
                    let dst = self.acc_row_mut(g);
                    let a = f64::from_bits(read_u64(dst, o));
                    let n = read_u64(dst, o + 8) as i64;
                    write_u64(dst, o, (a + f64::from_bits(sa)).to_bits());
                    write_u64(dst, o + 8, (n + sb as i64) as u64);
                }
                AccKind::MinFixed | AccKind::MaxFixed => {
                    if sb == 0 {
                        continue;
                    }
                    let ty = layout.arg_types[i].clone().unwrap_or(DataType::Null);
                    let dst = self.acc_row_mut(g);
                    let (a, n) = (read_u64(dst, o), read_u64(dst, o + 8));
                    let take = n == 0 || {
                        let ord = compare_encoded(&ty, sa, a);
                        if *kind == AccKind::MinFixed {
                            ord.is_lt()
                        } else {
                            ord.is_gt()
                        }
                    };
                    if take {
                        write_u64(dst, o, sa);
                    }
                    write_u64(dst, o + 8, n + sb);
                }
                AccKind::MinStr | AccKind::MaxStr => {
                    let Some(theirs) = other.acc_str(og, i) else {
                        continue;
                    };
                    let take = match self.acc_str(g, i) {
                        None => true,
                        Some(mine) => {
                            if *kind == AccKind::MinStr {
                                theirs < mine
                            } else {
                                theirs > mine
                            }
                        }
                    };
                    if take {
                        let theirs = theirs.to_vec();
                        self.set_acc_str(g, i, &theirs);
                    }
                }
                AccKind::Pick { last, .. } => {
                    let dst = self.acc_row_mut(g);
                    if sb != 0 && (*last || read_u64(dst, o + 8) == 0) {
                        write_u64(dst, o, sa);
                        write_u64(dst, o + 8, sb);
                    }
                }
                AccKind::PickStr { last, .. } => {
                    if sb == UNSET_STR || !(*last || self.acc_str_unset(g, i)) {
                        continue;
                    }
                    match other.acc_str(og, i) {
                        Some(theirs) => {
                            let theirs = theirs.to_vec();
                            self.set_acc_str(g, i, &theirs);
                        }
                        None => self.set_acc_str_null(g, i),
                    }
                }
                AccKind::Moments => moments::merge(self.acc_row_mut(g), o, src, o),
                AccKind::Distinct => {
                    for v in other.distinct.values(src, o) {
                        self.distinct_insert(g, i, v)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Keeps only the groups for which `keep` is true (state eviction);
    /// group indexes change.
    pub fn retain(&mut self, mut keep: impl FnMut(&AggTable, usize) -> bool) {
        let layout = self.layout.clone();
        let mut fresh = AggTable::with_capacity(layout, self.len());
        for g in 0..self.len() {
            if keep(self, g) {
                let (ng, _) =
                    fresh.find_or_insert_stored(self.hashes[g], self.key_row(g), &self.arena);
                fresh
                    .combine_accs(ng, self, g)
                    .expect("copying a group cannot overflow");
            }
        }
        *self = fresh;
    }

    /// Output columns for the given groups: the keys (hidden grouping id
    /// included, last), then each aggregate's final value.
    pub fn to_arrow(&self, groups: &[usize]) -> Vec<ArrayRef> {
        let l = &self.layout;
        let mut out: Vec<ArrayRef> = Vec::new();
        for (k, t) in l.key_types.iter().enumerate() {
            let o = l.key_offsets[k];
            let get = |g: usize| -> Option<u64> {
                let row = self.key_row(g);
                (row[k] == 0).then(|| read_u64(row, o))
            };
            out.push(match t {
                DataType::Utf8 | DataType::Binary => {
                    let strs = groups.iter().map(|&g| {
                        let row = self.key_row(g);
                        (row[k] == 0).then(|| {
                            let (off, len) = read_pair(row, o);
                            self.arena_bytes(off, len)
                        })
                    });
                    bytes_array(t, strs)
                }
                t => {
                    let a = fixed_array(t, groups.iter().map(|&g| get(g)));
                    match l.window {
                        Some(w) if w.key == k => window_array(&a, w.window.size_us),
                        _ => a,
                    }
                }
            });
        }
        for (i, kind) in l.accs.iter().enumerate() {
            let o = l.acc_offsets[i];
            let (func, ty) = &l.funcs[i];
            let pair = |g: usize| {
                (
                    read_u64(self.acc_row(g), o),
                    read_u64(self.acc_row(g), o + 8),
                )
            };
            out.push(match kind {
                AccKind::Count => fixed_array(ty, groups.iter().map(|&g| Some(pair(g).0))),
                AccKind::SumInt => fixed_array(
                    ty,
                    groups.iter().map(|&g| {
                        let (s, n) = pair(g);
                        (n > 0).then_some(s)
                    }),
                ),
                AccKind::SumFloat => {
                    let vals = groups.iter().map(|&g| {
                        let (s, n) = pair(g);
                        (n > 0).then(|| {
                            let s = f64::from_bits(s);
                            if *func == AggFunc::Avg {
                                (s / n as f64).to_bits()
                            } else {
                                s.to_bits()
                            }
                        })
                    });
                    fixed_array(ty, vals)
                }
                AccKind::MinFixed | AccKind::MaxFixed => fixed_array(
                    ty,
                    groups.iter().map(|&g| {
                        let (v, n) = pair(g);
                        (n > 0).then_some(v)
                    }),
                ),
                AccKind::MinStr | AccKind::MaxStr | AccKind::PickStr { .. } => {
                    bytes_array(ty, groups.iter().map(|&g| self.acc_str(g, i)))
                }
                AccKind::Pick { .. } => fixed_array(
                    ty,
                    groups.iter().map(|&g| {
                        let (v, state) = pair(g);
                        (state == PICK_VALUE).then_some(v)
                    }),
                ),
                AccKind::Moments => fixed_array(
                    ty,
                    groups
                        .iter()
                        .map(|&g| moments::finish(*func, self.acc_row(g), o).map(f64::to_bits)),
                ),
                AccKind::Distinct => fixed_array(
                    ty,
                    groups
                        .iter()
                        .map(|&g| self.distinct.finish(*func, self.acc_row(g), o)),
                ),
            });
        }
        out
    }

    /// Decodes key `k` of `group` as a Scalar (for eviction predicates and tests).
    pub fn key_scalar(&self, group: usize, k: usize) -> crate::types::Scalar {
        use crate::types::Scalar;
        let row = self.key_row(group);
        if row[k] != 0 {
            return Scalar::Null;
        }
        let o = self.layout.key_offsets[k];
        let v = read_u64(row, o);
        match &self.layout.key_types[k] {
            DataType::Boolean => Scalar::Boolean(v != 0),
            DataType::Int32 => Scalar::Int32(v as i64 as i32),
            DataType::Int64 => Scalar::Int64(v as i64),
            DataType::Float64 => Scalar::Float64(f64::from_bits(v)),
            DataType::Timestamp => Scalar::Timestamp(v as i64),
            DataType::Date => Scalar::Date(v as i64 as i32),
            DataType::Utf8 => {
                let (off, len) = read_pair(row, o);
                Scalar::Utf8(String::from_utf8_lossy(self.arena_bytes(off, len)).into_owned())
            }
            DataType::Binary => {
                let (off, len) = read_pair(row, o);
                Scalar::Binary(self.arena_bytes(off, len).to_vec())
            }
            DataType::Null | DataType::Struct(_) => Scalar::Null,
        }
    }
}

/// Orders two encoded fixed-width values of type `ty` as Spark does (NaN is
/// the largest double; -0.0 was already folded into 0.0).
/// The `window` struct of windows starting at `starts`.
fn window_array(starts: &ArrayRef, size_us: i64) -> ArrayRef {
    use arrow::array::{Array, StructArray, TimestampMicrosecondArray};
    let starts = starts
        .as_any()
        .downcast_ref::<TimestampMicrosecondArray>()
        .expect("a window key is stored as a timestamp")
        .clone();
    let ends: TimestampMicrosecondArray = starts
        .iter()
        .map(|s| s.map(|s| s.wrapping_add(size_us)))
        .collect::<TimestampMicrosecondArray>()
        .with_timezone("UTC");
    let nulls = starts.nulls().cloned();
    let fields = match crate::window::window_type().to_arrow() {
        arrow::datatypes::DataType::Struct(f) => f,
        _ => unreachable!("the window type is a struct"),
    };
    Arc::new(StructArray::new(
        fields,
        vec![Arc::new(starts) as ArrayRef, Arc::new(ends)],
        nulls,
    ))
}

/// The stored (encoded) event time of a group's key `k` as the watermark
/// compares it: a window's end, or the timestamp itself. `None` when null.
pub fn event_time_of(layout: &TableLayout, key_row: &[u8], k: usize) -> Option<i64> {
    if key_row[k] != 0 {
        return None;
    }
    let v = read_u64(key_row, layout.key_offsets[k]) as i64;
    Some(match layout.window {
        Some(w) if w.key == k => v.wrapping_add(w.window.size_us),
        _ => v,
    })
}

pub fn compare_encoded(ty: &DataType, a: u64, b: u64) -> std::cmp::Ordering {
    match ty {
        DataType::Float64 => {
            let (x, y) = (f64::from_bits(a), f64::from_bits(b));
            match (x.is_nan(), y.is_nan()) {
                (true, true) => std::cmp::Ordering::Equal,
                (true, false) => std::cmp::Ordering::Greater,
                (false, true) => std::cmp::Ordering::Less,
                _ => x.partial_cmp(&y).unwrap(),
            }
        }
        DataType::Boolean => a.cmp(&b),
        _ => (a as i64).cmp(&(b as i64)),
    }
}

fn fixed_array(ty: &DataType, vals: impl Iterator<Item = Option<u64>>) -> ArrayRef {
    macro_rules! build {
        ($b:ty, $conv:expr) => {{
            let mut b = <$b>::new();
            for v in vals {
                b.append_option(v.map($conv));
            }
            Arc::new(b.finish()) as ArrayRef
        }};
    }
    match ty {
        DataType::Boolean => build!(BooleanBuilder, |v: u64| v != 0),
        DataType::Int32 => build!(Int32Builder, |v: u64| v as i64 as i32),
        DataType::Int64 => build!(Int64Builder, |v: u64| v as i64),
        DataType::Float64 => build!(Float64Builder, f64::from_bits),
        DataType::Date => build!(Date32Builder, |v: u64| v as i64 as i32),
        DataType::Timestamp => {
            let mut b = TimestampMicrosecondBuilder::new().with_timezone("UTC");
            for v in vals {
                b.append_option(v.map(|v| v as i64));
            }
            Arc::new(b.finish())
        }
        _ => Arc::new(arrow::array::NullArray::new(vals.count())),
    }
}

fn bytes_array<'a>(ty: &DataType, vals: impl Iterator<Item = Option<&'a [u8]>>) -> ArrayRef {
    if *ty == DataType::Binary {
        let mut b = BinaryBuilder::new();
        for v in vals {
            b.append_option(v);
        }
        Arc::new(b.finish())
    } else {
        let mut b = StringBuilder::new();
        for v in vals {
            // Keys and string accumulators are copied from valid UTF-8 columns.
            b.append_option(v.map(|s| std::str::from_utf8(s).unwrap_or("\u{fffd}")));
        }
        Arc::new(b.finish())
    }
}

#[inline]
pub fn read_u64(row: &[u8], o: usize) -> u64 {
    u64::from_le_bytes(row[o..o + 8].try_into().unwrap())
}

#[inline]
pub fn write_u64(row: &mut [u8], o: usize, v: u64) {
    row[o..o + 8].copy_from_slice(&v.to_le_bytes());
}

#[inline]
fn read_pair(row: &[u8], o: usize) -> (u64, u64) {
    (read_u64(row, o), read_u64(row, o + 8))
}

#[inline]
fn write_pair(row: &mut [u8], o: usize, a: u64, b: u64) {
    write_u64(row, o, a);
    write_u64(row, o + 8, b);
}

/// Called by JIT kernels to add a group whose key (a probe row) is absent.
/// Returns the new group's index; the kernel then reloads the table's pointers.
///
/// # Safety
/// `table` must point to a live `AggTable` no one else is using, and `probe`
/// to a probe row of its layout whose string slots name readable bytes.
pub unsafe extern "C" fn sqlc_agg_insert(table: *mut AggTable, hash: u64, probe: *const u8) -> u64 {
    // SAFETY: the kernel passes the table it was given for exclusive use, and
    // a probe row it built of `key_width` bytes on its own stack.
    unsafe {
        let t = &mut *table;
        let row = std::slice::from_raw_parts(probe, t.layout.key_width);
        t.insert_probe(hash, row) as u64
    }
}

/// Called by JIT kernels for a row whose every window (or event-time key)
/// is late: noted for a late-rows sink if the table records them.
///
/// # Safety
/// `table` must point to a live `AggTable` no one else is using.
pub unsafe extern "C" fn sqlc_agg_late_row(table: *mut AggTable, row: u64) {
    // SAFETY: the kernel passes the table it was given for exclusive use.
    unsafe { (*table).note_late_row(row) }
}

/// Called by JIT kernels for string min/max: offers `len` bytes at `ptr` to
/// accumulator `acc` of `group`, keeping the smaller (`is_max == 0`) or the
/// larger. The kernel reloads the table's pointers afterwards.
///
/// # Safety
/// As [`sqlc_agg_insert`]; `ptr` must name `len` readable bytes.
pub unsafe extern "C" fn sqlc_agg_minmax_str(
    table: *mut AggTable,
    group: u64,
    acc: u64,
    ptr: *const u8,
    len: u64,
    is_max: u64,
) {
    // SAFETY: see the function's contract above.
    unsafe {
        let t = &mut *table;
        let offered = std::slice::from_raw_parts(ptr, len as usize);
        let take = match t.acc_str(group as usize, acc as usize) {
            None => true,
            Some(cur) => {
                if is_max != 0 {
                    offered > cur
                } else {
                    offered < cur
                }
            }
        };
        if take {
            t.set_acc_str(group as usize, acc as usize, offered);
        }
    }
}

/// Called by JIT kernels for a string first/last whose row is taken: stores
/// the `len` bytes at `ptr`, or marks the answer null when `is_null != 0`.
/// The kernel reloads the table's pointers afterwards.
///
/// # Safety
/// As [`sqlc_agg_insert`]; unless `is_null`, `ptr` must name `len` readable bytes.
pub unsafe extern "C" fn sqlc_agg_pick_str(
    table: *mut AggTable,
    group: u64,
    acc: u64,
    ptr: *const u8,
    len: u64,
    is_null: u64,
) {
    // SAFETY: see the function's contract above.
    unsafe {
        let t = &mut *table;
        if is_null != 0 {
            t.set_acc_str_null(group as usize, acc as usize);
        } else {
            let bytes = std::slice::from_raw_parts(ptr, len as usize);
            t.set_acc_str(group as usize, acc as usize, bytes);
        }
    }
}

/// Called by JIT kernels for a non-null value of a DISTINCT aggregate: an
/// encoded fixed-width value in `a`, or a string's address in `a` and length
/// in `b`. An overflow is left in the table's pending error.
///
/// # Safety
/// As [`sqlc_agg_insert`]; for a string accumulator `(a, b)` must name
/// readable bytes.
pub unsafe extern "C" fn sqlc_agg_distinct(
    table: *mut AggTable,
    group: u64,
    acc: u64,
    a: u64,
    b: u64,
) {
    // SAFETY: see the function's contract above.
    unsafe {
        let t = &mut *table;
        let string = t.layout.arg_types[acc as usize]
            .as_ref()
            .is_some_and(DataType::is_string_like);
        let v = if string {
            DistinctVal::Bytes(std::slice::from_raw_parts(
                a as usize as *const u8,
                b as usize,
            ))
        } else {
            DistinctVal::Fixed(a)
        };
        if let Err(e) = t.distinct_insert(group as usize, acc as usize, v) {
            t.set_error(e);
        }
    }
}

mod snapshot;
