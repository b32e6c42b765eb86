//! Arithmetic on Spark's ANSI intervals (the resolver makes `+ - * /`
//! and unary minus over intervals, dates and timestamps calls of these,
//! as Spark's `ResolveBinaryArithmetic` picks its expressions):
//! interval ± interval (one kind, the wider range), − interval,
//! interval × or ÷ a number (`MultiplyYMInterval`, `DivideDTInterval`, …:
//! exact for integers, HALF_UP otherwise), date ± year-month (a date),
//! date ± whole days (a date), date or timestamp ± day-time (a timestamp),
//! timestamp ± year-month (on the session's wall clock), timestamp −
//! timestamp and date − date; and `make_dt_interval`, `make_ym_interval`.
//! Overflow raises `INTERVAL_ARITHMETIC_OVERFLOW`, division by zero
//! `INTERVAL_DIVIDED_BY_ZERO`. All run in the interpreted twin.

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType as ArrowType, Decimal128Type, Float64Type, Int64Type};

use super::args::*;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::ansi_interval::{self as iv, micros, months, DAY, MONTH, SECOND, YEAR};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::{BinaryOp, TExpr};
use crate::resolve::cast;
use crate::scalar_fns::calendar::{
    civil_from_days, days_from_civil, days_in_month, MICROS_PER_DAY,
};
use crate::scalar_function;
use crate::types::DataType::{self, Date, DayTimeInterval, Decimal, Timestamp, YearMonthInterval};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(MakeDtInterval),
        FunctionRef::new(MakeYmInterval),
    ]);
}

pub(crate) fn overflow(suggest: Option<&str>) -> Error {
    match suggest {
        Some(f) => Error::execution(
            "INTERVAL_ARITHMETIC_OVERFLOW.WITH_SUGGESTION",
            format!(
                "Integer overflow while operating with intervals. Use `{f}` to tolerate overflow \
                 and return NULL instead."
            ),
        ),
        None => Error::execution(
            "INTERVAL_ARITHMETIC_OVERFLOW.WITHOUT_SUGGESTION",
            "Integer overflow while operating with intervals. Try devising appropriate values \
             for the interval parameters.",
        ),
    }
}

pub(crate) fn divided_by_zero() -> Error {
    Error::execution(
        "INTERVAL_DIVIDED_BY_ZERO",
        "Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead.",
    )
}

fn mismatch(e: &Expr, l: &DataType, r: &DataType) -> Error {
    Error::analysis(
        "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES",
        format!(
            "Cannot resolve \"{e}\" due to data type mismatch: the left and right operands of \
             the binary operator have incompatible types (\"{}\" and \"{}\").",
            l.spark_name().to_uppercase(),
            r.spark_name().to_uppercase()
        ),
    )
}

/// Whether `l op r` is interval or datetime arithmetic this module types.
pub fn involved(op: BinaryOp, l: &DataType, r: &DataType) -> bool {
    let datetime = |t: &DataType| matches!(t, Date | Timestamp | DataType::TimestampNtz);
    l.is_interval() || r.is_interval() || (op == BinaryOp::Sub && datetime(l) && datetime(r))
}

/// The wider of two ranges of one kind.
fn wider(l: &DataType, r: &DataType) -> Option<DataType> {
    Some(match (l, r) {
        (YearMonthInterval(a, b), YearMonthInterval(c, d)) => {
            YearMonthInterval(*a.min(c), *b.max(d))
        }
        (DayTimeInterval(a, b), DayTimeInterval(c, d)) => DayTimeInterval(*a.min(c), *b.max(d)),
        _ => return None,
    })
}

/// The interval type two comparable intervals meet as (Spark's wider type).
pub fn comparison_type(l: &DataType, r: &DataType) -> Option<DataType> {
    wider(l, r)
}

fn call(f: impl ScalarFunction, args: Vec<TExpr>, ty: DataType) -> TExpr {
    let nullable = args.iter().any(|a| a.nullable);
    Resolved {
        func: FunctionRef::new(f),
        args,
        ty,
        nullable,
    }
    .into_expr()
}

/// `-a` of an interval.
pub fn negate(a: TExpr) -> TExpr {
    let ty = a.ty.clone();
    call(Arith(Op::Neg), vec![a], ty)
}

