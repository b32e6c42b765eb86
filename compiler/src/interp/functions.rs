//! Scalar function calls, LIKE and RLIKE, over arrays, through the shared
//! definitions in [`crate::scalar_fns`].

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, StringArray,
};
use arrow::datatypes::{Date32Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType};

use super::arith;
use super::columns::{internal, prim, strings, timestamps, Cols};
use super::expr::Evaluator;
use crate::error::{Error, Result};
use crate::ir::{ScalarFunc, TExpr, TExprKind};
use crate::scalar_fns::{self as sf, DatePart};
use crate::types::{DataType, Scalar};

/// A boolean per string: `f(s)` (negated if asked), null for null.
pub fn match_strings(a: &ArrayRef, negated: bool, f: impl Fn(&str) -> bool) -> Result<ArrayRef> {
    let out: BooleanArray = strings(a.as_ref())?
        .iter()
        .map(|v| v.map(|s| f(s) != negated))
        .collect();
    Ok(Arc::new(out))
}

fn map_strings(a: &ArrayRef, f: impl Fn(&str) -> String) -> Result<ArrayRef> {
    let out: StringArray = strings(a.as_ref())?.iter().map(|v| v.map(&f)).collect();
    Ok(Arc::new(out))
}

/// An integer argument of either width, widened.
fn ints(a: &ArrayRef) -> Result<Vec<Option<i64>>> {
    Ok(match a.data_type() {
        arrow::datatypes::DataType::Int32 => prim::<Int32Type>(a.as_ref())?
            .iter()
            .map(|v| v.map(i64::from))
            .collect(),
        arrow::datatypes::DataType::Int64 => prim::<Int64Type>(a.as_ref())?.iter().collect(),
        arrow::datatypes::DataType::Int8 | arrow::datatypes::DataType::Int16 => {
            let w = arrow::compute::cast(a, &arrow::datatypes::DataType::Int64)?;
            prim::<Int64Type>(w.as_ref())?.iter().collect()
        }
        arrow::datatypes::DataType::Null => vec![None; a.len()],
        t => return Err(internal(format!("integer argument of type {t}"))),
    })
}

fn part(func: ScalarFunc) -> Option<DatePart> {
    Some(match func {
        ScalarFunc::Year => DatePart::Year,
        ScalarFunc::Month => DatePart::Month,
        ScalarFunc::DayOfMonth => DatePart::Day,
        ScalarFunc::Hour => DatePart::Hour,
        ScalarFunc::Minute => DatePart::Minute,
        ScalarFunc::Second => DatePart::Second,
        _ => return None,
    })
}

/// Evaluates the arguments in order, each only where the ones before are
/// not null (Spark's null-intolerant functions skip the rest on a null).
fn eval_chain(ev: &Evaluator, args: &[TExpr], cols: &Cols) -> Result<Vec<ArrayRef>> {
    let mut out: Vec<ArrayRef> = Vec::with_capacity(args.len());
    let mut live = super::columns::all_true(cols.len);
    for a in args {
        let v = ev.eval_where(a, &live, cols)?;
        live = super::columns::mask_and(&live, &super::columns::valid_mask(v.as_ref()));
        out.push(v);
    }
    Ok(out)
}

fn arg(args: &[ArrayRef], i: usize, e: &TExpr) -> Result<ArrayRef> {
    args.get(i)
        .cloned()
        .ok_or_else(|| internal(format!("{e}: missing argument {i}")))
}

