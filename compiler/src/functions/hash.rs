//! Hash functions. `md5`, `sha1`, `sha2` and `crc32` use the well-kept
//! RustCrypto digests and crc32fast. `hash` (Murmur3 x86_32) and
//! `xxhash64` are written here because users partition by them and they
//! must be Spark's bit for bit: seed 42, values hashed by their type as
//! Spark's `HashExpression` does (ints as 4 bytes, bigints and timestamps as
//! 8, doubles by their bits with -0.0 as 0.0, strings by their UTF-8 bytes)
//! and — for Murmur3 — Spark's own handling of a string's trailing bytes,
//! which differs from the reference algorithm's.

use arrow::array::{Array, ArrayRef};
use arrow::datatypes::DataType as ArrowType;
use md5::Digest;

use super::args::*;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::scalar_function;
use crate::types::DataType::{self, Binary, Int32, Int64, Utf8};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(Md5),
        FunctionRef::new(Sha1),
        FunctionRef::new(Sha2),
        FunctionRef::new(Crc32),
        FunctionRef::new(Hash { xx: false }),
        FunctionRef::new(Hash { xx: true }),
    ]);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(a: &[ArrayRef], rows: usize, f: impl Fn(&[u8]) -> String) -> Result<ArrayRef> {
    let b = bins(&a[0])?;
    collect_strings(rows, |i| Ok(b.at(i).map(&f)))
}

scalar_function!(
    /// `md5(bin)`: hex digest.
    Md5, "md5", [], "md5(expr) - Returns an MD5 128-bit checksum as a hex string of `expr`.",
    resolve(this, args, call) {
        arity("md5", &args, 1, 1)?;
        typed(&this, args, &[Binary], Utf8, call)
    }
    invoke(a, rows) { digest(a, rows, |b| hex(&md5::Md5::digest(b))) }
);

scalar_function!(
    /// `sha1(bin)` / `sha(bin)`: hex digest.
    Sha1, "sha1", ["sha"], "sha1(expr) - Returns a sha1 hash value as a hex string of the `expr`.",
    resolve(this, args, call) {
        arity("sha1", &args, 1, 1)?;
        typed(&this, args, &[Binary], Utf8, call)
    }
    invoke(a, rows) { digest(a, rows, |b| hex(&sha1::Sha1::digest(b))) }
);

