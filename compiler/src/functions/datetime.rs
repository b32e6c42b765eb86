//! Date and time functions. Dates are days since the epoch, timestamps
//! microseconds since the epoch. Those that read a wall clock (patterns,
//! `current_date`) take the session time zone through `with_time_zone`
//! (see [`super::zoned`]). Patterns are Spark's datetime patterns, handled
//! in [`super::datetime_pattern`].

use arrow::array::ArrayRef;

use super::args::*;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::scalar_fns::calendar::{civil_from_days, days_from_civil, days_in_month};
use crate::scalar_function;
use crate::time_zone::TimeZone;
use crate::types::DataType::{self, Date, Int32, Int64, Timestamp, Utf8};

use super::datetime_pattern::{
    format_ts, parse_ts, tokenize, weekday, Tok, DAYS, DEFAULT_FORMAT, US_PER_DAY,
};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(DateAdd),
        FunctionRef::new(DateSub),
        FunctionRef::new(DateDiff),
        FunctionRef::new(AddMonths),
        FunctionRef::new(LastDay),
        FunctionRef::new(NextDay),
        FunctionRef::new(DayOfWeek),
        FunctionRef::new(DayOfYear),
        FunctionRef::new(WeekOfYear),
        FunctionRef::new(Quarter),
        FunctionRef::new(MakeDate),
        FunctionRef::new(DateFormat),
        FunctionRef::new(ToDate),
        FunctionRef::new(UnixTimestamp),
        FunctionRef::new(FromUnixtime),
        FunctionRef::new(UnixSeconds),
        FunctionRef::new(UnixMillis),
        FunctionRef::new(UnixMicros),
        FunctionRef::new(TimestampSeconds),
        FunctionRef::new(TimestampMillis),
        FunctionRef::new(TimestampMicros),
        FunctionRef::new(CurrentDate),
        FunctionRef::new(CurrentTimestamp),
    ]);
}

fn add_months(days: i32, n: i32) -> i32 {
    let (y, m, d) = civil_from_days(days as i64);
    let total = y * 12 + (m as i64 - 1) + n as i64;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd) as i32
}

scalar_function!(
    /// `date_add(start, n)`.
    DateAdd, "date_add", ["dateadd"], "date_add(start_date, num_days) - Returns the date that is `num_days` after `start_date`.",
    resolve(this, args, call) {
        arity("date_add", &args, 2, 2)?;
        typed(&this, args, &[Date, Int32], Date, call)
    }
    invoke(a, rows) {
        let (d, n) = (dates(&a[0])?, i32s(&a[1])?);
        collect_dates(rows, |i| Ok(match (d.at(i), n.at(i)) {
            (Some(d), Some(n)) => Some(d.checked_add(n).ok_or_else(|| overflow("date_add"))?),
            _ => None,
        }))
    }
);

scalar_function!(
    /// `date_sub(start, n)`.
    DateSub, "date_sub", [], "date_sub(start_date, num_days) - Returns the date that is `num_days` before `start_date`.",
    resolve(this, args, call) {
        arity("date_sub", &args, 2, 2)?;
        typed(&this, args, &[Date, Int32], Date, call)
    }
    invoke(a, rows) {
        let (d, n) = (dates(&a[0])?, i32s(&a[1])?);
        collect_dates(rows, |i| Ok(match (d.at(i), n.at(i)) {
            (Some(d), Some(n)) => Some(d.checked_sub(n).ok_or_else(|| overflow("date_sub"))?),
            _ => None,
        }))
    }
);

fn overflow(what: &str) -> Error {
    Error::Overflow {
        expr: what.to_string(),
        detail: "integer overflow".into(),
    }
}

