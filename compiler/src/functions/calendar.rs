//! Calendar functions that build or measure dates and times field by
//! field, as Spark's `java.time` based expressions do: `trunc(date, fmt)`,
//! `months_between`, `make_timestamp`, and the seconds field with its
//! fraction (`date_part('SECOND', ts)`, `extract(SECOND FROM ts)`: a
//! `DECIMAL(8,6)`). Those that read a wall clock take the session time
//! zone through `with_time_zone`; `make_timestamp` may name its own.
//! Invalid fields raise Spark's ANSI errors with `java.time`'s messages
//! ([`java_date_error`], which `make_date` shares).

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::Decimal128Type;

use super::args::*;
use super::zoned::invalid_zone;
use super::{FunctionRef, Resolved, ScalarFunction};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::TExpr;
use crate::scalar_fns::calendar::{
    civil_from_days, days_from_civil, days_in_month, MICROS_PER_DAY, MICROS_PER_SECOND,
};
use crate::scalar_function;
use crate::time_zone::TimeZone;
use crate::types::DataType::{self, Boolean, Date, Decimal, Float64, Int32, Timestamp, Utf8};

use super::datetime_pattern::weekday;

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(Trunc),
        FunctionRef::new(Zoned {
            kind: Kind::MonthsBetween,
            tz: TimeZone::Utc,
        }),
        FunctionRef::new(Zoned {
            kind: Kind::MakeTimestamp,
            tz: TimeZone::Utc,
        }),
        FunctionRef::new(Zoned {
            kind: Kind::SecondWithFraction,
            tz: TimeZone::Utc,
        }),
    ]);
}

const MONTHS: [&str; 12] = [
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
];

/// What `java.time`'s `LocalDate.of(y, m, d)` says of an invalid date
/// (its `DateTimeException` message), `None` for a valid one.
pub fn java_date_error(y: i64, m: i64, d: i64) -> Option<String> {
    if !(-999_999_999..=999_999_999).contains(&y) {
        return Some(format!(
            "Invalid value for Year (valid values -999999999 - 999999999): {y}"
        ));
    }
    if !(1..=12).contains(&m) {
        return Some(format!(
            "Invalid value for MonthOfYear (valid values 1 - 12): {m}"
        ));
    }
    if !(1..=31).contains(&d) {
        return Some(format!(
            "Invalid value for DayOfMonth (valid values 1 - 28/31): {d}"
        ));
    }
    if d > days_in_month(y, m as u32) as i64 {
        return Some(if d == 29 {
            format!("Invalid date 'February 29' as '{y}' is not a leap year")
        } else {
            format!("Invalid date '{} {d}'", MONTHS[m as usize - 1])
        });
    }
    None
}

/// Spark's `[DATETIME_FIELD_OUT_OF_BOUNDS]` for a `java.time` message.
pub fn field_out_of_bounds(message: &str) -> Error {
    Error::execution(
        "DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION",
        format!("{message}. "),
    )
}

/// The first day of the unit of `fmt` holding `day` (Spark's `truncDate`);
/// `None` for units below a week or unknown, as Spark gives NULL.
fn trunc_date(day: i32, fmt: &str) -> Option<i32> {
    let (y, m, _) = civil_from_days(day as i64);
    let first = |y, m| Some(days_from_civil(y, m, 1) as i32);
    match fmt.to_ascii_uppercase().as_str() {
        "WEEK" => Some(day - weekday(day as i64) as i32),
        "MON" | "MONTH" | "MM" => first(y, m),
        "QUARTER" => first(y, (m - 1) / 3 * 3 + 1),
        "YEAR" | "YYYY" | "YY" => first(y, 1),
        _ => None,
    }
}

