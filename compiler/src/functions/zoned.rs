//! The session time zone in expressions (Spark's `TimeZoneAwareExpression`).
//! The resolver builds every expression as if the session were in UTC;
//! [`crate::resolve_time_zone`] then gives each expression whose value
//! depends on the zone the session's: casts between timestamps and strings
//! or dates, the calendar fields of a timestamp, `date_trunc`, adding an
//! interval, and the catalog functions that say so
//! ([`super::ScalarFunction::with_time_zone`]). In UTC nothing changes, so
//! the JIT compiles those as before; in another zone they are the zoned
//! functions below, which the twin runs.
//!
//! Also here: `from_utc_timestamp` and `to_utc_timestamp`, which name
//! their zone and do not depend on the session's.

use arrow::array::ArrayRef;

use super::args::*;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::{ScalarFunc, TExpr, TExprKind};
use crate::scalar_fns::{self as sf, DatePart, MICROS_PER_DAY};
use crate::time_zone::{with_session, TimeZone};
use crate::types::{DataType, Scalar};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(FromUtcTimestamp),
        FunctionRef::new(ToUtcTimestamp),
    ]);
}

/// `e` with the session zone `tz` applied to its own node (its arguments
/// are already done); `e` unchanged where the zone does not matter.
pub fn zone_node(e: TExpr, tz: &TimeZone) -> TExpr {
    let TExpr { kind, ty, nullable } = e;
    let zoned = |op: Op, args: Vec<TExpr>| {
        let func = FunctionRef::new(Zoned { op, tz: tz.clone() });
        TExpr::new(TExprKind::Function { func, args }, ty.clone(), nullable)
    };
    match kind {
        TExprKind::Cast { arg } => match (&arg.ty, &ty) {
            // Nested timestamps print on the wall clock too.
            (
                from @ (DataType::Array(..) | DataType::Map(..) | DataType::Struct(_)),
                DataType::Utf8,
            ) if holds_timestamp(from) => {
                let cast = TExpr::new(TExprKind::Cast { arg: arg.clone() }, ty.clone(), nullable);
                let func = InZone::wrap(FunctionRef::new(NestedToString { cast }), tz);
                TExpr::new(
                    TExprKind::Function {
                        func,
                        args: vec![*arg],
                    },
                    ty,
                    nullable,
                )
            }
            (DataType::Timestamp, DataType::Utf8) => zoned(Op::TimestampToString, vec![*arg]),
            (DataType::Utf8, DataType::Timestamp) => zoned(Op::StringToTimestamp, vec![*arg]),
            (DataType::Timestamp, DataType::Date) => zoned(Op::TimestampToDate, vec![*arg]),
            (DataType::Date, DataType::Timestamp) => zoned(Op::DateToTimestamp, vec![*arg]),
            _ => TExpr::new(TExprKind::Cast { arg }, ty, nullable),
        },
        TExprKind::Call { func, args } => {
            let on_timestamp = args.iter().any(|a| a.ty == DataType::Timestamp);
            let part = match func {
                ScalarFunc::Year => Some(DatePart::Year),
                ScalarFunc::Month => Some(DatePart::Month),
                ScalarFunc::DayOfMonth => Some(DatePart::Day),
                ScalarFunc::Hour => Some(DatePart::Hour),
                ScalarFunc::Minute => Some(DatePart::Minute),
                ScalarFunc::Second => Some(DatePart::Second),
                _ => None,
            };
            match (func, part) {
                (_, Some(p)) if on_timestamp => zoned(Op::Field(p), args),
                (ScalarFunc::DateTrunc, _) => zoned(Op::Trunc, args),
                (ScalarFunc::ToTimestamp, _) => zoned(Op::StringToTimestamp, args),
                (ScalarFunc::TimestampAdd, _) => zoned(Op::AddMicros, args),
                _ => TExpr::new(TExprKind::Call { func, args }, ty, nullable),
            }
        }
        TExprKind::Function { func, args } => {
            let func = func.0.with_time_zone(tz).unwrap_or(func);
            TExpr::new(TExprKind::Function { func, args }, ty, nullable)
        }
        kind => TExpr::new(kind, ty, nullable),
    }
}

