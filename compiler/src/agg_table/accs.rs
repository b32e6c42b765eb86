//! Accumulators that live outside the fixed-width accumulator row: string
//! min/max and first/last (bytes in the arena) and DISTINCT sets.

use super::*;

impl AggTable {
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
}