scalar_function!(
    /// `datediff(end, start)`: days from `start` to `end`.
    DateDiff, "datediff", ["date_diff"], "datediff(endDate, startDate) - Returns the number of days from `startDate` to `endDate`.",
    resolve(this, args, call) {
        arity("datediff", &args, 2, 2)?;
        typed(&this, args, &[Date, Date], Int32, call)
    }
    invoke(a, rows) {
        let (e, s) = (dates(&a[0])?, dates(&a[1])?);
        collect_i32(rows, |i| Ok(match (e.at(i), s.at(i)) {
            (Some(e), Some(s)) => Some(e.wrapping_sub(s)),
            _ => None,
        }))
    }
);

scalar_function!(
    /// `add_months(start, n)`: the day is kept, or clamped to the month's last.
    AddMonths, "add_months", [], "add_months(start_date, num_months) - Returns the date that is `num_months` after `start_date`.",
    resolve(this, args, call) {
        arity("add_months", &args, 2, 2)?;
        typed(&this, args, &[Date, Int32], Date, call)
    }
    invoke(a, rows) {
        let (d, n) = (dates(&a[0])?, i32s(&a[1])?);
        collect_dates(rows, |i| Ok(match (d.at(i), n.at(i)) {
            (Some(d), Some(n)) => Some(add_months(d, n)),
            _ => None,
        }))
    }
);

scalar_function!(
    /// `last_day(date)`.
    LastDay, "last_day", [], "last_day(date) - Returns the last day of the month which the date belongs to.",
    resolve(this, args, call) {
        arity("last_day", &args, 1, 1)?;
        typed(&this, args, &[Date], Date, call)
    }
    invoke(a, rows) {
        let d = dates(&a[0])?;
        collect_dates(rows, |i| Ok(d.at(i).map(|d| {
            let (y, m, _) = civil_from_days(d as i64);
            days_from_civil(y, m, days_in_month(y, m)) as i32
        })))
    }
);

fn day_of_week_named(s: &str) -> Option<usize> {
    let u = s.trim().to_ascii_uppercase();
    DAYS.iter().position(|d| {
        let d = d.to_ascii_uppercase();
        u == d || (u.len() >= 2 && u.len() <= 3 && d.starts_with(&u))
    })
}

scalar_function!(
    /// `next_day(start, dayOfWeek)`: the first such day after `start`.
    NextDay, "next_day", [], "next_day(start_date, day_of_week) - Returns the first date which is later than `start_date` and named as indicated.",
    resolve(this, args, call) {
        arity("next_day", &args, 2, 2)?;
        typed(&this, args, &[Date, Utf8], Date, call)
    }
    invoke(a, rows) {
        let (d, w) = (dates(&a[0])?, strs(&a[1])?);
        collect_dates(rows, |i| match (d.at(i), w.at(i)) {
            (Some(d), Some(w)) => {
                let target = day_of_week_named(w).ok_or_else(|| Error::execution(
                    "ILLEGAL_DAY_OF_WEEK",
                    format!("Illegal input for day of week: {w}."),
                ))?;
                let cur = weekday(d as i64);
                let ahead = (target + 7 - cur) % 7;
                Ok(Some(d + if ahead == 0 { 7 } else { ahead as i32 }))
            }
            _ => Ok(None),
        })
    }
);

/// Declares a function of a date giving an int.
macro_rules! date_part {
    ($ty:ident, $name:literal, $usage:literal, $f:expr) => {
        scalar_function!(
            $ty, $name, [], $usage,
            resolve(this, args, call) {
                arity($name, &args, 1, 1)?;
                typed(&this, args, &[Date], Int32, call)
            }
            invoke(a, rows) {
                let d = dates(&a[0])?;
                let f: fn(i64) -> i32 = $f;
                collect_i32(rows, |i| Ok(d.at(i).map(|d| f(d as i64))))
            }
        );
    };
}

