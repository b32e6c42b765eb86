//! Values to strings as Spark prints them: Java's `Double.toString`, and
//! ISO dates and timestamps.

use super::calendar::{civil_from_days, split_micros};

/// The shortest decimal digits that round-trip `v` (finite, non-zero) and
/// the decimal exponent of the first: `v = d.ddd × 10^exp`.
pub(crate) fn shortest_digits(v: f64) -> (String, i32) {
    let s = format!("{:e}", v.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    (digits, exp.parse().unwrap_or(0))
}

/// Java's `Double.toString`: `NaN`, `Infinity`, `-0.0`; plain decimal
/// notation for 10^-3 <= |v| < 10^7 (`100.0`, `0.001`), else computerized
/// scientific notation (`1.0E-5`, `1.2345678E7`). Digits are the shortest
/// that round-trip (JDK 19+).
pub fn format_f64(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    if v == 0.0 {
        return if v.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let (digits, exp) = shortest_digits(v);
    let a = v.abs();
    if (1e-3..1e7).contains(&a) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            let (int, frac) = if digits.len() > int_len {
                (digits[..int_len].to_string(), digits[int_len..].to_string())
            } else {
                (format!("{digits:0<int_len$}"), "0".to_string())
            };
            format!("{sign}{int}.{frac}")
        } else {
            let zeros = "0".repeat((-exp - 1) as usize);
            format!("{sign}0.{zeros}{digits}")
        }
    } else {
        let frac = if digits.len() > 1 { &digits[1..] } else { "0" };
        format!("{sign}{}.{frac}E{exp}", &digits[..1])
    }
}

fn format_year(y: i64) -> String {
    if y < 0 {
        format!("-{:04}", -y)
    } else if y > 9999 {
        format!("+{y}")
    } else {
        format!("{y:04}")
    }
}

/// CAST(date AS STRING): `yyyy-MM-dd`.
pub fn format_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(days as i64);
    format!("{}-{m:02}-{d:02}", format_year(y))
}

/// CAST(timestamp AS STRING): `yyyy-MM-dd HH:mm:ss[.ffffff]`, the fraction
/// without trailing zeros, omitted when zero.
pub fn format_timestamp(us: i64) -> String {
    let (days, tod) = split_micros(us);
    let (y, m, d) = civil_from_days(days);
    let secs = tod / 1_000_000;
    let frac = tod % 1_000_000;
    let mut s = format!(
        "{}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        format_year(y),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    );
    if frac != 0 {
        let f = format!("{frac:06}");
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s
}
