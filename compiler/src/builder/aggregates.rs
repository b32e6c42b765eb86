//! The statistical and collecting aggregates (bit_and/or/xor, skewness,
//! kurtosis, corr, covar_*, max_by/min_by, collect_list/set, median,
//! percentile, percentile_approx, approx_count_distinct, mode): each call
//! checked with Spark's rules and error classes and resolved into its
//! [`AggFunc`] and argument. Functions of several arguments take them
//! packed as `struct(x, y, …)` (literal percentages packed after the
//! column), so an aggregate still has one argument expression.

use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::{AggFunc, ScalarFunc, TExpr, TExprKind};
use crate::resolve::{self, resolve, Scope};
use crate::types::{DataType, Field, Scalar};

/// A resolved call: the function, its argument, and the output column's
/// name when Spark's differs from the text (`percentile_approx(x, 0.5,
/// 10000)` names the default accuracy).
pub(super) struct Resolved {
    pub func: AggFunc,
    pub arg: TExpr,
    pub name: Option<String>,
}

/// The names this module resolves.
pub const NAMES: &[&str] = &[
    "bit_and",
    "bit_or",
    "bit_xor",
    "skewness",
    "kurtosis",
    "corr",
    "covar_pop",
    "covar_samp",
    "max_by",
    "min_by",
    "collect_list",
    "array_agg",
    "collect_set",
    "median",
    "percentile",
    "percentile_approx",
    "approx_percentile",
    "approx_count_distinct",
    "mode",
];

/// Spark's default accuracy of percentile_approx and rsd of approx_count_distinct.
const DEFAULT_ACCURACY: i64 = 10_000;
const DEFAULT_RSD: f64 = 0.05;

