//! `TIMESTAMP_NTZ` beside `TIMESTAMP`: the casts between the two (on the
//! session's wall clock, as Spark's `Cast` with its `timeZoneId`), the
//! zone-free casts to and from strings and dates the twin runs, the
//! arithmetic with intervals (`TimestampNTZ ± interval`, `ntz − ntz`, all
//! on the wall clock itself). `to_timestamp_ntz` and `localtimestamp` are
//! casts in disguise ([`super::rewrite`]).
//! All run in the interpreted twin.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{Date32Type, TimestampMicrosecondType};

use super::args::*;
use super::{FunctionRef, Resolved};
use crate::ansi_interval::{micros, months};
use crate::error::{Error, Result};
use crate::ir::TExpr;
use crate::scalar_fns::{format_timestamp, parse_timestamp_ntz, MICROS_PER_DAY};
use crate::scalar_function;
use crate::types::DataType;

/// An array of `TIMESTAMP_NTZ` values.
pub fn ntz_array(v: impl IntoIterator<Item = Option<i64>>) -> ArrayRef {
    Arc::new(v.into_iter().collect::<TimestampMicrosecondArray>())
}

fn resolved(f: FunctionRef, args: Vec<TExpr>, ty: DataType) -> TExpr {
    let nullable = args.iter().any(|a| a.nullable);
    Resolved {
        func: f,
        args,
        ty,
        nullable,
    }
    .into_expr()
}

/// `CAST(e AS to)` between `TIMESTAMP` and `TIMESTAMP_NTZ`, which needs
/// the session zone; `None` for other casts.
pub fn zone_cast(e: &TExpr, to: &DataType) -> Option<TExpr> {
    let f = match (&e.ty, to) {
        (DataType::TimestampNtz, DataType::Timestamp) => FunctionRef::new(NtzToTimestamp),
        (DataType::Timestamp, DataType::TimestampNtz) => FunctionRef::new(TimestampToNtz),
        _ => return None,
    };
    Some(resolved(f, vec![e.clone()], to.clone()))
}

scalar_function!(
    /// `CAST(ntz AS TIMESTAMP)`: the wall-clock time read in the session zone.
    NtzToTimestamp, "ntz_to_timestamp", [], "CAST(timestamp_ntz AS TIMESTAMP)", session_zone,
    resolve(_this, _args, call) {
        Err(Error::internal(format!("ntz_to_timestamp resolved by name at {call}")))
    }
    invoke(a, rows) {
        let t = a[0].as_primitive::<TimestampMicrosecondType>();
        let tz = crate::time_zone::session();
        collect_timestamps(rows, |i| Ok((!t.is_null(i)).then(|| tz.from_local(t.value(i)))))
    }
);

scalar_function!(
    /// `CAST(ts AS TIMESTAMP_NTZ)`: the instant's wall clock in the session zone.
    TimestampToNtz, "timestamp_to_ntz", [], "CAST(timestamp AS TIMESTAMP_NTZ)", session_zone,
    resolve(_this, _args, call) {
        Err(Error::internal(format!("timestamp_to_ntz resolved by name at {call}")))
    }
    invoke(a, _rows) {
        let t = timestamps(&a[0])?;
        let tz = crate::time_zone::session();
        Ok(ntz_array(t.iter().map(|v| v.map(|us| tz.to_local(us)))))
    }
);

