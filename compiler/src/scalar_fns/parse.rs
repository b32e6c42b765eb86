//! Spark's string → number, boolean, timestamp and date casts (ANSI: a
//! malformed string gives `None`, which the caller turns into an error).

use super::calendar::{days_from_civil, days_in_month, MICROS_PER_DAY};
use crate::time_zone::TimeZone;

/// Spark trims bytes that are Java whitespace or ISO control characters
/// (as signed bytes: 0x00..=0x20 and 0x7F) before parsing numbers.
fn trim_spark(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ' || c == '\u{7f}')
}

/// Digits with an optional sign, no decimal point (ANSI), in range.
pub fn parse_i64(s: &str) -> Option<i64> {
    let t = trim_spark(s).as_bytes();
    let (neg, digits) = match t.first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() {
        return None;
    }
    let mut v: i64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = (b - b'0') as i64;
        // Accumulate negatively so that i64::MIN parses.
        v = v.checked_mul(10)?.checked_sub(d)?;
    }
    if neg {
        Some(v)
    } else {
        v.checked_neg()
    }
}

/// As [`parse_i64`], within the int range.
pub fn parse_i32(s: &str) -> Option<i32> {
    parse_i64(s).and_then(|v| i32::try_from(v).ok())
}

/// Java's `Double.parseDouble` (decimal forms, optional `f`/`d` suffix,
/// `NaN`, `Infinity`) plus Spark's special literals `inf`, `infinity`, `nan`
/// with an optional sign, case-insensitive.
/// A FLOAT as Java's `Float.parseFloat` reads it: [`parse_f64`]'s grammar,
/// rounded once, straight to 32 bits.
pub fn parse_f32(s: &str) -> Option<f32> {
    let v = parse_f64(s)?;
    if !v.is_finite() {
        return Some(v as f32);
    }
    let t = s.trim_matches(|c: char| c <= ' ');
    let body = match t.as_bytes() {
        [.., p, b'f' | b'F' | b'd' | b'D'] if p.is_ascii_digit() || *p == b'.' => &t[..t.len() - 1],
        _ => t,
    };
    body.parse::<f32>().ok()
}

pub fn parse_f64(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c <= ' ');
    if t.is_empty() {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    match lower.as_str() {
        "inf" | "+inf" | "infinity" | "+infinity" => return Some(f64::INFINITY),
        "-inf" | "-infinity" => return Some(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => return Some(f64::NAN),
        _ => {}
    }
    // Java accepts a trailing type suffix after a number.
    let body = match t.as_bytes() {
        [.., p, b'f' | b'F' | b'd' | b'D'] if p.is_ascii_digit() || *p == b'.' => &t[..t.len() - 1],
        _ => t,
    };
    // Only the decimal grammar is left: sign, digits, '.', exponent.
    let ok = body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    if !ok || !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    body.parse::<f64>().ok()
}

/// `true/t/yes/y/1` and `false/f/no/n/0`, case-insensitive, trimmed.
pub fn parse_bool(s: &str) -> Option<bool> {
    match trim_spark(s).to_ascii_lowercase().as_str() {
        "true" | "t" | "yes" | "y" | "1" => Some(true),
        "false" | "f" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// Reads `min..=max` ASCII digits at the start of `s`; returns the value and the rest.
fn digits(s: &str, min: usize, max: usize) -> Option<(i64, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n < min || n > max {
        return None;
    }
    let v = s[..n].parse().ok()?;
    Some((v, &s[n..]))
}

/// `yyyy[-[m]m[-[d]d]]` with a 4–6 digit year; returns days and the rest.
fn parse_date_prefix(s: &str) -> Option<(i64, &str)> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mut year, mut rest) = digits(s, 4, 6)?;
    if neg {
        year = -year;
    }
    let (mut month, mut day) = (1, 1);
    if let Some(r) = rest.strip_prefix('-') {
        let (m, r) = digits(r, 1, 2)?;
        month = m;
        rest = r;
        if let Some(r) = rest.strip_prefix('-') {
            let (d, r) = digits(r, 1, 2)?;
            day = d;
            rest = r;
        }
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month as u32) as i64 {
        return None;
    }
    Some((days_from_civil(year, month as u32, day as u32), rest))
}

/// `yyyy-MM-dd` (anything after a space or `T` is ignored); days since the epoch.
pub fn parse_date(s: &str) -> Option<i32> {
    let (days, rest) = parse_date_prefix(s.trim())?;
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('T')) {
        return None;
    }
    i32::try_from(days).ok()
}

