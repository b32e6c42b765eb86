//! Scalar semantics shared by both back ends: the interpreted twin calls
//! these over arrays, and JIT kernels call them (through `extern "C"`
//! wrappers in `codegen`) for what is costly anyway — LIKE, regexes, string
//! functions, parsing and calendar arithmetic. One definition, so the two
//! back ends cannot drift apart. Spark 4 (ANSI mode, UTC session time zone).

pub mod calendar;
mod format;
mod like;
mod parse;
#[cfg(test)]
mod tests;

pub use calendar::{
    civil_from_days, days_from_civil, MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE,
    MICROS_PER_SECOND,
};
pub(crate) use format::shortest_digits;
pub use format::{format_date, format_f32, format_f64, format_timestamp};
pub use like::LikeMatcher;
pub use parse::{
    parse_bool, parse_date, parse_f32, parse_f64, parse_i32, parse_i64, parse_timestamp,
    parse_timestamp_in, parse_timestamp_ntz,
};

/// CAST(double AS TIMESTAMP): seconds to microseconds, truncated toward zero;
/// `None` for NaN, infinities and out-of-range values (ANSI errors).
pub fn f64_to_timestamp(secs: f64) -> Option<i64> {
    if !secs.is_finite() {
        return None;
    }
    let us = secs * MICROS_PER_SECOND as f64;
    // Spark's DoubleExactNumeric.toLong: floor/ceil within the long range.
    if us.floor() <= i64::MAX as f64 && us.ceil() >= i64::MIN as f64 {
        Some(us as i64)
    } else {
        None
    }
}

/// Calendar fields of a timestamp (µs, UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePart {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
}

/// A calendar field of a timestamp (µs since the epoch, UTC).
pub fn timestamp_part(us: i64, part: DatePart) -> i32 {
    let (days, tod) = calendar::split_micros(us);
    match part {
        DatePart::Year | DatePart::Month | DatePart::Day => date_part_i64(days, part),
        DatePart::Hour => (tod / MICROS_PER_HOUR) as i32,
        DatePart::Minute => (tod / MICROS_PER_MINUTE % 60) as i32,
        DatePart::Second => (tod / MICROS_PER_SECOND % 60) as i32,
    }
}

fn date_part_i64(days: i64, part: DatePart) -> i32 {
    let (y, m, d) = civil_from_days(days);
    match part {
        DatePart::Year => y as i32,
        DatePart::Month => m as i32,
        DatePart::Day => d as i32,
        // A date is at midnight.
        DatePart::Hour | DatePart::Minute | DatePart::Second => 0,
    }
}

/// A calendar field of a date (days since the epoch); time fields are 0.
pub fn date_part(days: i32, part: DatePart) -> i32 {
    date_part_i64(days as i64, part)
}

/// `unit` in ASCII upper case, in `buf` (no allocation: compiled kernels
/// call [`date_trunc`] per row); "" when it is longer than any unit.
fn upper_key<'a>(unit: &str, buf: &'a mut [u8; 16]) -> &'a str {
    let Some(dst) = buf.get_mut(..unit.len()) else {
        return "";
    };
    dst.copy_from_slice(unit.as_bytes());
    dst.make_ascii_uppercase();
    std::str::from_utf8(dst).unwrap_or("")
}

/// Spark's `date_trunc(unit, ts)`: units YEAR/YYYY/YY, QUARTER, MONTH/MM/MON,
/// WEEK (Monday), DAY/DD, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND,
/// case-insensitive. `None` for an unknown unit (Spark returns null).
pub fn date_trunc(unit: &str, us: i64) -> Option<i64> {
    trunc_unit(unit).map(|u| date_trunc_to(u, us))
}

/// A `date_trunc` unit, by [`trunc_unit`]'s number (read once per query
/// when the unit is a literal, as compiled kernels do).
pub fn trunc_unit(unit: &str) -> Option<u8> {
    let mut buf = [0u8; 16];
    Some(match upper_key(unit, &mut buf) {
        "YEAR" | "YYYY" | "YY" => 0,
        "QUARTER" => 1,
        "MONTH" | "MM" | "MON" => 2,
        "WEEK" => 3,
        "DAY" | "DD" => 4,
        "HOUR" => 5,
        "MINUTE" => 6,
        "SECOND" => 7,
        "MILLISECOND" => 8,
        "MICROSECOND" => 9,
        _ => return None,
    })
}

