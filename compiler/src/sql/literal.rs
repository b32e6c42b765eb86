//! Literals as Spark reads them: numbers (with Spark's `L`/`S`/`Y`/`D`/`F`/
//! `BD` suffixes), strings with Spark's escapes, `TIMESTAMP '…'` / `DATE '…'`
//! and intervals (as microseconds).
//!
//! As in Spark, `1.5`, `1.5BD` and integers too large for a BIGINT are
//! DECIMAL literals of just the digits they have; an exponent without a
//! suffix (`1e3`) makes a DOUBLE.

use crate::error::{Error, Result};
use crate::types::Scalar;

/// A numeric literal's text (without sign) as Spark types it; `negative`
/// when a unary minus preceded it (so `-2147483648` is still an INT).
/// `None` when the text is not a number (e.g. an identifier like `1a`).
pub fn number(text: &str, negative: bool) -> Option<Result<Scalar>> {
    let sign = if negative { "-" } else { "" };
    let upper = text.to_ascii_uppercase();
    let (body, suffix) = split_suffix(&upper);
    let is_int = !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit());
    if !is_int && !is_decimal(body) {
        return None;
    }
    let out_of_range = |ty: &str| {
        Error::Parse {
            message: format!(
                "[INVALID_NUMERIC_LITERAL_RANGE] Numeric literal {sign}{body} is outside the valid range for {ty}"
            ),
        line: 0,
        column: 0,
    }
    };
    let int = |ty: &str, lo: i64, hi: i64| -> Result<i64> {
        match format!("{sign}{body}").parse::<i64>() {
            Ok(v) if (lo..=hi).contains(&v) => Ok(v),
            _ => Err(out_of_range(ty)),
        }
    };
    let float = || -> Result<Scalar> {
        match format!("{sign}{body}").parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Scalar::Float64(v)),
            _ => Err(out_of_range("double")),
        }
    };
    let decimal = || -> Result<Scalar> {
        match crate::decimal::literal(&format!("{sign}{body}")) {
            Some((v, (p, s))) => Ok(Scalar::Decimal(v, p, s)),
            None => Err(out_of_range("decimal(38)")),
        }
    };
    let has_exponent = body.contains('E');
    Some(match (suffix, is_int) {
        ("L", true) => int("bigint", i64::MIN, i64::MAX).map(Scalar::Int64),
        ("S", true) => {
            int("smallint", i16::MIN.into(), i16::MAX.into()).map(|v| Scalar::Int16(v as i16))
        }
        ("Y", true) => {
            int("tinyint", i8::MIN.into(), i8::MAX.into()).map(|v| Scalar::Int8(v as i8))
        }
        ("D", _) => float(),
        // `1.5F`: a FLOAT; past its range Spark's own message (a value too
        // small for it is 0, as Java reads it).
        ("F", _) => match format!("{sign}{body}").parse::<f64>() {
            Ok(v) if v.abs() <= f32::MAX as f64 => Ok(Scalar::Float32(
                format!("{sign}{body}").parse::<f32>().unwrap_or(v as f32),
            )),
            _ => Err(out_of_range("float")),
        },
        ("BD", _) => decimal(),
        ("", true) => match format!("{sign}{body}").parse::<i64>() {
            Ok(v) => Ok(match i32::try_from(v) {
                Ok(v) => Scalar::Int32(v),
                Err(_) => Scalar::Int64(v),
            }),
            Err(_) => decimal(),
        },
        ("", false) if has_exponent => float(),
        ("", false) => decimal(),
        _ => return None,
    })
}

fn split_suffix(s: &str) -> (&str, &str) {
    for suffix in ["BD", "L", "S", "Y", "D", "F"] {
        if let Some(body) = s.strip_suffix(suffix) {
            // `1E5` ends in a digit, `1.5E` is not a number: only strip
            // when the body is still numeric
            if body
                .bytes()
                .last()
                .is_some_and(|b| b.is_ascii_digit() || b == b'.')
            {
                return (body, suffix);
            }
        }
    }
    (s, "")
}

/// `1.5`, `.5`, `1.`, `1e3`, `1.5E-3`.
fn is_decimal(s: &str) -> bool {
    let (mantissa, exp) = match s.find(['E', 'e']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits(e)
        }
    };
    mantissa_ok && exp_ok
}

