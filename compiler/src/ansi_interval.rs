//! Spark's two ANSI interval types as values: `INTERVAL YEAR TO MONTH`
//! (a count of months, `i32`) and `INTERVAL DAY TO SECOND` (microseconds,
//! `i64`), each with a start and an end field (`INTERVAL DAY TO HOUR`,
//! `INTERVAL MINUTE`, …). Here: the fields' names, the text Spark prints
//! (`IntervalUtils.toYearMonthIntervalString`/`toDayTimeIntervalString`,
//! ANSI style), the strings a cast reads, the values of literals written
//! as units (`INTERVAL 1 DAY 2 HOURS`), and the truncation a cast to a
//! narrower range makes.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, DurationMicrosecondArray, IntervalYearMonthArray, StringArray,
};

use crate::error::{Error, Result};
use crate::scalar_fns::MICROS_PER_DAY;
use crate::types::{DataType, Scalar};

/// Year-month fields.
pub const YEAR: u8 = 0;
pub const MONTH: u8 = 1;
/// Day-time fields.
pub const DAY: u8 = 0;
pub const HOUR: u8 = 1;
pub const MINUTE: u8 = 2;
pub const SECOND: u8 = 3;

const MICROS_PER_HOUR: i64 = 3_600_000_000;
const MICROS_PER_MINUTE: i64 = 60_000_000;
const MICROS_PER_SECOND: i64 = 1_000_000;

pub fn ym_field(f: u8) -> &'static str {
    if f == YEAR {
        "year"
    } else {
        "month"
    }
}

pub fn dt_field(f: u8) -> &'static str {
    ["day", "hour", "minute", "second"][f.min(3) as usize]
}

/// `interval day`, `interval day to hour`: Spark's type names.
pub fn type_name(year_month: bool, start: u8, end: u8) -> String {
    let name = if year_month { ym_field } else { dt_field };
    if start == end {
        format!("interval {}", name(start))
    } else {
        format!("interval {} to {}", name(start), name(end))
    }
}

/// Microseconds in one unit of a day-time field.
pub fn dt_unit(f: u8) -> i64 {
    match f {
        DAY => MICROS_PER_DAY,
        HOUR => MICROS_PER_HOUR,
        MINUTE => MICROS_PER_MINUTE,
        _ => MICROS_PER_SECOND,
    }
}

/// Months in one unit of a year-month field.
pub fn ym_unit(f: u8) -> i32 {
    if f == YEAR {
        12
    } else {
        1
    }
}

/// A day-time value cut to whole units of its end field (toward zero), as
/// a cast to a range ending there makes it.
pub fn truncate_dt(micros: i64, end: u8) -> i64 {
    micros - micros % dt_unit(end)
}

pub fn truncate_ym(months: i32, end: u8) -> i32 {
    months - months % ym_unit(end)
}

/// Spark's text of a year-month interval: `INTERVAL '1-2' YEAR TO MONTH`.
pub fn format_ym(months: i32, start: u8, end: u8) -> String {
    let (sign, abs) = if months < 0 {
        ("-", -(months as i64))
    } else {
        ("", months as i64)
    };
    let year = format!("{sign}{}", abs / 12);
    let body = if start != end {
        format!("{year}-{}", abs % 12)
    } else if start == YEAR {
        year
    } else {
        months.to_string()
    };
    let fields = if start == end {
        ym_field(start).to_uppercase()
    } else {
        format!(
            "{} TO {}",
            ym_field(start).to_uppercase(),
            ym_field(end).to_uppercase()
        )
    };
    format!("INTERVAL '{body}' {fields}")
}

/// Seconds and their fraction as Java's `BigDecimal.valueOf(us, 6)
/// .stripTrailingZeros.toPlainString`, two digits at least.
fn seconds_text(rest: i64) -> String {
    let lead = if rest < 10 * MICROS_PER_SECOND {
        "0"
    } else {
        ""
    };
    let (s, f) = (rest / MICROS_PER_SECOND, rest % MICROS_PER_SECOND);
    if f == 0 {
        format!("{lead}{s}")
    } else {
        let frac = format!("{f:06}");
        format!("{lead}{s}.{}", frac.trim_end_matches('0'))
    }
}