/// `l op r` where [`involved`] says so, typed as Spark types it.
pub fn arith(op: BinaryOp, l: TExpr, r: TExpr, e: &Expr) -> Result<TExpr> {
    use BinaryOp::{Add, Div, Mul, Sub};
    if l.ty == DataType::TimestampNtz || r.ty == DataType::TimestampNtz {
        let (lt, rt) = (l.ty.clone(), r.ty.clone());
        return super::ntz::arith(op, l, r).unwrap_or_else(|| Err(mismatch(e, &lt, &rt)));
    }
    let (lt, rt) = (l.ty.clone(), r.ty.clone());
    let minus = |r: TExpr| if op == Sub { negate(r) } else { r };
    let to_ts = |x: TExpr| {
        if x.ty == Date {
            cast(x, Timestamp)
        } else {
            Ok(x)
        }
    };
    Ok(match (op, &lt, &rt) {
        (Add | Sub, YearMonthInterval(..), YearMonthInterval(..))
        | (Add | Sub, DayTimeInterval(..), DayTimeInterval(..)) => {
            let ty = wider(&lt, &rt).unwrap_or(lt.clone());
            let (l, r) = (cast(l, ty.clone())?, cast(r, ty.clone())?);
            let op = if op == Add { Op::Add } else { Op::Sub };
            call(Arith(op), vec![l, r], ty)
        }
        (Add, YearMonthInterval(..) | DayTimeInterval(..), Date | Timestamp) => {
            return arith(op, r, l, e)
        }
        (Add | Sub, Date, YearMonthInterval(..)) => call(DateAddMonths, vec![l, minus(r)], Date),
        (Add | Sub, Timestamp, YearMonthInterval(..)) => {
            call(TimestampAddMonths, vec![l, minus(r)], Timestamp)
        }
        (Add | Sub, Date, DayTimeInterval(DAY, DAY)) => call(DateAddDays, vec![l, minus(r)], Date),
        (Add | Sub, Date | Timestamp, DayTimeInterval(..)) => {
            call(TimestampAddMicros, vec![to_ts(l)?, minus(r)], Timestamp)
        }
        (Sub, Date, Date) => call(SubtractDates, vec![l, r], DayTimeInterval(DAY, DAY)),
        (Sub, Date | Timestamp, Date | Timestamp) => call(
            SubtractTimestamps,
            vec![to_ts(l)?, to_ts(r)?],
            DayTimeInterval(DAY, SECOND),
        ),
        (Mul, t, n) | (Mul, n, t) if t.is_interval() && n.is_numeric() => {
            let (i, n) = if lt.is_interval() { (l, r) } else { (r, l) };
            let ty = full_range(&i.ty);
            call(Arith(Op::Mul), vec![i, number(n)?], ty)
        }
        (Div, t, n) if t.is_interval() && n.is_numeric() => {
            let ty = full_range(t);
            call(Arith(Op::Div), vec![l, number(r)?], ty)
        }
        (Mul | Div, t, _) if t.is_interval() => {
            return Err(Error::analysis(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                format!(
                    "Cannot resolve \"{e}\" due to data type mismatch: The second parameter \
                     requires the \"NUMERIC\" type, however \"{}\" has the type \"{}\".",
                    r,
                    rt.spark_name().to_uppercase()
                ),
            ))
        }
        _ => return Err(mismatch(e, &lt, &rt)),
    })
}

/// `YEAR TO MONTH` or `DAY TO SECOND`: the type of a product or quotient.
fn full_range(t: &DataType) -> DataType {
    match t {
        YearMonthInterval(..) => YearMonthInterval(YEAR, MONTH),
        _ => DayTimeInterval(DAY, SECOND),
    }
}

