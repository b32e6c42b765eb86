//! Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss.SSS`, `E`, `MMM`, `a`,
//! quoted text): tokenized once per query, then used to format timestamps
//! (`date_format`, `from_unixtime`) and to parse strings (`to_date`,
//! `unix_timestamp`) on the wall clock of the session time zone; offset
//! fields (`X`, `x`, `Z`) are printed and read. A letter sqlc does not know is
//! `[INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER]`, not a guess.

use crate::error::{Error, Result};
use crate::scalar_fns::calendar::{civil_from_days, days_from_civil, days_in_month};
use crate::time_zone::TimeZone;

pub const US_PER_DAY: i64 = 86_400_000_000;
pub const DEFAULT_FORMAT: &str = "yyyy-MM-dd HH:mm:ss";
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
pub const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// 0 = Monday … 6 = Sunday.
pub fn weekday(days: i64) -> usize {
    (days + 3).rem_euclid(7) as usize
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Field(char, usize),
    Text(String),
}

pub fn tokenize(p: &str) -> Result<Vec<Tok>> {
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

/// Formats the instant `us` by the tokens of a Spark datetime pattern, as
/// the wall clock of `tz` shows it.
pub fn format_ts(us: i64, toks: &[Tok], tz: &TimeZone) -> String {
    let offset = tz.offset_at(us);
    let local = tz.to_local(us);
    let days = local.div_euclid(US_PER_DAY);
    let tod = local.rem_euclid(US_PER_DAY);
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
                    'z' => tz.abbreviation(us),
                    'V' => tz.id().to_string(),
                    'O' => localized_offset(offset, n),
                    'Z' if n <= 3 => offset_text(offset, 2),
                    'Z' if n == 4 => localized_offset(offset, 4),
                    'Z' => offset_text(offset, 3).replace("+00:00", "Z"),
                    'X' if offset == 0 => "Z".to_string(),
                    'X' | 'x' => offset_text(offset, n),
                    _ => String::new(),
                };
                out.push_str(&s);
            }
        }
    }
    out
}

/// Offset text as `X`/`x` print it with `n` letters: `+08` (`+0530` where
/// minutes are not zero), `+0800`, `+08:00`.
fn offset_text(secs: i32, n: usize) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    let sec = |sep: &str| {
        if s != 0 {
            format!("{sep}{s:02}")
        } else {
            String::new()
        }
    };
    match n {
        1 if m == 0 => format!("{sign}{h:02}"),
        1 | 2 | 4 => format!("{sign}{h:02}{m:02}{}", sec("")),
        _ => crate::time_zone::offset_id(secs),
    }
}

/// `O`/`OOOO` and `ZZZZ`: `GMT`, `GMT+8` / `GMT+08:00`.
fn localized_offset(secs: i32, n: usize) -> String {
    if secs == 0 {
        return "GMT".to_string();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m) = (a / 3600, a / 60 % 60);
    if n == 1 && m == 0 {
        format!("GMT{sign}{h}")
    } else if n == 1 {
        format!("GMT{sign}{h}:{m:02}")
    } else {
        format!("GMT{sign}{h:02}:{m:02}")
    }
}

/// Parses `s` by the tokens of a pattern into microseconds, a time without
/// an offset field being the wall clock of `tz`; `None` when it does not
/// fit.
pub fn parse_ts(s: &str, toks: &[Tok], tz: &TimeZone) -> Option<i64> {
    let (local, offset) = parse_local(s, toks)?;
    Some(match offset {
        Some(secs) => local - secs as i64 * 1_000_000,
        None => tz.from_local(local),
    })
}

/// An offset field (`X`, `x`, `Z`): `Z` (for `X`), `±HH`, `±HHmm`, `±HH:mm`.
fn parse_offset(s: &str, letter: char) -> Option<(i32, usize)> {
    if letter == 'X' && s.starts_with('Z') {
        return Some((0, 1));
    }
    let b = s.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let two = |i: usize| -> Option<i32> {
        let d = b.get(i..i + 2)?;
        d.iter()
            .all(u8::is_ascii_digit)
            .then(|| ((d[0] - b'0') * 10 + (d[1] - b'0')) as i32)
    };
    let h = two(1)?;
    let (m, used) = if b.get(3) == Some(&b':') {
        (two(4)?, 6)
    } else if let Some(m) = two(3) {
        (m, 5)
    } else {
        (0, 3)
    };
    (h <= 18 && m <= 59).then_some((sign * (h * 3600 + m * 60), used))
}

/// The wall-clock time `s` gives by the tokens, and its offset if the
/// pattern has an offset field.
fn parse_local(s: &str, toks: &[Tok]) -> Option<(i64, Option<i32>)> {
    let mut offset = None;
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
                    'X' | 'x' | 'Z' => {
                        let (secs, used) = parse_offset(&s[i..], *c)?;
                        offset = Some(secs);
                        i += used;
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
    let local = days * US_PER_DAY + ((hh * 60 + mi) * 60 + ss) * 1_000_000 + frac;
    Some((local, offset))
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
        let f = |p: &str| format_ts(t, &tokenize(p).unwrap(), &TimeZone::Utc);
        assert_eq!(f("yyyy-MM-dd HH:mm:ss"), "2024-03-05 14:07:09");
        assert_eq!(f("dd/MM/yy hh:mm a"), "05/03/24 02:07 PM");
        assert_eq!(f("EEE, MMM d yyyy"), "Tue, Mar 5 2024");
        assert_eq!(f("EEEE MMMM"), "Tuesday March");
        assert_eq!(f("SSS 'at' D"), "123 at 65");
        let p = |s: &str, pat: &str| parse_ts(s, &tokenize(pat).unwrap(), &TimeZone::Utc);
        assert_eq!(p("2024-03-05 14:07:09", DEFAULT_FORMAT), Some(t - 123_456));
        assert_eq!(
            p("05/03/2024", "dd/MM/yyyy"),
            Some(ts("2024-03-05 00:00:00"))
        );
        assert_eq!(p("20240305", "yyyyMMdd"), Some(ts("2024-03-05 00:00:00")));
        assert_eq!(p("2024-02-30", "yyyy-MM-dd"), None);
        assert!(tokenize("yyyy-bb").is_err());
    }
}
