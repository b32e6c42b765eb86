//! sqlparser's expression AST → sqlc's logical [`Expr`], shaped so that
//! `Expr::output_name()` prints Spark's column names (`a != b` becomes
//! `NOT (a = b)` as in Spark, `x IS TRUE` becomes `x <=> true`, …).

use sqlparser::ast::{
    BinaryOperator as Op, CastKind, CeilFloorKind, DateTimeField, DuplicateTreatment,
    Expr as SqlExpr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentClause,
    FunctionArguments, Ident, InTarget, NullTreatment, ObjectName, ObjectNamePart, TrimWhereField,
    UnaryOperator,
};

use super::values::{interval, negative_literal, numeric_ident, typed_string, value};
use crate::depth;
use crate::error::{Error, Result};
use crate::expr::{Expr, Subquery, SubqueryKind};
use crate::ir::{BinaryOp, UnaryOp};
use crate::types::Scalar;

/// An identifier's text as the user wrote it: backquotes removed, a doubled
/// backquote inside is one.
pub fn ident(id: &Ident) -> String {
    match id.quote_style {
        Some('`') => id.value.replace("``", "`"),
        _ => id.value.clone(),
    }
}

/// The parts of a dotted name (`db.t`).
pub fn object_name(n: &ObjectName) -> Result<Vec<String>> {
    n.0.iter()
        .map(|p| match p {
            ObjectNamePart::Identifier(id) => Ok(ident(id)),
            ObjectNamePart::Function(_) => Err(unsupported("a function in a name", n)),
        })
        .collect()
}

pub(crate) fn unsupported(what: &str, e: &dyn std::fmt::Display) -> Error {
    Error::not_supported(format!("{what} is not supported: `{e}`"))
}

fn boxed(e: &SqlExpr) -> Result<Box<Expr>> {
    convert(e).map(Box::new)
}

fn not(e: Expr) -> Expr {
    Expr::Unary {
        op: UnaryOp::Not,
        arg: Box::new(e),
    }
}

fn binary(op: BinaryOp, l: Expr, r: Expr) -> Expr {
    l.binary(op, r)
}

fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::call(name, args)
}

/// Converts one expression; past [`depth::MAX_EXPR_DEPTH`] levels it is
/// Spark's `[FAILED_TO_PARSE_TOO_COMPLEX]`.
pub fn convert(e: &SqlExpr) -> Result<Expr> {
    depth::nested(|| convert_node(e))
}

