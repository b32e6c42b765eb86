//! Functions whose value depends on the partition a row is in (see
//! [`crate::partition`]): `spark_partition_id()`,
//! `monotonically_increasing_id()` (the partition index in the upper 31
//! bits, the row's position in its partition in the lower 33),
//! `input_file_name()` / `input_file_block_start()` /
//! `input_file_block_length()`, and `rand(seed)` / `randn(seed)`, which
//! draw from Spark's `XORShiftRandom` seeded with `seed + partition index`
//! (uniform: `java.util.Random.nextDouble`; normal: its `nextGaussian`),
//! so that a single partition gives Spark's numbers exactly. None is
//! deterministic; each runs in the twin.

use arrow::array::ArrayRef;

use super::args::*;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::partition::{current, with_state};
use crate::types::DataType::{self, Float64, Int32, Int64, Utf8};
use crate::types::Scalar;

/// The names of this family (the runtime runs a pipeline holding one
/// partition by partition).
pub const NAMES: &[&str] = &[
    "rand",
    "randn",
    "monotonically_increasing_id",
    "spark_partition_id",
    "input_file_name",
    "input_file_block_start",
    "input_file_block_length",
];

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(Random {
            gaussian: false,
            seed: None,
            drawn: false,
        }),
        FunctionRef::new(Random {
            gaussian: true,
            seed: None,
            drawn: false,
        }),
        FunctionRef::new(Of(What::RowId)),
        FunctionRef::new(Of(What::PartitionId)),
        FunctionRef::new(Of(What::FileName)),
        FunctionRef::new(Of(What::BlockStart)),
        FunctionRef::new(Of(What::BlockLength)),
    ]);
}

/// This call site's identity in [`with_state`]: the instance's address.
fn site<T>(f: &T) -> usize {
    f as *const T as usize
}

// ---- Spark's XORShiftRandom ----

/// Spark's `org.apache.spark.util.random.XORShiftRandom` (a
/// `java.util.Random` whose `next(bits)` is an xorshift of a
/// Murmur3-hashed seed), with `Random`'s `nextDouble` and `nextGaussian`.
pub struct XorShiftRandom {
    seed: i64,
    next_gaussian: Option<f64>,
}

impl XorShiftRandom {
    pub fn new(seed: i64) -> Self {
        XorShiftRandom {
            seed: hash_seed(seed),
            next_gaussian: None,
        }
    }

    fn next(&mut self, bits: u32) -> i64 {
        let mut s = self.seed;
        s ^= s << 21;
        s ^= ((s as u64) >> 35) as i64;
        s ^= s << 4;
        self.seed = s;
        s & ((1i64 << bits) - 1)
    }

