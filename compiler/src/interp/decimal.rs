//! Decimals in the interpreted twin: arithmetic, negation and casts over
//! Arrow's `Decimal128` arrays, value by value through [`crate::decimal`]
//! (Spark's result types, HALF_UP rounding, ANSI overflow errors).

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, Decimal128Array, Float64Array, Int32Array, Int64Array,
    StringArray,
};
use arrow::datatypes::{DataType as A, Float64Type, Int32Type, Int64Type};

use super::columns::{bools, downcast, internal, prim, strings};
use crate::decimal::{self, Ps};
use crate::error::{Error, Result};
use crate::ir::{BinaryOp, TExpr};
use crate::types::DataType;

/// A decimal array and its scale.
fn dec(a: &ArrayRef) -> Result<(&Decimal128Array, u8)> {
    match a.data_type() {
        A::Decimal128(_, s) => Ok((downcast::<Decimal128Array>(a.as_ref())?, *s as u8)),
        t => Err(internal(format!("a decimal operand of type {t}"))),
    }
}

fn ps_of(e: &TExpr) -> Result<Ps> {
    e.ty.decimal_ps()
        .ok_or_else(|| internal(format!("{e} is not a decimal")))
}

fn divide_by_zero(e: &TExpr, remainder: bool) -> Error {
    Error::DivideByZero {
        expr: e.to_string(),
        remainder,
    }
}