/// Spark's text of a day-time interval: `INTERVAL '1 02:03:04.5' DAY TO SECOND`.
pub fn format_dt(micros: i64, start: u8, end: u8) -> String {
    let fields = if start == end {
        dt_field(start).to_uppercase()
    } else {
        format!(
            "{} TO {}",
            dt_field(start).to_uppercase(),
            dt_field(end).to_uppercase()
        )
    };
    if micros == i64::MIN {
        // Spark's own spelling of the one value whose negation overflows.
        let first = match start {
            DAY => "-106751991".to_string(),
            HOUR => "-2562047788".to_string(),
            MINUTE => "-153722867280".to_string(),
            _ => "-9223372036854.775808".to_string(),
        };
        let base = "-106751991 04:00:54.775808";
        let from = [10, 13, 16][start.min(2) as usize];
        let to = [13, 13, 16, 26][end as usize];
        let follow = if start == end { "" } else { &base[from..to] };
        return format!("INTERVAL '{first}{follow}' {fields}");
    }
    let (sign, mut rest) = if micros < 0 {
        ("-", -micros)
    } else {
        ("", micros)
    };
    let mut out = String::from(sign);
    match start {
        DAY => {
            out.push_str(&(rest / MICROS_PER_DAY).to_string());
            rest %= MICROS_PER_DAY;
        }
        HOUR => {
            out.push_str(&format!("{:02}", rest / MICROS_PER_HOUR));
            rest %= MICROS_PER_HOUR;
        }
        MINUTE => {
            out.push_str(&format!("{:02}", rest / MICROS_PER_MINUTE));
            rest %= MICROS_PER_MINUTE;
        }
        _ => out.push_str(&seconds_text(rest)),
    }
    if start < HOUR && HOUR <= end {
        out.push_str(&format!(" {:02}", rest / MICROS_PER_HOUR));
        rest %= MICROS_PER_HOUR;
    }
    if start < MINUTE && MINUTE <= end {
        out.push_str(&format!(":{:02}", rest / MICROS_PER_MINUTE));
        rest %= MICROS_PER_MINUTE;
    }
    if start < SECOND && SECOND <= end {
        out.push(':');
        out.push_str(&seconds_text(rest));
    }
    format!("INTERVAL '{out}' {fields}")
}

fn bad_format(text: &str, why: &str) -> Error {
    Error::Parse {
        message: format!("[INVALID_INTERVAL_FORMAT] Error parsing interval '{text}': {why}"),
        line: 0,
        column: 0,
    }
}

fn overflow() -> Error {
    Error::execution(
        "INTERVAL_ARITHMETIC_OVERFLOW.WITHOUT_SUGGESTION",
        "Integer overflow while operating with intervals. Try devising appropriate values for \
         the interval parameters.",
    )
}

/// The field a unit word names (`days`, `HOUR`, `week`): `(year-month?, field)`.
fn unit_field(unit: &str) -> Option<(bool, u8)> {
    let u = unit.to_ascii_lowercase();
    let u = u.strip_suffix('s').unwrap_or(&u);
    Some(match u {
        "year" => (true, YEAR),
        "month" => (true, MONTH),
        "week" | "day" => (false, DAY),
        "hour" => (false, HOUR),
        "minute" => (false, MINUTE),
        "second" | "millisecond" | "microsecond" => (false, SECOND),
        _ => return None,
    })
}

/// A literal written as value–unit pairs (`INTERVAL 1 DAY 2 HOURS`,
/// `INTERVAL '10 minutes'`), typed as Spark types it: the range from the
/// largest unit to the smallest; year-month and day-time units never mix.
pub fn from_units(pairs: &[(&str, &str)], text: &str) -> Result<Scalar> {
    let mut fields = Vec::new();
    for (_, unit) in pairs {
        fields.push(unit_field(unit).ok_or_else(|| bad_format(text, "unknown unit"))?);
    }
    let ym = fields.iter().any(|f| f.0);
    if ym && fields.iter().any(|f| !f.0) {
        return Err(Error::Parse {
            message: format!(
                "[_LEGACY_ERROR_TEMP_0029] Cannot mix year-month and day-time fields: {text}."
            ),
            line: 0,
            column: 0,
        });
    }
    let start = fields.iter().map(|f| f.1).min().unwrap_or(0);
    let end = fields.iter().map(|f| f.1).max().unwrap_or(0);
    if ym {
        let mut months: i64 = 0;
        for ((value, _), (_, f)) in pairs.iter().zip(&fields) {
            let v: i64 = value
                .trim()
                .parse()
                .map_err(|_| bad_format(text, "not a whole number"))?;
            months = v
                .checked_mul(ym_unit(*f) as i64)
                .and_then(|m| months.checked_add(m))
                .ok_or_else(overflow)?;
        }
        let months = i32::try_from(months).map_err(|_| overflow())?;
        return Ok(Scalar::YearMonthInterval(months, start, end));
    }
    let mut micros: i64 = 0;
    for (value, unit) in pairs {
        let v = crate::sql::literal::interval_value(value, unit).map_err(|_| overflow())?;
        micros = micros.checked_add(v).ok_or_else(overflow)?;
    }
    Ok(Scalar::DayTimeInterval(micros, start, end))
}

/// Digits only, as a number.
fn digits(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `[+|-]` then the rest.
fn signed(s: &str) -> (bool, &str) {
    match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    }
}

