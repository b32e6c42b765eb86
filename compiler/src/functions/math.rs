//! Math functions over doubles and integers, with Spark's semantics: the
//! transcendental functions take and give doubles (NaN where Java's
//! `Math` gives NaN, null only for null input — except `ln`/`log` family,
//! which give null for a non-positive argument, as Spark does).

use arrow::array::ArrayRef;

use super::args::*;
use super::FunctionRef;
use crate::error::{Error, Result};
use crate::ir::TExpr;
use crate::scalar_function;
use crate::types::DataType::{Decimal, Float64, Int32, Int64, Utf8};

pub fn register(v: &mut Vec<FunctionRef>) {
    v.extend([
        FunctionRef::new(Pow),
        FunctionRef::new(Exp),
        FunctionRef::new(Expm1),
        FunctionRef::new(Ln),
        FunctionRef::new(Log),
        FunctionRef::new(Log10),
        FunctionRef::new(Log2),
        FunctionRef::new(Log1p),
        FunctionRef::new(Signum),
        FunctionRef::new(Cbrt),
        FunctionRef::new(Hypot),
        FunctionRef::new(Degrees),
        FunctionRef::new(Radians),
        FunctionRef::new(Sin),
        FunctionRef::new(Cos),
        FunctionRef::new(Tan),
        FunctionRef::new(Cot),
        FunctionRef::new(Sec),
        FunctionRef::new(Csc),
        FunctionRef::new(Asin),
        FunctionRef::new(Acos),
        FunctionRef::new(Atan),
        FunctionRef::new(Atan2),
        FunctionRef::new(Sinh),
        FunctionRef::new(Cosh),
        FunctionRef::new(Tanh),
        FunctionRef::new(Asinh),
        FunctionRef::new(Acosh),
        FunctionRef::new(Atanh),
        FunctionRef::new(EConst),
        FunctionRef::new(Pi),
        FunctionRef::new(Pmod),
        FunctionRef::new(Factorial),
        FunctionRef::new(Bin),
        FunctionRef::new(BitCount),
        FunctionRef::new(ShiftLeft),
        FunctionRef::new(ShiftRight),
        FunctionRef::new(Bround),
        FunctionRef::new(WidthBucket),
        FunctionRef::new(Conv),
        FunctionRef::new(BitAnd),
        FunctionRef::new(BitOr),
        FunctionRef::new(BitXor),
        FunctionRef::new(BitNot),
    ]);
}

fn unary(a: &[ArrayRef], rows: usize, f: fn(f64) -> f64) -> Result<ArrayRef> {
    let x = f64s(&a[0])?;
    collect_f64(rows, |i| Ok(x.at(i).map(f)))
}

/// Declares `name(x)`, a double function of a double.
macro_rules! double_fn {
    ($ty:ident, $name:literal, [$($alias:literal),*], $usage:literal, $f:expr) => {
        scalar_function!(
            $ty, $name, [$($alias),*], $usage,
            resolve(this, args, call) {
                arity($name, &args, 1, 1)?;
                typed(&this, args, &[Float64], Float64, call)
            }
            invoke(a, rows) { unary(a, rows, $f) }
        );
    };
}