/// `l op r` of two decimals, typed `e.ty` (its precision and scale by
/// Spark's rules); `div` gives a BIGINT.
pub fn arith(e: &TExpr, op: BinaryOp, l: &ArrayRef, r: &ArrayRef) -> Result<ArrayRef> {
    if *l.data_type() == A::Null || *r.data_type() == A::Null {
        return Ok(arrow::array::new_null_array(&e.ty.to_arrow(), l.len()));
    }
    let ((a, sa), (b, sb)) = (dec(l)?, dec(r)?);
    if op == BinaryOp::IntDiv {
        // Spark's `div` of decimals: the truncated quotient's `longValue`
        // (Java's, which keeps the low 64 bits of a larger quotient).
        let out: Int64Array = a
            .iter()
            .zip(b.iter())
            .map(|(x, y)| match (x, y) {
                (Some(x), Some(y)) => decimal::int_div(x, sa, y, sb)
                    .map_err(|_| divide_by_zero(e, false))
                    .map(Some),
                _ => Ok(None),
            })
            .collect::<Result<_>>()?;
        return Ok(Arc::new(out));
    }
    let rps = ps_of(e)?;
    let one = |x: i128, y: i128| -> Result<i128> {
        if y == 0 && matches!(op, BinaryOp::Div | BinaryOp::Mod) {
            return Err(divide_by_zero(e, op == BinaryOp::Mod));
        }
        one(op, x, sa, y, sb, rps)
    };
    let out = a
        .iter()
        .zip(b.iter())
        .map(|(x, y)| match (x, y) {
            (Some(x), Some(y)) => one(x, y).map(Some),
            _ => Ok(None),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(decimal::array(out, &e.ty))
}

/// `x op y` of unscaled decimals (scales `sa`, `sb`) at the result type
/// `rps`; overflow Spark's error, a zero divisor 0 (the caller raises it
/// first). Shared with compiled code.
pub fn one(op: BinaryOp, x: i128, sa: u8, y: i128, sb: u8, rps: Ps) -> Result<i128> {
    let v = match op {
        BinaryOp::Add => decimal::add(x, sa, y, sb, rps, false),
        BinaryOp::Sub => decimal::add(x, sa, y, sb, rps, true),
        BinaryOp::Mul => decimal::mul(x, sa, y, sb, rps),
        BinaryOp::Div => decimal::div(x, sa, y, sb, rps).unwrap_or(Some(0)),
        BinaryOp::Mod => decimal::rem(x, sa, y, sb, rps, false).unwrap_or(Some(0)),
        other => return Err(internal(format!("decimal operator {}", other.symbol()))),
    };
    v.ok_or_else(|| decimal::out_of_range(&exact_text(op, x, sa, y, sb), rps))
}

/// The exact result of `x op y` as text, for an overflow message (it
/// may pass 38 digits: `+ - *` of two decimals fit an `i256`).
fn exact_text(op: BinaryOp, x: i128, sa: u8, y: i128, sb: u8) -> String {
    use arrow::datatypes::i256;
    let (a, b) = (i256::from_i128(x), i256::from_i128(y));
    let s = sa.max(sb);
    let up = |v: i256, from: u8| v.wrapping_mul(i256::from_i128(decimal::pow10((s - from) as u32)));
    match op {
        BinaryOp::Add => decimal::format_wide(up(a, sa).wrapping_add(up(b, sb)), s),
        BinaryOp::Sub => decimal::format_wide(up(a, sa).wrapping_sub(up(b, sb)), s),
        BinaryOp::Mul => decimal::format_wide(a.wrapping_mul(b), sa + sb),
        _ => format!(
            "{} {} {}",
            decimal::format(x, sa),
            op.symbol(),
            decimal::format(y, sb)
        ),
    }
}

/// Whether row `i` of a decimal divisor is zero.
pub fn is_zero(a: &ArrayRef, i: usize) -> Result<bool> {
    Ok(dec(a)?.0.value(i) == 0)
}

/// `-a` or `abs(a)`: the type is kept, so it never overflows.
pub fn unary(e: &TExpr, a: &ArrayRef, abs: bool) -> Result<ArrayRef> {
    let (d, _) = dec(a)?;
    let f = |v: i128| if abs { v.abs() } else { -v };
    Ok(decimal::array(d.iter().map(|v| v.map(f)), &e.ty))
}

/// `round(a, d)` (HALF_UP), `floor(a)` or `ceil(a)` of a decimal: to the
/// scale of `e`'s type, which has room for the carry.
pub fn round(e: &TExpr, floor: bool, ceil: bool, a: &ArrayRef) -> Result<ArrayRef> {
    let (d, s) = dec(a)?;
    let (_, to) = ps_of(e)?;
    let unit = decimal::pow10(s.saturating_sub(to) as u32);
    let f = |v: i128| -> i128 {
        if floor || ceil {
            let q = v.div_euclid(unit);
            let exact = v.rem_euclid(unit) == 0;
            if ceil && !exact {
                q + 1
            } else {
                q
            }
        } else {
            decimal::rescale(v, s, to).unwrap_or(0)
        }
    };
    Ok(decimal::array(d.iter().map(|v| v.map(f)), &e.ty))
}

/// `CAST(a AS DECIMAL(p, s))` from `from`; the error classes are Spark's:
/// `NUMERIC_VALUE_OUT_OF_RANGE` for a value with too many digits, and
/// `CAST_INVALID_INPUT` (raised by `invalid`) for malformed text.
pub fn cast_to(
    e: &TExpr,
    from: &DataType,
    a: &ArrayRef,
    invalid: impl Fn(&str) -> Error,
) -> Result<ArrayRef> {
    let ps = ps_of(e)?;
    let (p, s) = ps;
    let too_big = |text: String| decimal::out_of_range(&text, ps);
    let a_ref = a.as_ref();
    let out: Vec<Option<i128>> = match from {
        DataType::Boolean => bools(a_ref)?
            .iter()
            .map(|v| v.map(|b| b as i128 * decimal::pow10(s as u32)))
            .map(|v| match v {
                Some(x) if !decimal::fits(x, p) => Err(too_big(format!("{}", x.signum()))),
                v => Ok(v),
            })
            .collect::<Result<_>>()?,
        DataType::Int32 | DataType::Int64 => {
            let ints: Vec<Option<i64>> = if *from == DataType::Int32 {
                prim::<Int32Type>(a_ref)?
                    .iter()
                    .map(|v| v.map(i64::from))
                    .collect()
            } else {
                prim::<Int64Type>(a_ref)?.iter().collect()
            };
            ints.into_iter()
                .map(|v| {
                    v.map(|x| {
                        decimal::rescale(x as i128, 0, s)
                            .filter(|&d| decimal::fits(d, p))
                            .ok_or_else(|| too_big(x.to_string()))
                    })
                    .transpose()
                })
                .collect::<Result<_>>()?
        }
        DataType::Float64 => prim::<Float64Type>(a_ref)?
            .iter()
            .map(|v| match v {
                // NaN and the infinities become NULL, as in Spark.
                Some(x) if !x.is_finite() => Ok(None),
                Some(x) => decimal::from_f64(x, ps)
                    .map(Some)
                    .ok_or_else(|| too_big(crate::scalar_fns::format_f64(x))),
                None => Ok(None),
            })
            .collect::<Result<_>>()?,
        DataType::Utf8 => strings(a_ref)?
            .iter()
            .map(|v| {
                v.map(|t| {
                    let (d, scale) = decimal::parse(t).ok_or_else(|| invalid(t))?;
                    decimal::fit(d, scale, ps).ok_or_else(|| too_big(t.trim().to_string()))
                })
                .transpose()
            })
            .collect::<Result<_>>()?,
        DataType::Decimal(_, fs) => {
            let (d, _) = dec(a)?;
            d.iter()
                .map(|v| {
                    v.map(|x| {
                        decimal::rescale(x, *fs, s)
                            .filter(|&r| decimal::fits(r, p))
                            .ok_or_else(|| too_big(decimal::format(x, *fs)))
                    })
                    .transpose()
                })
                .collect::<Result<_>>()?
        }
        t => {
            return Err(Error::TypeMismatch {
                expr: e.to_string(),
                reason: format!("cannot cast {} to {}", t.spark_name(), e.ty.spark_name()),
            })
        }
    };
    Ok(decimal::array(out, &e.ty))
}

/// `CAST(a AS to)` of a decimal `a`: its text, its nearest double, its
/// integral part (truncated; `overflow` raises Spark's `CAST_OVERFLOW`),
/// or whether it is non-zero.
pub fn cast_from(e: &TExpr, a: &ArrayRef, overflow: impl Fn(String) -> Error) -> Result<ArrayRef> {
    let (d, s) = dec(a)?;
    let int_part = |x: i128| x / decimal::pow10(s as u32);
    let shown = |x: i128| decimal::format(x, s);
    Ok(match &e.ty {
        DataType::Utf8 => Arc::new(
            d.iter()
                .map(|v| v.map(|x| decimal::format(x, s)))
                .collect::<StringArray>(),
        ),
        DataType::Float64 => Arc::new(
            d.iter()
                .map(|v| v.map(|x| decimal::to_f64(x, s)))
                .collect::<Float64Array>(),
        ),
        DataType::Int64 => Arc::new(
            d.iter()
                .map(|v| {
                    v.map(|x| i64::try_from(int_part(x)).map_err(|_| overflow(shown(x))))
                        .transpose()
                })
                .collect::<Result<Int64Array>>()?,
        ),
        DataType::Int32 => Arc::new(
            d.iter()
                .map(|v| {
                    v.map(|x| i32::try_from(int_part(x)).map_err(|_| overflow(shown(x))))
                        .transpose()
                })
                .collect::<Result<Int32Array>>()?,
        ),
        DataType::Boolean => Arc::new(
            d.iter()
                .map(|v| v.map(|x| x != 0))
                .collect::<BooleanArray>(),
        ),
        t => {
            return Err(Error::TypeMismatch {
                expr: e.to_string(),
                reason: format!("cannot cast {} to {}", e.ty.spark_name(), t.spark_name()),
            })
        }
    })
}