/// A zone suffix: `Z`, `UTC`, `GMT`, an offset `±h[h][:mm]`/`±hhmm`
/// (optionally after `UTC`/`GMT`), or a zone id (`America/Los_Angeles`);
/// `Some(None)` when there is none, `None` when it is malformed.
fn parse_zone(z: &str) -> Option<Option<TimeZone>> {
    let z = z.trim_start();
    match z.to_ascii_uppercase().as_str() {
        "" => return Some(None),
        "Z" | "UTC" | "GMT" | "UT" => return Some(Some(TimeZone::Utc)),
        _ => {}
    }
    let offset = z
        .strip_prefix("UTC")
        .or_else(|| z.strip_prefix("GMT"))
        .unwrap_or(z);
    let (sign, r) = match offset.as_bytes().first()? {
        b'+' => (1, &offset[1..]),
        b'-' => (-1, &offset[1..]),
        _ => return TimeZone::parse(z).map(Some),
    };
    let (h, m) = if let Some((h, m)) = r.split_once(':') {
        (
            digits(h, 1, 2).filter(|x| x.1.is_empty())?.0,
            digits(m, 2, 2).filter(|x| x.1.is_empty())?.0,
        )
    } else if r.len() == 4 {
        (r[..2].parse().ok()?, r[2..].parse().ok()?)
    } else {
        (digits(r, 1, 2).filter(|x| x.1.is_empty())?.0, 0)
    };
    if h > 18 || m > 59 {
        return None;
    }
    let secs = sign * (h * 3600 + m * 60) as i32;
    Some(Some(if secs == 0 {
        TimeZone::Utc
    } else {
        TimeZone::Fixed { id: z.into(), secs }
    }))
}

/// `yyyy-MM-dd`, `yyyy-MM-dd HH:mm[:ss[.fraction]]`, `T` instead of the
/// space, an optional zone (`Z`, `UTC`, `+hh:mm`, a zone id); microseconds
/// since the epoch, a time without a zone being UTC's. Fractions beyond
/// microseconds are truncated.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    parse_timestamp_in(s, &TimeZone::Utc)
}

/// [`parse_timestamp`] with a time without a zone read in `tz` (the
/// session's time zone, or a reader's `timeZone` option).
pub fn parse_timestamp_in(s: &str, tz: &TimeZone) -> Option<i64> {
    let (local, zone) = parse_local_timestamp(s)?;
    Some(zone.as_ref().unwrap_or(tz).from_local(local))
}

/// A `TIMESTAMP_NTZ` from a string: its wall-clock time (microseconds as
/// if UTC); a zone in the text is ignored, as Spark's
/// `stringToTimestampWithoutTimeZone` ignores it.
pub fn parse_timestamp_ntz(s: &str) -> Option<i64> {
    parse_local_timestamp(s).map(|(local, _)| local)
}

/// The wall-clock time a timestamp string gives, and its zone if it has one.
fn parse_local_timestamp(s: &str) -> Option<(i64, Option<TimeZone>)> {
    let s = s.trim();
    let (days, rest) = parse_date_prefix(s)?;
    let mut micros = 0i64;
    let zone;
    let rest = rest.strip_prefix([' ', 'T']).unwrap_or(rest);
    if rest.is_empty() {
        zone = None;
    } else if rest.bytes().next()?.is_ascii_digit() {
        let (h, r) = digits(rest, 1, 2)?;
        let r = r.strip_prefix(':')?;
        let (m, mut r) = digits(r, 1, 2)?;
        let mut sec = 0;
        let mut frac = 0i64;
        if let Some(r2) = r.strip_prefix(':') {
            let (sv, r3) = digits(r2, 1, 2)?;
            sec = sv;
            r = r3;
            if let Some(r4) = r.strip_prefix('.') {
                let n = r4.bytes().take_while(u8::is_ascii_digit).count();
                let mut f: String = r4[..n].chars().take(6).collect();
                while f.len() < 6 {
                    f.push('0');
                }
                frac = f.parse().ok()?;
                r = &r4[n..];
            }
        }
        if h > 23 || m > 59 || sec > 59 {
            return None;
        }
        micros = ((h * 60 + m) * 60 + sec) * 1_000_000 + frac;
        zone = parse_zone(r)?;
    } else {
        zone = parse_zone(rest)?;
    }
    let local = days.checked_mul(MICROS_PER_DAY)?.checked_add(micros)?;
    Some((local, zone))
}