/// A multiplier or divisor as the twin reads it: BIGINT, DOUBLE or a decimal.
fn number(n: TExpr) -> Result<TExpr> {
    match &n.ty {
        DataType::Int32 | DataType::Int64 => cast(n, DataType::Int64),
        DataType::Float32 => cast(n, DataType::Float64),
        _ => Ok(n),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Neg,
    Abs,
    Mul,
    Div,
}

/// Functions of one interval the resolver hands here: `abs`, and the
/// fields `extract`/`date_part` read (`year`, `month` of a year-month
/// interval; `day`, `hour`, `minute`, the seconds with their fraction of a
/// day-time one), each only within the interval's range, as Spark's
/// `ExtractIntervalPart`. `None` for other functions.
pub fn function(name: &str, args: &[TExpr], e: &Expr) -> Option<Result<TExpr>> {
    let (field, arg) = match (name, args) {
        ("abs", [a]) if a.ty.is_interval() => {
            let ty = a.ty.clone();
            return Some(Ok(call(Arith(Op::Abs), vec![a.clone()], ty)));
        }
        ("year" | "month" | "day" | "hour" | "minute", [a]) => (name, a),
        ("date_part", [_, a]) => ("second", a),
        _ => return None,
    };
    let (start, end, ym) = match &arg.ty {
        YearMonthInterval(s, e) => (*s, *e, true),
        DayTimeInterval(s, e) => (*s, *e, false),
        _ => return None,
    };
    let f = match (field, ym) {
        ("year", true) => YEAR,
        ("month", true) => MONTH,
        ("day", false) => DAY,
        ("hour", false) => iv::HOUR,
        ("minute", false) => iv::MINUTE,
        ("second", false) => SECOND,
        _ => u8::MAX,
    };
    if f < start || f > end {
        let shown = match e {
            Expr::Function { args, .. } => args.last().map(|a| a.to_string()),
            _ => None,
        }
        .unwrap_or_else(|| arg.to_string());
        return Some(Err(Error::analysis(
            "INVALID_EXTRACT_FIELD",
            format!(
                "Cannot extract `{}` from \"{shown}\".",
                field.to_uppercase()
            ),
        )));
    }
    let ty = if field == "second" {
        Decimal(8, 6)
    } else {
        DataType::Int32
    };
    Some(Ok(call(
        IntervalField(field_id(field)),
        vec![arg.clone()],
        ty,
    )))
}

fn field_id(name: &str) -> u8 {
    ["year", "month", "day", "hour", "minute", "second"]
        .iter()
        .position(|f| *f == name)
        .unwrap_or(0) as u8
}

/// A field of an interval (Spark's `IntervalUtils.getYears`, `getHours`, …:
/// each the remainder after the larger fields, signed as the interval).
struct IntervalField(u8);

impl ScalarFunction for IntervalField {
    fn name(&self) -> &'static str {
        ["year", "month", "day", "hour", "minute", "date_part"][self.0 as usize]
    }

    fn usage(&self) -> &'static str {
        "A field of an interval, as `extract` reads it."
    }

    fn instance_key(&self) -> String {
        format!("interval {}", self.0)
    }

    fn resolve(&self, _args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        Err(Error::internal(format!(
            "an interval field resolved by name at {call}"
        )))
    }

    fn invoke(&self, args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let a = args[0].as_ref();
        if self.0 <= 1 {
            let m = months(a)?;
            return collect_i32(rows, |i| {
                Ok((!m.is_null(i)).then(|| {
                    let v = m.value(i);
                    if self.0 == 0 {
                        v / 12
                    } else {
                        v % 12
                    }
                }))
            });
        }
        let us = micros(a)?;
        if self.0 == 5 {
            let v = (0..rows)
                .map(|i| (!us.is_null(i)).then(|| (us.value(i) % iv::dt_unit(iv::MINUTE)) as i128));
            return Ok(crate::decimal::array(v, &Decimal(8, 6)));
        }
        collect_i32(rows, |i| {
            Ok((!us.is_null(i)).then(|| {
                let v = us.value(i);
                (match self.0 {
                    2 => v / MICROS_PER_DAY,
                    3 => v % MICROS_PER_DAY / iv::dt_unit(iv::HOUR),
                    _ => v % iv::dt_unit(iv::HOUR) / iv::dt_unit(iv::MINUTE),
                }) as i32
            }))
        })
    }
}

/// Interval ± interval, − interval, interval × or ÷ a number.
struct Arith(Op);

/// `a / b` rounded half away from zero (Guava's `divide(.., HALF_UP)`).
pub fn div_half_up(a: i128, b: i128) -> i128 {
    let (q, r) = (a / b, a % b);
    if 2 * r.abs() >= b.abs() {
        q + if (a < 0) == (b < 0) { 1 } else { -1 }
    } else {
        q
    }
}

/// A number an interval is multiplied or divided by, as the twin reads it:
/// a BIGINT, a DOUBLE, or a decimal's unscaled value and scale.
#[derive(Clone, Copy, Debug)]
pub enum Factor {
    Long(i64),
    Double(f64),
    Decimal(i128, u8),
}