date_part!(DayOfWeek, "dayofweek", "dayofweek(date) - Returns the day of the week for date/timestamp (1 = Sunday, 2 = Monday, ..., 7 = Saturday).", |d| ((weekday(d) + 1) % 7 + 1) as i32);
date_part!(
    DayOfYear,
    "dayofyear",
    "dayofyear(date) - Returns the day of year of the date/timestamp.",
    |d| {
        let (y, _, _) = civil_from_days(d);
        (d - days_from_civil(y, 1, 1) + 1) as i32
    }
);
date_part!(
    Quarter,
    "quarter",
    "quarter(date) - Returns the quarter of the year for date, in the range 1 to 4.",
    |d| {
        let (_, m, _) = civil_from_days(d);
        ((m - 1) / 3 + 1) as i32
    }
);
date_part!(WeekOfYear, "weekofyear", "weekofyear(date) - Returns the week of the year of the given date. A week is considered to start on a Monday and week 1 is the first week with >3 days.", iso_week);

/// The ISO-8601 week number.
fn iso_week(d: i64) -> i32 {
    let wd = weekday(d) as i64; // 0 = Monday
    let thursday = d - wd + 3;
    let (y, _, _) = civil_from_days(thursday);
    ((thursday - days_from_civil(y, 1, 1)) / 7 + 1) as i32
}

scalar_function!(
    /// `make_date(year, month, day)`; an invalid date is an error (ANSI).
    MakeDate, "make_date", [], "make_date(year, month, day) - Create date from year, month and day fields.",
    resolve(this, args, call) {
        arity("make_date", &args, 3, 3)?;
        typed(&this, args, &[Int32, Int32, Int32], Date, call)
    }
    invoke(a, rows) {
        let (y, m, d) = (i32s(&a[0])?, i32s(&a[1])?, i32s(&a[2])?);
        collect_dates(rows, |i| match (y.at(i), m.at(i), d.at(i)) {
            (Some(y), Some(m), Some(d)) => {
                if let Some(e) = super::calendar::java_date_error(y as i64, m as i64, d as i64) {
                    return Err(super::calendar::field_out_of_bounds(&e));
                }
                let days = days_from_civil(y as i64, m as u32, d as u32);
                Ok(Some(i32::try_from(days).map_err(|_| overflow("make_date"))?))
            }
            _ => Ok(None),
        })
    }
);

fn cannot_parse(s: &str, pattern: &str) -> Error {
    Error::execution(
        "CANNOT_PARSE_TIMESTAMP",
        format!("Text '{s}' could not be parsed with pattern '{pattern}'. Use `try_to_timestamp` to tolerate invalid input string and return NULL instead."),
    )
}

/// A function whose pattern (a literal argument) is tokenized once, when
/// the query is resolved.
pub struct Patterned {
    kind: PKind,
    pattern: Option<(String, Vec<Tok>)>,
    tz: TimeZone,
}

#[derive(Clone, Copy, PartialEq)]
enum PKind {
    DateFormat,
    ToDate,
    ToTimestamp,
    UnixTimestamp,
    FromUnixtime,
}

#[allow(non_upper_case_globals)]
const DateFormat: Patterned = Patterned {
    kind: PKind::DateFormat,
    pattern: None,
    tz: TimeZone::Utc,
};
#[allow(non_upper_case_globals)]
const ToDate: Patterned = Patterned {
    kind: PKind::ToDate,
    pattern: None,
    tz: TimeZone::Utc,
};
/// `to_timestamp(s, fmt)` (the one-argument form is a cast, compiled).
pub const TO_TIMESTAMP: Patterned = Patterned {
    kind: PKind::ToTimestamp,
    pattern: None,
    tz: TimeZone::Utc,
};
#[allow(non_upper_case_globals)]
const UnixTimestamp: Patterned = Patterned {
    kind: PKind::UnixTimestamp,
    pattern: None,
    tz: TimeZone::Utc,
};
#[allow(non_upper_case_globals)]
const FromUnixtime: Patterned = Patterned {
    kind: PKind::FromUnixtime,
    pattern: None,
    tz: TimeZone::Utc,
};