scalar_function!(
    /// `sha2(bin, bits)`: SHA-224/256/384/512 (0 means 256); null for other bit lengths.
    Sha2, "sha2", [], "sha2(expr, bitLength) - Returns a checksum of SHA-2 family as a hex string of `expr`. SHA-224, SHA-256, SHA-384, and SHA-512 are supported. Bit length of 0 is equivalent to 256.",
    resolve(this, args, call) {
        arity("sha2", &args, 2, 2)?;
        let mut r = typed(&this, args, &[Binary, Int32], Utf8, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        let (b, n) = (bins(&a[0])?, i32s(&a[1])?);
        collect_strings(rows, |i| Ok(match (b.at(i), n.at(i)) {
            (Some(b), Some(224)) => Some(hex(&sha2::Sha224::digest(b))),
            (Some(b), Some(0 | 256)) => Some(hex(&sha2::Sha256::digest(b))),
            (Some(b), Some(384)) => Some(hex(&sha2::Sha384::digest(b))),
            (Some(b), Some(512)) => Some(hex(&sha2::Sha512::digest(b))),
            _ => None,
        }))
    }
);

scalar_function!(
    /// `crc32(bin)`.
    Crc32, "crc32", [], "crc32(expr) - Returns a cyclic redundancy check value of the `expr` as a bigint.",
    resolve(this, args, call) {
        arity("crc32", &args, 1, 1)?;
        typed(&this, args, &[Binary], Int64, call)
    }
    invoke(a, rows) {
        let b = bins(&a[0])?;
        collect_i64(rows, |i| Ok(b.at(i).map(|b| crc32fast::hash(b) as i64)))
    }
);

/// `hash(a, …)` (Murmur3, int) or `xxhash64(a, …)` (bigint), seed 42.
pub struct Hash {
    xx: bool,
}

const SEED: u64 = 42;

/// Spark's `xxhash64` (seed 42) of each row of one column, as
/// `approx_count_distinct` hashes values (a null row keeps the seed).
pub fn xxhash64_each(a: &ArrayRef) -> Result<Vec<u64>> {
    let mut h = vec![SEED; a.len()];
    Hash { xx: true }.mix_column(a, &mut h)?;
    Ok(h)
}

impl ScalarFunction for Hash {
    fn name(&self) -> &'static str {
        if self.xx {
            "xxhash64"
        } else {
            "hash"
        }
    }

    fn usage(&self) -> &'static str {
        if self.xx {
            "xxhash64(expr1, expr2, ...) - Returns a 64-bit hash value of the arguments. Hash seed is 42."
        } else {
            "hash(expr1, expr2, ...) - Returns a hash value of the arguments."
        }
    }

    fn resolve(&self, args: Vec<TExpr>, _call: &Expr) -> Result<Resolved> {
        if args.is_empty() {
            return Err(Error::analysis(
                "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                format!(
                    "The `{}` requires > 0 parameters but the actual number is 0.",
                    self.name()
                ),
            ));
        }
        if let Some(s) = args.iter().find(|a| matches!(a.ty, DataType::Struct(_))) {
            return Err(Error::not_supported(format!(
                "`{}` of a struct value ({s})",
                self.name()
            )));
        }
        Ok(Resolved {
            func: FunctionRef::new(Hash { xx: self.xx }),
            args,
            ty: if self.xx { Int64 } else { Int32 },
            nullable: false,
        })
    }

    fn invoke(&self, args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let mut h = vec![SEED; rows];
        for a in args {
            self.mix_column(a, &mut h)?;
        }
        if self.xx {
            collect_i64(rows, |i| Ok(Some(h[i] as i64)))
        } else {
            collect_i32(rows, |i| Ok(Some(h[i] as u32 as i32)))
        }
    }
}

impl Hash {
    /// Hashes each non-null row of `a` into its running hash (for Murmur3,
    /// the low 32 bits), the column's type dispatched once.
    fn mix_column(&self, a: &ArrayRef, h: &mut [u64]) -> Result<()> {
        let xx = self.xx;
        let int = |v: i32, seed: u64| -> u64 {
            if xx {
                xxh64(&v.to_le_bytes(), seed)
            } else {
                murmur3_int(v, seed as u32) as u64
            }
        };
        let long = |v: i64, seed: u64| -> u64 {
            if xx {
                xxh64(&v.to_le_bytes(), seed)
            } else {
                murmur3_long(v, seed as u32) as u64
            }
        };
        let bytes = |b: &[u8], seed: u64| -> u64 {
            if xx {
                xxh64(b, seed)
            } else {
                murmur3_bytes(b, seed as u32) as u64
            }
        };
        fn each<T>(h: &mut [u64], at: impl Fn(usize) -> Option<T>, f: impl Fn(T, u64) -> u64) {
            for (i, hv) in h.iter_mut().enumerate() {
                if let Some(v) = at(i) {
                    *hv = f(v, *hv);
                }
            }
        }
        match a.data_type() {
            ArrowType::Boolean => {
                let c = bools(a)?;
                each(h, |i| c.at(i), |v, s| int(i32::from(v), s))
            }
            ArrowType::Int32 => {
                let c = i32s(a)?;
                each(h, |i| c.at(i), int)
            }
            ArrowType::Date32 => {
                let c = dates(a)?;
                each(h, |i| c.at(i), int)
            }
            ArrowType::Int64 => {
                let c = i64s(a)?;
                each(h, |i| c.at(i), long)
            }
            ArrowType::Timestamp(..) => {
                let c = timestamps(a)?;
                each(h, |i| c.at(i), long)
            }
            ArrowType::Float64 => {
                let c = f64s(a)?;
                each(
                    h,
                    |i| c.at(i),
                    |d, s| {
                        let d = if d == 0.0 { 0.0 } else { d };
                        let bits = if d.is_nan() {
                            0x7ff8_0000_0000_0000
                        } else {
                            d.to_bits()
                        };
                        long(bits as i64, s)
                    },
                )
            }
            ArrowType::Utf8 => {
                let c = strs(a)?;
                each(h, |i| c.at(i), |v, s| bytes(v.as_bytes(), s))
            }
            ArrowType::Binary => {
                let c = bins(a)?;
                each(h, |i| c.at(i), bytes)
            }
            // Spark: the unscaled value as a long up to 18 digits, else the
            // bytes of Java's `BigInteger.toByteArray`.
            ArrowType::Decimal128(p, _) => {
                let c = a
                    .as_any()
                    .downcast_ref::<arrow::array::Decimal128Array>()
                    .ok_or_else(|| Error::internal("a decimal column of another array type"))?;
                let small = *p <= 18;
                each(
                    h,
                    |i| c.is_valid(i).then(|| c.value(i)),
                    |v, s| {
                        if small {
                            long(v as i64, s)
                        } else {
                            bytes(&java_bytes(v), s)
                        }
                    },
                )
            }
            // A null argument leaves the hash as it is.
            ArrowType::Null => {}
            t => return Err(Error::internal(format!("hash of {t}"))),
        }
        Ok(())
    }
}