/// The zone-free casts of `TIMESTAMP_NTZ` the twin runs: to and from
/// strings and dates; `None` for other casts.
pub fn cast(
    from: &DataType,
    to: &DataType,
    a: &ArrayRef,
    invalid: impl Fn(&str) -> Error,
) -> Option<Result<ArrayRef>> {
    Some(match (from, to) {
        (DataType::TimestampNtz, DataType::Utf8) => {
            let t = a.as_primitive::<TimestampMicrosecondType>();
            Ok(Arc::new(
                t.iter()
                    .map(|v| v.map(format_timestamp))
                    .collect::<StringArray>(),
            ) as ArrayRef)
        }
        (DataType::Utf8, DataType::TimestampNtz) => (|| {
            let s = strs(a)?;
            let v = s
                .iter()
                .map(|v| {
                    v.map(|s| parse_timestamp_ntz(s).ok_or_else(|| invalid(s)))
                        .transpose()
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(ntz_array(v))
        })(),
        (DataType::TimestampNtz, DataType::Date) => {
            let t = a.as_primitive::<TimestampMicrosecondType>();
            Ok(Arc::new(
                t.iter()
                    .map(|v| v.map(|us| us.div_euclid(MICROS_PER_DAY) as i32))
                    .collect::<arrow::array::Date32Array>(),
            ) as ArrayRef)
        }
        (DataType::Date, DataType::TimestampNtz) => {
            let d = a.as_primitive::<Date32Type>();
            Ok(ntz_array(
                d.iter().map(|v| v.map(|d| d as i64 * MICROS_PER_DAY)),
            ))
        }
        _ => return None,
    })
}

pub(crate) fn overflow() -> Error {
    Error::execution(
        "DATETIME_OVERFLOW",
        "Datetime operation overflow: the result is out of the supported range.",
    )
}

scalar_function!(
    /// `timestamp_ntz + day-time interval`: microseconds on the wall clock.
    NtzAddMicros, "timestamp_ntz_add_interval", [], "timestamp_ntz + interval day to second",
    resolve(_this, _args, call) {
        Err(Error::internal(format!("timestamp_ntz_add_interval resolved by name at {call}")))
    }
    invoke(a, _rows) {
        let t = a[0].as_primitive::<TimestampMicrosecondType>();
        let us = micros(a[1].as_ref())?;
        let v = t
            .iter()
            .zip(us.iter())
            .map(|(t, d)| match (t, d) {
                (Some(t), Some(d)) => t.checked_add(d).map(Some).ok_or_else(overflow),
                _ => Ok(None),
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ntz_array(v))
    }
);

/// `t + months` on the wall clock; `None` past the range (shared with
/// compiled code).
pub fn add_months(t: i64, months: i64) -> Option<i64> {
    let (day, time) = (t.div_euclid(MICROS_PER_DAY), t.rem_euclid(MICROS_PER_DAY));
    let day = super::interval::add_months(day, months);
    day.checked_mul(MICROS_PER_DAY)
        .and_then(|x| x.checked_add(time))
}

scalar_function!(
    /// `timestamp_ntz + year-month interval`: months on the wall clock.
    NtzAddMonths, "timestamp_ntz_add_months", [], "timestamp_ntz + interval year to month",
    resolve(_this, _args, call) {
        Err(Error::internal(format!("timestamp_ntz_add_months resolved by name at {call}")))
    }
    invoke(a, _rows) {
        let t = a[0].as_primitive::<TimestampMicrosecondType>();
        let m = months(a[1].as_ref())?;
        let v = t.iter().zip(m.iter()).map(|(t, m)| add_months(t?, m? as i64));
        Ok(ntz_array(v.collect::<Vec<_>>()))
    }
);

scalar_function!(
    /// `timestamp_ntz − timestamp_ntz`: `INTERVAL DAY TO SECOND`.
    SubtractNtz, "subtract_timestamp_ntz", [], "timestamp_ntz - timestamp_ntz",
    resolve(_this, _args, call) {
        Err(Error::internal(format!("subtract_timestamp_ntz resolved by name at {call}")))
    }
    invoke(a, _rows) {
        let x = a[0].as_primitive::<TimestampMicrosecondType>();
        let y = a[1].as_primitive::<TimestampMicrosecondType>();
        let v = x
            .iter()
            .zip(y.iter())
            .map(|(x, y)| match (x, y) {
                (Some(x), Some(y)) => x.checked_sub(y).map(Some).ok_or_else(overflow),
                _ => Ok(None),
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Arc::new(arrow::array::DurationMicrosecondArray::from(v)))
    }
);

/// `l op r` with a `TIMESTAMP_NTZ` operand and an interval (or two NTZ
/// values subtracted), typed as Spark types it; `None` otherwise.
pub fn arith(op: crate::ir::BinaryOp, l: TExpr, r: TExpr) -> Option<Result<TExpr>> {
    use crate::ir::BinaryOp::{Add, Sub};
    use DataType::{DayTimeInterval, TimestampNtz, YearMonthInterval};
    let minus = |r: TExpr| {
        if op == Sub {
            super::interval::negate(r)
        } else {
            r
        }
    };
    Some(Ok(match (op, &l.ty, &r.ty) {
        (Add, DayTimeInterval(..) | YearMonthInterval(..), TimestampNtz) => return arith(op, r, l),
        (Add | Sub, TimestampNtz, DayTimeInterval(..)) => resolved(
            FunctionRef::new(NtzAddMicros),
            vec![l, minus(r)],
            TimestampNtz,
        ),
        (Add | Sub, TimestampNtz, YearMonthInterval(..)) => resolved(
            FunctionRef::new(NtzAddMonths),
            vec![l, minus(r)],
            TimestampNtz,
        ),
        (Sub, TimestampNtz, TimestampNtz | DataType::Date)
        | (Sub, DataType::Date, TimestampNtz) => {
            let to = |x: TExpr| crate::resolve::cast(x, TimestampNtz);
            let (l, r) = match (to(l), to(r)) {
                (Ok(l), Ok(r)) => (l, r),
                (Err(err), _) | (_, Err(err)) => return Some(Err(err)),
            };
            resolved(
                FunctionRef::new(SubtractNtz),
                vec![l, r],
                DayTimeInterval(crate::ansi_interval::DAY, crate::ansi_interval::SECOND),
            )
        }
        _ => return None,
    }))
}