/// Resolves `lname(args)` if it is one of [`NAMES`].
pub(super) fn resolve_call(
    e: &Expr,
    lname: &str,
    args: &[Expr],
    scope: &Scope,
) -> Result<Option<Resolved>> {
    if !NAMES.contains(&lname) {
        return Ok(None);
    }
    let r = |a: &Expr| resolve(a, scope);
    let plain = |func: AggFunc, arg: TExpr| Resolved {
        func,
        arg,
        name: None,
    };
    Ok(Some(match (lname, args) {
        ("bit_and" | "bit_or" | "bit_xor", [a]) => {
            let t = r(a)?;
            if !(t.ty.is_integer() || t.ty == DataType::Null) {
                return Err(unexpected_type(e, "first", "INTEGRAL", a, &t.ty));
            }
            let func = match lname {
                "bit_and" => AggFunc::BitAnd,
                "bit_or" => AggFunc::BitOr,
                _ => AggFunc::BitXor,
            };
            plain(func, t)
        }
        ("skewness" | "kurtosis", [a]) => {
            let func = if lname == "skewness" {
                AggFunc::Skewness
            } else {
                AggFunc::Kurtosis
            };
            plain(func, numeric(e, a, r(a)?)?)
        }
        ("corr" | "covar_pop" | "covar_samp", [x, y]) => {
            let func = match lname {
                "corr" => AggFunc::Corr,
                "covar_pop" => AggFunc::CovarPop,
                _ => AggFunc::CovarSamp,
            };
            let (tx, ty) = (numeric(e, x, r(x)?)?, numeric(e, y, r(y)?)?);
            plain(func, pack(vec![tx, ty]))
        }
        ("max_by" | "min_by", [x, o]) => {
            let func = if lname == "max_by" {
                AggFunc::MaxBy
            } else {
                AggFunc::MinBy
            };
            let (tx, to) = (r(x)?, r(o)?);
            for (t, which) in [(&tx, "value"), (&to, "ordering")] {
                if t.ty.is_nested() {
                    return Err(Error::not_supported(format!(
                        "`{e}`: a {which} of type {} (max_by/min_by over structs and arrays)",
                        t.ty.spark_name()
                    )));
                }
            }
            plain(func, pack(vec![tx, to]))
        }
        ("collect_list" | "array_agg" | "collect_set", [a]) => {
            let t = r(a)?;
            if t.ty.is_nested() {
                return Err(Error::not_supported(format!(
                    "`{e}`: collecting values of type {}",
                    t.ty.spark_name()
                )));
            }
            let func = if lname == "collect_set" {
                AggFunc::CollectSet
            } else {
                AggFunc::CollectList
            };
            plain(func, t)
        }
        ("mode", [a] | [a, Expr::Literal(Scalar::Boolean(_))]) => plain(AggFunc::Mode, {
            let t = r(a)?;
            if t.ty.is_nested() {
                return Err(Error::not_supported(format!(
                    "`{e}`: the mode of values of type {}",
                    t.ty.spark_name()
                )));
            }
            t
        }),
        ("median", [a]) => Resolved {
            func: AggFunc::Percentile {
                array: false,
                median: true,
            },
            arg: pack(vec![
                numeric(e, a, r(a)?)?,
                TExpr::literal(Scalar::Float64(0.5)),
            ]),
            name: None,
        },
        ("percentile", [a, p] | [a, p, Expr::Literal(Scalar::Int32(1) | Scalar::Int64(1))]) => {
            let x = numeric(e, a, r(a)?)?;
            let (ps, array) = percentages(e, p, scope)?;
            Resolved {
                func: AggFunc::Percentile {
                    array,
                    median: false,
                },
                arg: pack(with_percentages(x, &ps)),
                name: Some(format!("{lname}({a}, {p}, 1)")),
            }
        }
        ("percentile", [_, _, f]) => {
            return Err(Error::not_supported(format!(
                "`{e}`: percentile with a frequency ({f}) other than 1"
            )))
        }
        ("percentile_approx" | "approx_percentile", [a, p] | [a, p, _]) => {
            let t = r(a)?;
            let x = match t.ty {
                DataType::Date | DataType::Timestamp => t,
                _ => numeric(e, a, t)?,
            };
            let (ps, array) = percentages(e, p, scope)?;
            let accuracy = match args.get(2) {
                None => DEFAULT_ACCURACY,
                Some(acc) => {
                    let v = foldable(acc, scope)
                        .filter(|s| matches!(s, Scalar::Int32(_) | Scalar::Int64(_)))
                        .ok_or_else(|| non_foldable(e, "accuracy", "INT", acc))?;
                    match v {
                        Scalar::Int32(v) => v as i64,
                        Scalar::Int64(v) => v,
                        _ => unreachable!("filtered to integers"),
                    }
                }
            };
            if accuracy <= 0 || accuracy > i32::MAX as i64 {
                return Err(out_of_range(
                    e,
                    format!(
                        "The accuracy must be between (0, 2147483647] (current value = {accuracy}L)."
                    ),
                ));
            }
            let name = match args.get(2) {
                Some(acc) => format!("{lname}({a}, {p}, {acc})"),
                None => format!("{lname}({a}, {p}, {accuracy})"),
            };
            Resolved {
                func: AggFunc::PercentileApprox {
                    array,
                    accuracy: accuracy as u32,
                },
                arg: pack(with_percentages(x, &ps)),
                name: Some(name),
            }
        }
        ("approx_count_distinct", [a] | [a, _]) => {
            let t = r(a)?;
            if t.ty.is_nested() {
                return Err(Error::not_supported(format!(
                    "`{e}`: approx_count_distinct of type {}",
                    t.ty.spark_name()
                )));
            }
            let rsd = match args.get(1) {
                None => DEFAULT_RSD,
                // Spark's class for a relative error that is not a literal.
                Some(x) => foldable(x, scope).and_then(|s| number(&s)).ok_or_else(|| {
                    Error::analysis(
                        "_LEGACY_ERROR_TEMP_1104",
                        format!("The second argument in `{e}` should be a double literal: {x}."),
                    )
                })?,
            };
            let p = crate::accumulators::hll::precision(rsd)?;
            plain(AggFunc::ApproxCountDistinct { p }, t)
        }
        _ => {
            return Err(Error::analysis(
                "WRONG_NUM_ARGS",
                format!(
                    "The `{lname}` requires {} parameters but the actual number is {}.",
                    expected_args(lname),
                    args.len()
                ),
            ))
        }
    }))
}

/// `collect_list(DISTINCT x)` and `collect_set(DISTINCT x)`: collect_set's
/// answer, as a DISTINCT aggregate (refused on streams, as Spark does);
/// DISTINCT in the others is not supported.
pub(super) fn distinct(e: &Expr, r: Resolved) -> Result<Resolved> {
    let func = match r.func {
        AggFunc::CollectList | AggFunc::CollectSet => AggFunc::CollectDistinct,
        f => {
            return Err(Error::not_supported(format!(
                "`{e}`: DISTINCT is not supported in {}",
                f.name()
            )))
        }
    };
    Ok(Resolved { func, ..r })
}