/// Spark's string unescaping (`unescapeSQLString`): `\n`, `\t`, `\0`, `\b`,
/// `\r`, `\Z`, `\uXXXX`, `\UXXXXXXXX`, octal `\ooo`; `\%` and `\_` keep their
/// backslash (they are LIKE escapes); any other `\c` is `c`. `raw` is the text
/// between the quotes as written; a doubled quote (`'it''s'`) is one quote.
pub fn unescape(raw: &str, quote: char) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == quote && chars.get(i + 1) == Some(&quote) {
            out.push(quote);
            i += 2;
            continue;
        }
        if c != '\\' || i + 1 == chars.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let n = chars[i + 1];
        let hex = |len: usize| -> Option<char> {
            let s: String = chars.get(i + 2..i + 2 + len)?.iter().collect();
            char::from_u32(u32::from_str_radix(&s, 16).ok()?)
        };
        let octal = || -> Option<char> {
            let d: Vec<u32> = chars
                .get(i + 1..i + 4)?
                .iter()
                .map(|c| c.to_digit(8))
                .collect::<Option<_>>()?;
            (d[0] <= 3).then(|| char::from_u32(d[0] * 64 + d[1] * 8 + d[2]))?
        };
        match n {
            'u' if hex(4).is_some() => {
                out.extend(hex(4));
                i += 6;
            }
            'U' if hex(8).is_some() => {
                out.extend(hex(8));
                i += 10;
            }
            '0'..='3' if octal().is_some() => {
                out.extend(octal());
                i += 4;
            }
            _ => {
                match n {
                    '0' => out.push('\0'),
                    'b' => out.push('\u{8}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'Z' => out.push('\u{1a}'),
                    '%' => out.push_str("\\%"),
                    '_' => out.push_str("\\_"),
                    other => out.push(other),
                }
                i += 2;
            }
        }
    }
    out
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `yyyy[-[m]m[-[d]d]]` → days since the epoch, and the rest of the text.
fn parse_date_prefix(s: &str) -> Option<(i64, &str)> {
    let end = s.find([' ', 'T']).unwrap_or(s.len());
    let (date, rest) = s.split_at(end);
    let mut parts = date.split('-');
    let field = |p: Option<&str>, max_len: usize| -> Option<Option<u32>> {
        match p {
            None => Some(None),
            Some(p)
                if !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Some(Some(p.parse().ok()?))
            }
            Some(_) => None,
        }
    };
    let y = field(parts.next(), 6)??;
    let m = field(parts.next(), 2)?.unwrap_or(1);
    let d = field(parts.next(), 2)?.unwrap_or(1);
    if parts.next().is_some() || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y.into(), m)
    {
        return None;
    }
    Some((days_from_civil(y.into(), m, d), rest))
}

/// `DATE '2015-02-23'` (a trailing time part is ignored, as Spark does).
pub fn parse_date(s: &str) -> Option<i32> {
    let (days, _) = parse_date_prefix(s.trim())?;
    i32::try_from(days).ok()
}

/// A `TIMESTAMP '…'` literal's instant: read as a cast of the string is
/// (Spark's `stringToTimestamp` for both), on the session's wall clock
/// unless the text names an offset or a zone.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    crate::scalar_fns::parse_timestamp_in(s, &crate::time_zone::session())
}

/// Microseconds in one `unit`; `None` for months and years, which have no
/// fixed length, and for unknown units.
pub fn unit_micros(unit: &str) -> Option<i64> {
    let u = unit.to_ascii_lowercase();
    let u = u.strip_suffix('s').unwrap_or(&u);
    Some(match u {
        "microsecond" => 1,
        "millisecond" => 1_000,
        "second" => 1_000_000,
        "minute" => 60_000_000,
        "hour" => 3_600_000_000,
        "day" => 86_400_000_000,
        "week" => 7 * 86_400_000_000,
        _ => return None,
    })
}

