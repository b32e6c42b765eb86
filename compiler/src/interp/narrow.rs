//! TINYINT and SMALLINT in the interpreted twin: arithmetic at the narrow
//! width with Spark's ANSI overflow errors, and rounding of any integer to
//! a negative scale (`round(127Y, -1)` overflows, as in Spark).
//!
//! Operands are widened to an INT (exact for both widths), combined, and
//! checked against the narrow range; a value past it is Spark's
//! `BINARY_ARITHMETIC_OVERFLOW`, naming the operands as Spark does (as
//! SMALLINT literals, `100S + 100S`, for both widths).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int16Array, Int32Array, Int64Array, Int8Array};
use arrow::datatypes::{DataType as A, Int64Type};

use super::columns::{internal, prim};
use crate::error::{Error, Result};
use crate::ir::{BinaryOp, TExpr};
use crate::types::DataType;

/// The range of a narrow integer type.
fn range(ty: &DataType) -> Result<(i64, i64)> {
    Ok(match ty {
        DataType::Int8 => (i8::MIN.into(), i8::MAX.into()),
        DataType::Int16 => (i16::MIN.into(), i16::MAX.into()),
        DataType::Int32 => (i32::MIN.into(), i32::MAX.into()),
        DataType::Int64 => (i64::MIN, i64::MAX),
        t => return Err(internal(format!("{t} is not an integer type"))),
    })
}

/// An integer array of any width as BIGINTs (exact).
fn widen(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(arrow::compute::cast(a, &A::Int64)?)
}

/// BIGINT values known to fit `ty`, as an array of `ty`.
fn narrow(ty: &DataType, vals: Vec<Option<i64>>) -> Result<ArrayRef> {
    Ok(match ty {
        DataType::Int8 => Arc::new(Int8Array::from_iter(
            vals.iter().map(|v| v.map(|x| x as i8)),
        )),
        DataType::Int16 => Arc::new(Int16Array::from_iter(
            vals.iter().map(|v| v.map(|x| x as i16)),
        )),
        DataType::Int32 => Arc::new(Int32Array::from_iter(
            vals.iter().map(|v| v.map(|x| x as i32)),
        )),
        DataType::Int64 => Arc::new(Int64Array::from(vals)),
        t => return Err(internal(format!("{t} is not an integer type"))),
    })
}

/// `l op r` for TINYINT or SMALLINT operands of `e`'s type (`+ - * %`, and
/// `pmod`'s parts); `%` by zero was checked by the caller.
pub fn arith(e: &TExpr, op: BinaryOp, l: &ArrayRef, r: &ArrayRef) -> Result<ArrayRef> {
    let (lo, hi) = range(&e.ty)?;
    let (lw, rw) = (widen(l)?, widen(r)?);
    let (a, b) = (
        prim::<Int64Type>(lw.as_ref())?,
        prim::<Int64Type>(rw.as_ref())?,
    );
    let mut out = Vec::with_capacity(a.len());
    for i in 0..a.len() {
        if a.is_null(i) || b.is_null(i) {
            out.push(None);
            continue;
        }
        let (x, y) = (a.value(i), b.value(i));
        let v = match op {
            BinaryOp::Add => x + y,
            BinaryOp::Sub => x - y,
            BinaryOp::Mul => x * y,
            // Java's `%` on the widened values never leaves the range.
            BinaryOp::Mod if y != 0 => x % y,
            BinaryOp::Mod => {
                return Err(Error::DivideByZero {
                    expr: e.to_string(),
                    remainder: true,
                })
            }
            _ => return Err(internal(format!("{} operator {}", e.ty, op.symbol()))),
        };
        if !(lo..=hi).contains(&v) {
            return Err(binary_overflow(op, x, y));
        }
        out.push(Some(v));
    }
    narrow(&e.ty, out)
}

/// Spark's error for a narrow `x op y` past its type's range.
pub(crate) fn binary_overflow(op: BinaryOp, x: i64, y: i64) -> Error {
    let hint = match op {
        BinaryOp::Add => "try_add",
        BinaryOp::Sub => "try_subtract",
        _ => "try_multiply",
    };
    Error::execution(
        "BINARY_ARITHMETIC_OVERFLOW",
        format!(
            "{x}S {} {y}S caused overflow. Use `{hint}` to ignore overflow problem and return NULL.",
            op.symbol()
        ),
    )
}

/// Spark's error for `-x` or `abs(x)` past a narrow type's range.
pub fn unary_overflow() -> Error {
    Error::execution(
        "ARITHMETIC_OVERFLOW",
        "overflow. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
    )
}

/// Unary minus (`abs` when `abs`) on a TINYINT or SMALLINT column.
pub fn unary(e: &TExpr, a: &ArrayRef, abs: bool) -> Result<ArrayRef> {
    let (lo, hi) = range(&e.ty)?;
    let w = widen(a)?;
    let out = prim::<Int64Type>(w.as_ref())?
        .iter()
        .map(|v| match v {
            Some(x) => {
                let r = if abs { x.abs() } else { -x };
                if (lo..=hi).contains(&r) {
                    Ok(Some(r))
                } else {
                    Err(unary_overflow())
                }
            }
            None => Ok(None),
        })
        .collect::<Result<Vec<_>>>()?;
    narrow(&e.ty, out)
}