fn expected_args(lname: &str) -> &'static str {
    match lname {
        "corr" | "covar_pop" | "covar_samp" | "max_by" | "min_by" => "2",
        "percentile" | "percentile_approx" | "approx_percentile" => "[2, 3]",
        "approx_count_distinct" | "mode" => "[1, 2]",
        _ => "1",
    }
}

/// `struct(a, b, …)` of resolved arguments, fields `col1`, `col2`, ….
fn pack(args: Vec<TExpr>) -> TExpr {
    let fields: Vec<Field> = args
        .iter()
        .enumerate()
        .map(|(i, t)| Field::new(format!("col{}", i + 1), t.ty.clone(), t.nullable))
        .collect();
    TExpr::new(
        TExprKind::Call {
            func: ScalarFunc::Struct,
            args,
        },
        DataType::Struct(fields.into()),
        false,
    )
}

fn with_percentages(x: TExpr, ps: &[f64]) -> Vec<TExpr> {
    std::iter::once(x)
        .chain(ps.iter().map(|&p| TExpr::literal(Scalar::Float64(p))))
        .collect()
}

/// A numeric argument (a string is cast to double, as Spark's implicit cast).
fn numeric(e: &Expr, a: &Expr, t: TExpr) -> Result<TExpr> {
    match t.ty {
        DataType::Utf8 | DataType::Null => resolve::cast(t, DataType::Float64),
        ref ty if ty.is_numeric() => Ok(t),
        ref ty => Err(unexpected_type(e, "first", "NUMERIC", a, ty)),
    }
}

/// The value of a constant argument, if it is one.
fn foldable(a: &Expr, scope: &Scope) -> Option<Scalar> {
    match a {
        Expr::Literal(v) => Some(v.clone()),
        _ => match resolve(a, scope).ok()?.kind {
            TExprKind::Literal(v) => Some(v),
            _ => None,
        },
    }
}

/// A numeric literal as a double (whatever its SQL type, by its digits).
fn number(s: &Scalar) -> Option<f64> {
    match s {
        Scalar::Int32(v) => Some(*v as f64),
        Scalar::Int64(v) => Some(*v as f64),
        Scalar::Float64(v) => Some(*v),
        Scalar::Null | Scalar::Boolean(_) | Scalar::Utf8(_) | Scalar::Binary(_) => None,
        other => other
            .to_string()
            .trim_end_matches(['L', 'D', 'B', 'S', 'Y'])
            .parse()
            .ok(),
    }
}

/// A percentile's percentages: one literal, or `array(…)` of literals;
/// each within [0, 1].
fn percentages(e: &Expr, p: &Expr, scope: &Scope) -> Result<(Vec<f64>, bool)> {
    let (items, array): (Vec<&Expr>, bool) = match p {
        Expr::Function { name, args, .. } if name.eq_ignore_ascii_case("array") => {
            (args.iter().collect(), true)
        }
        p => (vec![p], false),
    };
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let v = foldable(it, scope)
            .and_then(|s| number(&s))
            .ok_or_else(|| non_foldable(e, "percentage", "DOUBLE", p))?;
        if !(0.0..=1.0).contains(&v) {
            return Err(out_of_range(
                e,
                format!("The percentage must be between [0.0, 1.0] (current value = {v:?}D)."),
            ));
        }
        out.push(v);
    }
    Ok((out, array))
}

fn unexpected_type(e: &Expr, which: &str, want: &str, a: &Expr, got: &DataType) -> Error {
    Error::analysis(
        "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
        format!(
            "Cannot resolve \"{e}\" due to data type mismatch: the {which} parameter requires \
             the \"{want}\" type, however \"{a}\" has the type \"{}\".",
            got.spark_name().to_uppercase()
        ),
    )
}

fn non_foldable(e: &Expr, input: &str, ty: &str, got: &Expr) -> Error {
    Error::analysis(
        "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
        format!(
            "Cannot resolve \"{e}\" due to data type mismatch: the input `{input}` should be a \
             foldable \"{ty}\" expression; however, got \"{got}\"."
        ),
    )
}

fn out_of_range(e: &Expr, what: String) -> Error {
    Error::analysis(
        "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
        format!("Cannot resolve \"{e}\" due to data type mismatch: {what}"),
    )
}
