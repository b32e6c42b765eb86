//! Date and time functions. Dates are days since the epoch, timestamps
//! microseconds since the epoch; the session time zone is UTC (sqlc does not
//! honour `spark.sql.session.timeZone` yet). Patterns follow Spark's
//! datetime patterns (`yyyy-MM-dd HH:mm:ss.SSS`, `E`, `MMM`, `a`, quoted
//! text); a letter sqlc does not know is a clear error, not a guess.

use arrow::array::ArrayRef;

use super::args::*;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::scalar_fns::calendar::{civil_from_days, days_from_civil, days_in_month};
use crate::scalar_function;
use crate::types::DataType::{self, Date, Int32, Int64, Timestamp, Utf8};

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

const US_PER_DAY: i64 = 86_400_000_000;
const DEFAULT_FORMAT: &str = "yyyy-MM-dd HH:mm:ss";
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// 0 = Monday … 6 = Sunday.
fn weekday(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
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
                if !(1..=12).contains(&m) || d < 1 || d as u32 > days_in_month(y as i64, m as u32) || !(-290_000..=290_000).contains(&y) {
                    return Err(Error::execution(
                        "DATETIME_FIELD_OUT_OF_BOUNDS",
                        format!("Invalid date: year {y}, month {m}, day {d}. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error."),
                    ));
                }
                Ok(Some(days_from_civil(y as i64, m as u32, d as u32) as i32))
            }
            _ => Ok(None),
        })
    }
);

// ---- patterns ----

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Field(char, usize),
    Text(String),
}

fn tokenize(p: &str) -> Result<Vec<Tok>> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let mut text = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => break,
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        text.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(&c) => {
                        text.push(c);
                        i += 1;
                    }
                }
            }
            if text.is_empty() {
                text.push('\'');
            }
            out.push(Tok::Text(text));
        } else if c.is_ascii_alphabetic() {
            let mut n = 1;
            while chars.get(i + n) == Some(&c) {
                n += 1;
            }
            if !"yMLdDHhkKmsSaEuzZXxVOQq".contains(c) {
                return Err(Error::analysis(
                    "INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER",
                    format!("Illegal pattern character found in datetime pattern: {c}. Please provide legal character."),
                ));
            }
            out.push(Tok::Field(c, n));
            i += n;
        } else {
            out.push(Tok::Text(c.to_string()));
            i += 1;
        }
    }
    Ok(out)
}