/// `round(x, d)` (HALF_UP, or HALF_EVEN for `bround`) of an integer column
/// to a negative scale `d`, keeping its type; a result past the type's
/// range is Spark's `ARITHMETIC_OVERFLOW` (`toByteExact`, `toIntExact`, …).
pub fn round(ty: &DataType, a: &ArrayRef, d: i32, half_even: bool) -> Result<ArrayRef> {
    let (lo, hi) = range(ty)?;
    let w = widen(a)?;
    let out = prim::<Int64Type>(w.as_ref())?
        .iter()
        .map(|v| match v {
            Some(x) => {
                let r = round_i128(x as i128, d, half_even);
                if (lo as i128..=hi as i128).contains(&r) {
                    Ok(Some(r as i64))
                } else {
                    Err(Error::execution(
                        "ARITHMETIC_OVERFLOW",
                        "Overflow. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                    ))
                }
            }
            None => Ok(None),
        })
        .collect::<Result<Vec<_>>>()?;
    narrow(ty, out)
}

/// `v` rounded to `d` (< 0) decimal places, exactly.
fn round_i128(v: i128, d: i32, half_even: bool) -> i128 {
    if d >= 0 {
        return v;
    }
    if d < -38 {
        return 0;
    }
    let p = 10i128.pow(d.unsigned_abs());
    let (q, r) = (v / p, v % p);
    let twice = 2 * r.abs();
    let up = twice > p || (twice == p && (!half_even || q % 2 != 0));
    (if up { q + v.signum() } else { q }) * p
}

/// `CAST` from or to TINYINT or SMALLINT. From one: the exact INT it is,
/// cast on as an INT is (a narrow integer fits every target an INT fits,
/// but a narrower integer). To one: the value as a BIGINT (Spark's rules
/// for a fractional or malformed value), then checked against the range;
/// past it, Spark's error naming the value as it was (a string that does
/// not fit is malformed, as Spark reads it).
pub fn cast(e: &TExpr, from: &DataType, a: &ArrayRef) -> Result<ArrayRef> {
    let to = &e.ty;
    let named = |err: Error| rename_target(err, from, to);
    if from.is_narrow_integer() && !to.is_narrow_integer() {
        let wide = arrow::compute::cast(a, &A::Int32)?;
        return super::cast::cast(e, &DataType::Int32, &wide).map_err(|err| match err {
            Error::CastOverflow {
                expr, value, to, ..
            } => Error::CastOverflow {
                expr,
                value: format!("{value}{}", if *from == DataType::Int8 { "Y" } else { "S" }),
                from: from.spark_name().to_uppercase(),
                to,
            },
            other => other,
        });
    }
    let (lo, hi) = range(to)?;
    let as_long = TExpr::new(e.kind.clone(), DataType::Int64, e.nullable);
    let wide = if from.is_integer() {
        widen(a)?
    } else {
        super::cast::cast(&as_long, from, a).map_err(named)?
    };
    let w = prim::<Int64Type>(wide.as_ref())?;
    let mut out = Vec::with_capacity(w.len());
    for i in 0..w.len() {
        if w.is_null(i) {
            out.push(None);
            continue;
        }
        let v = w.value(i);
        if !(lo..=hi).contains(&v) {
            let text = TExpr::new(e.kind.clone(), DataType::Utf8, e.nullable);
            let s = super::cast::cast(&text, from, &a.slice(i, 1))?;
            let s = super::columns::strings(s.as_ref())?.value(0).to_string();
            let value = super::cast::shown(&s, from);
            let (expr, from, to) = (
                e.to_string(),
                from.spark_name().to_uppercase(),
                to.spark_name().to_uppercase(),
            );
            return Err(if from == "STRING" {
                Error::InvalidCast {
                    expr,
                    value,
                    from,
                    to,
                }
            } else {
                Error::CastOverflow {
                    expr,
                    value,
                    from,
                    to,
                }
            });
        }
        out.push(Some(v));
    }
    narrow(to, out)
}

/// An error of a cast to BIGINT on the way to `to`, naming `to`.
fn rename_target(err: Error, from: &DataType, to: &DataType) -> Error {
    let (f, t) = (
        from.spark_name().to_uppercase(),
        to.spark_name().to_uppercase(),
    );
    match err {
        Error::CastOverflow { expr, value, .. } => Error::CastOverflow {
            expr,
            value,
            from: f,
            to: t,
        },
        Error::InvalidCast { expr, value, .. } => Error::InvalidCast {
            expr,
            value,
            from: f,
            to: t,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_exactly_both_ways() {
        assert_eq!(round_i128(125, -1, false), 130);
        assert_eq!(round_i128(125, -1, true), 120);
        assert_eq!(round_i128(-125, -1, false), -130);
        assert_eq!(round_i128(-135, -1, true), -140);
        assert_eq!(round_i128(1234, -2, false), 1200);
        assert_eq!(round_i128(7, -40, false), 0);
    }

    #[test]
    fn tinyint_overflow_names_operands_as_spark() {
        let t = TExpr::literal(crate::types::Scalar::Int8(1));
        let a: ArrayRef = Arc::new(Int8Array::from(vec![Some(100), None]));
        let err = arith(&t, BinaryOp::Add, &a, &a).unwrap_err();
        assert_eq!(err.class(), "BINARY_ARITHMETIC_OVERFLOW");
        assert!(err.to_string().contains("100S + 100S"), "{err}");
        let ok = arith(&t, BinaryOp::Sub, &a, &a).unwrap();
        assert_eq!(ok.data_type(), &A::Int8);
        assert_eq!(ok.null_count(), 1);
    }
}