/// An interval value (as i128) times or divided by `k`, rounded as Spark
/// rounds it (exact for integers, HALF_UP otherwise); the caller narrows
/// the result to the interval's width. Shared by the twin and compiled code.
pub fn scale_value(v: i128, k: Factor, divide: bool) -> Result<i128> {
    Ok(match k {
        Factor::Long(k) => {
            let k = k as i128;
            if divide {
                if k == 0 {
                    return Err(divided_by_zero());
                }
                div_half_up(v, k)
            } else {
                v * k
            }
        }
        Factor::Double(k) => {
            if divide && k == 0.0 {
                return Err(divided_by_zero());
            }
            let x = if divide { v as f64 / k } else { v as f64 * k };
            if !x.is_finite() || x.abs() >= 1.7e38 {
                return Err(overflow(None));
            }
            x.round() as i128
        }
        Factor::Decimal(k, s) => {
            let unit = 10i128.pow(s as u32);
            if divide {
                if k == 0 {
                    return Err(divided_by_zero());
                }
                let num = v.checked_mul(unit).ok_or_else(|| overflow(None))?;
                div_half_up(num, k)
            } else {
                let prod = v.checked_mul(k).ok_or_else(|| overflow(None))?;
                div_half_up(prod, unit)
            }
        }
    })
}

/// Each row's interval value (as i128) scaled by the number in `n`: a
/// product or a quotient, rounded as Spark rounds it.
fn scale(v: i128, n: &dyn Array, i: usize, divide: bool) -> Result<Option<i128>> {
    if n.is_null(i) {
        return Ok(None);
    }
    let k = match n.data_type() {
        ArrowType::Int64 => Factor::Long(n.as_primitive::<Int64Type>().value(i)),
        ArrowType::Float64 => Factor::Double(n.as_primitive::<Float64Type>().value(i)),
        ArrowType::Decimal128(_, s) => {
            Factor::Decimal(n.as_primitive::<Decimal128Type>().value(i), *s as u8)
        }
        t => return Err(Error::internal(format!("an interval scaled by {t}"))),
    };
    scale_value(v, k, divide).map(Some)
}

