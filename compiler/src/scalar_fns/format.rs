//! Values to strings as Spark prints them: Java's `Double.toString`, and
//! ISO dates and timestamps.

use super::calendar::{civil_from_days, split_micros};

/// The shortest decimal digits that round-trip `v` (finite, non-zero) and
/// the decimal exponent of the first: `v = d.ddd × 10^exp`.
pub(crate) fn shortest_digits(v: f64) -> (String, i32) {
    let d = Digits::of(v);
    (String::from_utf8_lossy(d.as_bytes()).into_owned(), d.exp)
}

/// Text written into a fixed buffer on the stack (`write!` with no heap
/// allocation, for what compiled kernels call per row); writing past its
/// end fails.
pub(crate) struct StackText {
    buf: [u8; 64],
    len: usize,
}

impl StackText {
    pub fn new() -> Self {
        StackText {
            buf: [0; 64],
            len: 0,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// [`shortest_digits`] on the stack: the ASCII digits and the exponent.
pub(crate) struct Digits {
    text: StackText,
    pub exp: i32,
}

impl Digits {
    pub fn of(v: f64) -> Digits {
        use std::fmt::Write;
        let mut t = StackText::new();
        // At most 17 digits and a 4-character exponent: it fits.
        let _ = write!(t, "{:e}", v.abs());
        let s = t.as_bytes();
        let e_at = s.iter().position(|&b| b == b'e').unwrap_or(s.len());
        let exp = std::str::from_utf8(s.get(e_at + 1..).unwrap_or(&[]))
            .ok()
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        let mut text = StackText::new();
        for &b in s[..e_at].iter().filter(|b| b.is_ascii_digit()) {
            text.buf[text.len] = b;
            text.len += 1;
        }
        Digits { text, exp }
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }
}

/// Java's `Double.toString`: `NaN`, `Infinity`, `-0.0`; plain decimal
/// notation for 10^-3 <= |v| < 10^7 (`100.0`, `0.001`), else computerized
/// scientific notation (`1.0E-5`, `1.2345678E7`). Digits are the shortest
/// that round-trip (JDK 19+).
pub fn format_f64(v: f64) -> String {
    java_text(v, || shortest_digits(v))
}

/// Java's `Float.toString`: [`format_f64`]'s layout with the shortest
/// digits that round-trip a 32-bit float (`1.1F` prints `1.1`).
pub fn format_f32(v: f32) -> String {
    java_text(f64::from(v), || {
        let s = format!("{:e}", v.abs());
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        (m.replace('.', ""), e.parse().unwrap_or(0))
    })
}

fn java_text(v: f64, shortest: impl FnOnce() -> (String, i32)) -> String {
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
    let (digits, exp) = shortest();
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