/// `value` (`30`, `-1.5`) units of `unit` in microseconds, truncated.
pub fn interval_value(value: &str, unit: &str) -> Result<i64> {
    let bad = |why: &str| Error::Parse {
        message: format!(
            "[INVALID_INTERVAL_FORMAT] Error parsing interval '{value} {unit}': {why}"
        ),
        line: 0,
        column: 0,
    };
    let per = match unit_micros(unit) {
        Some(p) => p,
        None if matches!(
            unit.to_ascii_lowercase().trim_end_matches('s'),
            "year" | "month"
        ) =>
        {
            return Err(Error::not_supported(format!(
                "interval '{value} {unit}': month and year intervals have no fixed length; sqlc supports weeks, days, hours, minutes, seconds, milliseconds and microseconds"
            )))
        }
        None => return Err(bad("unknown unit")),
    };
    let v = value.trim();
    let (neg, v) = match v.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, v.strip_prefix('+').unwrap_or(v)),
    };
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(bad("not a number"));
    }
    let int: i128 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| bad("too large"))?
    };
    let frac_digits = &frac[..frac.len().min(18)];
    let frac_val: i128 = if frac_digits.is_empty() {
        0
    } else {
        frac_digits.parse().map_err(|_| bad("not a number"))?
    };
    let scale = 10i128.pow(frac_digits.len() as u32);
    let total = int
        .checked_mul(per as i128)
        .and_then(|t| t.checked_add(frac_val * per as i128 / scale))
        .ok_or_else(|| bad("too large"))?;
    let total = if neg { -total } else { total };
    i64::try_from(total).map_err(|_| bad("too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let n = |s: &str, neg| number(s, neg).unwrap().unwrap();
        assert_eq!(n("1", false), Scalar::Int32(1));
        assert_eq!(n("2147483648", true), Scalar::Int32(i32::MIN));
        assert_eq!(n("2147483648", false), Scalar::Int64(2147483648));
        assert_eq!(n("10L", false), Scalar::Int64(10));
        assert_eq!(n("10l", false), Scalar::Int64(10));
        assert_eq!(n("10S", false), Scalar::Int16(10));
        assert_eq!(n("10Y", false), Scalar::Int8(10));
        assert_eq!(n("1.5", false), Scalar::Decimal(15, 2, 1));
        assert_eq!(n(".5", true), Scalar::Decimal(-5, 1, 1));
        assert_eq!(n("1e3", false), Scalar::Float64(1000.0));
        assert_eq!(n("1.5D", false), Scalar::Float64(1.5));
        assert_eq!(n("1.5BD", false), Scalar::Decimal(15, 2, 1));
        assert_eq!(n("1E2BD", false), Scalar::Decimal(100, 3, 0));
        assert_eq!(n("2F", false), Scalar::Float32(2.0));
        assert_eq!(n("1.1F", true), Scalar::Float32(-1.1));
        assert!(number("3.4028235E38F", false).unwrap().is_err());
        assert_eq!(
            n("99999999999999999999", false),
            Scalar::Decimal(99999999999999999999, 20, 0)
        );
        assert!(number("1a", false).is_none());
        assert!(number("128Y", false).unwrap().is_err());
        assert!(number("99999999999999999999L", false).unwrap().is_err());
    }

    #[test]
    fn strings() {
        assert_eq!(unescape(r"a\tb\'c\\d", '\''), "a\tb'c\\d");
        assert_eq!(unescape(r"50\%", '\''), r"50\%");
        assert_eq!(unescape(r"\u0041\101", '\''), "AA");
        assert_eq!(unescape("it''s", '\''), "it's");
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_date("1970-01-02"), Some(1));
        assert_eq!(parse_date("2015-02-23"), Some(16489));
        assert_eq!(parse_date("2015-02-30"), None);
        assert_eq!(parse_timestamp("1970-01-01 00:00:01.5"), Some(1_500_000));
        assert_eq!(
            parse_timestamp("2015-02-23 10:00:00"),
            Some(16489 * 86_400_000_000 + 36_000_000_000)
        );
        assert_eq!(
            parse_timestamp("2015-02-23T10:00:00Z"),
            parse_timestamp("2015-02-23 10:00:00")
        );
        assert_eq!(parse_timestamp("1970-01-01 01:00:00+01:00"), Some(0));
        assert_eq!(parse_timestamp("1969-12-31"), Some(-86_400_000_000));
        assert_eq!(parse_timestamp("2015-02-23 25:00:00"), None);
    }

    #[test]
    fn intervals() {
        assert_eq!(interval_value("1.5", "second").unwrap(), 1_500_000);
        assert_eq!(interval_value("-2", "days").unwrap(), -172_800_000_000);
        assert!(interval_value("x", "days").is_err());
    }
}
