//! How key values and accumulators are stored in a table's rows: fixed-width
//! values as a `u64` (doubles canonicalised), how they order, and reading and
//! writing the row's little-endian words.

use crate::types::DataType;

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

/// Orders two encoded fixed-width values of type `ty` as Spark does (NaN is
/// the largest double; -0.0 was already folded into 0.0).
pub fn compare_encoded(ty: &DataType, a: u64, b: u64) -> std::cmp::Ordering {
    match ty {
        // a float is kept as its (exact) double
        DataType::Float64 | DataType::Float32 => {
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

/// Whether values of `t` live in the table's arena (the slot holding
/// offset and length): strings, binary, and decimals as [`encode_decimal`]
/// bytes.
pub fn in_arena(t: &DataType) -> bool {
    t.is_string_like() || t.is_decimal()
}

/// A decimal's unscaled value as the 16 bytes a key or a min/max/first/last
/// accumulator stores: big-endian with the sign bit flipped, so that byte
/// order is numeric order (values of one column share one scale).
pub fn encode_decimal(v: i128) -> [u8; 16] {
    ((v as u128) ^ (1u128 << 127)).to_be_bytes()
}

/// The inverse of [`encode_decimal`]; `0` for bytes of another length
/// (never stored for a decimal).
pub fn decode_decimal(b: &[u8]) -> i128 {
    match <[u8; 16]>::try_from(b) {
        Ok(b) => (u128::from_be_bytes(b) ^ (1u128 << 127)) as i128,
        Err(_) => 0,
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
pub(super) fn read_pair(row: &[u8], o: usize) -> (u64, u64) {
    (read_u64(row, o), read_u64(row, o + 8))
}

#[inline]
pub(super) fn write_pair(row: &mut [u8], o: usize, a: u64, b: u64) {
    write_u64(row, o, a);
    write_u64(row, o + 8, b);
}