/// `func(args)` with `e`'s result type.
pub fn call(
    ev: &Evaluator,
    e: &TExpr,
    func: ScalarFunc,
    args: &[TExpr],
    cols: &Cols,
) -> Result<ArrayRef> {
    use ScalarFunc::*;
    if matches!(func, Struct) {
        return super::structs::call(ev, e, func, args, cols);
    }
    // date_trunc with an unknown unit literal is null without looking at
    // the timestamp, as Spark's generated code.
    if let (DateTrunc, Some(TExprKind::Literal(Scalar::Utf8(unit)))) =
        (func, args.first().map(|a| &a.kind))
    {
        if sf::date_trunc(unit, 0).is_none() {
            return Ok(arrow::array::new_null_array(&e.ty.to_arrow(), cols.len));
        }
    }
    // concat evaluates every argument; the others stop at the first null.
    let vals = if func == Concat {
        args.iter()
            .map(|a| ev.eval(a, cols))
            .collect::<Result<Vec<_>>>()?
    } else {
        eval_chain(ev, args, cols)?
    };
    if vals.is_empty() && func == Concat {
        let out: StringArray = std::iter::repeat_n(Some(""), cols.len).collect();
        return Ok(Arc::new(out));
    }
    let a0 = arg(&vals, 0, e)?;
    Ok(match func {
        Lower => map_strings(&a0, str::to_lowercase)?,
        Upper => map_strings(&a0, str::to_uppercase)?,
        Trim => map_strings(&a0, |s| s.trim_matches(' ').to_string())?,
        LTrim => map_strings(&a0, |s| s.trim_start_matches(' ').to_string())?,
        RTrim => map_strings(&a0, |s| s.trim_end_matches(' ').to_string())?,
        Length => {
            let out: Int32Array = strings(a0.as_ref())?
                .iter()
                .map(|v| v.map(sf::char_length))
                .collect();
            Arc::new(out)
        }
        Substring => {
            let pos = ints(&arg(&vals, 1, e)?)?;
            let len = match vals.get(2) {
                Some(l) => Some(ints(l)?),
                None => None,
            };
            let s = strings(a0.as_ref())?;
            let out: StringArray = (0..s.len())
                .map(|i| {
                    let str_ = s.is_valid(i).then(|| s.value(i))?;
                    let p = pos[i]?;
                    let l = match &len {
                        Some(l) => Some(l[i]?),
                        None => None,
                    };
                    Some(sf::substring(str_, p, l))
                })
                .collect();
            Arc::new(out)
        }
        Concat => {
            let ss = vals
                .iter()
                .map(|v| strings(v.as_ref()))
                .collect::<Result<Vec<_>>>()?;
            let out: StringArray = (0..cols.len)
                .map(|i| {
                    let mut acc = String::new();
                    for s in &ss {
                        acc.push_str(s.is_valid(i).then(|| s.value(i))?);
                    }
                    Some(acc)
                })
                .collect();
            Arc::new(out)
        }
        Abs => arith::abs(e, &a0)?,
        TimestampAdd => {
            let t = prim::<TimestampMicrosecondType>(a0.as_ref())?;
            let us = ints(&vals[1])?;
            let out = t
                .iter()
                .zip(us)
                .map(|(t, us)| match (t, us) {
                    (Some(t), Some(us)) => {
                        t.checked_add(us).map(Some).ok_or_else(|| Error::Overflow {
                            expr: e.to_string(),
                            detail: "timestamp overflow".into(),
                        })
                    }
                    _ => Ok(None),
                })
                .collect::<Result<arrow::array::TimestampMicrosecondArray>>()?;
            Arc::new(out.with_timezone("UTC"))
        }
        Round | Floor | Ceil if e.ty.is_decimal() => {
            super::decimal::round(e, func == Floor, func == Ceil, &a0)?
        }
        Round if e.ty.is_narrow_integer() => {
            let d = match vals.get(1) {
                Some(s) => ints(s)?.into_iter().flatten().next().unwrap_or(0),
                None => 0,
            };
            super::narrow::round(&e.ty, &a0, d.clamp(-1000, 1000) as i32, false)?
        }
        Round => {
            let scale = match vals.get(1) {
                Some(s) => ints(s)?,
                None => vec![Some(0); cols.len],
            };
            let x = prim::<Float64Type>(a0.as_ref())?;
            let out: Float64Array = x
                .iter()
                .zip(scale)
                .map(|(v, s)| {
                    Some(sf::round_half_up(
                        v?,
                        s?.clamp(i32::MIN as i64, i32::MAX as i64) as i32,
                    ))
                })
                .collect();
            Arc::new(out)
        }
        Floor | Ceil => {
            let x = prim::<Float64Type>(a0.as_ref())?;
            let f = if func == Floor { f64::floor } else { f64::ceil };
            let out: Int64Array = x.iter().map(|v| v.map(|v| f(v) as i64)).collect();
            Arc::new(out)
        }
        Sqrt => {
            let out: Float64Array = prim::<Float64Type>(a0.as_ref())?
                .iter()
                .map(|v| v.map(f64::sqrt))
                .collect();
            Arc::new(out)
        }
        ToTimestamp => {
            let s = strings(a0.as_ref())?;
            let out = s
                .iter()
                .map(|v| {
                    v.map(|s| {
                        sf::parse_timestamp(s).ok_or_else(|| Error::InvalidCast {
                            expr: e.to_string(),
                            value: format!("'{s}'"),
                            from: "STRING".into(),
                            to: "TIMESTAMP".into(),
                        })
                    })
                    .transpose()
                })
                .collect::<Result<arrow::array::TimestampMicrosecondArray>>()?;
            timestamps(out)
        }
        DateTrunc => {
            let units = strings(a0.as_ref())?;
            let ts_arr = arg(&vals, 1, e)?;
            let ts = prim::<TimestampMicrosecondType>(ts_arr.as_ref())?;
            let out = (0..cols.len)
                .map(|i| {
                    let u = units.is_valid(i).then(|| units.value(i))?;
                    sf::date_trunc(u, ts.is_valid(i).then(|| ts.value(i))?)
                })
                .collect();
            timestamps(out)
        }
        Year | Month | DayOfMonth | Hour | Minute | Second => {
            let p = part(func).ok_or_else(|| internal("date part"))?;
            let out: Int32Array = match args.first().map(|a| &a.ty) {
                Some(DataType::Date) => prim::<Date32Type>(a0.as_ref())?
                    .iter()
                    .map(|v| v.map(|d| sf::date_part(d, p)))
                    .collect(),
                _ => prim::<TimestampMicrosecondType>(a0.as_ref())?
                    .iter()
                    .map(|v| v.map(|t| sf::timestamp_part(t, p)))
                    .collect(),
            };
            Arc::new(out)
        }
        Struct => return Err(internal("struct functions are handled above")),
    })
}
