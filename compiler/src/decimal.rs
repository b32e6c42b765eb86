//! Spark's `DECIMAL(p, s)`: the types of results (Spark's `DecimalPrecision`
//! rules with `spark.sql.decimalOperations.allowPrecisionLoss`, its default)
//! and exact arithmetic on the unscaled `i128` values Arrow's `Decimal128`
//! holds.
//!
//! Written here rather than taken from Arrow's decimal kernels because
//! Spark's answers depend on details those kernels do not share: the result
//! type's precision loss past 38 digits, HALF_UP rounding of every result,
//! and division at the result's
//! scale rounded once (checked against PySpark where a quotient lies within
//! half a unit of the 38th place of one half). Intermediate products and quotients are
//! computed in `i256`, wide enough for two 38-digit operands.

use arrow::datatypes::i256;

use crate::error::{Error, Result};

/// The most digits a decimal holds (Spark's and Arrow's `Decimal128`).
pub const MAX_PRECISION: u8 = 38;
/// Spark's `MINIMUM_ADJUSTED_SCALE`: the fractional digits a result keeps
/// at least when its precision is cut to 38.
const MIN_ADJUSTED_SCALE: i32 = 6;
/// The default of `DECIMAL` without arguments.
pub const DEFAULT: (u8, u8) = (10, 0);

/// `10^n` for `n <= 38`.
pub fn pow10(n: u32) -> i128 {
    10i128.pow(n)
}

fn pow10_256(n: u32) -> i256 {
    i256::from_i128(10).wrapping_pow(n)
}

/// Whether `v` has at most `p` digits.
pub fn fits(v: i128, p: u8) -> bool {
    v.unsigned_abs() < pow10(p as u32) as u128
}

/// Spark's `DecimalType.bounded`: precision and scale capped at 38.
pub fn bounded(p: i32, s: i32) -> (u8, u8) {
    let m = MAX_PRECISION as i32;
    (p.clamp(1, m) as u8, s.clamp(0, m) as u8)
}

/// Spark's `adjustPrecisionScale`: a result wider than 38 digits keeps its
/// integer digits and gives up fractional ones, down to 6 (or its own
/// scale when that is smaller).
pub fn adjust(p: i32, s: i32) -> (u8, u8) {
    let m = MAX_PRECISION as i32;
    if p <= m {
        bounded(p, s)
    } else {
        let int_digits = p - s;
        let min_scale = s.min(MIN_ADJUSTED_SCALE);
        bounded(m, (m - int_digits).max(min_scale))
    }
}

/// A decimal operand's precision and scale.
pub type Ps = (u8, u8);

fn split((p, s): Ps) -> (i32, i32) {
    (p as i32, s as i32)
}

/// The result type of `a + b` and `a - b`.
pub fn add_type(a: Ps, b: Ps) -> Ps {
    let ((p1, s1), (p2, s2)) = (split(a), split(b));
    let s = s1.max(s2);
    adjust((p1 - s1).max(p2 - s2) + s + 1, s)
}

/// The result type of `a * b`.
pub fn mul_type(a: Ps, b: Ps) -> Ps {
    let ((p1, s1), (p2, s2)) = (split(a), split(b));
    adjust(p1 + p2 + 1, s1 + s2)
}

/// The result type of `a / b`.
pub fn div_type(a: Ps, b: Ps) -> Ps {
    let ((p1, s1), (p2, s2)) = (split(a), split(b));
    let scale = MIN_ADJUSTED_SCALE.max(s1 + p2 + 1);
    adjust(p1 - s1 + s2 + scale, scale)
}

/// The result type of `a % b` and `pmod(a, b)`.
pub fn rem_type(a: Ps, b: Ps) -> Ps {
    let ((p1, s1), (p2, s2)) = (split(a), split(b));
    let s = s1.max(s2);
    adjust((p1 - s1).min(p2 - s2) + s, s)
}

/// The type both sides of a comparison (and the branches of a CASE, the
/// columns of a UNION) take: Spark's `widerDecimalType`.
pub fn wider(a: Ps, b: Ps) -> Ps {
    let ((p1, s1), (p2, s2)) = (split(a), split(b));
    let s = s1.max(s2);
    bounded((p1 - s1).max(p2 - s2) + s, s)
}

/// `sum` of a `DECIMAL(p, s)`: `DECIMAL(p + 10, s)`.
pub fn sum_type((p, s): Ps) -> Ps {
    bounded(p as i32 + 10, s as i32)
}