impl ScalarFunction for Patterned {
    fn name(&self) -> &'static str {
        match self.kind {
            PKind::DateFormat => "date_format",
            PKind::ToDate => "to_date",
            PKind::ToTimestamp => "to_timestamp",
            PKind::UnixTimestamp => "unix_timestamp",
            PKind::FromUnixtime => "from_unixtime",
        }
    }

    fn usage(&self) -> &'static str {
        match self.kind {
            PKind::DateFormat => "date_format(timestamp, fmt) - Converts `timestamp` to a value of string in the format specified by the date format `fmt`.",
            PKind::ToDate => "to_date(date_str[, fmt]) - Parses the `date_str` expression with the `fmt` expression to a date.",
            PKind::ToTimestamp => "to_timestamp(timestamp_str[, fmt]) - Parses the `timestamp_str` expression with the `fmt` expression to a timestamp.",
            PKind::UnixTimestamp => "unix_timestamp([timeExp[, fmt]]) - Returns the UNIX timestamp of current or specified time.",
            PKind::FromUnixtime => "from_unixtime(unix_time[, fmt]) - Returns `unix_time` in the specified `fmt`.",
        }
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        let name = self.name();
        let (params, lo, ty): (Vec<DataType>, usize, DataType) = match self.kind {
            PKind::DateFormat => (vec![Timestamp, Utf8], 2, Utf8),
            PKind::ToDate => (vec![Utf8, Utf8], 1, Date),
            PKind::ToTimestamp => (vec![Utf8, Utf8], 2, Timestamp),
            PKind::UnixTimestamp => {
                let first = match args.first().map(|a| &a.ty) {
                    Some(Utf8) => Utf8,
                    Some(Date) => Date,
                    _ => Timestamp,
                };
                (vec![first, Utf8], 1, Int64)
            }
            PKind::FromUnixtime => (vec![Int64, Utf8], 1, Utf8),
        };
        arity(name, &args, lo, 2)?;
        let mut params = params;
        if self.kind == PKind::ToDate
            && args.first().is_some_and(|a| a.ty != Utf8)
            && args.len() == 1
        {
            params[0] = Date;
        }
        let mut r = typed(&FunctionRef::new(DateFormat), args, &params, ty, call)?;
        let pattern = match r.args.get(1) {
            Some(p) => literal_str(p, name, "format")?.map(str::to_string),
            None => Some(match self.kind {
                PKind::ToDate => "yyyy-MM-dd".to_string(),
                _ => DEFAULT_FORMAT.to_string(),
            }),
        };
        let pattern = match pattern {
            Some(p) => {
                let toks = tokenize(&p)?;
                Some((p, toks))
            }
            None => None,
        };
        r.func = FunctionRef(std::sync::Arc::new(Patterned {
            kind: self.kind,
            pattern,
            tz: self.tz.clone(),
        }));
        Ok(r)
    }

    fn with_time_zone(&self, tz: &TimeZone) -> Option<FunctionRef> {
        Some(FunctionRef::new(Patterned {
            kind: self.kind,
            pattern: self.pattern.clone(),
            tz: tz.clone(),
        }))
    }

    fn instance_key(&self) -> String {
        if self.tz.is_utc() {
            String::new()
        } else {
            self.tz.id().to_string()
        }
    }

    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let tz = &self.tz;
        let Some((p, toks)) = &self.pattern else {
            let ty = match self.kind {
                PKind::DateFormat | PKind::FromUnixtime => Utf8,
                PKind::ToDate => Date,
                PKind::ToTimestamp => Timestamp,
                PKind::UnixTimestamp => Int64,
            };
            return Ok(arrow::array::new_null_array(&ty.to_arrow(), rows));
        };
        match self.kind {
            PKind::DateFormat => {
                let t = timestamps(&a[0])?;
                collect_strings(rows, |i| Ok(t.at(i).map(|t| format_ts(t, toks, tz))))
            }
            PKind::FromUnixtime => {
                let t = i64s(&a[0])?;
                collect_strings(rows, |i| {
                    Ok(t.at(i)
                        .and_then(|s| s.checked_mul(1_000_000))
                        .map(|us| format_ts(us, toks, tz)))
                })
            }
            PKind::ToDate => {
                if let Ok(d) = dates(&a[0]) {
                    return collect_dates(rows, |i| Ok(d.at(i)));
                }
                let s = strs(&a[0])?;
                if a.len() == 1 {
                    // No format: `CAST(s AS DATE)`, which reads a time after
                    // the date too.
                    return collect_dates(rows, |i| match s.at(i) {
                        Some(v) => crate::scalar_fns::parse_date(v).map(Some).ok_or_else(|| {
                            Error::InvalidCast {
                                expr: format!("CAST('{v}' AS DATE)"),
                                value: format!("'{v}'"),
                                from: "STRING".into(),
                                to: "DATE".into(),
                            }
                        }),
                        None => Ok(None),
                    });
                }
                collect_dates(rows, |i| match s.at(i) {
                    Some(s) => match parse_ts(s.trim(), toks, tz) {
                        Some(us) => Ok(Some(tz.to_local(us).div_euclid(US_PER_DAY) as i32)),
                        None => Err(cannot_parse(s, p)),
                    },
                    None => Ok(None),
                })
            }
            PKind::ToTimestamp => {
                let s = strs(&a[0])?;
                collect_timestamps(rows, |i| match s.at(i) {
                    Some(s) => parse_ts(s.trim(), toks, tz)
                        .map(Some)
                        .ok_or_else(|| cannot_parse(s, p)),
                    None => Ok(None),
                })
            }
            PKind::UnixTimestamp => {
                if let Ok(t) = timestamps(&a[0]) {
                    return collect_i64(rows, |i| Ok(t.at(i).map(|us| us.div_euclid(1_000_000))));
                }
                if let Ok(d) = dates(&a[0]) {
                    return collect_i64(rows, |i| {
                        Ok(d.at(i)
                            .map(|d| tz.from_local(d as i64 * US_PER_DAY).div_euclid(1_000_000)))
                    });
                }
                let s = strs(&a[0])?;
                collect_i64(rows, |i| match s.at(i) {
                    Some(s) => match parse_ts(s.trim(), toks, tz) {
                        Some(us) => Ok(Some(us.div_euclid(1_000_000))),
                        None => Err(cannot_parse(s, p)),
                    },
                    None => Ok(None),
                })
            }
        }
    }
}

