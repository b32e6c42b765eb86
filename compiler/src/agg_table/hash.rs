//! The hash of a group key, shared bit for bit by the JIT (which emits the
//! same arithmetic inline) and Rust.

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