/// `avg` of a `DECIMAL(p, s)`: `DECIMAL(p + 4, s + 4)`.
pub fn avg_type((p, s): Ps) -> Ps {
    bounded(p as i32 + 4, s as i32 + 4)
}

/// The decimal type an integer column becomes beside a decimal: INT is
/// `DECIMAL(10, 0)`, BIGINT `DECIMAL(20, 0)`.
pub fn for_integer(bigint: bool) -> Ps {
    if bigint {
        (20, 0)
    } else {
        (10, 0)
    }
}

/// The decimal type of an integer literal beside a decimal (Spark's
/// `fromLiteral`): just as many digits as it has.
pub fn for_literal(v: i64) -> Ps {
    let digits = v.unsigned_abs().checked_ilog10().map_or(1, |d| d + 1);
    (digits as u8, 0)
}

/// `n / d` rounded half away from zero (Java's `HALF_UP`).
fn div_half_up(n: i256, d: i256) -> i256 {
    let (q, r) = n.wrapping_div_rem(d);
    let twice = r.wrapping_abs().wrapping_mul(i256::from_i128(2));
    if twice >= d.wrapping_abs() {
        if n.is_negative() != d.is_negative() {
            q.wrapping_sub(i256::ONE)
        } else {
            q.wrapping_add(i256::ONE)
        }
    } else {
        q
    }
}

/// `v` (at scale `from`) at scale `to`, rounded HALF_UP; `None` when it
/// does not fit in an `i128`.
pub fn rescale(v: i128, from: u8, to: u8) -> Option<i128> {
    if to >= from {
        v.checked_mul(pow10((to - from) as u32))
    } else {
        div_half_up(i256::from_i128(v), pow10_256((from - to) as u32)).to_i128()
    }
}

fn rescale_256(v: i256, from: u8, to: u8) -> Option<i256> {
    if to >= from {
        v.checked_mul(pow10_256((to - from) as u32))
    } else {
        Some(div_half_up(v, pow10_256((from - to) as u32)))
    }
}

/// A computed value checked against its type: `Some` when it has at most
/// `p` digits.
fn checked(v: Option<i256>, p: u8) -> Option<i128> {
    v.and_then(|v| v.to_i128()).filter(|&v| fits(v, p))
}

/// `a + b` (or `a - b` when `negate_b`), at the result type `r`.
pub fn add(a: i128, sa: u8, b: i128, sb: u8, r: Ps, negate_b: bool) -> Option<i128> {
    let s = sa.max(sb);
    let x = rescale_256(i256::from_i128(a), sa, s)?;
    let y = rescale_256(i256::from_i128(b), sb, s)?;
    let y = if negate_b { y.wrapping_neg() } else { y };
    checked(rescale_256(x.checked_add(y)?, s, r.1), r.0)
}

/// `a * b` at the result type `r`.
pub fn mul(a: i128, sa: u8, b: i128, sb: u8, r: Ps) -> Option<i128> {
    let product = i256::from_i128(a).checked_mul(i256::from_i128(b))?;
    checked(rescale_256(product, sa + sb, r.1), r.0)
}

/// `|a| * 10^e / |b|` as quotient and remainder, by long division when the
/// product would not fit (a quotient past 10^39 is reported as `None`: it
/// overflows every decimal).
fn scaled_div_rem(a: i256, e: u32, b: i256) -> Option<(i256, i256)> {
    if let Some(n) = a.checked_mul(pow10_256(e)) {
        return n.checked_div_rem(b);
    }
    let limit = pow10_256(39);
    let (mut q, mut r) = a.checked_div_rem(b)?;
    let ten = i256::from_i128(10);
    for _ in 0..e {
        r = r.wrapping_mul(ten);
        let (dq, dr) = r.checked_div_rem(b)?;
        q = q.checked_mul(ten)?.checked_add(dq)?;
        r = dr;
        if q > limit {
            return None;
        }
    }
    Some((q, r))
}