fn convert_node(e: &SqlExpr) -> Result<Expr> {
    Ok(match e {
        SqlExpr::Identifier(id) => match numeric_ident(id, false) {
            Some(lit) => lit?,
            None => Expr::Column {
                qualifier: None,
                name: ident(id),
            },
        },
        SqlExpr::CompoundIdentifier(parts) => match parts.as_slice() {
            [q, n] => Expr::Column {
                qualifier: Some(ident(q)),
                name: ident(n),
            },
            [_, _, rest @ ..] if rest.len() > depth::MAX_EXPR_DEPTH => {
                return Err(depth::too_complex())
            }
            // `t.s.f`, `s.f.g`: a column, then struct fields.
            [q, n, rest @ ..] => rest.iter().fold(
                Expr::Column {
                    qualifier: Some(ident(q)),
                    name: ident(n),
                },
                |acc, f| Expr::GetField(Box::new(acc), ident(f)),
            ),
            _ => return Err(unsupported("an empty name", e)),
        },
        SqlExpr::Value(v) => value(v, false)?,
        SqlExpr::TypedString(t) => typed_string(t)?,
        SqlExpr::Interval(i) => interval(i)?,
        SqlExpr::Nested(inner) => convert(inner)?,
        SqlExpr::UnaryOp { op, expr } => match op {
            UnaryOperator::Minus => negative_literal(expr).unwrap_or_else(|| {
                Ok(Expr::Unary {
                    op: UnaryOp::Neg,
                    arg: boxed(expr)?,
                })
            })?,
            // `+x` is `positive(x)`: the number itself (a string read as a double).
            UnaryOperator::Plus => call("positive", vec![convert(expr)?]),
            UnaryOperator::Not | UnaryOperator::BangNot => not(convert(expr)?),
            UnaryOperator::BitwiseNot => call("~", vec![convert(expr)?]),
            _ => return Err(unsupported(&format!("the operator {op}"), e)),
        },
        SqlExpr::BinaryOp {
            op: op @ (Op::And | Op::Or),
            ..
        } => logical_chain(e, op)?,
        SqlExpr::BinaryOp { left, op, right } => {
            let (l, r) = (convert(left)?, convert(right)?);
            let op = match op {
                Op::Plus => BinaryOp::Add,
                Op::Minus => BinaryOp::Sub,
                Op::Multiply => BinaryOp::Mul,
                Op::Divide => BinaryOp::Div,
                Op::Modulo => BinaryOp::Mod,
                Op::MyIntegerDivide => BinaryOp::IntDiv,
                Op::Eq => BinaryOp::Eq,
                // Spark parses `a != b` and `a <> b` as NOT (a = b)
                Op::NotEq => return Ok(not(binary(BinaryOp::Eq, l, r))),
                Op::Lt => BinaryOp::Lt,
                Op::LtEq => BinaryOp::LtEq,
                Op::Gt => BinaryOp::Gt,
                Op::GtEq => BinaryOp::GtEq,
                Op::Spaceship => BinaryOp::EqNullSafe,
                Op::And => BinaryOp::And,
                Op::Or => BinaryOp::Or,
                Op::StringConcat => return Ok(call("concat", vec![l, r])),
                Op::BitwiseAnd => return Ok(call("&", vec![l, r])),
                Op::BitwiseOr => return Ok(call("|", vec![l, r])),
                Op::BitwiseXor => return Ok(call("^", vec![l, r])),
                _ => return Err(unsupported(&format!("the operator {op}"), e)),
            };
            binary(op, l, r)
        }
        SqlExpr::Overlay {
            expr,
            overlay_what,
            overlay_from,
            overlay_for,
        } => call(
            "overlay",
            vec![
                convert(expr)?,
                convert(overlay_what)?,
                convert(overlay_from)?,
                match overlay_for {
                    Some(n) => convert(n)?,
                    None => Expr::Literal(crate::types::Scalar::Int32(-1)),
                },
            ],
        ),
        SqlExpr::IsNull(a) => Expr::IsNull(boxed(a)?),
        SqlExpr::IsNotNull(a) => Expr::IsNotNull(boxed(a)?),
        SqlExpr::IsUnknown(a) => Expr::IsNull(boxed(a)?),
        SqlExpr::IsNotUnknown(a) => Expr::IsNotNull(boxed(a)?),
        SqlExpr::IsTrue(a) => null_safe_eq(a, true)?,
        SqlExpr::IsFalse(a) => null_safe_eq(a, false)?,
        SqlExpr::IsNotTrue(a) => not(null_safe_eq(a, true)?),
        SqlExpr::IsNotFalse(a) => not(null_safe_eq(a, false)?),
        SqlExpr::IsDistinctFrom(a, b) => {
            not(binary(BinaryOp::EqNullSafe, convert(a)?, convert(b)?))
        }
        SqlExpr::IsNotDistinctFrom(a, b) => binary(BinaryOp::EqNullSafe, convert(a)?, convert(b)?),
        SqlExpr::In {
            expr,
            target: InTarget::List(list),
            negated,
            ..
        } => {
            let in_list = Expr::InList {
                arg: boxed(expr)?,
                list: list.iter().map(convert).collect::<Result<_>>()?,
                negated: false,
            };
            // Spark: NOT IN is NOT (x IN (…))
            if *negated {
                not(in_list)
            } else {
                in_list
            }
        }
        SqlExpr::In {
            expr,
            target: InTarget::Subquery(q),
            negated,
            global: false,
        } => Expr::Subquery(Subquery {
            kind: SubqueryKind::In {
                arg: boxed(expr)?,
                negated: *negated,
            },
            query: q.clone(),
        }),
        SqlExpr::In { .. } => return Err(unsupported("this IN", e)),
        SqlExpr::Between {
            expr,
            negated,
            low,
            high,
        } => {
            let between = Expr::Between {
                arg: boxed(expr)?,
                low: boxed(low)?,
                high: boxed(high)?,
                negated: false,
            };
            // Spark: NOT BETWEEN is NOT (x BETWEEN …)
            if *negated {
                not(between)
            } else {
                between
            }
        }
        SqlExpr::Like {
            negated,
            any,
            expr,
            pattern,
            escape_char,
        }
        | SqlExpr::ILike {
            negated,
            any,
            expr,
            pattern,
            escape_char,
        } => {
            if let Some(esc) = escape_char {
                if !matches!(convert(esc)?, Expr::Literal(Scalar::Utf8(s)) if s == "\\") {
                    return Err(unsupported("a LIKE escape character other than '\\'", e));
                }
            }
            let case_insensitive = matches!(e, SqlExpr::ILike { .. });
            if *any {
                return like_any(expr, pattern, *negated, case_insensitive);
            }
            Expr::Like {
                arg: boxed(expr)?,
                pattern: boxed(pattern)?,
                negated: *negated,
                case_insensitive,
            }
        }
        SqlExpr::RLike {
            negated,
            expr,
            pattern,
            ..
        } => Expr::RLike {
            arg: boxed(expr)?,
            pattern: boxed(pattern)?,
            negated: *negated,
        },
        SqlExpr::Case {
            operand,
            conditions,
            else_result,
            ..
        } => Expr::Case {
            operand: operand.as_deref().map(boxed).transpose()?,
            branches: conditions
                .iter()
                .map(|w| Ok((convert(&w.condition)?, convert(&w.result)?)))
                .collect::<Result<_>>()?,
            otherwise: else_result.as_deref().map(boxed).transpose()?,
        },
        SqlExpr::Cast {
            kind: CastKind::Cast | CastKind::DoubleColon,
            expr,
            data_type,
            format: None,
        } => Expr::Cast {
            arg: boxed(expr)?,
            to: super::types::data_type(data_type)?,
        },
        SqlExpr::Cast { kind, .. } => {
            let what = match kind {
                CastKind::TryCast | CastKind::SafeCast => "TRY_CAST",
                _ => "CAST … FORMAT",
            };
            return Err(unsupported(what, e));
        }
        // `extract(f FROM x)`, named so (`functions::rewrite` makes it the
        // field's function).
        SqlExpr::Extract { field, expr, .. } => {
            let field = Expr::Literal(Scalar::Utf8(field.to_string()));
            call("extract", vec![field, convert(expr)?])
        }
        SqlExpr::Ceil { expr, field } | SqlExpr::Floor { expr, field } => {
            let name = if matches!(e, SqlExpr::Ceil { .. }) {
                "ceil"
            } else {
                "floor"
            };
            let mut args = vec![convert(expr)?];
            match field {
                CeilFloorKind::DateTimeField(DateTimeField::NoDateTime) => {}
                CeilFloorKind::Scale(v) => args.push(value(v, false)?),
                CeilFloorKind::DateTimeField(_) => {
                    return Err(unsupported(&format!("{name} to a date/time field"), e))
                }
            }
            call(name, args)
        }
        SqlExpr::Substring {
            expr,
            substring_from,
            substring_for,
            shorthand,
            ..
        } => {
            let mut args = vec![convert(expr)?];
            args.push(match substring_from {
                Some(f) => convert(f)?,
                None => Expr::Literal(Scalar::Int32(1)),
            });
            // Spark's default length, which it prints: substr(x, 2, 2147483647)
            args.push(match substring_for {
                Some(n) => convert(n)?,
                None => Expr::Literal(Scalar::Int32(i32::MAX)),
            });
            call(if *shorthand { "substr" } else { "substring" }, args)
        }
        SqlExpr::Trim {
            trim_where,
            trim_what: None,
            expr,
            trim_characters: None,
        } => {
            let name = match trim_where {
                None | Some(TrimWhereField::Both) => "trim",
                Some(TrimWhereField::Leading) => "ltrim",
                Some(TrimWhereField::Trailing) => "rtrim",
            };
            call(name, vec![convert(expr)?])
        }
        SqlExpr::Trim { .. } => return Err(unsupported("TRIM of given characters", e)),
        SqlExpr::Position { expr, r#in } => call("position", vec![convert(expr)?, convert(r#in)?]),
        SqlExpr::Function(f) => function(f)?,
        SqlExpr::Wildcard(_) => Expr::Wildcard { qualifier: None },
        SqlExpr::QualifiedWildcard(name, _) => Expr::Wildcard {
            qualifier: Some(object_name(name)?.join(".")),
        },
        SqlExpr::Subquery(q) => Expr::Subquery(Subquery {
            kind: SubqueryKind::Scalar,
            query: q.clone(),
        }),
        SqlExpr::Exists { subquery, negated } => Expr::Subquery(Subquery {
            kind: SubqueryKind::Exists { negated: *negated },
            query: subquery.clone(),
        }),
        SqlExpr::Lambda(_) => return Err(unsupported("a lambda function", e)),
        SqlExpr::Struct { values, fields } if fields.is_empty() => call(
            "struct",
            values
                .iter()
                .map(|v| match v {
                    SqlExpr::Named { expr, name } => Ok(convert(expr)?.alias(&ident(name))),
                    v => convert(v),
                })
                .collect::<Result<Vec<_>>>()?,
        ),
        SqlExpr::Array(_) | SqlExpr::Map(_) | SqlExpr::Struct { .. } | SqlExpr::Tuple(_) => {
            return Err(unsupported(
                "a complex-type value (array, map, typed struct)",
                e,
            ))
        }
        SqlExpr::CompoundFieldAccess { root, access_chain } => {
            let mut acc = convert(root)?;
            for a in access_chain {
                acc = match a {
                    sqlparser::ast::AccessExpr::Subscript(sqlparser::ast::Subscript::Index {
                        index,
                    }) => Expr::Subscript(Box::new(acc), Box::new(convert(index)?)),
                    sqlparser::ast::AccessExpr::Dot(SqlExpr::Identifier(f)) => {
                        Expr::GetField(Box::new(acc), ident(f))
                    }
                    _ => return Err(unsupported("this field or element access (a slice)", e)),
                };
            }
            acc
        }
        SqlExpr::JsonAccess { .. } => return Err(unsupported("field and element access", e)),
        _ => return Err(unsupported("this expression", e)),
    })
}

/// `x [NOT] LIKE ANY (p1, p2, …)`: true when `x` matches (does not match)
/// some pattern — Spark's `LikeAny`, three-valued as an OR of LIKEs; named
/// as Spark names it.
fn like_any(arg: &SqlExpr, patterns: &SqlExpr, negated: bool, ci: bool) -> Result<Expr> {
    let list = match patterns {
        SqlExpr::Tuple(items) => items.iter().map(convert).collect::<Result<Vec<_>>>()?,
        SqlExpr::Nested(p) => vec![convert(p)?],
        other => vec![convert(other)?],
    };
    let arg = convert(arg)?;
    let mut any: Option<Expr> = None;
    for p in &list {
        let like = Expr::Like {
            arg: Box::new(arg.clone()),
            pattern: Box::new(p.clone()),
            negated,
            case_insensitive: ci,
        };
        any = Some(match any {
            None => like,
            Some(a) => binary(BinaryOp::Or, a, like),
        });
    }
    let any = any.ok_or_else(|| {
        Error::analysis(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
            "LIKE ANY needs at least one pattern",
        )
    })?;
    let shown: Vec<String> = list.iter().map(|p| p.to_string()).collect();
    let name = format!(
        "{arg} {}{} ANY ({})",
        if negated { "NOT " } else { "" },
        if ci { "ILIKE" } else { "LIKE" },
        shown.join(", ")
    );
    Ok(Expr::Alias(Box::new(any), name))
}

/// A chain of one logical operator (`a AND b AND c …`) as Spark's parser
/// builds it (`AstBuilder.visitLogicalBinary`): the operands of the
/// left-deep chain, in order, combined into a balanced tree — so a chain of
/// thousands of conditions is shallow, and the column name is Spark's
/// (`((a AND b) AND (c AND d))`). A parenthesized operand is not part of the
/// chain, as in Spark.
fn logical_chain(e: &SqlExpr, op: &Op) -> Result<Expr> {
    let mut operands = vec![];
    let mut current = e;
    while let SqlExpr::BinaryOp { left, op: o, right } = current {
        if o != op {
            break;
        }
        operands.push(right.as_ref());
        current = left;
    }
    operands.push(current);
    operands.reverse();
    let operands = operands
        .into_iter()
        .map(convert)
        .collect::<Result<Vec<_>>>()?;
    let op = if *op == Op::And {
        BinaryOp::And
    } else {
        BinaryOp::Or
    };
    Ok(balanced(op, &operands))
}

/// Spark's `reduceToExpressionTree(low, high)` over `operands` (never empty).
fn balanced(op: BinaryOp, operands: &[Expr]) -> Expr {
    match operands {
        [one] => one.clone(),
        [a, b] => binary(op, a.clone(), b.clone()),
        _ => {
            let mid = (operands.len() - 1) / 2;
            let (low, high) = operands.split_at(mid + 1);
            binary(op, balanced(op, low), balanced(op, high))
        }
    }
}

fn null_safe_eq(a: &SqlExpr, v: bool) -> Result<Expr> {
    Ok(binary(
        BinaryOp::EqNullSafe,
        convert(a)?,
        Expr::Literal(Scalar::Boolean(v)),
    ))
}

fn function(f: &Function) -> Result<Expr> {
    let name = match object_name(&f.name)?.as_slice() {
        [n] => n.clone(),
        _ => return Err(unsupported("a qualified function name", &f.name)),
    };
    if f.over.is_some() {
        return Err(unsupported("a window function (OVER …)", f));
    }
    let filter = f.filter.as_deref().map(convert).transpose()?;
    if !f.within_group.is_empty() || !matches!(f.parameters, FunctionArguments::None) {
        return Err(unsupported("this form of function call", f));
    }
    // `first(x) IGNORE NULLS` is `first(x, true)`.
    let mut nulls = f.null_treatment;
    let (mut args, distinct) = match &f.args {
        FunctionArguments::None => (vec![], false),
        FunctionArguments::Subquery(_) => {
            return Err(unsupported("a subquery as a function argument", f))
        }
        FunctionArguments::List(list) => {
            for c in &list.clauses {
                match c {
                    FunctionArgumentClause::IgnoreOrRespectNulls(n) => nulls = Some(*n),
                    _ => return Err(unsupported("a clause inside a function call", f)),
                }
            }
            let args = list
                .args
                .iter()
                .map(|a| match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => convert(e),
                    FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => Ok(Expr::Star),
                    _ => Err(unsupported("this function argument", a)),
                })
                .collect::<Result<Vec<_>>>()?;
            let distinct = matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct));
            (args, distinct)
        }
    };
    if let Some(n) = nulls {
        let lname = name.to_ascii_lowercase();
        if !matches!(
            lname.as_str(),
            "first" | "last" | "first_value" | "last_value" | "any_value"
        ) || args.len() != 1
        {
            return Err(unsupported("IGNORE/RESPECT NULLS here", f));
        }
        let ignore = matches!(n, NullTreatment::IgnoreNulls);
        args.push(Expr::Literal(crate::types::Scalar::Boolean(ignore)));
    }
    super::parse_schema_args(&name, &mut args);
    let call = Expr::Function {
        name,
        args,
        distinct,
    };
    match filter {
        None => Ok(call),
        Some(cond) => aggregate_filter(call, cond, f),
    }
}