/// Declares a conversion between a timestamp and a bigint count of units.
macro_rules! epoch_fn {
    ($ty:ident, $name:literal, $usage:literal, to_int, $per:expr) => {
        scalar_function!(
            $ty, $name, [], $usage,
            resolve(this, args, call) {
                arity($name, &args, 1, 1)?;
                typed(&this, args, &[Timestamp], Int64, call)
            }
            invoke(a, rows) {
                let t = timestamps(&a[0])?;
                collect_i64(rows, |i| Ok(t.at(i).map(|us| us.div_euclid($per))))
            }
        );
    };
    ($ty:ident, $name:literal, $usage:literal, from_int, $per:expr) => {
        scalar_function!(
            $ty, $name, [], $usage,
            resolve(this, args, call) {
                arity($name, &args, 1, 1)?;
                typed(&this, args, &[Int64], Timestamp, call)
            }
            invoke(a, rows) {
                let n = i64s(&a[0])?;
                collect_timestamps(rows, |i| match n.at(i) {
                    Some(n) => n.checked_mul($per).map(Some).ok_or_else(|| overflow($name)),
                    None => Ok(None),
                })
            }
        );
    };
}

epoch_fn!(
    UnixSeconds,
    "unix_seconds",
    "unix_seconds(timestamp) - Returns the number of seconds since 1970-01-01 00:00:00 UTC.",
    to_int,
    1_000_000
);
epoch_fn!(
    UnixMillis,
    "unix_millis",
    "unix_millis(timestamp) - Returns the number of milliseconds since 1970-01-01 00:00:00 UTC.",
    to_int,
    1_000
);
epoch_fn!(
    UnixMicros,
    "unix_micros",
    "unix_micros(timestamp) - Returns the number of microseconds since 1970-01-01 00:00:00 UTC.",
    to_int,
    1
);
epoch_fn!(
    TimestampSeconds,
    "timestamp_seconds",
    "timestamp_seconds(seconds) - Creates timestamp from the number of seconds since UTC epoch.",
    from_int,
    1_000_000
);
epoch_fn!(TimestampMillis, "timestamp_millis", "timestamp_millis(milliseconds) - Creates timestamp from the number of milliseconds since UTC epoch.", from_int, 1_000);
epoch_fn!(TimestampMicros, "timestamp_micros", "timestamp_micros(microseconds) - Creates timestamp from the number of microseconds since UTC epoch.", from_int, 1);