/// `a / b` at the result type `r`, rounded HALF_UP to `r`'s scale.
/// `Err(())` for a zero divisor, `Ok(None)` when the result overflows.
#[allow(clippy::result_unit_err)]
pub fn div(a: i128, sa: u8, b: i128, sb: u8, r: Ps) -> std::result::Result<Option<i128>, ()> {
    if b == 0 {
        return Err(());
    }
    let rs = r.1 as i32;
    // a/10^sa / (b/10^sb) * 10^rs = a * 10^(sb + rs - sa) / b
    let e = sb as i32 + rs - sa as i32;
    let (n, d) = (
        i256::from_i128(a).wrapping_abs(),
        i256::from_i128(b).wrapping_abs(),
    );
    let (n, d) = if e >= 0 {
        (n, d)
    } else {
        (n, d.wrapping_mul(pow10_256((-e) as u32)))
    };
    let negative = (a < 0) != (b < 0);
    let Some((q, rem)) = scaled_div_rem(n, e.max(0) as u32, d) else {
        return Ok(None);
    };
    let up = rem.wrapping_mul(i256::from_i128(2)) >= d;
    let q = if up { q.wrapping_add(i256::ONE) } else { q };
    let q = if negative { q.wrapping_neg() } else { q };
    Ok(checked(Some(q), r.0))
}

/// `a % b` (the sign of `a`) at the result type `r`; `Err(())` for a zero
/// divisor. `positive` gives `pmod`.
#[allow(clippy::result_unit_err)]
pub fn rem(
    a: i128,
    sa: u8,
    b: i128,
    sb: u8,
    r: Ps,
    positive: bool,
) -> std::result::Result<Option<i128>, ()> {
    if b == 0 {
        return Err(());
    }
    let s = sa.max(sb);
    let (Some(x), Some(y)) = (
        rescale_256(i256::from_i128(a), sa, s),
        rescale_256(i256::from_i128(b), sb, s),
    ) else {
        return Ok(None);
    };
    let mut m = x.wrapping_rem(y);
    if positive && m.is_negative() {
        m = m.wrapping_add(y.wrapping_abs());
    }
    Ok(checked(rescale_256(m, s, r.1), r.0))
}

/// `a div b`: the integral quotient, truncated, as a BIGINT; past 64 bits,
/// its low 64 bits (Java's `BigDecimal.longValue`, which Spark calls).
#[allow(clippy::result_unit_err)]
pub fn int_div(a: i128, sa: u8, b: i128, sb: u8) -> std::result::Result<i64, ()> {
    if b == 0 {
        return Err(());
    }
    let s = sa.max(sb);
    let x = rescale_256(i256::from_i128(a), sa, s);
    let y = rescale_256(i256::from_i128(b), sb, s);
    // Both fit an i256 scaled to the larger scale (at most 38 + 38 digits).
    let (x, y) = (x.ok_or(())?, y.ok_or(())?);
    Ok(x.wrapping_div(y).as_i128() as i64)
}

/// Orders two decimals of any scales exactly.
pub fn compare(a: i128, sa: u8, b: i128, sb: u8) -> std::cmp::Ordering {
    let s = sa.max(sb);
    let x = rescale_256(i256::from_i128(a), sa, s).unwrap_or(i256::ZERO);
    let y = rescale_256(i256::from_i128(b), sb, s).unwrap_or(i256::ZERO);
    x.cmp(&y)
}

/// The text of a decimal as Spark prints it (`CAST(d AS STRING)`, `show`):
/// plain notation with exactly `s` fractional digits.
pub fn format(v: i128, s: u8) -> String {
    format_wide(i256::from_i128(v), s)
}

/// [`format`] of a value that may pass 38 digits (an overflow's exact value).
pub fn format_wide(v: i256, s: u8) -> String {
    let digits = v.wrapping_abs().to_string();
    let sign = if v.is_negative() { "-" } else { "" };
    let s = s as usize;
    if s == 0 {
        return format!("{sign}{digits}");
    }
    let digits = if digits.len() <= s {
        format!("{}{digits}", "0".repeat(s + 1 - digits.len()))
    } else {
        digits
    };
    let (int, frac) = digits.split_at(digits.len() - s);
    format!("{sign}{int}.{frac}")
}

/// A literal's text as Spark names it in a column header (Java's
/// `BigDecimal.toString`: scientific notation when the exponent is below -6).
pub fn literal_name(v: i128, s: u8) -> String {
    let digits = v.unsigned_abs().to_string();
    let adjusted = digits.len() as i64 - 1 - s as i64;
    if s == 0 || adjusted >= -6 {
        return format(v, s);
    }
    let sign = if v < 0 { "-" } else { "" };
    let (first, rest) = digits.split_at(1);
    let mantissa = if rest.is_empty() {
        first.to_string()
    } else {
        format!("{first}.{rest}")
    };
    format!("{sign}{mantissa}E{adjusted}")
}