    /// `Random.nextDouble`: 53 random bits in [0, 1).
    pub fn next_double(&mut self) -> f64 {
        let bits = (self.next(26) << 27) + self.next(27);
        bits as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `Random.nextGaussian`: Marsaglia's polar method, the second value
    /// of each pair kept for the next call; `StrictMath.log` is fdlibm's,
    /// which the `libm` crate ports.
    pub fn next_gaussian(&mut self) -> f64 {
        if let Some(g) = self.next_gaussian.take() {
            return g;
        }
        loop {
            let v1 = 2.0 * self.next_double() - 1.0;
            let v2 = 2.0 * self.next_double() - 1.0;
            let s = v1 * v1 + v2 * v2;
            if s < 1.0 && s != 0.0 {
                let multiplier = (-2.0 * libm::log(s) / s).sqrt();
                self.next_gaussian = Some(v2 * multiplier);
                return v1 * multiplier;
            }
        }
    }
}

/// `XORShiftRandom.hashSeed`: Scala's `MurmurHash3.bytesHash` of the
/// seed's eight big-endian bytes, twice.
fn hash_seed(seed: i64) -> i64 {
    let bytes = seed.to_be_bytes();
    let low = bytes_hash(&bytes, 0x3c07_4a61);
    let high = bytes_hash(&bytes, low);
    ((high as i64) << 32) | (low as i64 & 0xffff_ffff)
}

/// Scala's `MurmurHash3.bytesHash` of a whole number of 4-byte words.
fn bytes_hash(data: &[u8; 8], seed: u32) -> u32 {
    let mut h = seed;
    for w in data.chunks_exact(4) {
        let k = u32::from_le_bytes([w[0], w[1], w[2], w[3]])
            .wrapping_mul(0xcc9e_2d51)
            .rotate_left(15)
            .wrapping_mul(0x1b87_3593);
        h = (h ^ k)
            .rotate_left(13)
            .wrapping_mul(5)
            .wrapping_add(0xe654_6b64);
    }
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// `rand([seed])` / `randn([seed])` (`random` is `rand`): the seed a
/// constant INT or BIGINT (NULL is 0); without one, a seed drawn when
/// the query is resolved.
pub struct Random {
    gaussian: bool,
    seed: Option<i64>,
    /// Whether the seed was drawn rather than given (then the call prints
    /// as `rand()`, as in Spark).
    drawn: bool,
}

impl ScalarFunction for Random {
    fn name(&self) -> &'static str {
        if self.gaussian {
            "randn"
        } else {
            "rand"
        }
    }

    fn aliases(&self) -> &'static [&'static str] {
        if self.gaussian {
            &[]
        } else {
            &["random"]
        }
    }

    fn usage(&self) -> &'static str {
        if self.gaussian {
            "randn([seed]) - Returns a random value with independent and identically distributed (i.i.d.) values drawn from the standard normal distribution."
        } else {
            "rand([seed]) - Returns a random value with independent and identically distributed (i.i.d.) uniformly distributed values in [0, 1)."
        }
    }

    fn deterministic(&self) -> bool {
        false
    }

    fn instance_key(&self) -> String {
        self.seed.map(|s| s.to_string()).unwrap_or_default()
    }

    fn shown(&self, _args: &[String]) -> Option<String> {
        match (self.seed, self.drawn) {
            (Some(s), false) => Some(format!("{}({s})", self.name())),
            _ => Some(format!("{}()", self.name())),
        }
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity(self.name(), &args, 0, 1)?;
        let seed = match args.first() {
            None => uuid::Uuid::new_v4().as_u64_pair().0 as i64,
            Some(a) => match literal(a) {
                Some(Scalar::Int32(v)) => *v as i64,
                Some(Scalar::Int64(v)) => *v,
                Some(Scalar::Null) => 0,
                Some(_) | None if !matches!(a.ty, DataType::Int32 | DataType::Int64 | DataType::Null) => {
                    return Err(Error::analysis(
                        "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                        format!(
                            "Cannot resolve \"{call}\" due to data type mismatch: The first parameter requires the (\"INT\" or \"BIGINT\") type, however \"{a}\" has the type \"{}\".",
                            a.ty.spark_name().to_uppercase()
                        ),
                    ))
                }
                _ => {
                    return Err(Error::analysis(
                        "SEED_EXPRESSION_IS_UNFOLDABLE",
                        format!("The seed expression \"{a}\" of the expression \"{call}\" must be foldable."),
                    ))
                }
            },
        };
        Ok(Resolved {
            func: FunctionRef::new(Random {
                gaussian: self.gaussian,
                seed: Some(seed),
                drawn: args.is_empty(),
            }),
            args: vec![],
            ty: Float64,
            nullable: false,
        })
    }

    fn invoke(&self, _a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let seed = self.seed.unwrap_or(0);
        with_state(
            site(self),
            |p| {
                // On a stream, the batch's seed mixed with this call's (so
                // that two calls still draw apart).
                let seed = p.reseed.map_or(seed, |r| {
                    r ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15_u64 as i64)
                });
                XorShiftRandom::new(seed.wrapping_add(p.index as i64))
            },
            |rng| {
                collect_f64(rows, |_| {
                    Ok(Some(if self.gaussian {
                        rng.next_gaussian()
                    } else {
                        rng.next_double()
                    }))
                })
            },
        )
    }
}