double_fn!(
    Exp,
    "exp",
    [],
    "exp(expr) - Returns e to the power of `expr`.",
    f64::exp
);
double_fn!(
    Expm1,
    "expm1",
    [],
    "expm1(expr) - Returns exp(`expr`) - 1.",
    f64::exp_m1
);
double_fn!(
    Cbrt,
    "cbrt",
    [],
    "cbrt(expr) - Returns the cube root of `expr`.",
    f64::cbrt
);
double_fn!(
    Degrees,
    "degrees",
    [],
    "degrees(expr) - Converts radians to degrees.",
    f64::to_degrees
);
double_fn!(
    Radians,
    "radians",
    [],
    "radians(expr) - Converts degrees to radians.",
    f64::to_radians
);
double_fn!(
    Sin,
    "sin",
    [],
    "sin(expr) - Returns the sine of `expr`.",
    f64::sin
);
double_fn!(
    Cos,
    "cos",
    [],
    "cos(expr) - Returns the cosine of `expr`.",
    f64::cos
);
double_fn!(
    Tan,
    "tan",
    [],
    "tan(expr) - Returns the tangent of `expr`.",
    f64::tan
);
double_fn!(
    Cot,
    "cot",
    [],
    "cot(expr) - Returns the cotangent of `expr`.",
    |x| 1.0 / x.tan()
);
double_fn!(
    Sec,
    "sec",
    [],
    "sec(expr) - Returns the secant of `expr`.",
    |x| 1.0 / x.cos()
);
double_fn!(
    Csc,
    "csc",
    [],
    "csc(expr) - Returns the cosecant of `expr`.",
    |x| 1.0 / x.sin()
);
double_fn!(
    Asin,
    "asin",
    [],
    "asin(expr) - Returns the inverse sine of `expr`.",
    f64::asin
);
double_fn!(
    Acos,
    "acos",
    [],
    "acos(expr) - Returns the inverse cosine of `expr`.",
    f64::acos
);
double_fn!(
    Atan,
    "atan",
    [],
    "atan(expr) - Returns the inverse tangent of `expr`.",
    f64::atan
);
double_fn!(
    Sinh,
    "sinh",
    [],
    "sinh(expr) - Returns the hyperbolic sine of `expr`.",
    f64::sinh
);
double_fn!(
    Cosh,
    "cosh",
    [],
    "cosh(expr) - Returns the hyperbolic cosine of `expr`.",
    f64::cosh
);
double_fn!(
    Tanh,
    "tanh",
    [],
    "tanh(expr) - Returns the hyperbolic tangent of `expr`.",
    f64::tanh
);
double_fn!(
    Asinh,
    "asinh",
    [],
    "asinh(expr) - Returns the inverse hyperbolic sine of `expr`.",
    f64::asinh
);
double_fn!(
    Acosh,
    "acosh",
    [],
    "acosh(expr) - Returns the inverse hyperbolic cosine of `expr`.",
    f64::acosh
);
double_fn!(
    Atanh,
    "atanh",
    [],
    "atanh(expr) - Returns the inverse hyperbolic tangent of `expr`.",
    f64::atanh
);
double_fn!(
    Signum,
    "signum",
    ["sign"],
    "signum(expr) - Returns -1.0, 0.0 or 1.0 as `expr` is negative, 0 or positive.",
    |x| if x.is_nan() {
        f64::NAN
    } else if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x
    }
);

/// A logarithm that is null for arguments at or below `floor` (Spark's rule).
macro_rules! log_fn {
    ($ty:ident, $name:literal, $usage:literal, $floor:expr, $f:expr) => {
        scalar_function!(
            $ty, $name, [], $usage,
            resolve(this, args, call) {
                arity($name, &args, 1, 1)?;
                let mut r = typed(&this, args, &[Float64], Float64, call)?;
                r.nullable = true;
                Ok(r)
            }
            invoke(a, rows) {
                let x = f64s(&a[0])?;
                let f: fn(f64) -> f64 = $f;
                collect_f64(rows, |i| Ok(x.at(i).and_then(|x| (x > $floor).then(|| f(x)))))
            }
        );
    };
}

log_fn!(
    Ln,
    "ln",
    "ln(expr) - Returns the natural logarithm (base e) of `expr`.",
    0.0,
    f64::ln
);
log_fn!(
    Log10,
    "log10",
    "log10(expr) - Returns the logarithm of `expr` with base 10.",
    0.0,
    f64::log10
);
log_fn!(
    Log2,
    "log2",
    "log2(expr) - Returns the logarithm of `expr` with base 2.",
    0.0,
    f64::log2
);
log_fn!(
    Log1p,
    "log1p",
    "log1p(expr) - Returns log(1 + `expr`).",
    -1.0,
    f64::ln_1p
);