impl ScalarFunction for Arith {
    fn name(&self) -> &'static str {
        match self.0 {
            Op::Add => "interval_add",
            Op::Sub => "interval_subtract",
            Op::Neg => "interval_negate",
            Op::Abs => "abs",
            Op::Mul => "interval_multiply",
            Op::Div => "interval_divide",
        }
    }

    fn usage(&self) -> &'static str {
        "Interval arithmetic, as the operators `+`, `-`, `*`, `/` make it."
    }

    fn resolve(&self, _args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        Err(Error::internal(format!(
            "{} resolved by name at {call}",
            self.name()
        )))
    }

    fn shown(&self, args: &[String]) -> Option<String> {
        Some(match (self.0, args) {
            (Op::Neg, [a]) => format!("(- {a})"),
            (Op::Abs, [a]) => format!("abs({a})"),
            (op, [a, b]) => {
                let sym = match op {
                    Op::Add => "+",
                    Op::Sub => "-",
                    Op::Mul => "*",
                    _ => "/",
                };
                format!("({a} {sym} {b})")
            }
            _ => return None,
        })
    }

    fn invoke(&self, args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let a = args[0].as_ref();
        let suggest = match self.0 {
            Op::Add => Some("try_add"),
            Op::Sub => Some("try_subtract"),
            _ => None,
        };
        let ym = matches!(a.data_type(), ArrowType::Interval(_));
        // Every value as i128, combined, then narrowed to the kind's width.
        let value = |i: usize| -> Option<i128> {
            if a.is_null(i) {
                None
            } else if ym {
                months(a).ok().map(|m| m.value(i) as i128)
            } else {
                micros(a).ok().map(|m| m.value(i) as i128)
            }
        };
        let out = (0..rows).map(|i| -> Result<Option<i128>> {
            let Some(x) = value(i) else { return Ok(None) };
            Ok(match self.0 {
                Op::Neg => Some(-x),
                Op::Abs => Some(x.abs()),
                Op::Add | Op::Sub => {
                    let b = args[1].as_ref();
                    if b.is_null(i) {
                        return Ok(None);
                    }
                    let y = if ym {
                        months(b)?.value(i) as i128
                    } else {
                        micros(b)?.value(i) as i128
                    };
                    Some(if self.0 == Op::Add { x + y } else { x - y })
                }
                Op::Mul => scale(x, args[1].as_ref(), i, false)?,
                Op::Div => scale(x, args[1].as_ref(), i, true)?,
            })
        });
        if ym {
            let v = out
                .map(|r| {
                    r.and_then(|v| {
                        v.map(|v| i32::try_from(v).map_err(|_| overflow(suggest)))
                            .transpose()
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Arc::new(arrow::array::IntervalYearMonthArray::from(v)))
        } else {
            let v = out
                .map(|r| {
                    r.and_then(|v| {
                        v.map(|v| i64::try_from(v).map_err(|_| overflow(suggest)))
                            .transpose()
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Arc::new(arrow::array::DurationMicrosecondArray::from(v)))
        }
    }
}

/// `days` plus `months` as `LocalDate.plusMonths` adds them (the day
/// clamped to the month's length).
pub fn add_months(days: i64, months: i64) -> i64 {
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + (m as i64 - 1) + months;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd)
}

pub(crate) fn datetime_overflow() -> Error {
    Error::execution(
        "DATETIME_OVERFLOW",
        "Datetime operation overflow: the result is out of the supported range.",
    )
}

scalar_function!(
    /// `date + year-month interval` (Spark's `DateAddYMInterval`).
    DateAddMonths, "date_add_months", [], "date + interval year to month",
    resolve(_this, _args, call) {
        Err(Error::internal(format!("date_add_months resolved by name at {call}")))
    }
    invoke(a, rows) {
        let (d, m) = (dates(&a[0])?, months(a[1].as_ref())?);
        collect_dates(rows, |i| {
            if d.is_null(i) || m.is_null(i) {
                return Ok(None);
            }
            let days = add_months(d.value(i) as i64, m.value(i) as i64);
            i32::try_from(days).map(Some).map_err(|_| datetime_overflow())
        })
    }
);

scalar_function!(
    /// `date + whole days` (Spark's `DateAdd(d, ExtractANSIIntervalDays(i))`).
    DateAddDays, "date_add_days", [], "date + interval day",
    resolve(_this, _args, call) {
        Err(Error::internal(format!("date_add_days resolved by name at {call}")))
    }
    invoke(a, rows) {
        let (d, us) = (dates(&a[0])?, micros(a[1].as_ref())?);
        collect_dates(rows, |i| {
            if d.is_null(i) || us.is_null(i) {
                return Ok(None);
            }
            let days = d.value(i) as i64 + us.value(i) / MICROS_PER_DAY;
            i32::try_from(days).map(Some).map_err(|_| datetime_overflow())
        })
    }
);

scalar_function!(
    /// `timestamp + day-time interval` (Spark's `TimeAdd`): microseconds
    /// on the session's wall clock (as the compiled `TimestampAdd` in a zone).
    TimestampAddMicros, "timestamp_add_interval", [], "timestamp + interval day to second", session_zone,
    resolve(_this, _args, call) {
        Err(Error::internal(format!("timestamp_add_interval resolved by name at {call}")))
    }
    invoke(a, rows) {
        let (t, us) = (timestamps(&a[0])?, micros(a[1].as_ref())?);
        let tz = crate::time_zone::session();
        collect_timestamps(rows, |i| {
            if t.is_null(i) || us.is_null(i) {
                return Ok(None);
            }
            tz.to_local(t.value(i))
                .checked_add(us.value(i))
                .map(|l| Some(tz.from_local(l)))
                .ok_or_else(|| overflow(Some("try_add")))
        })
    }
);

scalar_function!(
    /// `timestamp + year-month interval` (Spark's `TimestampAddYMInterval`):
    /// months added on the session's wall clock.
    TimestampAddMonths, "timestamp_add_months", [], "timestamp + interval year to month", session_zone,
    resolve(_this, _args, call) {
        Err(Error::internal(format!("timestamp_add_months resolved by name at {call}")))
    }
    invoke(a, rows) {
        let (t, m) = (timestamps(&a[0])?, months(a[1].as_ref())?);
        let tz = crate::time_zone::session();
        collect_timestamps(rows, |i| {
            if t.is_null(i) || m.is_null(i) {
                return Ok(None);
            }
            let local = tz.to_local(t.value(i));
            let (day, time) = (local.div_euclid(MICROS_PER_DAY), local.rem_euclid(MICROS_PER_DAY));
            let day = add_months(day, m.value(i) as i64);
            let local = day
                .checked_mul(MICROS_PER_DAY)
                .and_then(|x| x.checked_add(time))
                .ok_or_else(datetime_overflow)?;
            Ok(Some(tz.from_local(local)))
        })
    }
);

scalar_function!(
    /// `timestamp - timestamp` (Spark's `SubtractTimestamps`): `INTERVAL DAY
    /// TO SECOND` between the two wall-clock times in the session zone.
    SubtractTimestamps, "subtract_timestamps", [], "timestamp - timestamp", session_zone,
    resolve(_this, _args, call) {
        Err(Error::internal(format!("subtract_timestamps resolved by name at {call}")))
    }
    invoke(a, rows) {
        let (x, y) = (timestamps(&a[0])?, timestamps(&a[1])?);
        let tz = crate::time_zone::session();
        let v = (0..rows)
            .map(|i| {
                if x.is_null(i) || y.is_null(i) {
                    return Ok(None);
                }
                tz.to_local(x.value(i)).checked_sub(tz.to_local(y.value(i))).map(Some).ok_or_else(|| overflow(Some("try_subtract")))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Arc::new(arrow::array::DurationMicrosecondArray::from(v)))
    }
);

scalar_function!(
    /// `date - date` (Spark's `SubtractDates`): `INTERVAL DAY`.
    SubtractDates, "subtract_dates", [], "date - date",
    resolve(_this, _args, call) {
        Err(Error::internal(format!("subtract_dates resolved by name at {call}")))
    }
    invoke(a, rows) {
        let (x, y) = (dates(&a[0])?, dates(&a[1])?);
        let v: Vec<Option<i64>> = (0..rows)
            .map(|i| {
                (!x.is_null(i) && !y.is_null(i))
                    .then(|| (x.value(i) as i64 - y.value(i) as i64) * MICROS_PER_DAY)
            })
            .collect();
        Ok(Arc::new(arrow::array::DurationMicrosecondArray::from(v)))
    }
);

scalar_function!(
    /// `make_dt_interval([days[, hours[, mins[, secs]]]])`.
    MakeDtInterval, "make_dt_interval", [], "make_dt_interval([days[, hours[, mins[, secs]]]]) - Make DayTimeIntervalType duration from days, hours, mins and secs.",
    resolve(this, args, call) {
        arity("make_dt_interval", &args, 0, 4)?;
        let mut args = args;
        let zeros = [
            crate::types::Scalar::Int32(0),
            crate::types::Scalar::Int32(0),
            crate::types::Scalar::Int32(0),
            crate::types::Scalar::Decimal(0, 18, 6),
        ];
        for z in zeros.iter().skip(args.len()) {
            args.push(TExpr::literal(z.clone()));
        }
        let ty = DayTimeInterval(DAY, SECOND);
        typed(&this, args, &[DataType::Int32, DataType::Int32, DataType::Int32, Decimal(18, 6)], ty, call)
    }
    invoke(a, rows) {
        let (d, h, m) = (i32s(&a[0])?, i32s(&a[1])?, i32s(&a[2])?);
        let s = a[3].as_primitive::<Decimal128Type>();
        let v = (0..rows)
            .map(|i| {
                if d.is_null(i) || h.is_null(i) || m.is_null(i) || s.is_null(i) {
                    return Ok(None);
                }
                let total = d.value(i) as i128 * iv::dt_unit(DAY) as i128
                    + h.value(i) as i128 * iv::dt_unit(iv::HOUR) as i128
                    + m.value(i) as i128 * iv::dt_unit(iv::MINUTE) as i128
                    + s.value(i);
                i64::try_from(total).map(Some).map_err(|_| overflow(None))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Arc::new(arrow::array::DurationMicrosecondArray::from(v)))
    }
);

scalar_function!(
    /// `make_ym_interval([years[, months]])`.
    MakeYmInterval, "make_ym_interval", [], "make_ym_interval([years[, months]]) - Make year-month interval from years, months.",
    resolve(this, args, call) {
        arity("make_ym_interval", &args, 0, 2)?;
        let mut args = args;
        while args.len() < 2 {
            args.push(TExpr::literal(crate::types::Scalar::Int32(0)));
        }
        typed(&this, args, &[DataType::Int32, DataType::Int32], YearMonthInterval(YEAR, MONTH), call)
    }
    invoke(a, rows) {
        let (y, m) = (i32s(&a[0])?, i32s(&a[1])?);
        let v = (0..rows)
            .map(|i| {
                if y.is_null(i) || m.is_null(i) {
                    return Ok(None);
                }
                (y.value(i) as i64 * 12 + m.value(i) as i64)
                    .try_into()
                    .map(Some)
                    .map_err(|_| overflow(None))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Arc::new(arrow::array::IntervalYearMonthArray::from(v)))
    }
);