/// What a partition function gives.
#[derive(Clone, Copy, PartialEq)]
enum What {
    RowId,
    PartitionId,
    FileName,
    BlockStart,
    BlockLength,
}

/// The partition functions without arguments.
struct Of(What);

impl ScalarFunction for Of {
    fn name(&self) -> &'static str {
        match self.0 {
            What::RowId => "monotonically_increasing_id",
            What::PartitionId => "spark_partition_id",
            What::FileName => "input_file_name",
            What::BlockStart => "input_file_block_start",
            What::BlockLength => "input_file_block_length",
        }
    }

    fn usage(&self) -> &'static str {
        match self.0 {
            What::RowId => "monotonically_increasing_id() - Returns monotonically increasing 64-bit integers. The generated ID is guaranteed to be monotonically increasing and unique, but not consecutive. The current implementation puts the partition ID in the upper 31 bits, and the lower 33 bits represent the record number within each partition.",
            What::PartitionId => "spark_partition_id() - Returns the current partition id.",
            What::FileName => "input_file_name() - Returns the name of the file being read, or empty string if not available.",
            What::BlockStart => "input_file_block_start() - Returns the start offset of the block being read, or -1 if not available.",
            What::BlockLength => "input_file_block_length() - Returns the length of the block being read, or -1 if not available.",
        }
    }

    fn deterministic(&self) -> bool {
        false
    }

    fn resolve(&self, args: Vec<TExpr>, _call: &Expr) -> Result<Resolved> {
        arity(self.name(), &args, 0, 0)?;
        Ok(Resolved {
            func: FunctionRef::new(Of(self.0)),
            args,
            ty: match self.0 {
                What::PartitionId => Int32,
                What::FileName => Utf8,
                _ => Int64,
            },
            nullable: false,
        })
    }

    fn invoke(&self, _a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let p = current();
        match self.0 {
            What::RowId => with_state(
                site(self),
                |_| 0i64,
                |count| {
                    let base = (p.index as i64) << 33;
                    let first = *count;
                    *count += rows as i64;
                    collect_i64(rows, |i| Ok(Some(base + first + i as i64)))
                },
            ),
            What::PartitionId => collect_i32(rows, |_| Ok(Some(p.index as i32))),
            What::FileName => {
                let name = p.file.as_ref().map_or("", |f| &f.uri);
                collect_strings(rows, |_| Ok(Some(name.to_string())))
            }
            What::BlockStart => {
                let v = p.file.as_ref().map_or(-1, |f| f.start);
                collect_i64(rows, |_| Ok(Some(v)))
            }
            What::BlockLength => {
                let v = p.file.as_ref().map_or(-1, |f| f.length);
                collect_i64(rows, |_| Ok(Some(v)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PySpark 4.3: `spark.range(0, 10, 1, 1).select(rand(42), randn(42))`.
    #[test]
    fn spark_numbers_for_one_partition() {
        let mut r = XorShiftRandom::new(42);
        let u: Vec<f64> = (0..3).map(|_| r.next_double()).collect();
        assert_eq!(
            u,
            [0.619189370225301, 0.5096018842446481, 0.8325259388871524]
        );
        let mut n = XorShiftRandom::new(42);
        let g: Vec<f64> = (0..3).map(|_| n.next_gaussian()).collect();
        assert_eq!(
            g,
            [2.384479054241165, 0.1920934041293524, 0.7337336533286575]
        );
        // rand(NULL) is rand(0); partition 1 of rand(42) is seed 43.
        assert_eq!(XorShiftRandom::new(0).next_double(), 0.7604953758285915);
        assert_eq!(XorShiftRandom::new(43).next_double(), 0.8017532427858894);
    }
}