/// A year-month string in the form of the range (`1-2`, `-3`), `None`
/// when it does not match.
pub fn parse_ym_body(s: &str, start: u8, end: u8) -> Option<i32> {
    let (neg, body) = signed(s.trim());
    let months: i64 = if start != end {
        let (y, m) = body.split_once('-')?;
        let (y, m) = (digits(y)?, digits(m)?);
        if m > 11 {
            return None;
        }
        y.checked_mul(12)?.checked_add(m)?
    } else {
        digits(body)?.checked_mul(ym_unit(start) as i64)?
    };
    i32::try_from(if neg { -months } else { months }).ok()
}

/// A day-time string in the form of the range (`1 02:03:04.5` for DAY TO
/// SECOND, `10:20` for HOUR TO MINUTE), `None` when it does not match.
pub fn parse_dt_body(s: &str, start: u8, end: u8) -> Option<i64> {
    let (neg, body) = signed(s.trim());
    // Split into the fields from start to end: day ' ' hour ':' minute ':' second.
    let mut parts = Vec::new();
    let mut rest = body;
    for f in start..=end {
        let last = f == end;
        let sep = if f == DAY { ' ' } else { ':' };
        let piece = if last {
            std::mem::take(&mut rest)
        } else {
            let (p, r) = rest.split_once(sep)?;
            rest = r;
            p
        };
        parts.push((f, piece));
    }
    let mut total: i64 = 0;
    for (i, (f, piece)) in parts.into_iter().enumerate() {
        let leading = i == 0;
        let v = if f == SECOND {
            let (int, frac) = piece.split_once('.').unwrap_or((piece, ""));
            let whole = digits(int)?;
            if !frac.is_empty() && !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 9 {
                return None;
            }
            if !leading && whole > 59 {
                return None;
            }
            let f6 = format!("{:0<6}", &frac[..frac.len().min(6)]);
            whole
                .checked_mul(MICROS_PER_SECOND)?
                .checked_add(f6.parse::<i64>().ok()?)?
        } else {
            let v = digits(piece)?;
            let limit = if f == HOUR { 23 } else { 59 };
            if !leading && v > limit {
                return None;
            }
            v.checked_mul(dt_unit(f))?
        };
        total = total.checked_add(v)?;
    }
    Some(if neg { -total } else { total })
}

/// `INTERVAL '…' DAY TO HOUR` text around a body, when `s` has that form:
/// the body and its fields as written.
fn unwrap_literal(s: &str) -> Option<(&str, String, bool)> {
    let t = s.trim();
    let head = t.get(..8)?;
    if !head.eq_ignore_ascii_case("interval") {
        return None;
    }
    let t = t[8..].trim_start();
    let (neg, t) = signed(t);
    let t = t.strip_prefix('\'')?;
    let close = t.find('\'')?;
    let body = &t[..close];
    let fields = t[close + 1..].trim().to_ascii_lowercase();
    let fields = fields.split_whitespace().collect::<Vec<_>>().join(" ");
    // `INTERVAL -'1' DAY`: the negated body.
    Some((body, fields, neg))
}

/// A string cast to an interval type (`CAST('1-2' AS INTERVAL YEAR TO
/// MONTH)`, or Spark's own text `INTERVAL '1' DAY`), `None` when it does
/// not match the type's form.
pub fn parse_cast(s: &str, ty: &DataType) -> Option<Scalar> {
    let (ym, start, end) = match ty {
        DataType::YearMonthInterval(a, b) => (true, *a, *b),
        DataType::DayTimeInterval(a, b) => (false, *a, *b),
        _ => return None,
    };
    let (body, neg) = match unwrap_literal(s) {
        Some((body, fields, neg)) if fields == type_name(ym, start, end)["interval ".len()..] => {
            (body, neg)
        }
        Some(_) => return None,
        None => (s, false),
    };
    if ym {
        let m = parse_ym_body(body, start, end)?;
        let m = if neg { m.checked_neg()? } else { m };
        Some(Scalar::YearMonthInterval(m, start, end))
    } else {
        let us = parse_dt_body(body, start, end)?;
        let us = if neg { us.checked_neg()? } else { us };
        Some(Scalar::DayTimeInterval(us, start, end))
    }
}

/// A from–to literal (`INTERVAL '1 02' DAY TO HOUR`): the fields by name.
pub fn from_range(text: &str, from: &str, to: &str) -> Result<Scalar> {
    let (a, b) = match (unit_field(from), unit_field(to)) {
        (Some(a), Some(b)) if a.0 == b.0 && a.1 < b.1 => (a, b),
        _ => {
            return Err(bad_format(
                text,
                &format!("{from} TO {to} is not an interval range"),
            ))
        }
    };
    let ty = if a.0 {
        DataType::YearMonthInterval(a.1, b.1)
    } else {
        DataType::DayTimeInterval(a.1, b.1)
    };
    parse_cast(text, &ty).ok_or_else(|| {
        bad_format(
            text,
            &format!(
                "it does not match the form of {}",
                ty.spark_name().to_uppercase()
            ),
        )
    })
}