/// Parsed decimal text: its unscaled digits and scale, before fitting it to
/// a type. Accepts what Java's `BigDecimal` accepts (`1.5`, `.5`, `1.`,
/// `-1e3`, `1.5E-7`), after trimming whitespace as Spark's cast does.
pub fn parse(text: &str) -> Option<(i256, i32)> {
    let t = text.trim();
    let (neg, t) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    // More significant digits than two decimals hold cannot fit any type.
    if digits.len() > 76 {
        return None;
    }
    let mut v = i256::ZERO;
    let ten = i256::from_i128(10);
    for b in digits.bytes() {
        v = v
            .wrapping_mul(ten)
            .wrapping_add(i256::from_i128((b - b'0') as i128));
    }
    let scale = frac.len() as i32 - exp;
    Some((if neg { v.wrapping_neg() } else { v }, scale))
}

/// `(unscaled, scale)` as a `DECIMAL(p, s)` value, rounded HALF_UP; `None`
/// when it has too many digits.
pub fn fit(v: i256, scale: i32, (p, s): Ps) -> Option<i128> {
    let s = s as i32;
    let r = if scale <= s {
        let e = (s - scale) as u32;
        if e > 76 {
            return (v == i256::ZERO).then_some(0);
        }
        v.checked_mul(pow10_256(e))?
    } else {
        let e = (scale - s) as u32;
        if e > 76 {
            return Some(0);
        }
        div_half_up(v, pow10_256(e))
    };
    checked(Some(r), p)
}

/// The precision and scale a literal's text needs (`1.50` is
/// `DECIMAL(3, 2)`, `1E2` is `DECIMAL(3, 0)`), with its unscaled value.
pub fn literal(text: &str) -> Option<(i128, Ps)> {
    let (v, scale) = parse(text)?;
    let (v, scale) = if scale < 0 {
        (v.checked_mul(pow10_256((-scale) as u32))?, 0)
    } else {
        (v, scale)
    };
    let v = v.to_i128()?;
    let digits = v
        .unsigned_abs()
        .checked_ilog10()
        .map_or(1, |d| d as i32 + 1);
    let p = digits.max(scale);
    if p > MAX_PRECISION as i32 {
        return None;
    }
    Some((v, (p as u8, scale as u8)))
}

/// A double as a decimal, as Spark casts one (through the double's shortest
/// decimal text, rounded HALF_UP); `None` for NaN, infinities and values
/// with too many digits.
pub fn from_f64(v: f64, ps: Ps) -> Option<i128> {
    if !v.is_finite() {
        return None;
    }
    let (d, scale) = parse(&format!("{v:e}"))?;
    fit(d, scale, ps)
}

/// The double nearest a decimal.
pub fn to_f64(v: i128, s: u8) -> f64 {
    // Through the text: correctly rounded, as Java's `doubleValue`.
    format!("{v}e-{s}").parse().unwrap_or(f64::NAN)
}

/// A `Decimal128` array of type `ty` (a decimal type) holding `values`.
pub fn array(
    values: impl IntoIterator<Item = Option<i128>>,
    ty: &crate::types::DataType,
) -> arrow::array::ArrayRef {
    let a: arrow::array::Decimal128Array = values.into_iter().collect();
    std::sync::Arc::new(a.with_data_type(ty.to_arrow()))
}

/// The error Spark raises when a value does not fit its decimal type.
pub fn out_of_range(value: &str, (p, s): Ps) -> Error {
    Error::execution(
        "NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION",
        format!(
            " {value} cannot be represented as Decimal({p}, {s}). If necessary set \
             \"spark.sql.ansi.enabled\" to \"false\" to bypass this error, and return NULL \
             instead."
        ),
    )
}

