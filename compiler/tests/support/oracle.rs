//! A row-at-a-time reference evaluator, written independently of the
//! interpreter from Spark's generated code: each row goes through the steps
//! in order, a sub-expression is evaluated only where Spark's code reaches
//! it, and the first error stops everything. Scalar semantics (parsing,
//! formatting, calendars) come from `scalar_fns`, shared by all back ends.

use std::cmp::Ordering;

use sqlc_compiler::ir::*;
use sqlc_compiler::scalar_fns as sf;
use sqlc_compiler::{DataType, Scalar};

pub type Class = &'static str;
type R = Result<Scalar, Class>;

const OVERFLOW: Class = "ARITHMETIC_OVERFLOW";
const DIV0: Class = "DIVIDE_BY_ZERO";
const REM0: Class = "REMAINDER_BY_ZERO";
const INVALID: Class = "CAST_INVALID_INPUT";
const CAST_OVERFLOW: Class = "CAST_OVERFLOW";

/// Spark's order on two non-null values of one type (NaN largest, -0.0 = 0.0).
pub fn order(a: &Scalar, b: &Scalar) -> Ordering {
    use Scalar::*;
    match (a, b) {
        (Boolean(x), Boolean(y)) => x.cmp(y),
        (Int32(x), Int32(y)) => x.cmp(y),
        (Int64(x), Int64(y)) | (Timestamp(x), Timestamp(y)) => x.cmp(y),
        (Date(x), Date(y)) => x.cmp(y),
        (Float64(x), Float64(y)) => match (x.is_nan(), y.is_nan()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ => x.partial_cmp(y).unwrap_or(Ordering::Equal),
        },
        (Utf8(x), Utf8(y)) => x.as_bytes().cmp(y.as_bytes()),
        (Binary(x), Binary(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

fn int(v: &Scalar) -> Option<i64> {
    match v {
        Scalar::Int32(x) => Some(*x as i64),
        Scalar::Int64(x) => Some(*x),
        _ => None,
    }
}

fn arith(op: BinaryOp, ty: &DataType, l: &Scalar, r: &Scalar) -> R {
    use BinaryOp::*;
    if let (Scalar::Float64(a), Scalar::Float64(b)) = (l, r) {
        return Ok(Scalar::Float64(match op {
            Add => a + b,
            Sub => a - b,
            Mul => a * b,
            Div => a / b,
            _ => a % b,
        }));
    }
    let (a, b) = (int(l).unwrap_or(0), int(r).unwrap_or(0));
    let v = match op {
        Add => a.checked_add(b),
        Sub => a.checked_sub(b),
        Mul => a.checked_mul(b),
        _ => Some(a.wrapping_rem(b)),
    };
    match (ty, v) {
        (DataType::Int32, Some(v)) => i32::try_from(v).map(Scalar::Int32).map_err(|_| OVERFLOW),
        (_, Some(v)) => Ok(Scalar::Int64(v)),
        _ => Err(OVERFLOW),
    }
}

fn is_zero(v: &Scalar) -> bool {
    matches!(v, Scalar::Int32(0) | Scalar::Int64(0)) || matches!(v, Scalar::Float64(x) if *x == 0.0)
}

fn cmp_holds(op: BinaryOp, o: Ordering) -> bool {
    use BinaryOp::*;
    match op {
        Eq | EqNullSafe => o.is_eq(),
        NotEq => o.is_ne(),
        Lt => o.is_lt(),
        LtEq => o.is_le(),
        Gt => o.is_gt(),
        _ => o.is_ge(),
    }
}

fn f64_to_int(x: f64, bits32: bool) -> R {
    let (lo, hi) = if bits32 {
        (i32::MIN as f64, i32::MAX as f64)
    } else {
        (i64::MIN as f64, i64::MAX as f64)
    };
    if x.floor() <= hi && x.ceil() >= lo {
        Ok(if bits32 {
            Scalar::Int32(x as i32)
        } else {
            Scalar::Int64(x as i64)
        })
    } else {
        Err(CAST_OVERFLOW)
    }
}

/// CAST of a non-null value.
pub fn cast(v: &Scalar, to: &DataType) -> R {
    use DataType as T;
    use Scalar as S;
    if v.data_type() == *to {
        return Ok(v.clone());
    }
    let us_per_s = 1_000_000i64;
    Ok(match (v, to) {
        (S::Boolean(b), T::Utf8) => S::Utf8(b.to_string()),
        (S::Int32(x), T::Utf8) => S::Utf8(x.to_string()),
        (S::Int64(x), T::Utf8) => S::Utf8(x.to_string()),
        (S::Float64(x), T::Utf8) => S::Utf8(sf::format_f64(*x)),
        (S::Timestamp(x), T::Utf8) => S::Utf8(sf::format_timestamp(*x)),
        (S::Date(x), T::Utf8) => S::Utf8(sf::format_date(*x)),
        (S::Utf8(s), T::Boolean) => S::Boolean(sf::parse_bool(s).ok_or(INVALID)?),
        (S::Utf8(s), T::Int32) => S::Int32(sf::parse_i32(s).ok_or(INVALID)?),
        (S::Utf8(s), T::Int64) => S::Int64(sf::parse_i64(s).ok_or(INVALID)?),
        (S::Utf8(s), T::Float64) => S::Float64(sf::parse_f64(s).ok_or(INVALID)?),
        (S::Utf8(s), T::Timestamp) => S::Timestamp(sf::parse_timestamp(s).ok_or(INVALID)?),
        (S::Utf8(s), T::Date) => S::Date(sf::parse_date(s).ok_or(INVALID)?),
        (S::Boolean(b), T::Int32) => S::Int32(*b as i32),
        (S::Boolean(b), T::Int64) => S::Int64(*b as i64),
        (S::Boolean(b), T::Float64) => S::Float64(if *b { 1.0 } else { 0.0 }),
        (S::Int32(x), T::Boolean) => S::Boolean(*x != 0),
        (S::Int64(x), T::Boolean) => S::Boolean(*x != 0),
        (S::Float64(x), T::Boolean) => S::Boolean(*x != 0.0),
        (S::Int32(x), T::Int64) => S::Int64(*x as i64),
        (S::Int64(x), T::Int32) => S::Int32(i32::try_from(*x).map_err(|_| CAST_OVERFLOW)?),
        (S::Int32(x), T::Float64) => S::Float64(*x as f64),
        (S::Int64(x), T::Float64) => S::Float64(*x as f64),
        (S::Float64(x), T::Int32) => f64_to_int(*x, true)?,
        (S::Float64(x), T::Int64) => f64_to_int(*x, false)?,
        (S::Timestamp(x), T::Int64) => S::Int64(x.div_euclid(us_per_s)),
        (S::Timestamp(x), T::Int32) => {
            S::Int32(i32::try_from(x.div_euclid(us_per_s)).map_err(|_| CAST_OVERFLOW)?)
        }
        (S::Timestamp(x), T::Float64) => S::Float64(*x as f64 / 1e6),
        (S::Timestamp(x), T::Date) => S::Date(x.div_euclid(86_400 * us_per_s) as i32),
        (S::Float64(x), T::Timestamp) if !x.is_finite() => return Err(INVALID),
        (S::Float64(x), T::Timestamp) => {
            S::Timestamp(sf::f64_to_timestamp(*x).ok_or(CAST_OVERFLOW)?)
        }
        (S::Int32(x), T::Timestamp) => S::Timestamp(*x as i64 * us_per_s),
        (S::Int64(x), T::Timestamp) => S::Timestamp(x.saturating_mul(us_per_s)),
        (S::Date(d), T::Timestamp) => S::Timestamp(
            (*d as i64)
                .checked_mul(86_400 * us_per_s)
                .ok_or(CAST_OVERFLOW)?,
        ),
        _ => return Err("UNSUPPORTED_CAST"),
    })
}

fn call(func: ScalarFunc, ty: &DataType, args: &[TExpr], row: &[Scalar]) -> R {
    use Scalar as S;
    use ScalarFunc as F;
    if let (F::DateTrunc, Some(TExprKind::Literal(S::Utf8(u)))) =
        (func, args.first().map(|a| &a.kind))
    {
        if sf::date_trunc(u, 0).is_none() {
            return Ok(S::Null);
        }
    }
    let mut v = Vec::new();
    for a in args {
        let x = eval(a, row)?;
        if x.is_null() && func != F::Concat {
            return Ok(S::Null);
        }
        v.push(x);
    }
    if v.iter().any(Scalar::is_null) {
        return Ok(S::Null);
    }
    let s = |i: usize| match &v[i] {
        S::Utf8(s) => s.as_str(),
        _ => "",
    };
    let f = |i: usize| match &v[i] {
        S::Float64(x) => *x,
        _ => 0.0,
    };
    let part = |p: sf::DatePart| match &v[0] {
        S::Date(d) => S::Int32(sf::date_part(*d, p)),
        S::Timestamp(t) => S::Int32(sf::timestamp_part(*t, p)),
        _ => S::Null,
    };
    Ok(match func {
        F::Lower => S::Utf8(s(0).to_lowercase()),
        F::Upper => S::Utf8(s(0).to_uppercase()),
        F::Trim => S::Utf8(s(0).trim_matches(' ').into()),
        F::LTrim => S::Utf8(s(0).trim_start_matches(' ').into()),
        F::RTrim => S::Utf8(s(0).trim_end_matches(' ').into()),
        F::Length => S::Int32(sf::char_length(s(0))),
        F::Substring => {
            S::Utf8(sf::substring(s(0), int(&v[1]).unwrap_or(0), v.get(2).and_then(int)).into())
        }
        F::Concat => S::Utf8((0..v.len()).map(s).collect()),
        F::Abs => match &v[0] {
            S::Int32(x) => S::Int32(x.checked_abs().ok_or(OVERFLOW)?),
            S::Int64(x) => S::Int64(x.checked_abs().ok_or(OVERFLOW)?),
            _ => S::Float64(f(0).abs()),
        },
        F::Round => S::Float64(sf::round_half_up(f(0), int(&v[1]).unwrap_or(0) as i32)),
        F::Floor => S::Int64(f(0).floor() as i64),
        F::Ceil => S::Int64(f(0).ceil() as i64),
        F::Sqrt => S::Float64(f(0).sqrt()),
        F::ToTimestamp => S::Timestamp(sf::parse_timestamp(s(0)).ok_or(INVALID)?),
        F::DateTrunc => match &v[1] {
            S::Timestamp(t) => sf::date_trunc(s(0), *t)
                .map(S::Timestamp)
                .unwrap_or(S::Null),
            _ => S::Null,
        },
        F::Year => part(sf::DatePart::Year),
        F::Month => part(sf::DatePart::Month),
        F::DayOfMonth => part(sf::DatePart::Day),
        F::Hour => part(sf::DatePart::Hour),
        F::Minute => part(sf::DatePart::Minute),
        F::Second => part(sf::DatePart::Second),
        F::TimestampAdd => match (&v[0], &v[1]) {
            (S::Timestamp(t), S::Int64(us)) => S::Timestamp(t.checked_add(*us).ok_or(OVERFLOW)?),
            _ => S::Null,
        },
        // Struct values: the generators make none (tests/structs.rs and
        // interp::structs check them).
        F::Struct => return Err("STRUCT_NOT_MODELLED"),
    })
    .map(|x| if *ty == DataType::Null { S::Null } else { x })
}

/// `e` on one row.
pub fn eval(e: &TExpr, row: &[Scalar]) -> R {
    use BinaryOp::*;
    use Scalar as S;
    use TExprKind as K;
    Ok(match &e.kind {
        K::Column { index, .. } => row[*index].clone(),
        K::Literal(v) => v.clone(),
        K::Unary {
            op: UnaryOp::Not,
            arg,
        } => match eval(arg, row)? {
            S::Boolean(b) => S::Boolean(!b),
            _ => S::Null,
        },
        K::Unary {
            op: UnaryOp::Neg,
            arg,
        } => match eval(arg, row)? {
            S::Int32(x) => S::Int32(x.checked_neg().ok_or(OVERFLOW)?),
            S::Int64(x) => S::Int64(x.checked_neg().ok_or(OVERFLOW)?),
            S::Float64(x) => S::Float64(-x),
            _ => S::Null,
        },
        K::Binary {
            op: op @ (And | Or),
            left,
            right,
        } => {
            let decisive = *op == Or;
            let l = eval(left, row)?;
            if l == S::Boolean(decisive) {
                return Ok(l);
            }
            let r = eval(right, row)?;
            match (l, r) {
                (_, S::Boolean(b)) if b == decisive => S::Boolean(b),
                (S::Boolean(_), S::Boolean(b)) => S::Boolean(b),
                _ => S::Null,
            }
        }
        K::Binary {
            op: op @ (Div | Mod),
            left,
            right,
        } => {
            let r = eval(right, row)?;
            let by_zero = if *op == Mod { REM0 } else { DIV0 };
            if !left.nullable && !right.nullable && is_zero(&r) {
                return Err(by_zero);
            }
            if r.is_null() {
                return Ok(S::Null);
            }
            let l = eval(left, row)?;
            if l.is_null() {
                return Ok(S::Null);
            }
            if is_zero(&r) {
                return Err(by_zero);
            }
            arith(*op, &e.ty, &l, &r)?
        }
        K::Binary {
            op: EqNullSafe,
            left,
            right,
        } => {
            let (l, r) = (eval(left, row)?, eval(right, row)?);
            S::Boolean(match (l.is_null(), r.is_null()) {
                (true, true) => true,
                (false, false) => order(&l, &r).is_eq(),
                _ => false,
            })
        }
        K::Binary { op, left, right } => {
            let l = eval(left, row)?;
            if l.is_null() {
                return Ok(S::Null);
            }
            let r = eval(right, row)?;
            if r.is_null() {
                return Ok(S::Null);
            }
            if op.is_comparison() {
                S::Boolean(cmp_holds(*op, order(&l, &r)))
            } else {
                arith(*op, &e.ty, &l, &r)?
            }
        }
        K::IsNull(a) => S::Boolean(eval(a, row)?.is_null()),
        K::IsNotNull(a) => S::Boolean(!eval(a, row)?.is_null()),
        K::Like {
            arg,
            pattern,
            negated,
            case_insensitive,
        } => match eval(arg, row)? {
            S::Utf8(s) => S::Boolean(
                sf::LikeMatcher::new(pattern, *case_insensitive)
                    .map_err(|_| "INVALID_PARAMETER_VALUE.PATTERN")?
                    .matches(&s)
                    != *negated,
            ),
            _ => S::Null,
        },
        K::RLike {
            arg,
            pattern,
            negated,
        } => match eval(arg, row)? {
            S::Utf8(s) => S::Boolean(
                regex::Regex::new(pattern)
                    .map_err(|_| "INVALID_PARAMETER_VALUE.PATTERN")?
                    .is_match(&s)
                    != *negated,
            ),
            _ => S::Null,
        },
        K::InList { arg, list, negated } => {
            let v = eval(arg, row)?;
            if v.is_null() {
                return Ok(S::Null);
            }
            let mut saw_null = false;
            for item in list {
                let x = eval(item, row)?;
                if x.is_null() {
                    saw_null = true;
                } else if order(&v, &x).is_eq() {
                    return Ok(S::Boolean(!negated));
                }
            }
            if saw_null {
                S::Null
            } else {
                S::Boolean(*negated)
            }
        }
        K::Case {
            branches,
            otherwise,
        } => {
            for (c, v) in branches {
                if eval(c, row)? == S::Boolean(true) {
                    return eval(v, row);
                }
            }
            match otherwise {
                Some(o) => eval(o, row)?,
                None => S::Null,
            }
        }
        K::Cast { arg } => match eval(arg, row)? {
            S::Null => S::Null,
            v => cast(&v, &e.ty)?,
        },
        K::Coalesce(args) => {
            for a in args {
                let v = eval(a, row)?;
                if !v.is_null() {
                    return Ok(v);
                }
            }
            S::Null
        }
        K::Call { func, args } => call(*func, &e.ty, args, row)?,
        K::GetField { .. } => return Err("STRUCT_NOT_MODELLED"),
        K::Function { .. } => return Err("FUNCTION_NOT_MODELLED"),
    })
}

/// The rows surviving `steps`, with their final columns; the first error stops.
pub fn run_steps(steps: &[Step], rows: Vec<Vec<Scalar>>) -> Result<Vec<Vec<Scalar>>, Class> {
    let mut out = Vec::new();
    'rows: for mut row in rows {
        for s in steps {
            match s {
                Step::Filter(p) => {
                    if eval(p, &row)? != Scalar::Boolean(true) {
                        continue 'rows;
                    }
                }
                Step::Project(es) => {
                    row = es.iter().map(|e| eval(e, &row)).collect::<Result<_, _>>()?
                }
            }
        }
        out.push(row);
    }
    Ok(out)
}