scalar_function!(
    /// `trunc(date, fmt)`: the date truncated to the year, quarter, month
    /// or week; NULL for any other unit.
    Trunc, "trunc", [], "trunc(date, fmt) - Returns `date` with the time portion of the day truncated to the unit specified by the format model `fmt`.",
    resolve(this, args, call) {
        arity("trunc", &args, 2, 2)?;
        let mut r = typed(&this, args, &[Date, Utf8], Date, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        let (d, f) = (dates(&a[0])?, strs(&a[1])?);
        collect_dates(rows, |i| Ok(match (d.at(i), f.at(i)) {
            (Some(d), Some(f)) => trunc_date(d, f),
            _ => None,
        }))
    }
);

/// Spark's `monthsBetween`: whole months when both days of the month are
/// the same or both are their month's last; otherwise months of 31 days,
/// counted in seconds from each day's start in `tz`, rounded to 8 digits
/// when `round_off`.
pub fn months_between(t1: i64, t2: i64, round_off: bool, tz: &TimeZone) -> f64 {
    let split = |us: i64| {
        let day = tz.to_local(us).div_euclid(MICROS_PER_DAY);
        let (y, m, d) = civil_from_days(day);
        let last = d == days_in_month(y, m);
        let secs = (us - tz.from_local(day * MICROS_PER_DAY)) / MICROS_PER_SECOND;
        (y * 12 + m as i64, d as i64, last, secs)
    };
    let (m1, d1, last1, s1) = split(t1);
    let (m2, d2, last2, s2) = split(t2);
    let month_diff = (m1 - m2) as f64;
    if d1 == d2 || (last1 && last2) {
        return month_diff;
    }
    let secs = (d1 - d2) * 86_400 + s1 - s2;
    let diff = month_diff + secs as f64 / (31.0 * 86_400.0);
    if round_off {
        // Java's Math.round: floor(x + 0.5).
        (diff * 1e8 + 0.5).floor() / 1e8
    } else {
        diff
    }
}

/// The value `make_timestamp(y, mo, d, h, mi, sec)` names on the wall
/// clock (µs, as if UTC), with Spark's checks: `sec` is a
/// `DECIMAL(16, 6)`'s unscaled value; 60 seconds with no fraction is the
/// next minute.
fn make_local(f: [i32; 5], sec_micros: i128) -> Result<i64> {
    // Spark reads the unscaled value as an int (`toUnscaledLong.toInt`).
    let total = sec_micros as i64 as i32;
    let (secs, micros) = (total.div_euclid(1_000_000), total.rem_euclid(1_000_000));
    let [y, mo, d, h, mi] = f;
    let carry = if secs == 60 {
        if micros != 0 {
            let text = crate::decimal::format(sec_micros, 6);
            let text = text.trim_end_matches('0').trim_end_matches('.');
            return Err(Error::execution(
                "INVALID_FRACTION_OF_SECOND",
                format!("Valid range for seconds is [0, 60] (inclusive), but the provided value is {text}. To avoid this error, use `try_make_timestamp`, which returns NULL on error."),
            ));
        }
        60
    } else {
        0
    };
    let secs = if carry == 60 { 0 } else { secs };
    if let Some(m) = java_date_error(y as i64, mo as i64, d as i64) {
        return Err(field_out_of_bounds(&m));
    }
    for (v, field, hi) in [
        (h, "HourOfDay", 23),
        (mi, "MinuteOfHour", 59),
        (secs, "SecondOfMinute", 59),
    ] {
        if !(0..=hi).contains(&v) {
            return Err(field_out_of_bounds(&format!(
                "Invalid value for {field} (valid values 0 - {hi}): {v}"
            )));
        }
    }
    let day = days_from_civil(y as i64, mo as u32, d as u32);
    let secs_of_day = h as i64 * 3600 + mi as i64 * 60 + secs as i64 + carry;
    day.checked_mul(MICROS_PER_DAY)
        .and_then(|us| us.checked_add(secs_of_day * MICROS_PER_SECOND + micros as i64))
        .ok_or_else(|| Error::Overflow {
            expr: "make_timestamp".into(),
            detail: "long overflow".into(),
        })
}

/// `[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE]` unless Spark casts `a`
/// to a timestamp implicitly (a date, a string, NULL): numbers are cast
/// only explicitly.
fn implicitly_timestamp(a: &TExpr, i: usize, call: &Expr) -> Result<()> {
    if matches!(a.ty, Timestamp | Date | Utf8 | DataType::Null) {
        return Ok(());
    }
    let ordinal = ["first", "second"].get(i - 1).copied().unwrap_or("third");
    Err(Error::analysis(
        "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
        format!(
            "Cannot resolve \"{call}\" due to data type mismatch: The {ordinal} parameter requires the \"TIMESTAMP\" type, however \"{a}\" has the type \"{}\".",
            a.ty.spark_name().to_uppercase()
        ),
    ))
}

/// The session-zoned functions of this family.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    MonthsBetween,
    MakeTimestamp,
    /// `date_part('SECOND', ts)`: the catalog's `date_part` is reached
    /// only for the seconds field (the others are rewritten, see
    /// [`super::rewrite`]).
    SecondWithFraction,
}