/// Java's `BigInteger.toByteArray`: big-endian two's complement in the
/// fewest bytes that keep the sign.
fn java_bytes(v: i128) -> Vec<u8> {
    let b = v.to_be_bytes();
    let mut start = 0;
    while start < 15 {
        let (x, next) = (b[start], b[start + 1]);
        let redundant = (x == 0x00 && next & 0x80 == 0) || (x == 0xff && next & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    b[start..].to_vec()
}

// ---- Murmur3 x86_32, as Spark's Murmur3_x86_32 ----

fn mix_k1(k1: u32) -> u32 {
    k1.wrapping_mul(0xcc9e_2d51)
        .rotate_left(15)
        .wrapping_mul(0x1b87_3593)
}

fn mix_h1(h1: u32, k1: u32) -> u32 {
    (h1 ^ k1)
        .rotate_left(13)
        .wrapping_mul(5)
        .wrapping_add(0xe654_6b64)
}

fn fmix(mut h1: u32, len: u32) -> u32 {
    h1 ^= len;
    h1 ^= h1 >> 16;
    h1 = h1.wrapping_mul(0x85eb_ca6b);
    h1 ^= h1 >> 13;
    h1 = h1.wrapping_mul(0xc2b2_ae35);
    h1 ^ (h1 >> 16)
}

fn murmur3_int(v: i32, seed: u32) -> u32 {
    fmix(mix_h1(seed, mix_k1(v as u32)), 4)
}

fn murmur3_long(v: i64, seed: u32) -> u32 {
    let h1 = mix_h1(seed, mix_k1(v as u32));
    let h1 = mix_h1(h1, mix_k1((v >> 32) as u32));
    fmix(h1, 8)
}

/// Spark's `hashUnsafeBytes`: 4-byte little-endian words, then each
/// trailing byte (sign-extended) mixed as a word of its own.
fn murmur3_bytes(b: &[u8], seed: u32) -> u32 {
    let aligned = b.len() - b.len() % 4;
    let mut h1 = seed;
    for w in b[..aligned].chunks_exact(4) {
        h1 = mix_h1(h1, mix_k1(u32::from_le_bytes([w[0], w[1], w[2], w[3]])));
    }
    for &x in &b[aligned..] {
        h1 = mix_h1(h1, mix_k1(x as i8 as i32 as u32));
    }
    fmix(h1, b.len() as u32)
}

// ---- XXH64 (the reference algorithm; Spark's agrees for every input) ----

const P1: u64 = 0x9E37_79B1_85EB_CA87;
const P2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const P3: u64 = 0x1656_67B1_9E37_79F9;
const P4: u64 = 0x85EB_CA77_C2B2_AE63;
const P5: u64 = 0x27D4_EB2F_1656_67C5;

fn round(acc: u64, input: u64) -> u64 {
    acc.wrapping_add(input.wrapping_mul(P2))
        .rotate_left(31)
        .wrapping_mul(P1)
}

fn merge(acc: u64, v: u64) -> u64 {
    (acc ^ round(0, v)).wrapping_mul(P1).wrapping_add(P4)
}

fn xxh64(b: &[u8], seed: u64) -> u64 {
    let le64 = |s: &[u8]| u64::from_le_bytes(s[..8].try_into().unwrap_or([0; 8]));
    let le32 = |s: &[u8]| u32::from_le_bytes(s[..4].try_into().unwrap_or([0; 4])) as u64;
    let mut i = 0;
    let mut h = if b.len() >= 32 {
        let mut v = [
            seed.wrapping_add(P1).wrapping_add(P2),
            seed.wrapping_add(P2),
            seed,
            seed.wrapping_sub(P1),
        ];
        while i + 32 <= b.len() {
            for (k, vk) in v.iter_mut().enumerate() {
                *vk = round(*vk, le64(&b[i + 8 * k..]));
            }
            i += 32;
        }
        let mut h = v[0]
            .rotate_left(1)
            .wrapping_add(v[1].rotate_left(7))
            .wrapping_add(v[2].rotate_left(12))
            .wrapping_add(v[3].rotate_left(18));
        for vk in v {
            h = merge(h, vk);
        }
        h
    } else {
        seed.wrapping_add(P5)
    };
    h = h.wrapping_add(b.len() as u64);
    while i + 8 <= b.len() {
        h = (h ^ round(0, le64(&b[i..])))
            .rotate_left(27)
            .wrapping_mul(P1)
            .wrapping_add(P4);
        i += 8;
    }
    if i + 4 <= b.len() {
        h = (h ^ le32(&b[i..]).wrapping_mul(P1))
            .rotate_left(23)
            .wrapping_mul(P2)
            .wrapping_add(P3);
        i += 4;
    }
    while i < b.len() {
        h = (h ^ (b[i] as u64).wrapping_mul(P5))
            .rotate_left(11)
            .wrapping_mul(P1);
        i += 1;
    }
    h ^= h >> 33;
    h = h.wrapping_mul(P2);
    h ^= h >> 29;
    h = h.wrapping_mul(P3);
    h ^ (h >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_vectors() {
        // XXH64 of the empty input with seed 0, from the reference.
        assert_eq!(xxh64(b"", 0), 0xEF46_DB37_51D8_E999);
        // Murmur3 x86_32 of "" with seed 0 is 0; of an int as Spark's hashInt.
        assert_eq!(murmur3_bytes(b"", 0), 0);
    }

    #[test]
    fn decimals_hash_as_spark() {
        // PySpark 4.3: hash(CAST(1.5 AS DECIMAL(10,2))), the same at
        // DECIMAL(30,2), and xxhash64 of the first (seed 42).
        assert_eq!(murmur3_long(150, 42) as i32, -2056712946);
        assert_eq!(murmur3_bytes(&java_bytes(150), 42) as i32, -339019914);
        assert_eq!(
            xxh64(&150i64.to_le_bytes(), 42) as i64,
            -6873856301616164681
        );
        assert_eq!(java_bytes(150), vec![0x00, 0x96]);
        assert_eq!(java_bytes(-1), vec![0xff]);
        assert_eq!(java_bytes(-129), vec![0xff, 0x7f]);
    }
}
