//! Spark Connect expressions to sqlc's logical [`Expr`]: the same
//! expressions the Rust API's `Column` builds, so both meet the one
//! resolver. Operators arrive as functions by name (`+`, `==`, `and`, …);
//! every other name goes to the function catalog as it is.

use sqlc_compiler::expr::Expr;
use sqlc_compiler::ir::{BinaryOp, UnaryOp};
use sqlc_compiler::Scalar;
use sqlc_connect::proto::expression::literal::LiteralType;
use sqlc_connect::proto::expression::{sort_order, ExprType, SortOrder, UnresolvedFunction};
use sqlc_connect::proto::Expression;

use super::error::{python_code, unsupported};
use super::types::{self, invalid};
use crate::error::{Error, Result};

/// The logical expression for a protocol expression.
pub fn to_expr(e: &Expression) -> Result<Expr> {
    let Some(kind) = &e.expr_type else {
        return Err(invalid("an Expression without a kind"));
    };
    Ok(match kind {
        ExprType::Literal(l) => match &l.literal_type {
            Some(LiteralType::DayTimeInterval(us)) => Expr::Interval(*us),
            Some(LiteralType::CalendarInterval(c)) if c.months == 0 => {
                Expr::Interval(c.days as i64 * 86_400_000_000 + c.microseconds)
            }
            _ => Expr::Literal(types::literal(l)?),
        },
        ExprType::UnresolvedAttribute(a) => Expr::col(&unquote(&a.unparsed_identifier)),
        ExprType::UnresolvedStar(s) => Expr::Wildcard {
            qualifier: s
                .unparsed_target
                .as_deref()
                .map(|t| unquote(t.trim_end_matches(".*")).to_string()),
        },
        ExprType::ExpressionString(s) => sqlc_compiler::sql::parse_expr(&s.expression)?,
        ExprType::Alias(a) => {
            let inner = to_expr(required(&a.expr, "Alias.expr")?)?;
            let name = a
                .name
                .first()
                .ok_or_else(|| invalid("an Alias without a name"))?;
            inner.alias(name)
        }
        ExprType::Cast(c) => {
            use sqlc_connect::proto::expression::cast::CastToType;
            let arg = to_expr(required(&c.expr, "Cast.expr")?)?;
            let to = match &c.cast_to_type {
                Some(CastToType::Type(t)) => types::from_proto(t)?,
                Some(CastToType::TypeStr(s)) => sqlc_compiler::sql::parse_type_name(s)?,
                None => return Err(invalid("a Cast without a type")),
            };
            Expr::Cast {
                arg: Box::new(arg),
                to,
            }
        }
        ExprType::UnresolvedFunction(f) => function(f)?,
        ExprType::UnresolvedExtractValue(x) => {
            let child = to_expr(required(&x.child, "UnresolvedExtractValue.child")?)?;
            match to_expr(required(
                &x.extraction,
                "UnresolvedExtractValue.extraction",
            )?)? {
                Expr::Literal(Scalar::Utf8(field)) => Expr::GetField(Box::new(child), field),
                other => {
                    return Err(Error::not_supported(format!(
                        "extracting a value by {other:?}; sqlc extracts struct fields by name"
                    )))
                }
            }
        }
        ExprType::SortOrder(s) => {
            return Err(invalid(format!(
                "a sort order ({}) outside a sort",
                to_expr(required(&s.child, "SortOrder.child")?)?.output_name()
            )))
        }
        ExprType::CommonInlineUserDefinedFunction(f) => {
            return Err(python_code(&format!(
                "The user-defined function '{}'",
                f.function_name
            )))
        }
        other => return Err(unsupported("expression", other)),
    })
}

pub fn required<'a, T>(v: &'a Option<T>, what: &str) -> Result<&'a T> {
    v.as_ref()
        .ok_or_else(|| invalid(format!("{what} is missing")))
}

/// `` `a.b` `` names the column `a.b`; `a.b` the column `b` of `a`; the
/// backquotes go, the dots that are outside them stay.
fn unquote(id: &str) -> String {
    if id.len() >= 2
        && id.starts_with('`')
        && id.ends_with('`')
        && !id[1..id.len() - 1].contains('`')
    {
        id[1..id.len() - 1].to_string()
    } else {
        id.replace('`', "")
    }
}

fn binary(op: BinaryOp, mut args: Vec<Expr>) -> Result<Expr> {
    if args.len() != 2 {
        return Err(invalid(format!(
            "{op:?} takes two arguments, not {}",
            args.len()
        )));
    }
    let right = args.pop().unwrap_or(Expr::Literal(Scalar::Null));
    let left = args.pop().unwrap_or(Expr::Literal(Scalar::Null));
    Ok(left.binary(op, right))
}