/// Whether a value of type `t` holds a timestamp somewhere.
fn holds_timestamp(t: &DataType) -> bool {
    match t {
        DataType::Timestamp => true,
        DataType::Array(e, _) => holds_timestamp(e),
        DataType::Map(k, v, _) => holds_timestamp(k) || holds_timestamp(v),
        DataType::Struct(fields) => fields.iter().any(|f| holds_timestamp(&f.data_type)),
        _ => false,
    }
}

/// A catalog function run in a time zone: while it runs, the zone is the
/// session's ([`crate::time_zone::with_session`]), for functions that read
/// it deep inside (`to_json`, a nested value cast to a string).
pub struct InZone {
    inner: FunctionRef,
    tz: TimeZone,
}

impl InZone {
    pub fn wrap(inner: FunctionRef, tz: &TimeZone) -> FunctionRef {
        FunctionRef::new(InZone {
            inner,
            tz: tz.clone(),
        })
    }
}

impl ScalarFunction for InZone {
    fn name(&self) -> &'static str {
        self.inner.0.name()
    }

    fn aliases(&self) -> &'static [&'static str] {
        self.inner.0.aliases()
    }

    fn usage(&self) -> &'static str {
        self.inner.0.usage()
    }

    fn deterministic(&self) -> bool {
        self.inner.0.deterministic()
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        self.inner.0.resolve(args, call)
    }

    fn instance_key(&self) -> String {
        format!("{}@{}", self.inner.0.instance_key(), self.tz.id())
    }

    fn with_time_zone(&self, tz: &TimeZone) -> Option<FunctionRef> {
        Some(InZone::wrap(self.inner.clone(), tz))
    }

    fn shown(&self, args: &[String]) -> Option<String> {
        self.inner.0.shown(args)
    }

    fn invoke(&self, args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        with_session(&self.tz, || self.inner.0.invoke(args, rows))
    }
}

/// `CAST(nested AS STRING)` as a function, for [`InZone`] to run in a zone.
struct NestedToString {
    /// The cast, over its argument.
    cast: TExpr,
}

impl ScalarFunction for NestedToString {
    fn name(&self) -> &'static str {
        "cast"
    }

    fn usage(&self) -> &'static str {
        "a nested value as a string, in the session time zone"
    }

    fn shown(&self, args: &[String]) -> Option<String> {
        Some(format!("CAST({} AS STRING)", args.first()?))
    }

    fn resolve(&self, _args: Vec<TExpr>, _call: &Expr) -> Result<Resolved> {
        Err(Error::internal("a zoned cast is made, not resolved"))
    }

    fn invoke(&self, args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
        let TExprKind::Cast { arg } = &self.cast.kind else {
            return Err(Error::internal("a nested cast without its cast"));
        };
        crate::interp::cast::cast(&self.cast, &arg.ty, &args[0])
    }
}

/// What a zoned expression computes.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    TimestampToString,
    StringToTimestamp,
    TimestampToDate,
    DateToTimestamp,
    /// A calendar field of a timestamp on the zone's wall clock.
    Field(DatePart),
    /// `date_trunc(unit, ts)` on the wall clock, keeping the offset the
    /// timestamp had where the truncated time is ambiguous (Spark's
    /// `ZonedDateTime.truncatedTo`); units below a minute need no zone.
    Trunc,
    /// `ts + interval`: Spark adds day-time intervals to the wall clock.
    AddMicros,
}

/// A zone-aware expression in the session zone `tz` (not in the catalog:
/// [`zone_node`] makes them).
struct Zoned {
    op: Op,
    tz: TimeZone,
}

