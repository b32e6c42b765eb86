//! Finding and adding groups: open addressing with linear probing over the
//! slot array, key rows compared in stored form (strings in an arena), and
//! a new group from a kernel's probe row.

use super::*;

impl AggTable {
    /// Compares stored key row `group` with a key row whose strings live in
    /// `other_arena` (stored form) — used when merging tables.
    pub(super) fn stored_eq(&self, group: usize, row: &[u8], other_arena: &[u8]) -> bool {
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
            if in_arena(t) {
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
            if in_arena(t) && row[k] == 0 {
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
    pub(super) fn push_group(&mut self, hash: u64, key: &[u8]) -> usize {
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

    pub(super) fn place(&mut self, hash: u64, g: u32) {
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        while self.slots[i] != EMPTY_SLOT {
            i = (i + 1) & mask;
        }
        self.slots[i] = g;
    }

    pub(super) fn grow(&mut self) {
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
            if in_arena(t) && probe[k] == 0 {
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
}