fn one(name: &str, mut args: Vec<Expr>) -> Result<Expr> {
    if args.len() != 1 {
        return Err(invalid(format!(
            "{name} takes one argument, not {}",
            args.len()
        )));
    }
    Ok(args.pop().unwrap_or(Expr::Literal(Scalar::Null)))
}

fn function(f: &UnresolvedFunction) -> Result<Expr> {
    let args = f
        .arguments
        .iter()
        .map(to_expr)
        .collect::<Result<Vec<_>>>()?;
    let name = f.function_name.as_str();
    Ok(match name {
        "+" => binary(BinaryOp::Add, args)?,
        "-" => binary(BinaryOp::Sub, args)?,
        "*" => binary(BinaryOp::Mul, args)?,
        "/" => binary(BinaryOp::Div, args)?,
        "%" => binary(BinaryOp::Mod, args)?,
        "==" => binary(BinaryOp::Eq, args)?,
        "!=" => binary(BinaryOp::NotEq, args)?,
        "<" => binary(BinaryOp::Lt, args)?,
        "<=" => binary(BinaryOp::LtEq, args)?,
        ">" => binary(BinaryOp::Gt, args)?,
        ">=" => binary(BinaryOp::GtEq, args)?,
        "<=>" => binary(BinaryOp::EqNullSafe, args)?,
        "and" => binary(BinaryOp::And, args)?,
        "or" => binary(BinaryOp::Or, args)?,
        "not" | "!" => Expr::Unary {
            op: UnaryOp::Not,
            arg: Box::new(one(name, args)?),
        },
        "negative" => Expr::Unary {
            op: UnaryOp::Neg,
            arg: Box::new(one(name, args)?),
        },
        "isNull" | "isnull" => Expr::IsNull(Box::new(one(name, args)?)),
        "isNotNull" | "isnotnull" => Expr::IsNotNull(Box::new(one(name, args)?)),
        "like" | "ilike" if args.len() == 2 => {
            let mut a = args.into_iter();
            let (arg, pat) = (a.next(), a.next());
            Expr::Like {
                arg: Box::new(arg.unwrap_or(Expr::Literal(Scalar::Null))),
                pattern: Box::new(pat.unwrap_or(Expr::Literal(Scalar::Null))),
                negated: false,
                case_insensitive: name == "ilike",
            }
        }
        "rlike" | "regexp" if args.len() == 2 => {
            let mut a = args.into_iter();
            let (arg, pat) = (a.next(), a.next());
            Expr::RLike {
                arg: Box::new(arg.unwrap_or(Expr::Literal(Scalar::Null))),
                pattern: Box::new(pat.unwrap_or(Expr::Literal(Scalar::Null))),
                negated: false,
            }
        }
        "in" if !args.is_empty() => {
            let mut a = args.into_iter();
            let arg = a.next().unwrap_or(Expr::Literal(Scalar::Null));
            Expr::InList {
                arg: Box::new(arg),
                list: a.collect(),
                negated: false,
            }
        }
        "when" | "case_when" => case_when(args)?,
        _ => {
            let args = match (name, args.as_slice()) {
                // `count(lit(1))`/`count("*")` count rows, as `count(*)`.
                ("count", [Expr::Wildcard { qualifier: None }]) => vec![Expr::Star],
                _ => args,
            };
            let mut args = args;
            sqlc_compiler::sql::parse_schema_args(name, &mut args);
            Expr::Function {
                name: name.to_string(),
                args,
                distinct: f.is_distinct,
            }
        }
    })
}

/// PySpark's `when(c1, v1).when(c2, v2).otherwise(v)`: arguments in pairs,
/// the odd last one the default.
fn case_when(args: Vec<Expr>) -> Result<Expr> {
    let mut it = args.into_iter();
    let mut branches = Vec::new();
    let mut otherwise = None;
    while let Some(c) = it.next() {
        match it.next() {
            Some(v) => branches.push((c, v)),
            None => otherwise = Some(Box::new(c)),
        }
    }
    Ok(Expr::Case {
        operand: None,
        branches,
        otherwise,
    })
}

/// A sort key: the expression, ascending, and where nulls go (`None` for
/// the direction's default).
pub fn sort_key(s: &SortOrder) -> Result<(Expr, bool, Option<bool>)> {
    use sort_order::{NullOrdering, SortDirection};
    let e = to_expr(required(&s.child, "SortOrder.child")?)?;
    let asc = s.direction != SortDirection::Descending as i32;
    let nulls_first = match NullOrdering::try_from(s.null_ordering) {
        Ok(NullOrdering::SortNullsFirst) => Some(true),
        Ok(NullOrdering::SortNullsLast) => Some(false),
        _ => None,
    };
    Ok((e, asc, nulls_first))
}