impl ScalarFunction for Zoned {
    fn name(&self) -> &'static str {
        match self.op {
            Op::TimestampToString
            | Op::StringToTimestamp
            | Op::TimestampToDate
            | Op::DateToTimestamp => "cast",
            Op::Field(DatePart::Year) => "year",
            Op::Field(DatePart::Month) => "month",
            Op::Field(DatePart::Day) => "day",
            Op::Field(DatePart::Hour) => "hour",
            Op::Field(DatePart::Minute) => "minute",
            Op::Field(DatePart::Second) => "second",
            Op::Trunc => "date_trunc",
            Op::AddMicros => "timestamp_add",
        }
    }

    fn usage(&self) -> &'static str {
        "an expression in the session time zone"
    }

    fn instance_key(&self) -> String {
        format!("{:?}@{}", self.op, self.tz.id())
    }

    fn shown(&self, args: &[String]) -> Option<String> {
        let to = match self.op {
            Op::TimestampToString => "STRING",
            Op::StringToTimestamp | Op::DateToTimestamp => "TIMESTAMP",
            Op::TimestampToDate => "DATE",
            Op::AddMicros => return Some(format!("{} + {}", args.first()?, args.get(1)?)),
            _ => return None,
        };
        Some(format!("CAST({} AS {to})", args.first()?))
    }

    fn with_time_zone(&self, tz: &TimeZone) -> Option<FunctionRef> {
        Some(FunctionRef::new(Zoned {
            op: self.op,
            tz: tz.clone(),
        }))
    }

    fn resolve(&self, _args: Vec<TExpr>, _call: &Expr) -> Result<Resolved> {
        Err(Error::internal("a zoned expression is made, not resolved"))
    }

    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let tz = &self.tz;
        match self.op {
            Op::TimestampToString => {
                let t = timestamps(&a[0])?;
                collect_strings(rows, |i| {
                    Ok(t.at(i).map(|us| sf::format_timestamp(tz.to_local(us))))
                })
            }
            Op::StringToTimestamp => {
                let s = strs(&a[0])?;
                collect_timestamps(rows, |i| match s.at(i) {
                    Some(v) => sf::parse_timestamp_in(v, tz)
                        .map(Some)
                        .ok_or_else(|| invalid_timestamp(v)),
                    None => Ok(None),
                })
            }
            Op::TimestampToDate => {
                let t = timestamps(&a[0])?;
                collect_dates(rows, |i| {
                    Ok(t.at(i)
                        .map(|us| tz.to_local(us).div_euclid(MICROS_PER_DAY) as i32))
                })
            }
            Op::DateToTimestamp => {
                let d = dates(&a[0])?;
                collect_timestamps(rows, |i| {
                    Ok(d.at(i).map(|d| tz.from_local(d as i64 * MICROS_PER_DAY)))
                })
            }
            Op::Field(p) => {
                let t = timestamps(&a[0])?;
                collect_i32(rows, |i| {
                    Ok(t.at(i).map(|us| sf::timestamp_part(tz.to_local(us), p)))
                })
            }
            Op::Trunc => {
                let (unit, t) = (strs(&a[0])?, timestamps(&a[1])?);
                collect_timestamps(rows, |i| {
                    Ok(match (unit.at(i), t.at(i)) {
                        (Some(u), Some(us)) => truncate(u, us, tz),
                        _ => None,
                    })
                })
            }
            Op::AddMicros => {
                let (t, d) = (timestamps(&a[0])?, i64s(&a[1])?);
                collect_timestamps(rows, |i| match (t.at(i), d.at(i)) {
                    (Some(us), Some(d)) => tz
                        .to_local(us)
                        .checked_add(d)
                        .map(|l| Some(tz.from_local(l)))
                        .ok_or_else(|| Error::Overflow {
                            expr: "timestamp + interval".into(),
                            detail: "long overflow".into(),
                        }),
                    _ => Ok(None),
                })
            }
        }
    }
}

/// `date_trunc(unit, us)` in `tz`; `None` for an unknown unit.
fn truncate(unit: &str, us: i64, tz: &TimeZone) -> Option<i64> {
    let u = unit.to_ascii_uppercase();
    if matches!(u.as_str(), "SECOND" | "MILLISECOND" | "MICROSECOND") {
        return sf::date_trunc(&u, us);
    }
    let local = sf::date_trunc(&u, tz.to_local(us))?;
    Some(tz.from_local_preferring(local, Some(tz.offset_at(us))))
}

