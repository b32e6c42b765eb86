//! Spark's rules for turning text into values, shared by the JSON and CSV
//! readers and by CSV schema inference. Each returns `None` when the text is
//! not a value of the type (the record is then malformed).

use arrow::array::timezone::Tz;
use arrow::compute::kernels::cast_utils::{string_to_datetime, Parser};
use arrow::datatypes::Date32Type;
use sqlc_compiler::time_zone::TimeZone;

/// Java's `Integer.parseInt`: an optional sign and decimal digits.
pub fn parse_int(s: &str) -> Option<i32> {
    s.parse().ok()
}

/// Java's `Short.parseShort` (a value past the range is malformed).
pub fn parse_short(s: &str) -> Option<i16> {
    s.parse().ok()
}

/// Java's `Byte.parseByte` (a value past the range is malformed).
pub fn parse_byte(s: &str) -> Option<i8> {
    s.parse().ok()
}

/// An ANSI interval as Spark's readers read one: its cast from a string
/// (`1 02:03:04.5`, or Spark's own text `INTERVAL '1 02:03:04.5' DAY TO
/// SECOND`); the months or microseconds, `None` when malformed.
pub fn parse_interval(s: &str, t: &sqlc_compiler::DataType) -> Option<super::rows::Cell> {
    use sqlc_compiler::Scalar;
    match sqlc_compiler::ansi_interval::parse_cast(s, t)? {
        Scalar::YearMonthInterval(m, ..) => Some(super::rows::Cell::I32(m)),
        Scalar::DayTimeInterval(us, ..) => Some(super::rows::Cell::I64(us)),
        _ => None,
    }
}

/// Java's `Long.parseLong`.
pub fn parse_long(s: &str) -> Option<i64> {
    s.parse().ok()
}

/// A decimal as a reader reads one (CSV text, a JSON number or string):
/// Java's `BigDecimal` syntax, rounded HALF_UP to the scale; `None` when it
/// is malformed or has too many digits for its type (a malformed record).
pub fn parse_decimal(s: &str, ps: (u8, u8)) -> Option<i128> {
    let (v, scale) = sqlc_compiler::decimal::parse(s)?;
    sqlc_compiler::decimal::fit(v, scale, ps)
}

/// A CSV double: a decimal number (surrounding spaces allowed, as Java's
/// `Double.parseDouble`), or `NaN`, `Inf`, `-Inf`, `Infinity`, `-Infinity`.
pub fn parse_double(s: &str) -> Option<f64> {
    let t = s.trim();
    if let Some(v) = special_double(t) {
        return Some(v);
    }
    // Rust also reads "inf" and "nan" in any case; Java does not.
    if t.bytes()
        .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return None;
    }
    t.parse().ok()
}

/// The non-numeric doubles a CSV field may hold: Spark's `nanValue`,
/// `positiveInf` and `negativeInf` defaults, and Java's spellings.
pub fn special_double(s: &str) -> Option<f64> {
    match s {
        "NaN" => Some(f64::NAN),
        "Inf" | "Infinity" | "+Infinity" => Some(f64::INFINITY),
        "-Inf" | "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// `true` or `false` in any case (Scala's `toBoolean`).
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// An ISO-8601 timestamp (`2015-02-23T10:18:53.176Z`, `2015-02-23 10:18:53`,
/// with or without fraction and offset, or a bare date) as microseconds since
/// the epoch; without an offset the time is on the wall clock of the
/// reader's zone (its `timeZone` option, by default the session's), which
/// [`super::read::decode_files_reading`] scopes around each block it decodes.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    sqlc_compiler::time_zone::in_session(|tz| {
        if tz.is_utc() {
            let utc: Tz = "+00:00".parse().ok()?;
            string_to_datetime(&utc, s.trim())
                .ok()
                .map(|t| t.timestamp_micros())
        } else {
            sqlc_compiler::scalar_fns::parse_timestamp_in(s, tz)
        }
    })
}

/// The zone a reader reads times without an offset in: its `timeZone`
/// option (the facade sets the session's zone when the user did not).
pub fn reader_zone(options: &super::options::Options) -> Result<TimeZone, crate::Error> {
    match options.get("timeZone") {
        None => Ok(TimeZone::Utc),
        Some(id) => TimeZone::parse(id).ok_or_else(|| crate::Error::BadOption {
            name: "timeZone".into(),
            value: id.to_string(),
            reason: "not a time zone Spark reads (a region such as 'America/Los_Angeles', or an offset such as '+08:00')".into(),
        }),
    }
}

/// A `yyyy-MM-dd` date as days since the epoch.
pub fn parse_date(s: &str) -> Option<i32> {
    Date32Type::parse(s.trim())
}

/// Whether `s` has exactly the form `yyyy-MM-dd` (CSV inference prefers a
/// date type for such columns, as Spark's `preferDate`).
pub fn is_plain_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && parse_date(s).is_some()
}

/// Standard base64 with optional padding, as Jackson decodes JSON binary.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let body = s.trim_end_matches('=').as_bytes();
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= val(c)? << (18 - 6 * i);
        }
        let bytes = acc.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_int("+12"), Some(12));
        assert_eq!(parse_int("3000000000"), None);
        assert_eq!(parse_long("3000000000"), Some(3_000_000_000));
        assert_eq!(parse_long("1.0"), None);
        assert_eq!(parse_double(" 1.5e2 "), Some(150.0));
        assert_eq!(parse_double("-Inf"), Some(f64::NEG_INFINITY));
        assert!(parse_double("NaN").unwrap().is_nan());
        assert_eq!(parse_double("inf"), None);
        assert_eq!(parse_double("1.5x"), None);
        assert_eq!(parse_bool("TRUE"), Some(true));
        assert_eq!(parse_bool("1"), None);
    }

    #[test]
    fn times() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:01.5Z"), Some(1_500_000));
        assert_eq!(parse_timestamp("1970-01-01 01:00:00+01:00"), Some(0));
        assert_eq!(parse_timestamp("1970-01-02"), Some(86_400_000_000));
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_date("1970-01-11"), Some(10));
        assert!(is_plain_date("2024-02-29"));
        assert!(!is_plain_date("2024-02-30"));
        assert!(!is_plain_date("2024-02-29 10:00:00"));
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGk").unwrap(), b"hi");
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("a$=="), None);
    }
}