/// The time the query was resolved, in microseconds (Spark fixes
/// `current_timestamp()` once per query, not per row).
fn now_us() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// `current_date()` / `current_timestamp()` / `now()`: fixed when the
/// query is resolved; the resolved instance holds the instant.
pub struct Now {
    date: bool,
    at: Option<i64>,
    tz: TimeZone,
}

#[allow(non_upper_case_globals)]
const CurrentDate: Now = Now {
    date: true,
    at: None,
    tz: TimeZone::Utc,
};
#[allow(non_upper_case_globals)]
const CurrentTimestamp: Now = Now {
    date: false,
    at: None,
    tz: TimeZone::Utc,
};

impl ScalarFunction for Now {
    fn name(&self) -> &'static str {
        if self.date {
            "current_date"
        } else {
            "current_timestamp"
        }
    }

    fn aliases(&self) -> &'static [&'static str] {
        if self.date {
            &["curdate"]
        } else {
            &["now", "localtimestamp"]
        }
    }

    fn usage(&self) -> &'static str {
        if self.date {
            "current_date() - Returns the current date at the start of query evaluation."
        } else {
            "current_timestamp() - Returns the current timestamp at the start of query evaluation."
        }
    }

    /// The instant is taken once per query, as Spark's (whose
    /// `CurrentTimestamp` is deterministic: `max(now())` is allowed).
    fn deterministic(&self) -> bool {
        true
    }

    fn instance_key(&self) -> String {
        let at = self.at.map(|t| t.to_string()).unwrap_or_default();
        if self.date && !self.tz.is_utc() {
            format!("{at}@{}", self.tz.id())
        } else {
            at
        }
    }

    fn with_time_zone(&self, tz: &TimeZone) -> Option<FunctionRef> {
        Some(FunctionRef::new(Now {
            date: self.date,
            at: self.at,
            tz: tz.clone(),
        }))
    }

    fn resolve(&self, args: Vec<TExpr>, _call: &Expr) -> Result<Resolved> {
        arity(self.name(), &args, 0, 0)?;
        Ok(Resolved {
            func: FunctionRef(std::sync::Arc::new(Now {
                date: self.date,
                at: Some(now_us()),
                tz: self.tz.clone(),
            })),
            args,
            ty: if self.date { Date } else { Timestamp },
            nullable: false,
        })
    }

    fn invoke(&self, _a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let at = self.at.unwrap_or_else(now_us);
        if self.date {
            let day = self.tz.to_local(at).div_euclid(US_PER_DAY) as i32;
            collect_dates(rows, |_| Ok(Some(day)))
        } else {
            collect_timestamps(rows, |_| Ok(Some(at)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_helpers() {
        let d = |y, m, d| days_from_civil(y, m, d) as i32;
        assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
        assert_eq!(add_months(d(2024, 3, 15), -14), d(2023, 1, 15));
        assert_eq!(iso_week(d(2021, 1, 3) as i64), 53);
        assert_eq!(iso_week(d(2021, 1, 4) as i64), 1);
        assert_eq!(weekday(d(2024, 3, 5) as i64), 1); // a Tuesday
    }
}