/// `Result` of an operation that may overflow its type.
pub fn or_out_of_range(v: Option<i128>, what: impl FnOnce() -> String, ps: Ps) -> Result<i128> {
    v.ok_or_else(|| out_of_range(&what(), ps))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(t: &str) -> (i128, Ps) {
        literal(t).unwrap()
    }

    #[test]
    fn result_types_follow_spark() {
        // checked with PySpark 4.3 (typeof)
        assert_eq!(div_type((2, 1), (1, 0)), (7, 6));
        assert_eq!(div_type((1, 0), (2, 1)), (8, 6));
        assert_eq!(mul_type((10, 2), (10, 3)), (21, 5));
        assert_eq!(mul_type((38, 10), (38, 10)), (38, 6));
        assert_eq!(div_type((38, 10), (38, 10)), (38, 6));
        assert_eq!(add_type((2, 1), (1, 0)), (3, 1));
        assert_eq!(add_type((10, 2), (20, 0)), (23, 2));
        assert_eq!(add_type((4, 2), (38, 37)), (38, 35));
        assert_eq!(rem_type((10, 2), (1, 0)), (3, 2));
        assert_eq!(wider((2, 1), (10, 0)), (11, 1));
        assert_eq!(avg_type((10, 0)), (14, 4));
        assert_eq!(avg_type((38, 2)), (38, 6));
        assert_eq!(sum_type((5, 2)), (15, 2));
    }

    #[test]
    fn literals_and_text() {
        assert_eq!(lit("1.5"), (15, (2, 1)));
        assert_eq!(lit("123.450"), (123450, (6, 3)));
        assert_eq!(lit("0.0000001"), (1, (7, 7)));
        assert_eq!(lit("1E2"), (100, (3, 0)));
        assert_eq!(lit("1E-7"), (1, (7, 7)));
        assert_eq!(format(1, 7), "0.0000001");
        assert_eq!(format(-50, 2), "-0.50");
        assert_eq!(format(10000, 2), "100.00");
        assert_eq!(literal_name(1, 7), "1E-7");
        assert_eq!(literal_name(15, 1), "1.5");
        assert_eq!(for_literal(2), (1, 0));
        assert_eq!(for_literal(-120), (3, 0));
    }

    #[test]
    fn rounding_is_half_up() {
        assert_eq!(rescale(125, 2, 1), Some(13));
        assert_eq!(rescale(-125, 2, 1), Some(-13));
        assert_eq!(from_f64(1.35, (3, 1)), Some(14));
        let (v, s) = parse(" 1.5 ").unwrap();
        assert_eq!(fit(v, s, (5, 2)), Some(150));
        let (v, s) = parse("123.45").unwrap();
        assert_eq!(fit(v, s, (4, 2)), None);
        let (v, s) = parse("1e3").unwrap();
        assert_eq!(fit(v, s, (10, 2)), Some(100000));
    }

    #[test]
    fn arithmetic() {
        // 1.0 / 3 = 0.333333 (7, 6)
        assert_eq!(div(10, 1, 3, 0, (7, 6)), Ok(Some(333333)));
        // 2/3 rounds up
        assert_eq!(div(2, 0, 3, 0, (7, 6)), Ok(Some(666667)));
        assert_eq!(div(-2, 0, 3, 0, (7, 6)), Ok(Some(-666667)));
        assert_eq!(div(1, 0, 0, 0, (7, 6)), Err(()));
        // 1.5 * 2.25 = 3.375
        assert_eq!(mul(15, 1, 225, 2, (6, 3)), Some(3375));
        // 99.99 + 1 (38, 37) = 100.99 at scale 35
        let one = pow10(37);
        assert_eq!(
            add(9999, 2, one, 37, (38, 35), false),
            Some(10099 * pow10(33))
        );
        // 5.50 % 3 = 2.50
        assert_eq!(rem(550, 2, 3, 0, (3, 2), false), Ok(Some(250)));
        assert_eq!(rem(-550, 2, 3, 0, (3, 2), true), Ok(Some(50)));
        assert_eq!(int_div(750, 2, 2, 0), Ok(3));
        assert_eq!(int_div(-750, 2, 2, 0), Ok(-3));
        // past 64 bits, Java's longValue (PySpark 4.3: 1E20BD div 1)
        assert_eq!(int_div(pow10(20), 0, 1, 0), Ok(7766279631452241920));
        assert_eq!(int_div(1, 0, 0, 3), Err(()));
        // overflow
        assert_eq!(mul(pow10(37), 0, 10, 0, (38, 0)), None);
    }

    #[test]
    fn division_rounds_once_as_spark() {
        // 10^26 / (2*10^32 + 1) = 0.0000004999…975…: PySpark 4.3 gives
        // 0.000000 (rounding first to 38 places would give 0.000001).
        let b = 2 * pow10(32) + 1;
        assert_eq!(div(pow10(26), 0, b, 0, (38, 6)), Ok(Some(0)));
    }
}
