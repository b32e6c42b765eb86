//! Functions that are other expressions in disguise, rewritten by the
//! resolver before it types them, so that both back ends (the JIT
//! included) run them with no code of their own: `if` and `nvl2` are CASE,
//! `nullif` is CASE over `=`, `regexp_like`/`regexp` is RLIKE, `mod` is `%`,
//! `negative` is unary `-`, `extract(F FROM x)` the field's function
//! (`year(x)`, `date_part('F', x)`), and the cast-named functions (`int(x)`,
//! `string(x)`, …, Spark's `castAlias`es) are CAST.

use super::FunctionInfo;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::{BinaryOp, UnaryOp};
use crate::types::{DataType, Scalar};

/// The functions Spark registers as casts (`FunctionRegistry.castAlias`),
/// with the type each casts to.
pub const CAST_ALIASES: &[(&str, DataType)] = &[
    ("boolean", DataType::Boolean),
    ("tinyint", DataType::Int8),
    ("smallint", DataType::Int16),
    ("int", DataType::Int32),
    ("bigint", DataType::Int64),
    ("float", DataType::Float32),
    ("double", DataType::Float64),
    ("decimal", DataType::Decimal(10, 0)),
    ("date", DataType::Date),
    ("timestamp", DataType::Timestamp),
    ("binary", DataType::Binary),
    ("string", DataType::Utf8),
];

/// The expression `name(args)` stands for, if `name` is one of these.
pub fn rewrite(name: &str, args: &[Expr]) -> Result<Option<Expr>> {
    let want = |n: usize| -> Result<()> {
        if args.len() == n {
            Ok(())
        } else {
            Err(Error::analysis(
                "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                format!(
                    "The `{name}` requires {n} parameters but the actual number is {}.",
                    args.len()
                ),
            ))
        }
    };
    if let Some((_, to)) = CAST_ALIASES.iter().find(|(n, _)| *n == name) {
        if args.len() != 1 {
            return Err(Error::analysis(
                "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                format!(
                    "The `{name}` requires 1 parameters but the actual number is {}.",
                    args.len()
                ),
            ));
        }
        return Ok(Some(Expr::Cast {
            arg: Box::new(args[0].clone()),
            to: to.clone(),
        }));
    }
    let ntz = |e: Expr| Expr::Cast {
        arg: Box::new(e),
        to: DataType::TimestampNtz,
    };
    Ok(Some(match name {
        // `localtimestamp()`: now on the session's wall clock.
        "localtimestamp" if args.is_empty() => ntz(Expr::Function {
            name: "current_timestamp".into(),
            args: vec![],
            distinct: false,
        }),
        // `to_timestamp_ntz(s[, fmt])`: with a pattern, the instant
        // `to_timestamp` reads in the session zone, on that zone's clock.
        "to_timestamp_ntz" if args.len() == 1 => ntz(args[0].clone()),
        "to_timestamp_ntz" if args.len() == 2 => ntz(Expr::Function {
            name: "to_timestamp".into(),
            args: args.to_vec(),
            distinct: false,
        }),
        // `decode(expr, search, result [, search, result] … [, default])`:
        // CASE over null-safe equality (`decode(bin, charset)` is the
        // catalog's).
        "decode" if args.len() > 2 => {
            let pairs = args[1..].chunks_exact(2);
            let otherwise = pairs.remainder().first().cloned();
            Expr::Case {
                operand: None,
                branches: pairs
                    .map(|p| {
                        (
                            args[0].clone().binary(BinaryOp::EqNullSafe, p[0].clone()),
                            p[1].clone(),
                        )
                    })
                    .collect(),
                otherwise: Some(Box::new(otherwise.unwrap_or(Expr::Literal(Scalar::Null)))),
            }
        }
        "mod" => {
            want(2)?;
            args[0].clone().binary(BinaryOp::Mod, args[1].clone())
        }
        "negative" => {
            want(1)?;
            Expr::Unary {
                op: UnaryOp::Neg,
                arg: Box::new(args[0].clone()),
            }
        }
        "if" | "iff" => {
            want(3)?;
            Expr::Case {
                operand: None,
                branches: vec![(args[0].clone(), args[1].clone())],
                otherwise: Some(Box::new(args[2].clone())),
            }
        }
        // `extract(FIELD FROM x)` (the SQL syntax only): the field's own
        // function, or `date_part`'s (the seconds with their fraction; an
        // unknown field is Spark's error there).
        "extract" => {
            want(2)?;
            let Expr::Literal(Scalar::Utf8(field)) = &args[0] else {
                return Ok(None);
            };
            let x = args[1].clone();
            match field.to_ascii_lowercase().as_str() {
                f @ ("year" | "month" | "day" | "hour" | "minute") => Expr::call(f, vec![x]),
                _ => Expr::call("date_part", vec![args[0].clone(), x]),
            }
        }
        "nvl2" => {
            want(3)?;
            Expr::Case {
                operand: None,
                branches: vec![(Expr::IsNotNull(Box::new(args[0].clone())), args[1].clone())],
                otherwise: Some(Box::new(args[2].clone())),
            }
        }
        "nullif" => {
            want(2)?;
            Expr::Case {
                operand: None,
                branches: vec![(
                    args[0].clone().binary(BinaryOp::Eq, args[1].clone()),
                    Expr::Literal(Scalar::Null),
                )],
                otherwise: Some(Box::new(args[0].clone())),
            }
        }
        "regexp_like" | "regexp" => {
            want(2)?;
            Expr::RLike {
                arg: Box::new(args[0].clone()),
                pattern: Box::new(args[1].clone()),
                negated: false,
            }
        }
        "date_part" | "datepart" => {
            want(2)?;
            let Expr::Literal(Scalar::Utf8(field)) = &args[0] else {
                return Err(Error::analysis(
                    "NON_FOLDABLE_ARGUMENT",
                    format!("The function `{name}` requires the parameter `field` to be a foldable expression of the type \"STRING\", but the actual argument is a non-foldable."),
                ));
            };
            if is_seconds_field(field) {
                // The seconds with their fraction: the catalog's `date_part`
                // (`functions/calendar.rs`).
                return Ok(None);
            }
            Expr::Function {
                name: date_part_function(field)
                    .ok_or_else(|| {
                        Error::analysis(
                            "INVALID_EXTRACT_FIELD",
                            format!("Cannot extract `{field}` from \"{}\".", args[1]),
                        )
                    })?
                    .to_string(),
                args: vec![args[1].clone()],
                distinct: false,
            }
        }
        _ => return Ok(None),
    }))
}