fn invalid_timestamp(v: &str) -> Error {
    Error::InvalidCast {
        expr: format!("CAST('{v}' AS TIMESTAMP)"),
        value: format!("'{v}'"),
        from: "STRING".into(),
        to: "TIMESTAMP".into(),
    }
}

/// `[INVALID_TIMEZONE]`, for a zone argument Spark cannot read.
pub fn invalid_zone(id: &str) -> Error {
    Error::execution(
        "INVALID_TIMEZONE",
        format!(
            "The timezone: {id} is invalid. The timezone must be either a region-based zone ID \
             or a zone offset. Region IDs must have the form 'area/city', such as \
             'America/Los_Angeles'. Zone offsets must be in the format '(+|-)HH', '(+|-)HH:mm' \
             or '(+|-)HH:mm:ss', e.g '-08', '+01:00' or '-13:33:33', and must be in the range \
             from -18:00 to +18:00. 'Z' and 'UTC' are accepted as synonyms for '+00:00'."
        ),
    )
}

/// `from_utc_timestamp` (to the wall clock of the zone) and
/// `to_utc_timestamp` (from it), Spark's `convertTz`.
pub struct UtcShift {
    to_local: bool,
    /// The zone, when it is a literal (read once).
    zone: Option<TimeZone>,
}

#[allow(non_upper_case_globals)]
const FromUtcTimestamp: UtcShift = UtcShift {
    to_local: true,
    zone: None,
};
#[allow(non_upper_case_globals)]
const ToUtcTimestamp: UtcShift = UtcShift {
    to_local: false,
    zone: None,
};

impl UtcShift {
    fn shift(&self, tz: &TimeZone, us: i64) -> i64 {
        if self.to_local {
            tz.to_local(us)
        } else {
            tz.from_local(us)
        }
    }
}

impl ScalarFunction for UtcShift {
    fn name(&self) -> &'static str {
        if self.to_local {
            "from_utc_timestamp"
        } else {
            "to_utc_timestamp"
        }
    }

    fn usage(&self) -> &'static str {
        if self.to_local {
            "from_utc_timestamp(timestamp, timezone) - Given a timestamp like '2017-07-14 02:40:00.0', interprets it as a time in UTC, and renders that time as a timestamp in the given time zone."
        } else {
            "to_utc_timestamp(timestamp, timezone) - Given a timestamp like '2017-07-14 02:40:00.0', interprets it as a time in the given time zone, and renders that time as a timestamp in UTC."
        }
    }

    fn instance_key(&self) -> String {
        self.zone
            .as_ref()
            .map(|z| z.id().to_string())
            .unwrap_or_default()
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        arity(self.name(), &args, 2, 2)?;
        let this = FunctionRef::new(UtcShift {
            to_local: self.to_local,
            zone: None,
        });
        let mut r = typed(
            &this,
            args,
            &[DataType::Timestamp, DataType::Utf8],
            DataType::Timestamp,
            call,
        )?;
        if let Some(Scalar::Utf8(id)) = literal(&r.args[1]) {
            let zone = TimeZone::parse(id).ok_or_else(|| invalid_zone(id))?;
            r.func = FunctionRef::new(UtcShift {
                to_local: self.to_local,
                zone: Some(zone),
            });
        }
        Ok(r)
    }

    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let (t, z) = (timestamps(&a[0])?, strs(&a[1])?);
        let mut last: Option<(String, TimeZone)> = None;
        collect_timestamps(rows, |i| {
            let (Some(us), Some(id)) = (t.at(i), z.at(i)) else {
                return Ok(None);
            };
            if let Some(zone) = &self.zone {
                return Ok(Some(self.shift(zone, us)));
            }
            if !matches!(&last, Some((l, _)) if l == id) {
                let zone = TimeZone::parse(id).ok_or_else(|| invalid_zone(id))?;
                last = Some((id.to_string(), zone));
            }
            Ok(last.as_ref().map(|(_, zone)| self.shift(zone, us)))
        })
    }
}
