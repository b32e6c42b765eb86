//! `x IN (…)` over a long list of constants as one hash lookup per row —
//! Spark's `InSet`, which its optimizer substitutes past
//! `spark.sql.optimizer.inSetConversionThreshold` (10) items — instead of
//! one comparison per item and row (`x IN` 30,000 literals was quadratic in
//! both back ends, and its generated code 30,000 branches). The interpreted
//! twin looks values up directly; generated code calls
//! `codegen::helpers::sqlc_in_set_*` with the kernel-owned set.
//!
//! Equality is Spark's, as the comparisons it replaces: doubles with NaN
//! equal to NaN and -0.0 equal to 0.0, strings and binary bytewise.

use std::collections::HashSet;

use crate::ir::{TExpr, TExprKind};
use crate::types::{DataType, Scalar};

/// Lists longer than this become sets (Spark's default threshold).
pub const THRESHOLD: usize = 10;

/// The constants of an IN list, hashed.
#[derive(Debug, Default)]
pub struct InSet {
    /// Fixed-width values: integers, dates, timestamps and booleans as
    /// i64, doubles as [`float_key`].
    fixed: HashSet<i64>,
    bytes: HashSet<Box<[u8]>>,
    /// A NULL among the items: a value not found is then NULL, not false.
    pub has_null: bool,
}

/// A double's key: one NaN, one zero.
pub fn float_key(v: f64) -> i64 {
    if v.is_nan() {
        f64::NAN.to_bits() as i64
    } else if v == 0.0 {
        0
    } else {
        v.to_bits() as i64
    }
}

impl InSet {
    /// The set of `list`, items of type `ty`, when it is longer than
    /// [`THRESHOLD`] and every item is a constant; otherwise `None` (the
    /// list is compared item by item).
    pub fn of(ty: &DataType, list: &[TExpr]) -> Option<InSet> {
        if list.len() <= THRESHOLD {
            return None;
        }
        let mut set = InSet::default();
        for item in list {
            match (constant(item)?, ty) {
                (Scalar::Null, _) => set.has_null = true,
                (Scalar::Utf8(s), DataType::Utf8) => {
                    set.bytes.insert(s.into_bytes().into());
                }
                (Scalar::Binary(b), DataType::Binary) => {
                    set.bytes.insert(b.into());
                }
                (Scalar::Float64(v), DataType::Float64) => {
                    set.fixed.insert(float_key(v));
                }
                (Scalar::Int32(v), DataType::Int32) | (Scalar::Date(v), DataType::Date) => {
                    set.fixed.insert(v as i64);
                }
                (Scalar::Int64(v), DataType::Int64)
                | (Scalar::Timestamp(v), DataType::Timestamp) => {
                    set.fixed.insert(v);
                }
                (Scalar::Boolean(v), DataType::Boolean) => {
                    set.fixed.insert(v as i64);
                }
                _ => return None,
            }
        }
        Some(set)
    }

    /// Whether the fixed-width value `v` (as i64; a double as its
    /// [`float_key`]) is in the set.
    pub fn contains_fixed(&self, v: i64) -> bool {
        self.fixed.contains(&v)
    }

    /// Whether the string or binary value `b` is in the set.
    pub fn contains_bytes(&self, b: &[u8]) -> bool {
        self.bytes.contains(b)
    }
}

/// The value of a constant item: a literal, or a literal widened by the
/// implicit cast to the list's common type (an integer to BIGINT or DOUBLE).
fn constant(e: &TExpr) -> Option<Scalar> {
    match &e.kind {
        TExprKind::Literal(v) => Some(v.clone()),
        TExprKind::Cast { arg } => {
            let TExprKind::Literal(v) = &arg.kind else {
                return None;
            };
            let int = match v {
                Scalar::Null => return Some(Scalar::Null),
                Scalar::Int32(i) => *i as i64,
                Scalar::Int64(i) => *i,
                _ => return None,
            };
            match e.ty {
                DataType::Int64 => Some(Scalar::Int64(int)),
                DataType::Float64 => Some(Scalar::Float64(int as f64)),
                _ => None,
            }
        }
        _ => None,
    }
}