/// An Arrow array of interval type `t` from its values (`None`: null;
/// a value of the other kind is null too).
pub fn array_of(t: &DataType, vals: impl Iterator<Item = Option<Scalar>>) -> ArrayRef {
    match t {
        DataType::YearMonthInterval(..) => Arc::new(
            vals.map(|v| match v {
                Some(Scalar::YearMonthInterval(m, ..)) => Some(m),
                _ => None,
            })
            .collect::<IntervalYearMonthArray>(),
        ),
        _ => Arc::new(
            vals.map(|v| match v {
                Some(Scalar::DayTimeInterval(us, ..)) => Some(us),
                _ => None,
            })
            .collect::<DurationMicrosecondArray>(),
        ),
    }
}

/// The months of a year-month array.
pub fn months(a: &dyn Array) -> Result<&IntervalYearMonthArray> {
    a.as_any()
        .downcast_ref::<IntervalYearMonthArray>()
        .ok_or_else(|| Error::internal(format!("a year-month interval array of {}", a.data_type())))
}

/// The microseconds of a day-time array.
pub fn micros(a: &dyn Array) -> Result<&DurationMicrosecondArray> {
    a.as_any()
        .downcast_ref::<DurationMicrosecondArray>()
        .ok_or_else(|| Error::internal(format!("a day-time interval array of {}", a.data_type())))
}

/// Each value of interval array `a` (of type `t`) as Spark prints it.
pub fn to_strings(a: &dyn Array, t: &DataType) -> Result<ArrayRef> {
    let out: StringArray = match t {
        DataType::YearMonthInterval(s, e) => months(a)?
            .iter()
            .map(|v| v.map(|m| format_ym(m, *s, *e)))
            .collect(),
        DataType::DayTimeInterval(s, e) => micros(a)?
            .iter()
            .map(|v| v.map(|us| format_dt(us, *s, *e)))
            .collect(),
        _ => return Err(Error::internal(format!("interval text of {t}"))),
    };
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_as_spark_prints_it() {
        assert_eq!(format_dt(MICROS_PER_DAY, DAY, DAY), "INTERVAL '1' DAY");
        let v = MICROS_PER_DAY + 2 * MICROS_PER_HOUR + 3 * MICROS_PER_MINUTE + 4_500_000;
        assert_eq!(
            format_dt(v, DAY, SECOND),
            "INTERVAL '1 02:03:04.5' DAY TO SECOND"
        );
        assert_eq!(
            format_dt(-v, DAY, SECOND),
            "INTERVAL '-1 02:03:04.5' DAY TO SECOND"
        );
        assert_eq!(format_dt(0, SECOND, SECOND), "INTERVAL '00' SECOND");
        assert_eq!(
            format_dt(1_500_000, SECOND, SECOND),
            "INTERVAL '01.5' SECOND"
        );
        assert_eq!(
            format_dt(3 * MICROS_PER_HOUR, HOUR, HOUR),
            "INTERVAL '03' HOUR"
        );
        assert_eq!(format_ym(14, YEAR, MONTH), "INTERVAL '1-2' YEAR TO MONTH");
        assert_eq!(format_ym(-1, YEAR, MONTH), "INTERVAL '-0-1' YEAR TO MONTH");
        assert_eq!(format_ym(24, YEAR, YEAR), "INTERVAL '2' YEAR");
        assert_eq!(format_ym(-14, MONTH, MONTH), "INTERVAL '-14' MONTH");
    }

    #[test]
    fn strings_in_the_form_of_a_range() {
        assert_eq!(parse_ym_body("1-2", YEAR, MONTH), Some(14));
        assert_eq!(parse_ym_body("-1-2", YEAR, MONTH), Some(-14));
        assert_eq!(parse_ym_body("1-12", YEAR, MONTH), None);
        assert_eq!(
            parse_dt_body("1 2:3:4", DAY, SECOND),
            Some(MICROS_PER_DAY + 2 * MICROS_PER_HOUR + 3 * MICROS_PER_MINUTE + 4_000_000)
        );
        assert_eq!(parse_dt_body("10:20", HOUR, MINUTE), Some(37_200_000_000));
        assert_eq!(parse_dt_body("1 24", DAY, HOUR), None);
        assert_eq!(
            parse_cast("INTERVAL '1' DAY", &DataType::DayTimeInterval(DAY, DAY)),
            Some(Scalar::DayTimeInterval(MICROS_PER_DAY, DAY, DAY))
        );
        assert_eq!(
            parse_cast("1 day", &DataType::DayTimeInterval(DAY, DAY)),
            None
        );
    }
}