/// Whether `field` names the seconds (with their fraction, a
/// `DECIMAL(8, 6)` in Spark).
fn is_seconds_field(field: &str) -> bool {
    matches!(
        field.to_ascii_uppercase().as_str(),
        "SECOND" | "S" | "SEC" | "SECONDS" | "SECS"
    )
}

/// The function `date_part(field, …)` is, by Spark's field names (but
/// the seconds, [`is_seconds_field`]).
fn date_part_function(field: &str) -> Option<&'static str> {
    Some(match field.to_ascii_uppercase().as_str() {
        "YEAR" | "Y" | "YEARS" | "YR" | "YRS" => "year",
        "QUARTER" | "QTR" => "quarter",
        "MONTH" | "MON" | "MONS" | "MONTHS" => "month",
        "WEEK" | "W" | "WEEKS" => "weekofyear",
        "DAY" | "D" | "DAYS" => "day",
        "DAYOFWEEK" | "DOW" => "dayofweek",
        "DOY" => "dayofyear",
        "HOUR" | "H" | "HOURS" | "HR" | "HRS" => "hour",
        "MINUTE" | "M" | "MIN" | "MINS" | "MINUTES" => "minute",
        _ => return None,
    })
}

pub fn infos() -> Vec<FunctionInfo> {
    let f = |name, aliases, usage| FunctionInfo {
        name,
        aliases,
        usage,
        kind: "scalar",
        runs: "rewritten",
    };
    let mut v = vec![
        f("mod", &[], "expr1 mod expr2 - Returns the remainder after `expr1`/`expr2`."),
        f("negative", &[], "negative(expr) - Returns the negated value of `expr`."),
        f("if", &["iff"], "if(expr1, expr2, expr3) - If `expr1` evaluates to true, then returns `expr2`; otherwise returns `expr3`."),
        f("nvl2", &[], "nvl2(expr1, expr2, expr3) - Returns `expr2` if `expr1` is not null, or `expr3` otherwise."),
        f("nullif", &[], "nullif(expr1, expr2) - Returns null if `expr1` equals to `expr2`, or `expr1` otherwise."),
        f("date_part", &["datepart"], "date_part(field, source) - Extracts a part of the date/timestamp or interval source."),
        f("localtimestamp", &[], "localtimestamp() - Returns the current timestamp without time zone at the start of query evaluation."),
        f("to_timestamp_ntz", &[], "to_timestamp_ntz(timestamp_str[, fmt]) - Parses the `timestamp_str` expression with the `fmt` expression to a timestamp without time zone."),
        f("regexp_like", &["regexp", "rlike"], "regexp_like(str, regexp) - Returns true if `str` matches `regexp`, or false otherwise."),
    ];
    v.extend(CAST_ALIASES.iter().map(|(name, _)| {
        f(
            name,
            &[],
            "type(expr) - Casts the value `expr` to the target data type `type`.",
        )
    }));
    v
}