scalar_function!(
    /// `log(base, x)`, or `log(x)` = `ln(x)`.
    Log, "log", [], "log(base, expr) - Returns the logarithm of `expr` with `base`.",
    resolve(this, args, call) {
        arity("log", &args, 1, 2)?;
        let mut r = typed(&this, args, &[Float64, Float64], Float64, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        if a.len() == 1 {
            let x = f64s(&a[0])?;
            return collect_f64(rows, |i| Ok(x.at(i).and_then(|x| (x > 0.0).then(|| x.ln()))));
        }
        let (b, x) = (f64s(&a[0])?, f64s(&a[1])?);
        collect_f64(rows, |i| Ok(match (b.at(i), x.at(i)) {
            (Some(b), Some(x)) if b > 0.0 && x > 0.0 => Some(x.ln() / b.ln()),
            _ => None,
        }))
    }
);

scalar_function!(
    /// `pow(x, y)` / `power(x, y)`.
    Pow, "pow", ["power"], "pow(expr1, expr2) - Raises `expr1` to the power of `expr2`.",
    resolve(this, args, call) {
        arity("pow", &args, 2, 2)?;
        typed(&this, args, &[Float64, Float64], Float64, call)
    }
    invoke(a, rows) {
        let (x, y) = (f64s(&a[0])?, f64s(&a[1])?);
        collect_f64(rows, |i| Ok(match (x.at(i), y.at(i)) {
            (Some(x), Some(y)) => Some(java_pow(x, y)),
            _ => None,
        }))
    }
);

/// Java's `Math.pow`: like C's, except that pow(±1, ±inf) and 1^NaN are NaN.
fn java_pow(x: f64, y: f64) -> f64 {
    if y.is_nan() || (x.abs() == 1.0 && y.is_infinite()) {
        return f64::NAN;
    }
    x.powf(y)
}

scalar_function!(
    /// `hypot(x, y)`.
    Hypot, "hypot", [], "hypot(expr1, expr2) - Returns sqrt(`expr1`^2 + `expr2`^2).",
    resolve(this, args, call) {
        arity("hypot", &args, 2, 2)?;
        typed(&this, args, &[Float64, Float64], Float64, call)
    }
    invoke(a, rows) {
        let (x, y) = (f64s(&a[0])?, f64s(&a[1])?);
        collect_f64(rows, |i| Ok(match (x.at(i), y.at(i)) {
            (Some(x), Some(y)) => Some(x.hypot(y)),
            _ => None,
        }))
    }
);

scalar_function!(
    /// `atan2(y, x)`.
    Atan2, "atan2", [], "atan2(exprY, exprX) - Returns the angle in radians between the positive x-axis and the point (`exprX`, `exprY`).",
    resolve(this, args, call) {
        arity("atan2", &args, 2, 2)?;
        typed(&this, args, &[Float64, Float64], Float64, call)
    }
    invoke(a, rows) {
        let (y, x) = (f64s(&a[0])?, f64s(&a[1])?);
        // Spark adds 0.0 to both, turning -0.0 into 0.0.
        collect_f64(rows, |i| Ok(match (y.at(i), x.at(i)) {
            (Some(y), Some(x)) => Some((y + 0.0).atan2(x + 0.0)),
            _ => None,
        }))
    }
);

scalar_function!(
    /// `e()`.
    EConst, "e", [], "e() - Returns Euler's number, e.",
    resolve(this, args, call) {
        arity("e", &args, 0, 0)?;
        let mut r = typed(&this, args, &[], Float64, call)?;
        r.nullable = false;
        Ok(r)
    }
    invoke(_a, rows) { collect_f64(rows, |_| Ok(Some(std::f64::consts::E))) }
);

scalar_function!(
    /// `pi()`.
    Pi, "pi", [], "pi() - Returns pi.",
    resolve(this, args, call) {
        arity("pi", &args, 0, 0)?;
        let mut r = typed(&this, args, &[], Float64, call)?;
        r.nullable = false;
        Ok(r)
    }
    invoke(_a, rows) { collect_f64(rows, |_| Ok(Some(std::f64::consts::PI))) }
);

scalar_function!(
    /// `pmod(a, n)`: the positive remainder; a zero divisor is an error (ANSI).
    Pmod, "pmod", [], "pmod(expr1, expr2) - Returns the positive value of `expr1` mod `expr2`.",
    resolve(this, args, call) {
        arity("pmod", &args, 2, 2)?;
        if let Some((a, b)) = decimal_operands(&args) {
            let (p, s) = crate::decimal::rem_type(a, b);
            let params = [Decimal(a.0, a.1), Decimal(b.0, b.1)];
            return typed(&this, args, &params, Decimal(p, s), call);
        }
        let t = if args.iter().all(|a| a.ty.is_integer() || a.ty == crate::types::DataType::Null) {
            // the wider integer, TINYINT and SMALLINT included (Spark)
            use crate::types::DataType::{Int16, Int8};
            [Int64, Int32, Int16, Int8]
                .into_iter()
                .find(|t| args.iter().any(|a| a.ty == *t))
                .unwrap_or(Int32)
        } else {
            Float64
        };
        typed(&this, args, &[t.clone(), t.clone()], t, call)
    }
    invoke(a, rows) {
        match a[0].data_type() {
            arrow::datatypes::DataType::Decimal128(..) => decimal_pmod(a),
            // TINYINT/SMALLINT: as INTs, back to the type (the remainder fits)
            t @ (arrow::datatypes::DataType::Int8 | arrow::datatypes::DataType::Int16) => {
                let wide = a
                    .iter()
                    .map(|x| arrow::compute::cast(x, &arrow::datatypes::DataType::Int32))
                    .collect::<std::result::Result<Vec<_>, _>>()?;
                let r = <Pmod as crate::functions::ScalarFunction>::invoke(&Pmod, &wide, rows)?;
                Ok(arrow::compute::cast(&r, t)?)
            }
            arrow::datatypes::DataType::Int32 => {
                let (x, n) = (i32s(&a[0])?, i32s(&a[1])?);
                collect_i32(rows, |i| Ok(match (x.at(i), n.at(i)) {
                    (Some(_), Some(0)) => return Err(remainder_by_zero()),
                    (None, _) | (_, None) => None,
                    (Some(x), Some(n)) => {
                        let r = x.wrapping_rem(n);
                        Some(if r < 0 { r.wrapping_add(n).wrapping_rem(n) } else { r })
                    }
                }))
            }
            arrow::datatypes::DataType::Int64 => {
                let (x, n) = (i64s(&a[0])?, i64s(&a[1])?);
                collect_i64(rows, |i| Ok(match (x.at(i), n.at(i)) {
                    (Some(_), Some(0)) => return Err(remainder_by_zero()),
                    (None, _) | (_, None) => None,
                    (Some(x), Some(n)) => {
                        let r = x.wrapping_rem(n);
                        Some(if r < 0 { r.wrapping_add(n).wrapping_rem(n) } else { r })
                    }
                }))
            }
            _ => {
                let (x, n) = (f64s(&a[0])?, f64s(&a[1])?);
                collect_f64(rows, |i| Ok(match (x.at(i), n.at(i)) {
                    (Some(_), Some(0.0)) => return Err(remainder_by_zero()),
                    (Some(x), Some(n)) => {
                        let r = x % n;
                        Some(if r < 0.0 { (r + n) % n } else { r })
                    }
                    _ => None,
                }))
            }
        }
    }
);

/// The decimal types of two operands when one is a decimal and the other
/// a decimal or an integer (an integer literal takes only its digits).
fn decimal_operands(args: &[TExpr]) -> Option<((u8, u8), (u8, u8))> {
    if !args.iter().any(|a| a.ty.is_decimal()) {
        return None;
    }
    let ps = |e: &TExpr| match e.ty {
        crate::types::DataType::Null => Some((1, 0)),
        _ => crate::resolve::operand_decimal(e),
    };
    Some((ps(&args[0])?, ps(&args[1])?))
}

/// `pmod` of two decimal columns, at Spark's remainder type.
fn decimal_pmod(a: &[ArrayRef]) -> Result<ArrayRef> {
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::{DataType as A, Decimal128Type};
    let ps = |x: &ArrayRef| match x.data_type() {
        A::Decimal128(p, s) => Ok((*p, *s as u8)),
        t => Err(Error::internal(format!("pmod of a decimal and a {t}"))),
    };
    let (pa, pb) = (ps(&a[0])?, ps(&a[1])?);
    let r = crate::decimal::rem_type(pa, pb);
    let (x, n) = (
        a[0].as_primitive::<Decimal128Type>(),
        a[1].as_primitive::<Decimal128Type>(),
    );
    let out = (0..x.len())
        .map(|i| {
            if x.is_null(i) || n.is_null(i) {
                return Ok(None);
            }
            let (v, d) = (x.value(i), n.value(i));
            match crate::decimal::rem(v, pa.1, d, pb.1, r, true) {
                Err(()) => Err(remainder_by_zero()),
                Ok(None) => Err(crate::decimal::out_of_range(
                    &format!(
                        "pmod({}, {})",
                        crate::decimal::format(v, pa.1),
                        crate::decimal::format(d, pb.1)
                    ),
                    r,
                )),
                Ok(Some(m)) => Ok(Some(m)),
            }
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(crate::decimal::array(out, &Decimal(r.0, r.1)))
}

fn remainder_by_zero() -> Error {
    Error::execution(
        "REMAINDER_BY_ZERO",
        "Remainder by zero. Use `try_mod` to tolerate divisor being 0 and return NULL instead.",
    )
}

scalar_function!(
    /// `factorial(n)`: null outside 0..=20.
    Factorial, "factorial", [], "factorial(expr) - Returns the factorial of `expr`; `expr` is [0..20], otherwise null.",
    resolve(this, args, call) {
        arity("factorial", &args, 1, 1)?;
        let mut r = typed(&this, args, &[Int32], Int64, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        let n = i32s(&a[0])?;
        collect_i64(rows, |i| Ok(n.at(i).and_then(|n| (0..=20).contains(&n).then(|| (1..=n as i64).product()))))
    }
);

scalar_function!(
    /// `bin(n)`: the binary digits of a bigint (two's complement when negative).
    Bin, "bin", [], "bin(expr) - Returns the string representation of the long value `expr` represented in binary.",
    resolve(this, args, call) {
        arity("bin", &args, 1, 1)?;
        typed(&this, args, &[Int64], Utf8, call)
    }
    invoke(a, rows) {
        let n = i64s(&a[0])?;
        collect_strings(rows, |i| Ok(n.at(i).map(|n| format!("{:b}", n as u64))))
    }
);

scalar_function!(
    /// `bit_count(n)`: the number of bits set.
    BitCount, "bit_count", [], "bit_count(expr) - Returns the number of bits that are set in the argument `expr` as an unsigned 64-bit integer.",
    resolve(this, args, call) {
        arity("bit_count", &args, 1, 1)?;
        let t = if args[0].ty == Int32 { Int32 } else { Int64 };
        typed(&this, args, &[t], Int32, call)
    }
    invoke(a, rows) {
        if let Ok(x) = i32s(&a[0]) {
            return collect_i32(rows, |i| Ok(x.at(i).map(|v| v.count_ones() as i32)));
        }
        let x = i64s(&a[0])?;
        collect_i32(rows, |i| Ok(x.at(i).map(|v| v.count_ones() as i32)))
    }
);

/// `shiftleft`/`shiftright` on int or bigint; the shift is taken modulo the
/// width, as Java's shift operators do.
macro_rules! shift_fn {
    ($ty:ident, $name:literal, $usage:literal, $op32:expr, $op64:expr) => {
        scalar_function!(
            $ty, $name, [], $usage,
            resolve(this, args, call) {
                arity($name, &args, 2, 2)?;
                let t = if args[0].ty == Int32 { Int32 } else { Int64 };
                typed(&this, args, &[t.clone(), Int32], t, call)
            }
            invoke(a, rows) {
                let s = i32s(&a[1])?;
                if let Ok(x) = i32s(&a[0]) {
                    let f: fn(i32, u32) -> i32 = $op32;
                    return collect_i32(rows, |i| Ok(match (x.at(i), s.at(i)) {
                        (Some(x), Some(s)) => Some(f(x, (s as u32) & 31)),
                        _ => None,
                    }));
                }
                let x = i64s(&a[0])?;
                let f: fn(i64, u32) -> i64 = $op64;
                collect_i64(rows, |i| Ok(match (x.at(i), s.at(i)) {
                    (Some(x), Some(s)) => Some(f(x, (s as u32) & 63)),
                    _ => None,
                }))
            }
        );
    };
}

shift_fn!(
    ShiftLeft,
    "shiftleft",
    "shiftleft(base, expr) - Bitwise left shift.",
    |x, s| x.wrapping_shl(s),
    |x, s| x.wrapping_shl(s)
);
shift_fn!(
    ShiftRight,
    "shiftright",
    "shiftright(base, expr) - Bitwise (signed) right shift.",
    |x, s| x.wrapping_shr(s),
    |x, s| x.wrapping_shr(s)
);

scalar_function!(
    /// `bround(x[, d])`: HALF_EVEN rounding at `d` decimal places.
    Bround, "bround", [], "bround(expr, d) - Returns `expr` rounded to `d` decimal places using HALF_EVEN rounding mode.",
    resolve(this, args, call) {
        arity("bround", &args, 1, 2)?;
        if let Some(s) = args.get(1) {
            if literal(s).is_none() {
                return Err(Error::analysis("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", format!("the scale of `{call}` must be an integer literal")));
            }
        }
        let t = if args[0].ty.is_integer() { args[0].ty.clone() } else { Float64 };
        typed(&this, args, &[t.clone(), Int32], t, call)
    }
    invoke(a, rows) {
        let d = match a.get(1) {
            Some(d) => i32s(d)?.at(0).unwrap_or(0),
            None => 0,
        };
        match a[0].data_type() {
            arrow::datatypes::DataType::Int8 => crate::interp::narrow::round(&crate::types::DataType::Int8, &a[0], d, true),
            arrow::datatypes::DataType::Int16 => crate::interp::narrow::round(&crate::types::DataType::Int16, &a[0], d, true),
            arrow::datatypes::DataType::Int32 => crate::interp::narrow::round(&Int32, &a[0], d, true),
            arrow::datatypes::DataType::Int64 => crate::interp::narrow::round(&Int64, &a[0], d, true),
            _ => {
                let x = f64s(&a[0])?;
                collect_f64(rows, |i| Ok(x.at(i).map(|v| {
                    if !v.is_finite() { return v; }
                    round_half_even_decimal(v, d.max(0) as usize).parse::<f64>().map(|r| {
                        if d < 0 { round_int_half_even_f64(v, d) } else { r }
                    }).unwrap_or(v)
                })))
            }
        }
    }
);

scalar_function!(
    /// `width_bucket(v, min, max, n)`: the bucket of `v` among `n` equal
    /// buckets over [min, max) (a reversed range counts down); 0 below,
    /// n + 1 above; null where Spark's is (n <= 0 or Long.MAX, NaN, an
    /// infinite bound, min = max).
    WidthBucket, "width_bucket", [], "width_bucket(value, min_value, max_value, num_bucket) - Returns the bucket number to which `value` would be assigned in an equiwidth histogram with `num_bucket` buckets, in the range `min_value` to `max_value`.",
    resolve(this, args, call) {
        arity("width_bucket", &args, 4, 4)?;
        let mut r = typed(&this, args, &[Float64, Float64, Float64, Int64], Int64, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        let (v, lo, hi, n) = (f64s(&a[0])?, f64s(&a[1])?, f64s(&a[2])?, i64s(&a[3])?);
        collect_i64(rows, |i| Ok(match (v.at(i), lo.at(i), hi.at(i), n.at(i)) {
            (Some(v), Some(lo), Some(hi), Some(n)) => width_bucket(v, lo, hi, n),
            _ => None,
        }))
    }
);

/// Spark's `WidthBucket.computeBucketNumber`.
fn width_bucket(v: f64, min: f64, max: f64, n: i64) -> Option<i64> {
    if n <= 0 || n == i64::MAX || v.is_nan() || min == max || !min.is_finite() || !max.is_finite() {
        return None;
    }
    let (lower, upper) = (min.min(max), min.max(max));
    Some(if min < max {
        if v < lower {
            0
        } else if v >= upper {
            n + 1
        } else {
            (n as f64 * (v - lower) / (upper - lower)) as i64 + 1
        }
    } else if v > upper {
        0
    } else if v <= lower {
        n + 1
    } else {
        (n as f64 * (upper - v) / (upper - lower)) as i64 + 1
    })
}

scalar_function!(
    /// `conv(num, from_base, to_base)`: Spark's `NumberConverter` through an
    /// unsigned 64-bit value; a negative `to_base` prints a signed result.
    Conv, "conv", [], "conv(num, from_base, to_base) - Convert `num` from `from_base` to `to_base`.",
    resolve(this, args, call) {
        arity("conv", &args, 3, 3)?;
        let mut r = typed(&this, args, &[Utf8, Int32, Int32], Utf8, call)?;
        r.nullable = true;
        Ok(r)
    }
    invoke(a, rows) {
        let (n, from, to) = (strs(&a[0])?, i32s(&a[1])?, i32s(&a[2])?);
        collect_strings(rows, |i| match (n.at(i), from.at(i), to.at(i)) {
            // Spark 4 trims the spaces around the number first.
            (Some(n), Some(f), Some(t)) => conv(n.trim_matches(' ').as_bytes(), f, t),
            _ => Ok(None),
        })
    }
);

/// Spark's `NumberConverter.convert` (ANSI: an overflow is an error).
fn conv(n: &[u8], from: i32, to: i32) -> Result<Option<String>> {
    if !(2..=36).contains(&from) || !(2..=36).contains(&to.abs()) || n.is_empty() {
        return Ok(None);
    }
    let (mut negative, digits) = match n.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, n),
    };
    let radix = from as u64;
    // Reads digits up to the first that is not one, as an unsigned 64-bit value.
    let mut v: u64 = 0;
    for &b in digits {
        let Some(d) = (b as char).to_digit(from as u32) else {
            break;
        };
        v = v
            .checked_mul(radix)
            .and_then(|v| v.checked_add(d as u64))
            .ok_or_else(|| {
                Error::execution(
                    "ARITHMETIC_OVERFLOW",
                    "Overflow in function conv(). If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                )
            })?;
    }
    let mut v = v as i64;
    if negative && to > 0 {
        v = if v < 0 { -1 } else { -v };
    }
    if to < 0 && v < 0 {
        v = v.wrapping_neg();
        negative = true;
    }
    let mut u = v as u64;
    let radix = to.unsigned_abs() as u64;
    let mut out = Vec::new();
    loop {
        let d = (u % radix) as u32;
        out.push(
            std::char::from_digit(d, radix as u32)
                .unwrap_or('?')
                .to_ascii_uppercase(),
        );
        u /= radix;
        if u == 0 {
            break;
        }
    }
    if negative && to < 0 {
        out.push('-');
    }
    Ok(Some(out.iter().rev().collect()))
}

/// The integral type of a bitwise operator over `args` (a string or NULL
/// beside an integer is read as a bigint, as Spark's implicit casts do).
fn bitwise_type(
    name: &str,
    args: &[TExpr],
    call: &crate::expr::Expr,
) -> Result<crate::types::DataType> {
    use crate::types::DataType::Null;
    let mut t = Int32;
    for a in args {
        match a.ty {
            Int32 | Null => {}
            Int64 | Utf8 => t = Int64,
            ref other => {
                let class = if args.len() == 1 {
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"
                } else {
                    "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE"
                };
                return Err(Error::analysis(
                    class,
                    format!(
                        "Cannot resolve \"{call}\" due to data type mismatch: `{name}` requires the \"INTEGRAL\" type, however \"{a}\" has the type \"{}\".",
                        other.spark_name().to_uppercase()
                    ),
                ));
            }
        }
    }
    Ok(t)
}

/// Declares a bitwise binary operator over int or bigint.
macro_rules! bitwise_fn {
    ($ty:ident, $name:literal, $usage:literal, $op:tt) => {
        scalar_function!(
            $ty, $name, [], $usage,
            resolve(this, args, call) {
                arity($name, &args, 2, 2)?;
                let t = bitwise_type($name, &args, call)?;
                typed(&this, args, &[t.clone(), t.clone()], t, call)
            }
            invoke(a, rows) {
                if let (Ok(x), Ok(y)) = (i32s(&a[0]), i32s(&a[1])) {
                    return collect_i32(rows, |i| Ok(match (x.at(i), y.at(i)) {
                        (Some(x), Some(y)) => Some(x $op y),
                        _ => None,
                    }));
                }
                let (x, y) = (i64s(&a[0])?, i64s(&a[1])?);
                collect_i64(rows, |i| Ok(match (x.at(i), y.at(i)) {
                    (Some(x), Some(y)) => Some(x $op y),
                    _ => None,
                }))
            }
        );
    };
}

bitwise_fn!(BitAnd, "&", "expr1 & expr2 - Returns the result of bitwise AND of `expr1` and `expr2`.", &);
bitwise_fn!(BitOr, "|", "expr1 | expr2 - Returns the result of bitwise OR of `expr1` and `expr2`.", |);
bitwise_fn!(BitXor, "^", "expr1 ^ expr2 - Returns the result of bitwise exclusive OR of `expr1` and `expr2`.", ^);

scalar_function!(
    /// `~x`: bitwise NOT.
    BitNot, "~", [], "~ expr - Returns the result of bitwise NOT of `expr`.",
    resolve(this, args, call) {
        arity("~", &args, 1, 1)?;
        let t = bitwise_type("~", &args, call)?;
        typed(&this, args, std::slice::from_ref(&t), t.clone(), call)
    }
    invoke(a, rows) {
        if let Ok(x) = i32s(&a[0]) {
            return collect_i32(rows, |i| Ok(x.at(i).map(|x| !x)));
        }
        let x = i64s(&a[0])?;
        collect_i64(rows, |i| Ok(x.at(i).map(|x| !x)))
    }
);

scalar_function!(
    /// `round(n, d)` of an INT or BIGINT `n` to `d` < 0 places: HALF_UP,
    /// keeping the type, an overflow past it an error (Spark's
    /// `RoundBase` over integers). Not in the catalog: `round` resolves to
    /// it (the JIT's `round` is over doubles).
    IntRound, "round", [], "round(expr, d) - Returns `expr` rounded to `d` decimal places using HALF_UP rounding mode.",
    resolve(this, args, call) {
        let t = args[0].ty.clone();
        typed(&this, args, &[t.clone(), Int32], t, call)
    }
    invoke(a, _rows) {
        let d = i32s(&a[1])?.at(0).unwrap_or(0);
        let t = if *a[0].data_type() == arrow::datatypes::DataType::Int64 { Int64 } else { Int32 };
        crate::interp::narrow::round(&t, &a[0], d, false)
    }
);

fn round_int_half_even_f64(v: f64, d: i32) -> f64 {
    let p = 10f64.powi(d.abs());
    let x = v / p;
    let r = x.round();
    let r = if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    };
    r * p
}

/// Adds one to the last of decimal `digits` (0–9 each), carrying; true
/// when the carry made a new leading digit.
pub(crate) fn add_one_ulp(digits: &mut Vec<u8>) -> bool {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return false;
        }
    }
    digits.insert(0, 1);
    true
}

/// `x` in decimal (its shortest round-trip digits, as Java's
/// `Double.toString` gives them) rounded HALF_EVEN to `d` places.
pub fn round_half_even_decimal(x: f64, d: usize) -> String {
    let s = format!("{}", x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut digits: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    let point = int.len();
    let keep = point + d;
    if digits.len() > keep {
        let rest = &digits[keep..];
        let up = match rest[0].cmp(&5) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Less => false,
            std::cmp::Ordering::Equal => {
                rest[1..].iter().any(|&r| r != 0) || (keep > 0 && digits[keep - 1] % 2 == 1)
            }
        };
        digits.truncate(keep);
        if up {
            add_one_ulp(&mut digits);
        }
    } else {
        digits.resize(keep, 0);
    }
    let point = digits.len() - d;
    let int: String = digits[..point].iter().map(|d| (d + b'0') as char).collect();
    let int = if int.is_empty() { "0".to_string() } else { int };
    let frac: String = digits[point..].iter().map(|d| (d + b'0') as char).collect();
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if d == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conv_follows_sparks_number_converter() {
        let c = |n: &str, f, t| conv(n.as_bytes(), f, t).unwrap();
        assert_eq!(c("100", 2, 10).as_deref(), Some("4"));
        assert_eq!(c("-10", 16, -10).as_deref(), Some("-16"));
        assert_eq!(c("-1", 10, 16).as_deref(), Some("FFFFFFFFFFFFFFFF"));
        assert_eq!(c("0", 10, 2).as_deref(), Some("0"));
        assert_eq!(c("12", 37, 10), None);
        assert!(conv(b"18446744073709551616", 10, 16).is_err());
    }

    #[test]
    fn width_bucket_as_spark() {
        assert_eq!(width_bucket(5.3, 0.2, 10.6, 5), Some(3));
        assert_eq!(width_bucket(-0.9, 5.2, 0.5, 2), Some(3));
        assert_eq!(width_bucket(1.0, 0.0, 10.0, 0), None);
    }

    #[test]
    fn half_even_rounding_on_the_decimal() {
        assert_eq!(round_half_even_decimal(2.5, 0), "2");
        assert_eq!(round_half_even_decimal(3.5, 0), "4");
        assert_eq!(round_half_even_decimal(0.125, 2), "0.12");
        assert_eq!(round_half_even_decimal(9.995, 2), "10.00");
        assert_eq!(round_half_even_decimal(-1.25, 1), "-1.2");
    }
}