struct Zoned {
    kind: Kind,
    tz: TimeZone,
}

impl ScalarFunction for Zoned {
    fn name(&self) -> &'static str {
        match self.kind {
            Kind::MonthsBetween => "months_between",
            Kind::MakeTimestamp => "make_timestamp",
            Kind::SecondWithFraction => "date_part",
        }
    }

    fn aliases(&self) -> &'static [&'static str] {
        match self.kind {
            Kind::SecondWithFraction => &["datepart"],
            _ => &[],
        }
    }

    fn usage(&self) -> &'static str {
        match self.kind {
            Kind::MonthsBetween => "months_between(timestamp1, timestamp2[, roundOff]) - If `timestamp1` is later than `timestamp2`, then the result is positive. If `timestamp1` and `timestamp2` are on the same day of month, or both are the last day of month, time of day will be ignored. Otherwise, the difference is calculated based on 31 days per month, and rounded to 8 digits unless roundOff=false.",
            Kind::MakeTimestamp => "make_timestamp(year, month, day, hour, min, sec[, timezone]) - Create timestamp from year, month, day, hour, min, sec and timezone fields.",
            Kind::SecondWithFraction => "date_part(field, source) - Extracts a part of the date/timestamp or interval source.",
        }
    }

    fn instance_key(&self) -> String {
        if self.tz.is_utc() {
            String::new()
        } else {
            self.tz.id().to_string()
        }
    }

    fn with_time_zone(&self, tz: &TimeZone) -> Option<FunctionRef> {
        Some(FunctionRef::new(Zoned {
            kind: self.kind,
            tz: tz.clone(),
        }))
    }

    fn shown(&self, args: &[String]) -> Option<String> {
        (self.kind == Kind::SecondWithFraction)
            .then(|| format!("date_part(SECOND, {})", args.first().map_or("", |a| a)))
    }

    fn resolve(&self, mut args: Vec<TExpr>, call: &Expr) -> Result<Resolved> {
        let this = FunctionRef::new(Zoned {
            kind: self.kind,
            tz: self.tz.clone(),
        });
        match self.kind {
            Kind::MonthsBetween => {
                arity("months_between", &args, 2, 3)?;
                for (i, a) in args.iter().take(2).enumerate() {
                    implicitly_timestamp(a, i + 1, call)?;
                }
                if args.len() == 2 {
                    args.push(TExpr::literal(crate::types::Scalar::Boolean(true)));
                }
                typed(&this, args, &[Timestamp, Timestamp, Boolean], Float64, call)
            }
            Kind::MakeTimestamp => {
                arity("make_timestamp", &args, 6, 7)?;
                let params = [Int32, Int32, Int32, Int32, Int32, Decimal(16, 6), Utf8];
                typed(&this, args, &params, Timestamp, call)
            }
            Kind::SecondWithFraction => {
                arity("date_part", &args, 2, 2)?;
                implicitly_timestamp(&args[1], 2, call)?;
                let source = coerce(args.remove(1), &Timestamp, 2, call)?;
                let nullable = source.nullable;
                Ok(Resolved {
                    func: this,
                    args: vec![source],
                    ty: Decimal(8, 6),
                    nullable,
                })
            }
        }
    }

    fn invoke(&self, a: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let tz = &self.tz;
        match self.kind {
            Kind::MonthsBetween => {
                let (t1, t2, r) = (timestamps(&a[0])?, timestamps(&a[1])?, bools(&a[2])?);
                collect_f64(rows, |i| {
                    Ok(match (t1.at(i), t2.at(i), r.at(i)) {
                        (Some(t1), Some(t2), Some(r)) => Some(months_between(t1, t2, r, tz)),
                        _ => None,
                    })
                })
            }
            Kind::MakeTimestamp => {
                let f = (0..5).map(|k| i32s(&a[k])).collect::<Result<Vec<_>>>()?;
                let sec = a[5].as_primitive::<Decimal128Type>();
                let zone = a.get(6).map(strs).transpose()?;
                let mut last: Option<(String, TimeZone)> = None;
                collect_timestamps(rows, |i| {
                    let fields = [f[0].at(i), f[1].at(i), f[2].at(i), f[3].at(i), f[4].at(i)];
                    let (Some(y), Some(mo), Some(d), Some(h), Some(mi)) =
                        (fields[0], fields[1], fields[2], fields[3], fields[4])
                    else {
                        return Ok(None);
                    };
                    if sec.is_null(i) {
                        return Ok(None);
                    }
                    let zone = match &zone {
                        None => tz,
                        Some(z) => {
                            let Some(id) = z.at(i) else {
                                return Ok(None);
                            };
                            if !matches!(&last, Some((l, _)) if l == id) {
                                let parsed = TimeZone::parse(id).ok_or_else(|| invalid_zone(id))?;
                                last = Some((id.to_string(), parsed));
                            }
                            &last.as_ref().expect("set above").1
                        }
                    };
                    let local = make_local([y, mo, d, h, mi], sec.value(i))?;
                    Ok(Some(zone.from_local(local)))
                })
            }
            Kind::SecondWithFraction => {
                let t = timestamps(&a[0])?;
                let v = (0..rows).map(|i| {
                    t.at(i)
                        .map(|us| tz.to_local(us).rem_euclid(60 * MICROS_PER_SECOND) as i128)
                });
                Ok(crate::decimal::array(v, &Decimal(8, 6)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_between_follows_spark() {
        let utc = TimeZone::Utc;
        let ts =
            |y, m, d, s: i64| days_from_civil(y, m, d) * MICROS_PER_DAY + s * MICROS_PER_SECOND;
        // Spark's documented example: 3.94959677.
        let a = ts(1997, 2, 28, 10 * 3600 + 30 * 60);
        assert_eq!(
            months_between(a, ts(1996, 10, 30, 0), true, &utc),
            3.94959677
        );
        assert_eq!(
            months_between(a, ts(1996, 10, 30, 0), false, &utc),
            3.9495967741935485
        );
        // Both last days of their months: whole months, time ignored.
        assert_eq!(
            months_between(ts(2024, 3, 31, 36000), ts(2024, 2, 29, 0), true, &utc),
            1.0
        );
    }

    #[test]
    fn make_local_checks_fields_as_java_time() {
        let err = |f, s| make_local(f, s).unwrap_err().to_string();
        assert!(err([2019, 2, 30, 0, 0], 0).contains("Invalid date 'FEBRUARY 30'"));
        assert!(err([2019, 2, 29, 0, 0], 0).contains("'2019' is not a leap year"));
        assert!(err([2019, 1, 1, 24, 0], 0).contains("HourOfDay (valid values 0 - 23): 24"));
        assert!(err([2019, 1, 1, 0, 0], 60_500_000).contains("INVALID_FRACTION_OF_SECOND"));
        let next = make_local([2019, 6, 30, 23, 59], 60_000_000).unwrap();
        assert_eq!(next, days_from_civil(2019, 7, 1) * MICROS_PER_DAY);
    }

    #[test]
    fn trunc_units() {
        let d = |y, m, dd| days_from_civil(y, m, dd) as i32;
        assert_eq!(trunc_date(d(2024, 5, 17), "week"), Some(d(2024, 5, 13)));
        assert_eq!(trunc_date(d(2024, 5, 17), "QUARTER"), Some(d(2024, 4, 1)));
        assert_eq!(trunc_date(d(2024, 5, 17), "yy"), Some(d(2024, 1, 1)));
        assert_eq!(trunc_date(d(2024, 5, 17), "DD"), None);
        assert_eq!(trunc_date(d(2024, 5, 17), "Q"), None);
    }
}
