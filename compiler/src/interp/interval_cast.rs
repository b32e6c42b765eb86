//! Casts to and from Spark's ANSI intervals: to a string as Spark prints
//! it, from a string in the form of the target's range (or Spark's own
//! `INTERVAL '…' …` text), between ranges of one kind (cut to whole units
//! of the target's end field), and to and from integral and decimal
//! numbers, counted in units of the interval's end field (Spark's
//! `IntervalUtils.dayTimeIntervalToLong`, `longToDayTimeInterval`, …).

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, Int32Array, Int64Array};
use arrow::datatypes::{Decimal128Type, Int32Type, Int64Type};

use super::columns::strings;
use crate::ansi_interval::{self as iv, micros, months};
use crate::error::{Error, Result};
use crate::functions::interval::div_half_up;
use crate::ir::TExpr;
use crate::types::DataType as T;

/// The unit of a value of `t` when counted as a number: months, or
/// microseconds of its end field.
fn unit(t: &T) -> i128 {
    match t {
        T::YearMonthInterval(_, e) => iv::ym_unit(*e) as i128,
        T::DayTimeInterval(_, e) => iv::dt_unit(*e) as i128,
        _ => 1,
    }
}

/// Each interval value of `a` (of type `t`) as i128 months or microseconds.
fn values(a: &dyn Array, t: &T) -> Result<Vec<Option<i128>>> {
    Ok(match t {
        T::YearMonthInterval(..) => months(a)?.iter().map(|v| v.map(i128::from)).collect(),
        _ => micros(a)?.iter().map(|v| v.map(i128::from)).collect(),
    })
}

/// An interval array of type `to` from i128 values, overflow an error.
fn build(to: &T, vals: Vec<Option<i128>>, overflow: impl Fn(i128) -> Error) -> Result<ArrayRef> {
    Ok(match to {
        T::YearMonthInterval(..) => Arc::new(
            vals.into_iter()
                .map(|v| {
                    v.map(|x| i32::try_from(x).map_err(|_| overflow(x)))
                        .transpose()
                })
                .collect::<Result<arrow::array::IntervalYearMonthArray>>()?,
        ),
        _ => Arc::new(
            vals.into_iter()
                .map(|v| {
                    v.map(|x| i64::try_from(x).map_err(|_| overflow(x)))
                        .transpose()
                })
                .collect::<Result<arrow::array::DurationMicrosecondArray>>()?,
        ),
    })
}

/// `CAST(a AS e.ty)` where either side is an interval.
pub fn cast(e: &TExpr, from: &T, a: &ArrayRef) -> Result<ArrayRef> {
    let to = &e.ty;
    let overflow = |v: i128| Error::CastOverflow {
        expr: e.to_string(),
        value: v.to_string(),
        from: from.spark_name().to_uppercase(),
        to: to.spark_name().to_uppercase(),
    };
    match (from, to) {
        (_, T::Utf8) => iv::to_strings(a.as_ref(), from),
        (T::Utf8, _) => {
            let out = strings(a.as_ref())?
                .iter()
                .map(|v| {
                    v.map(|s| {
                        iv::parse_cast(s, to).ok_or_else(|| Error::Execution {
                            class: "INVALID_INTERVAL_FORMAT.UNMATCHED_FORMAT_STRING",
                            message: format!(
                                "Error parsing '{s}' to interval. Interval string does not \
                                 match {} format.",
                                to.spark_name()
                            ),
                        })
                    })
                    .transpose()
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(iv::array_of(to, out.into_iter()))
        }
        (T::YearMonthInterval(..), T::YearMonthInterval(_, end)) => {
            let v = values(a.as_ref(), from)?
                .into_iter()
                .map(|v| v.map(|m| iv::truncate_ym(m as i32, *end) as i128))
                .collect();
            build(to, v, overflow)
        }
        (T::DayTimeInterval(..), T::DayTimeInterval(_, end)) => {
            let v = values(a.as_ref(), from)?
                .into_iter()
                .map(|v| v.map(|us| iv::truncate_dt(us as i64, *end) as i128))
                .collect();
            build(to, v, overflow)
        }
        // An interval as a count of its end field's units (toward zero).
        (_, T::Int32 | T::Int64) => {
            let u = unit(from);
            let counts = values(a.as_ref(), from)?
                .into_iter()
                .map(|v| v.map(|x| x / u));
            Ok(if *to == T::Int32 {
                Arc::new(
                    counts
                        .map(|v| {
                            v.map(|x| i32::try_from(x).map_err(|_| overflow(x)))
                                .transpose()
                        })
                        .collect::<Result<Int32Array>>()?,
                )
            } else {
                Arc::new(
                    counts
                        .map(|v| {
                            v.map(|x| i64::try_from(x).map_err(|_| overflow(x)))
                                .transpose()
                        })
                        .collect::<Result<Int64Array>>()?,
                )
            })
        }
        // Exactly, at the scale of microseconds (or months) per unit.
        (_, T::Decimal(p, s)) => {
            let u = unit(from);
            let scale = 10i128.pow(*s as u32);
            let v = values(a.as_ref(), from)?
                .into_iter()
                .map(|v| {
                    v.map(|x| {
                        let scaled = x
                            .checked_mul(scale)
                            .map(|y| div_half_up(y, u))
                            .filter(|y| crate::decimal::fits(*y, *p));
                        scaled.ok_or_else(|| overflow(x))
                    })
                    .transpose()
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(crate::decimal::array(v, to))
        }
        // A number of the end field's units.
        (T::Int32 | T::Int64 | T::Decimal(..), _) => {
            let u = unit(to);
            let vals: Vec<Option<(i128, u32)>> = match from {
                T::Int32 => a
                    .as_primitive::<Int32Type>()
                    .iter()
                    .map(|v| v.map(|x| (x as i128, 0)))
                    .collect(),
                T::Int64 => a
                    .as_primitive::<Int64Type>()
                    .iter()
                    .map(|v| v.map(|x| (x as i128, 0)))
                    .collect(),
                T::Decimal(_, s) => a
                    .as_primitive::<Decimal128Type>()
                    .iter()
                    .map(|v| v.map(|x| (x, *s as u32)))
                    .collect(),
                _ => unreachable!("matched above"),
            };
            let v = vals
                .into_iter()
                .map(|v| {
                    v.map(|(x, s)| {
                        x.checked_mul(u)
                            .map(|y| div_half_up(y, 10i128.pow(s)))
                            .ok_or_else(|| overflow(x))
                    })
                    .transpose()
                })
                .collect::<Result<Vec<_>>>()?;
            build(to, v, overflow)
        }
        _ => Err(Error::internal(format!("a cast from {from} to {to}"))),
    }
}