/// Formats `us` (UTC) by the tokens of a Spark datetime pattern.
fn format_ts(us: i64, toks: &[Tok]) -> String {
    let days = us.div_euclid(US_PER_DAY);
    let tod = us.rem_euclid(US_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let (hh, mi, ss, frac) = (
        tod / 3_600_000_000,
        tod / 60_000_000 % 60,
        tod / 1_000_000 % 60,
        tod % 1_000_000,
    );
    let mut out = String::new();
    let pad = |v: i64, n: usize| format!("{:0width$}", v, width = n);
    for t in toks {
        match t {
            Tok::Text(s) => out.push_str(s),
            Tok::Field(c, n) => {
                let n = *n;
                let s = match c {
                    'y' | 'u' => {
                        if n == 2 {
                            pad(y.rem_euclid(100), 2)
                        } else {
                            pad(y, n)
                        }
                    }
                    'M' | 'L' => match n {
                        1 | 2 => pad(m as i64, n),
                        3 => MONTHS[m as usize - 1][..3].to_string(),
                        _ => MONTHS[m as usize - 1].to_string(),
                    },
                    'd' => pad(d as i64, n),
                    'D' => pad(days - days_from_civil(y, 1, 1) + 1, n),
                    'Q' | 'q' => pad(((m - 1) / 3 + 1) as i64, n),
                    'H' => pad(hh, n),
                    'k' => pad(if hh == 0 { 24 } else { hh }, n),
                    'h' => pad(if hh % 12 == 0 { 12 } else { hh % 12 }, n),
                    'K' => pad(hh % 12, n),
                    'm' => pad(mi, n),
                    's' => pad(ss, n),
                    'S' => {
                        let f = format!("{frac:06}");
                        if n <= 6 {
                            f[..n].to_string()
                        } else {
                            f + &"0".repeat(n - 6)
                        }
                    }
                    'a' => (if hh < 12 { "AM" } else { "PM" }).to_string(),
                    'E' => {
                        let w = DAYS[weekday(days)];
                        if n <= 3 {
                            w[..3].to_string()
                        } else {
                            w.to_string()
                        }
                    }
                    'z' | 'V' => "UTC".to_string(),
                    'O' => "GMT".to_string(),
                    'Z' => if n <= 3 { "+0000" } else { "GMT" }.to_string(),
                    'X' => "Z".to_string(),
                    'x' => match n {
                        1 => "+00",
                        2 | 4 => "+0000",
                        _ => "+00:00",
                    }
                    .to_string(),
                    _ => String::new(),
                };
                out.push_str(&s);
            }
        }
    }
    out
}

/// Parses `s` by the tokens of a pattern into microseconds (UTC); `None`
/// when it does not fit.
fn parse_ts(s: &str, toks: &[Tok]) -> Option<i64> {
    let b = s.as_bytes();
    let mut i = 0;
    let (mut y, mut mo, mut d) = (1970i64, 1u32, 1u32);
    let (mut hh, mut mi, mut ss, mut frac) = (0i64, 0i64, 0i64, 0i64);
    let mut pm: Option<bool> = None;
    let mut h12 = false;
    let num = |i: &mut usize, min: usize, max: usize| -> Option<i64> {
        let start = *i;
        let neg = b.get(*i) == Some(&b'-') && max > 4;
        if neg {
            *i += 1;
        }
        let ds = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - ds < max {
            *i += 1;
        }
        if *i - ds < min {
            *i = start;
            return None;
        }
        let v: i64 = std::str::from_utf8(&b[ds..*i]).ok()?.parse().ok()?;
        Some(if neg { -v } else { v })
    };
    for (k, t) in toks.iter().enumerate() {
        // A field directly followed by another field takes exactly its width.
        let next_is_field = matches!(toks.get(k + 1), Some(Tok::Field(..)));
        match t {
            Tok::Text(x) => {
                if !s[i..].starts_with(x.as_str()) {
                    return None;
                }
                i += x.len();
            }
            Tok::Field(c, n) => {
                let n = *n;
                let max = if next_is_field { n } else { 9 };
                match c {
                    'y' | 'u' => {
                        y = if n == 2 {
                            2000 + num(&mut i, 2, 2)?
                        } else {
                            num(&mut i, n.min(4), if next_is_field { n.max(4) } else { 9 })?
                        }
                    }
                    'M' | 'L' if n >= 3 => {
                        let idx = MONTHS.iter().position(|m| {
                            let name = if n == 3 { &m[..3] } else { m };
                            s[i..].len() >= name.len()
                                && s[i..i + name.len()].eq_ignore_ascii_case(name)
                        })?;
                        i += if n == 3 { 3 } else { MONTHS[idx].len() };
                        mo = idx as u32 + 1;
                    }
                    'M' | 'L' => mo = num(&mut i, n, max.max(2))? as u32,
                    'd' => d = num(&mut i, n, max.max(2))? as u32,
                    'H' | 'k' => hh = num(&mut i, n, max.max(2))?,
                    'h' | 'K' => {
                        hh = num(&mut i, n, max.max(2))?;
                        h12 = true;
                    }
                    'm' => mi = num(&mut i, n, max.max(2))?,
                    's' => ss = num(&mut i, n, max.max(2))?,
                    'S' => {
                        let start = i;
                        let v = num(&mut i, 1, n)?;
                        let digits = i - start;
                        frac = v * 10i64.pow((6usize.saturating_sub(digits)) as u32);
                        if digits > 6 {
                            frac = v / 10i64.pow((digits - 6) as u32);
                        }
                    }
                    'a' => {
                        let up = s[i..].get(..2)?.to_ascii_uppercase();
                        pm = Some(match up.as_str() {
                            "AM" => false,
                            "PM" => true,
                            _ => return None,
                        });
                        i += 2;
                    }
                    'E' => {
                        let idx = DAYS.iter().position(|w| {
                            let name = if n <= 3 { &w[..3] } else { w };
                            s[i..].len() >= name.len()
                                && s[i..i + name.len()].eq_ignore_ascii_case(name)
                        })?;
                        i += if n <= 3 { 3 } else { DAYS[idx].len() };
                    }
                    _ => return None,
                }
            }
        }
    }
    if i != b.len() {
        return None;
    }
    if h12 {
        if !(1..=12).contains(&hh) {
            return None;
        }
        hh %= 12;
        if pm == Some(true) {
            hh += 12;
        }
    }
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || hh > 23 || mi > 59 || ss > 59
    {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    Some(days * US_PER_DAY + ((hh * 60 + mi) * 60 + ss) * 1_000_000 + frac)
}

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
}

#[derive(Clone, Copy, PartialEq)]
enum PKind {
    DateFormat,
    ToDate,
    UnixTimestamp,
    FromUnixtime,
}

#[allow(non_upper_case_globals)]
const DateFormat: Patterned = Patterned {
    kind: PKind::DateFormat,
    pattern: None,
};
#[allow(non_upper_case_globals)]
const ToDate: Patterned = Patterned {
    kind: PKind::ToDate,
    pattern: None,
};
#[allow(non_upper_case_globals)]
const UnixTimestamp: Patterned = Patterned {
    kind: PKind::UnixTimestamp,
    pattern: None,
};
#[allow(non_upper_case_globals)]
const FromUnixtime: Patterned = Patterned {
    kind: PKind::FromUnixtime,
    pattern: None,
};

impl ScalarFunction for Patterned {
    fn name(&self) -> &'static str {
        match self.kind {
            PKind::DateFormat => "date_format",
            PKind::ToDate => "to_date",
            PKind::UnixTimestamp => "unix_timestamp",
            PKind::FromUnixtime => "from_unixtime",
        }
    }

    fn usage(&self) -> &'static str {
        match self.kind {
            PKind::DateFormat => "date_format(timestamp, fmt) - Converts `timestamp` to a value of string in the format specified by the date format `fmt`.",
            PKind::ToDate => "to_date(date_str[, fmt]) - Parses the `date_str` expression with the `fmt` expression to a date.",
            PKind::UnixTimestamp => "unix_timestamp([timeExp[, fmt]]) - Returns the UNIX timestamp of current or specified time.",
            PKind::FromUnixtime => "from_unixtime(unix_time[, fmt]) - Returns `unix_time` in the specified `fmt`.",
        }
    }

    fn resolve(&self, args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        let name = self.name();
        let (params, lo, ty): (Vec<DataType>, usize, DataType) = match self.kind {
            PKind::DateFormat => (vec![Timestamp, Utf8], 2, Utf8),
            PKind::ToDate => (vec![Utf8, Utf8], 1, Date),
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
        }));
        Ok(r)
    }

    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let Some((p, toks)) = &self.pattern else {
            let ty = match self.kind {
                PKind::DateFormat | PKind::FromUnixtime => Utf8,
                PKind::ToDate => Date,
                PKind::UnixTimestamp => Int64,
            };
            return Ok(arrow::array::new_null_array(&ty.to_arrow(), rows));
        };
        match self.kind {
            PKind::DateFormat => {
                let t = timestamps(&a[0])?;
                collect_strings(rows, |i| Ok(t.at(i).map(|t| format_ts(t, toks))))
            }
            PKind::FromUnixtime => {
                let t = i64s(&a[0])?;
                collect_strings(rows, |i| {
                    Ok(t.at(i)
                        .and_then(|s| s.checked_mul(1_000_000))
                        .map(|us| format_ts(us, toks)))
                })
            }
            PKind::ToDate => {
                if let Ok(d) = dates(&a[0]) {
                    return collect_dates(rows, |i| Ok(d.at(i)));
                }
                let s = strs(&a[0])?;
                collect_dates(rows, |i| match s.at(i) {
                    Some(s) => match parse_ts(s.trim(), toks) {
                        Some(us) => Ok(Some(us.div_euclid(US_PER_DAY) as i32)),
                        None => Err(cannot_parse(s, p)),
                    },
                    None => Ok(None),
                })
            }
            PKind::UnixTimestamp => {
                if let Ok(t) = timestamps(&a[0]) {
                    return collect_i64(rows, |i| Ok(t.at(i).map(|us| us.div_euclid(1_000_000))));
                }
                if let Ok(d) = dates(&a[0]) {
                    return collect_i64(rows, |i| Ok(d.at(i).map(|d| d as i64 * 86_400)));
                }
                let s = strs(&a[0])?;
                collect_i64(rows, |i| match s.at(i) {
                    Some(s) => match parse_ts(s.trim(), toks) {
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
}

#[allow(non_upper_case_globals)]
const CurrentDate: Now = Now {
    date: true,
    at: None,
};
#[allow(non_upper_case_globals)]
const CurrentTimestamp: Now = Now {
    date: false,
    at: None,
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

    fn deterministic(&self) -> bool {
        false
    }

    fn instance_key(&self) -> String {
        self.at.map(|t| t.to_string()).unwrap_or_default()
    }

    fn resolve(&self, args: Vec<TExpr>, _call: &Expr) -> Result<Resolved> {
        arity(self.name(), &args, 0, 0)?;
        Ok(Resolved {
            func: FunctionRef(std::sync::Arc::new(Now {
                date: self.date,
                at: Some(now_us()),
            })),
            args,
            ty: if self.date { Date } else { Timestamp },
            nullable: false,
        })
    }

    fn invoke(&self, _a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let at = self.at.unwrap_or_else(now_us);
        if self.date {
            collect_dates(rows, |_| Ok(Some(at.div_euclid(US_PER_DAY) as i32)))
        } else {
            collect_timestamps(rows, |_| Ok(Some(at)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> i64 {
        crate::scalar_fns::parse_timestamp(s).unwrap()
    }

    #[test]
    fn formats_and_parses_spark_patterns() {
        let t = ts("2024-03-05 14:07:09.123456");
        let f = |p: &str| format_ts(t, &tokenize(p).unwrap());
        assert_eq!(f("yyyy-MM-dd HH:mm:ss"), "2024-03-05 14:07:09");
        assert_eq!(f("dd/MM/yy hh:mm a"), "05/03/24 02:07 PM");
        assert_eq!(f("EEE, MMM d yyyy"), "Tue, Mar 5 2024");
        assert_eq!(f("EEEE MMMM"), "Tuesday March");
        assert_eq!(f("SSS 'at' D"), "123 at 65");
        let p = |s: &str, pat: &str| parse_ts(s, &tokenize(pat).unwrap());
        assert_eq!(p("2024-03-05 14:07:09", DEFAULT_FORMAT), Some(t - 123_456));
        assert_eq!(
            p("05/03/2024", "dd/MM/yyyy"),
            Some(ts("2024-03-05 00:00:00"))
        );
        assert_eq!(p("20240305", "yyyyMMdd"), Some(ts("2024-03-05 00:00:00")));
        assert_eq!(p("2024-02-30", "yyyy-MM-dd"), None);
        assert!(tokenize("yyyy-bb").is_err());
    }

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
