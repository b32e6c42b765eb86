//! Scalar semantics shared by both back ends: the interpreted twin calls
//! these over arrays, and JIT kernels call them (through `extern "C"`
//! wrappers in `codegen`) for what is costly anyway — LIKE, regexes, string
//! functions, parsing and calendar arithmetic. One definition, so the two
//! back ends cannot drift apart. Spark 4 (ANSI mode, UTC session time zone).

/// A LIKE pattern compiled once per kernel: `%lit%`, `lit%`, `%lit` and
/// exact patterns go through memchr's substring finder; others through a
/// regex. Matching is on the whole string, as SQL's LIKE.
#[derive(Debug, Clone)]
pub struct LikeMatcher {
    // filled by the implementation
    _private: (),
}

impl LikeMatcher {
    /// Spark's LIKE: `%` any sequence, `_` any one character, `\` escapes
    /// the next character; `case_insensitive` for ILIKE.
    pub fn new(_pattern: &str, _case_insensitive: bool) -> Result<LikeMatcher, String> {
        todo!("scalar_fns::LikeMatcher::new")
    }

    pub fn matches(&self, _s: &str) -> bool {
        todo!("scalar_fns::LikeMatcher::matches")
    }
}

/// Spark's CAST(string AS BIGINT/INT/DOUBLE/BOOLEAN/TIMESTAMP/DATE): the
/// string is trimmed of whitespace; `None` means malformed (an ANSI error)
/// or out of range.
pub fn parse_i64(_s: &str) -> Option<i64> {
    todo!()
}
pub fn parse_i32(_s: &str) -> Option<i32> {
    todo!()
}
/// Accepts what Java's Double.parseDouble accepts, plus `NaN`, `Infinity`,
/// `-Infinity`, `inf` (case-insensitive), as Spark does.
pub fn parse_f64(_s: &str) -> Option<f64> {
    todo!()
}
/// `true/t/yes/y/1` and `false/f/no/n/0`, case-insensitive.
pub fn parse_bool(_s: &str) -> Option<bool> {
    todo!()
}
/// `yyyy-MM-dd`, `yyyy-MM-dd HH:mm:ss[.fraction]`, `T` instead of the space,
/// an optional trailing `Z`; microseconds since the epoch, UTC.
pub fn parse_timestamp(_s: &str) -> Option<i64> {
    todo!()
}
/// `yyyy-MM-dd` (a timestamp string is cut to its date); days since the epoch.
pub fn parse_date(_s: &str) -> Option<i32> {
    todo!()
}

/// CAST(timestamp AS STRING): `yyyy-MM-dd HH:mm:ss[.ffffff]`, the fraction
/// without trailing zeros, omitted when zero.
pub fn format_timestamp(_us: i64) -> String {
    todo!()
}
/// CAST(date AS STRING): `yyyy-MM-dd`.
pub fn format_date(_days: i32) -> String {
    todo!()
}
/// CAST(double AS STRING): Java's `Double.toString` (`1.0`, `1.0E10`,
/// `1.0E-5`, `NaN`, `Infinity`, `-0.0`).
pub fn format_f64(_v: f64) -> String {
    todo!()
}

/// CAST(double AS TIMESTAMP): seconds to microseconds, truncated toward zero;
/// `None` for NaN, infinities and out-of-range values (ANSI errors).
pub fn f64_to_timestamp(_secs: f64) -> Option<i64> {
    todo!()
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
pub fn timestamp_part(_us: i64, _part: DatePart) -> i32 {
    todo!()
}
pub fn date_part(_days: i32, _part: DatePart) -> i32 {
    todo!()
}
/// Spark's `date_trunc(unit, ts)`: units YEAR/YYYY/YY, QUARTER, MONTH/MM/MON,
/// WEEK (Monday), DAY/DD, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND,
/// case-insensitive. `None` for an unknown unit (Spark returns null).
pub fn date_trunc(_unit: &str, _us: i64) -> Option<i64> {
    todo!()
}

/// Spark's `round(x, scale)` on doubles: HALF_UP, through the decimal value
/// (round(2.5) = 3.0, round(-2.5) = -3.0); NaN and infinities unchanged.
pub fn round_half_up(_v: f64, _scale: i32) -> f64 {
    todo!()
}

/// Spark's `substring(s, pos, len)`: 1-based in characters; pos 0 acts as 1;
/// negative pos counts from the end; a negative len gives "".
pub fn substring(_s: &str, _pos: i64, _len: Option<i64>) -> &str {
    todo!()
}

/// `length(s)`: characters, not bytes.
pub fn char_length(_s: &str) -> i32 {
    todo!()
}