/// `agg(x) FILTER (WHERE c)`: the aggregate over the rows where `c` holds,
/// as `agg(CASE WHEN c THEN x END)` (`count(*)` counts `CASE WHEN c THEN 1
/// END`); named as Spark names it. The aggregates that keep nulls
/// (`first`, `last`, …) cannot be written so and are refused.
fn aggregate_filter(call: Expr, cond: Expr, f: &Function) -> Result<Expr> {
    let Expr::Function {
        name,
        args,
        distinct,
    } = &call
    else {
        return Err(Error::internal("an aggregate call that is not a call"));
    };
    let lname = name.to_ascii_lowercase();
    if !crate::resolve::is_aggregate_name(&lname) {
        return Err(Error::analysis(
            "INVALID_SQL_SYNTAX.FUNCTION_WITH_UNSUPPORTED_SYNTAX",
            format!("Invalid SQL syntax: The function `{name}` does not support FILTER."),
        ));
    }
    if matches!(
        lname.as_str(),
        "first" | "last" | "first_value" | "last_value" | "any_value"
    ) {
        return Err(unsupported("FILTER (WHERE …) on first/last/any_value", f));
    }
    let mut drawn = false;
    cond.visit(&mut |e| {
        if let Expr::Function { name, .. } = e {
            drawn |= crate::functions::lookup(name).is_some_and(|f| !f.deterministic());
        }
    });
    if drawn {
        return Err(Error::analysis(
            "INVALID_AGGREGATE_FILTER.NON_DETERMINISTIC",
            format!(
                "The FILTER expression \"{cond}\" in an aggregate function is invalid. Expected a deterministic FILTER expression."
            ),
        ));
    }
    let when = |v: Expr| Expr::Case {
        operand: None,
        branches: vec![(cond.clone(), v)],
        otherwise: None,
    };
    let filtered_args = match args.as_slice() {
        [Expr::Star] | [] => vec![when(Expr::Literal(Scalar::Int32(1)))],
        [first, rest @ ..] => std::iter::once(when(first.clone()))
            .chain(rest.iter().cloned())
            .collect(),
    };
    let shown = format!("{call} FILTER (WHERE {cond})");
    Ok(Expr::Alias(
        Box::new(Expr::Function {
            name: name.clone(),
            args: filtered_args,
            distinct: *distinct,
        }),
        shown,
    ))
}
