//! The part of a table the JIT kernels read directly ([`RawTable`], at the
//! start of every [`AggTable`]), and its fields' offsets for code
//! generation.

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
}

pub const EMPTY_SLOT: u32 = u32::MAX;

/// Offsets of [`RawTable`]'s fields, for code generation: computed from the
/// struct, so they cannot drift from it.
pub mod raw_offsets {
    use std::mem::offset_of;

    use super::RawTable;

    pub const SLOTS: i32 = offset_of!(RawTable, slots) as i32;
    pub const MASK: i32 = offset_of!(RawTable, mask) as i32;
    pub const HASHES: i32 = offset_of!(RawTable, hashes) as i32;
    pub const KEYS: i32 = offset_of!(RawTable, keys) as i32;
    pub const ACCS: i32 = offset_of!(RawTable, accs) as i32;
    pub const ARENA: i32 = offset_of!(RawTable, arena) as i32;
    pub const LEN: i32 = offset_of!(RawTable, len) as i32;
}

#[cfg(test)]
mod tests {
    use super::super::AggTable;
    use super::{raw_offsets, RawTable};

    #[test]
    fn a_table_starts_with_its_raw_part_where_kernels_read_it() {
        // Kernels take a `*mut AggTable` as a `*mut RawTable`.
        assert_eq!(std::mem::offset_of!(AggTable, raw), 0);
        // Every field a kernel reads is a 64-bit word at an 8-byte offset.
        for o in [
            raw_offsets::SLOTS,
            raw_offsets::MASK,
            raw_offsets::HASHES,
            raw_offsets::KEYS,
            raw_offsets::ACCS,
            raw_offsets::ARENA,
            raw_offsets::LEN,
        ] {
            assert_eq!(o % 8, 0);
            assert!((o as usize) < std::mem::size_of::<RawTable>());
        }
    }
}