/// `date_trunc` to the unit numbered `unit` by [`trunc_unit`].
pub fn date_trunc_to(unit: u8, us: i64) -> i64 {
    let floor_to = |q: i64| us.div_euclid(q) * q;
    let day_start = |d: i64| d * MICROS_PER_DAY;
    let days = || calendar::split_micros(us).0;
    match unit {
        0..=2 => {
            let (y, m, _) = civil_from_days(days());
            day_start(match unit {
                0 => days_from_civil(y, 1, 1),
                1 => days_from_civil(y, (m - 1) / 3 * 3 + 1, 1),
                _ => days_from_civil(y, m, 1),
            })
        }
        // 1970-01-01 was a Thursday: Monday-based weekday is (days + 3) mod 7.
        3 => day_start(days() - (days() + 3).rem_euclid(7)),
        4 => floor_to(MICROS_PER_DAY),
        5 => floor_to(MICROS_PER_HOUR),
        6 => floor_to(MICROS_PER_MINUTE),
        7 => floor_to(MICROS_PER_SECOND),
        8 => floor_to(1000),
        _ => us,
    }
}

/// Spark's `round(x, scale)` on doubles: HALF_UP, through the decimal value
/// Java's `Double.toString` gives (round(2.5) = 3.0, round(-2.5) = -3.0,
/// round(2.675, 2) = 2.68); NaN and infinities unchanged; -0.0 becomes 0.0.
pub fn round_half_up(v: f64, scale: i32) -> f64 {
    if !v.is_finite() {
        return v;
    }
    if v == 0.0 {
        return 0.0;
    }
    // On the stack: the compiled `round` calls this per row.
    let d = format::Digits::of(v);
    let (digits, exp) = (d.as_bytes(), d.exp);
    // Digit i weighs 10^(exp - i); keep those weighing at least 10^-scale.
    let keep = exp as i64 + scale as i64 + 1;
    let n = digits.len() as i64;
    if keep >= n {
        return v + 0.0;
    }
    if keep < 0 {
        return 0.0;
    }
    // The kept digits at kept[1..=k], kept[0] spare for a carry.
    let k = keep as usize;
    let mut kept = [b'0'; 32];
    kept[1..=k].copy_from_slice(&digits[..k]);
    let mut start = 1;
    if digits[k] >= b'5' {
        let mut i = k;
        loop {
            if i == 0 {
                kept[0] = b'1';
                start = 0;
                break;
            }
            if kept[i] == b'9' {
                kept[i] = b'0';
                i -= 1;
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    let mant = &kept[start..=k];
    if mant.iter().all(|&d| d == b'0') {
        return 0.0;
    }
    let mut t = format::StackText::new();
    use std::fmt::Write;
    let sign = if v < 0.0 { "-" } else { "" };
    let mant = std::str::from_utf8(mant).unwrap_or("0");
    if write!(t, "{sign}{mant}e{}", -(scale as i64)).is_err() {
        return v;
    }
    t.as_str().parse().unwrap_or(v)
}

/// Spark's `substring(s, pos, len)`: 1-based in characters; pos 0 acts as 1;
/// negative pos counts from the end; a negative len gives "".
pub fn substring(s: &str, pos: i64, len: Option<i64>) -> &str {
    let n = s.chars().count() as i64;
    let start = if pos > 0 {
        pos - 1
    } else if pos < 0 {
        n + pos
    } else {
        0
    };
    let end = match len {
        Some(l) => start.saturating_add(l),
        None => i64::MAX,
    };
    let start = start.max(0);
    if start >= end || start >= n {
        return "";
    }
    let end = end.min(n);
    let byte_at = |c: i64| {
        s.char_indices()
            .nth(c as usize)
            .map(|(b, _)| b)
            .unwrap_or(s.len())
    };
    &s[byte_at(start)..byte_at(end)]
}

/// `length(s)`: characters, not bytes.
pub fn char_length(s: &str) -> i32 {
    s.chars().count() as i32
}
