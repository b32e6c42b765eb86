//! Name resolution and type checking: a logical [`Expr`] over a plan's
//! columns becomes typed IR, with Spark's implicit casts made explicit.

use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::{BinaryOp, ScalarFunc, TExpr, TExprKind, UnaryOp};
use crate::plan::Plan;
use crate::types::{DataType, Scalar};

const AGGREGATES: &[&str] = &[
    "count",
    "sum",
    "avg",
    "mean",
    "min",
    "max",
    "first",
    "last",
    "first_value",
    "last_value",
    "any_value",
    "stddev",
    "std",
    "stddev_samp",
    "stddev_pop",
    "variance",
    "var_samp",
    "var_pop",
    "grouping",
    "grouping_id",
    "count_if",
    "bool_and",
    "every",
    "bool_or",
    "some",
    "any",
];

pub fn is_aggregate_name(name: &str) -> bool {
    AGGREGATES
        .iter()
        .chain(crate::builder::STAT_AGGREGATES)
        .any(|a| a.eq_ignore_ascii_case(name))
}

/// The columns an expression may name: a plan's output.
pub struct Scope<'a> {
    pub plan: &'a Plan,
}

impl<'a> Scope<'a> {
    pub fn new(plan: &'a Plan) -> Self {
        Scope { plan }
    }

    /// The index of a column, case-insensitively, honouring a qualifier.
    pub fn lookup(&self, qualifier: Option<&str>, name: &str) -> Result<usize> {
        let fields = &self.plan.schema.fields;
        let mut hits: Vec<usize> = (0..fields.len())
            .filter(|&i| fields[i].name.eq_ignore_ascii_case(name))
            .filter(|&i| match qualifier {
                None => !self.plan.is_hidden(i),
                Some(q) => self.plan.qualifiers[i]
                    .as_deref()
                    .is_some_and(|x| x.eq_ignore_ascii_case(q)),
            })
            .collect();
        // A hidden join key only where no shown column answers.
        if hits.iter().any(|&i| !self.plan.is_hidden(i)) {
            hits.retain(|&i| !self.plan.is_hidden(i));
        }
        let listed = fields.len() - self.plan.hidden;
        let shown = |i: usize| match &self.plan.qualifiers[i] {
            Some(q) => format!("`{q}`.`{}`", fields[i].name),
            None => format!("`{}`", fields[i].name),
        };
        match hits.as_slice() {
            [i] => Ok(*i),
            [] => Err(Error::UnresolvedColumn {
                name: match qualifier {
                    Some(q) => format!("{q}`.`{name}"),
                    None => name.to_string(),
                },
                candidates: (0..listed).map(shown).collect::<Vec<_>>().join(", "),
            }),
            many => Err(Error::AmbiguousColumn {
                name: name.to_string(),
                candidates: many
                    .iter()
                    .map(|&i| shown(i))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    pub fn column(&self, i: usize) -> TExpr {
        let f = &self.plan.schema.fields[i];
        TExpr::column(i, &f.name, f.data_type.clone(), f.nullable)
    }
}

/// Resolves a scalar (non-aggregate) expression.
pub fn resolve(e: &Expr, scope: &Scope) -> Result<TExpr> {
    crate::depth::grow(|| resolve_node(e, scope))
}

fn resolve_node(e: &Expr, scope: &Scope) -> Result<TExpr> {
    match e {
        Expr::Alias(inner, _) => resolve(inner, scope),
        Expr::ColumnAt(i) if *i < scope.plan.schema.len() => Ok(scope.column(*i)),
        Expr::ColumnAt(i) => Err(Error::internal(format!(
            "column #{i} of a plan of {} columns",
            scope.plan.schema.len()
        ))),
        Expr::Column { qualifier, name } => match scope.lookup(qualifier.as_deref(), name) {
            Ok(i) => Ok(scope.column(i)),
            // `data.gt`: a field of the struct column `data`, when no
            // relation is called `data`.
            Err(err) => match qualifier.as_deref().map(|q| scope.lookup(None, q)) {
                Some(Ok(i)) if matches!(scope.column(i).ty, DataType::Struct(_)) => {
                    get_field(scope.column(i), name, e)
                }
                _ => Err(err),
            },
        },
        Expr::GetField(inner, name) => get_field(resolve(inner, scope)?, name, e),
        // The SQL planner turns the subqueries it supports into joins first.
        Expr::Subquery(_) => Err(Error::not_supported(format!(
            "a subquery here (`{e}`): sqlc plans subqueries in WHERE and in a SELECT list \
             (not in HAVING, GROUP BY or beside aggregates)"
        ))),
        Expr::Subscript(inner, index) => {
            let base = resolve(inner, scope)?;
            match (&base.ty, index.as_ref()) {
                // `s['f']`: a struct's field.
                (DataType::Struct(_), Expr::Literal(Scalar::Utf8(f))) => get_field(base, f, e),
                // `m[k]`: a map's value, NULL for a missing key.
                (DataType::Map(..), _) => {
                    let key = resolve(index, scope)?;
                    let r = crate::functions::map::resolve_value("subscript", vec![base, key], e)?;
                    Ok(r.into_expr())
                }
                (DataType::Array(..) | DataType::Null, _) => {
                    let idx = resolve(index, scope)?;
                    let r = crate::functions::ScalarFunction::resolve(
                        &crate::functions::array::Subscript,
                        vec![base, idx],
                        e,
                    )?;
                    Ok(r.into_expr())
                }
                (t, _) => Err(Error::analysis(
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                    format!(
                        "Cannot resolve \"{e}\" due to data type mismatch: the first parameter requires the \"ARRAY\" or \"STRUCT\" type, however \"{inner}\" has the type \"{}\".",
                        t.spark_name().to_uppercase()
                    ),
                )),
            }
        }
        Expr::Literal(v) => Ok(TExpr::literal(v.clone())),
        // The call reading it takes the parsed type from the call as written.
        Expr::Schema { ddl, .. } => Ok(TExpr::literal(Scalar::Utf8(ddl.clone()))),
        Expr::Wildcard { .. } | Expr::Star => Err(Error::analysis(
            "INVALID_USAGE_OF_STAR_OR_REGEX",
            format!("`{e}` is only allowed in a select list or in count(*)"),
        )),
        Expr::Interval(us) => Ok(TExpr::literal(Scalar::DayTimeInterval(
            *us,
            crate::ansi_interval::DAY,
            crate::ansi_interval::SECOND,
        ))),
        Expr::Unary {
            op: UnaryOp::Neg,
            arg,
        } => {
            let a = resolve(arg, scope)?;
            if a.ty.is_interval() {
                return Ok(crate::functions::interval::negate(a));
            }
            let a = if a.ty == DataType::Utf8 || a.ty == DataType::Null {
                cast(a, DataType::Float64)?
            } else {
                a
            };
            if !a.ty.is_numeric() {
                return Err(mismatch(
                    e,
                    format!("the operand of - must be numeric, not {}", a.ty),
                ));
            }
            Ok(TExpr::new(
                TExprKind::Unary {
                    op: UnaryOp::Neg,
                    arg: Box::new(a.clone()),
                },
                a.ty,
                a.nullable,
            ))
        }
        Expr::Unary {
            op: UnaryOp::Not,
            arg,
        } => {
            let a = boolean(resolve(arg, scope)?, e)?;
            let n = a.nullable;
            Ok(TExpr::new(
                TExprKind::Unary {
                    op: UnaryOp::Not,
                    arg: Box::new(a),
                },
                DataType::Boolean,
                n,
            ))
        }
        // A timestamp plus or minus an interval: `t + INTERVAL 1 HOUR`.
        Expr::Binary {
            op: op @ (BinaryOp::Add | BinaryOp::Sub),
            left,
            right,
        } if right.day_time_micros().is_some()
            || (*op == BinaryOp::Add && left.day_time_micros().is_some()) =>
        {
            let (t, i, us, on_right) = match (right.day_time_micros(), left.day_time_micros()) {
                (Some(us), _) => (left, right, us, true),
                (None, Some(us)) => (right, left, us, false),
                _ => unreachable!("one side is an interval"),
            };
            let t = resolve(t, scope)?;
            if !matches!(
                t.ty,
                DataType::Timestamp | DataType::Date | DataType::Utf8 | DataType::Null
            ) {
                let i = resolve(i, scope)?;
                let (l, r) = if on_right { (t, i) } else { (i, t) };
                return binary(*op, l, r, e);
            }
            // A date plus an `INTERVAL DAY` stays a date, as Spark's `date +
            // INTERVAL '1' DAY`; any other day-time interval makes it a timestamp.
            let whole_days = matches!(**i, Expr::Literal(Scalar::DayTimeInterval(_, 0, 0)));
            if t.ty == DataType::Date && whole_days {
                let days = us / crate::scalar_fns::MICROS_PER_DAY;
                let days = if *op == BinaryOp::Sub { -days } else { days };
                let days = i32::try_from(days)
                    .map_err(|_| mismatch(e, "the interval is too large for a date".to_string()))?;
                let add = crate::functions::lookup("date_add")
                    .ok_or_else(|| Error::internal("date_add is not in the catalog"))?;
                return Ok(add
                    .0
                    .resolve(vec![t, TExpr::literal(Scalar::Int32(days))], e)?
                    .into_expr());
            }
            let t = match t.ty {
                DataType::Timestamp => t,
                DataType::Date | DataType::Utf8 | DataType::Null => cast(t, DataType::Timestamp)?,
                _ => {
                    return Err(mismatch(
                        e,
                        format!("an interval is added to a timestamp, not to {}", t.ty),
                    ))
                }
            };
            let us = if *op == BinaryOp::Sub { -us } else { us };
            let n = t.nullable;
            Ok(TExpr::new(
                TExprKind::Call {
                    func: ScalarFunc::TimestampAdd,
                    args: vec![t, TExpr::literal(Scalar::Int64(us))],
                },
                DataType::Timestamp,
                n,
            ))
        }
        Expr::Binary { op, left, right } => {
            binary(*op, resolve(left, scope)?, resolve(right, scope)?, e)
        }
        Expr::IsNull(a) => Ok(TExpr::new(
            TExprKind::IsNull(Box::new(resolve(a, scope)?)),
            DataType::Boolean,
            false,
        )),
        Expr::IsNotNull(a) => Ok(TExpr::new(
            TExprKind::IsNotNull(Box::new(resolve(a, scope)?)),
            DataType::Boolean,
            false,
        )),
        Expr::Like {
            arg,
            pattern,
            negated,
            case_insensitive,
        } => {
            let a = string_arg(resolve(arg, scope)?, e)?;
            let pattern = literal_string(pattern, e)?;
            crate::scalar_fns::LikeMatcher::new(&pattern, *case_insensitive).map_err(|reason| {
                Error::InvalidRegex {
                    pattern: pattern.clone(),
                    reason,
                }
            })?;
            let n = a.nullable;
            let kind = TExprKind::Like {
                arg: Box::new(a),
                pattern,
                negated: *negated,
                case_insensitive: *case_insensitive,
            };
            Ok(TExpr::new(kind, DataType::Boolean, n))
        }
        Expr::RLike {
            arg,
            pattern,
            negated,
        } => {
            let a = string_arg(resolve(arg, scope)?, e)?;
            let pattern = literal_string(pattern, e)?;
            regex::Regex::new(&pattern).map_err(|err| Error::InvalidRegex {
                pattern: pattern.clone(),
                reason: err.to_string(),
            })?;
            let n = a.nullable;
            Ok(TExpr::new(
                TExprKind::RLike {
                    arg: Box::new(a),
                    pattern,
                    negated: *negated,
                },
                DataType::Boolean,
                n,
            ))
        }
        Expr::InList { arg, list, negated } => {
            let a = resolve(arg, scope)?;
            let items = list
                .iter()
                .map(|x| resolve(x, scope))
                .collect::<Result<Vec<_>>>()?;
            let ty = items.iter().try_fold(a.ty.clone(), |t, x| {
                comparison_type(&t, &x.ty)
                    .ok_or_else(|| mismatch(e, format!("cannot compare {t} with {}", x.ty)))
            })?;
            let nullable = a.nullable || items.iter().any(|x| x.nullable);
            let a = cast(a, ty.clone())?;
            let items = items
                .into_iter()
                .map(|x| cast(x, ty.clone()))
                .collect::<Result<Vec<_>>>()?;
            let kind = TExprKind::InList {
                arg: Box::new(a),
                list: items,
                negated: *negated,
            };
            Ok(TExpr::new(kind, DataType::Boolean, nullable))
        }
        Expr::Between {
            arg,
            low,
            high,
            negated,
        } => {
            let a = resolve(arg, scope)?;
            let ge = binary(BinaryOp::GtEq, a.clone(), resolve(low, scope)?, e)?;
            let le = binary(BinaryOp::LtEq, a, resolve(high, scope)?, e)?;
            let both = binary(BinaryOp::And, ge, le, e)?;
            Ok(if *negated { not(both) } else { both })
        }
        Expr::Case {
            operand,
            branches,
            otherwise,
        } => {
            let operand = operand.as_ref().map(|o| resolve(o, scope)).transpose()?;
            let mut conds = Vec::new();
            let mut results = Vec::new();
            for (c, r) in branches {
                let c = resolve(c, scope)?;
                let c = match &operand {
                    Some(o) => binary(BinaryOp::Eq, o.clone(), c, e)?,
                    None => boolean(c, e)?,
                };
                conds.push(c);
                results.push(resolve(r, scope)?);
            }
            let other = otherwise.as_ref().map(|o| resolve(o, scope)).transpose()?;
            let all: Vec<&TExpr> = results.iter().chain(other.iter()).collect();
            let ty = common_type_of(&all, e)?;
            let nullable = other.is_none() || all.iter().any(|r| r.nullable);
            let results = results
                .into_iter()
                .map(|r| cast(r, ty.clone()))
                .collect::<Result<Vec<_>>>()?;
            let other = other.map(|o| cast(o, ty.clone())).transpose()?;
            let kind = TExprKind::Case {
                branches: conds.into_iter().zip(results).collect(),
                otherwise: other.map(Box::new),
            };
            Ok(TExpr::new(kind, ty, nullable))
        }
        Expr::Cast { arg, to } => cast(resolve(arg, scope)?, to.clone()),
        Expr::Function {
            name,
            args,
            distinct,
        } => {
            if is_aggregate_name(name) || name.eq_ignore_ascii_case("window") {
                return Err(Error::analysis(
                    "UNSUPPORTED_EXPR_FOR_OPERATOR",
                    format!(
                        "`{e}` is not allowed here: aggregate functions belong in a \
                     select list with GROUP BY (or in agg()), not in WHERE or a scalar expression"
                    ),
                ));
            }
            if *distinct {
                return Err(Error::analysis(
                    "INVALID_SQL_SYNTAX.FUNCTION_WITH_UNSUPPORTED_SYNTAX",
                    format!("DISTINCT is only allowed in aggregate functions: {e}"),
                ));
            }
            function(name, args, scope, e)
        }
    }
}

/// Field `name` (any case) of a struct value.
pub fn get_field(arg: TExpr, name: &str, e: &Expr) -> Result<TExpr> {
    let DataType::Struct(fields) = &arg.ty else {
        return Err(mismatch(
            e,
            format!("field access needs a struct, and {arg} is {}", arg.ty),
        ));
    };
    let index = fields
        .iter()
        .position(|f| f.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| Error::UnresolvedColumn {
            name: format!("{arg}.{name}"),
            candidates: fields
                .iter()
                .map(|f| format!("`{}`", f.name))
                .collect::<Vec<_>>()
                .join(", "),
        })?;
    let f = fields[index].clone();
    let nullable = f.nullable || arg.nullable;
    Ok(TExpr::new(
        TExprKind::GetField {
            arg: Box::new(arg),
            index,
        },
        f.data_type,
        nullable,
    ))
}

/// `struct(a, b)` and `named_struct('x', a, 'y', b)`.
fn struct_function(lname: &str, args: &[Expr], argv: Vec<TExpr>, e: &Expr) -> Result<TExpr> {
    use crate::types::Field;
    let call = |func: ScalarFunc, args: Vec<TExpr>, ty: DataType, nullable: bool| {
        Ok(TExpr::new(TExprKind::Call { func, args }, ty, nullable))
    };
    match lname {
        "struct" => {
            let fields: Vec<Field> = args
                .iter()
                .zip(&argv)
                .enumerate()
                .map(|(i, (a, t))| {
                    let name = match a {
                        Expr::Alias(_, n) => n.clone(),
                        Expr::Column { name, .. } => name.clone(),
                        Expr::GetField(_, name) => name.clone(),
                        _ => format!("col{}", i + 1),
                    };
                    Field::new(name, t.ty.clone(), t.nullable)
                })
                .collect();
            call(
                ScalarFunc::Struct,
                argv,
                DataType::Struct(fields.into()),
                false,
            )
        }
        "named_struct" => {
            if !args.len().is_multiple_of(2) || args.is_empty() {
                return Err(mismatch(
                    e,
                    "named_struct takes pairs of a name and a value".into(),
                ));
            }
            let mut fields = Vec::new();
            let mut values = Vec::new();
            for (pair, t) in args.chunks(2).zip(argv.chunks(2)) {
                let name = literal_string(&pair[0], e)?;
                fields.push(Field::new(name, t[1].ty.clone(), t[1].nullable));
                values.push(t[1].clone());
            }
            call(
                ScalarFunc::Struct,
                values,
                DataType::Struct(fields.into()),
                false,
            )
        }
        _ => Err(unknown_function(lname)),
    }
}

fn mismatch(e: &Expr, reason: String) -> Error {
    Error::TypeMismatch {
        expr: e.to_string(),
        reason,
    }
}

fn not(e: TExpr) -> TExpr {
    let n = e.nullable;
    TExpr::new(
        TExprKind::Unary {
            op: UnaryOp::Not,
            arg: Box::new(e),
        },
        DataType::Boolean,
        n,
    )
}

fn boolean(a: TExpr, e: &Expr) -> Result<TExpr> {
    match a.ty {
        DataType::Boolean => Ok(a),
        DataType::Null => cast(a, DataType::Boolean),
        _ => Err(mismatch(
            e,
            format!("requires a boolean, not {} ({a})", a.ty),
        )),
    }
}

fn string_arg(a: TExpr, e: &Expr) -> Result<TExpr> {
    match a.ty {
        DataType::Utf8 => Ok(a),
        DataType::Null
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::Float32
        | DataType::Float64
        | DataType::Decimal(..)
        | DataType::Boolean
        | DataType::Timestamp
        | DataType::Date => cast(a, DataType::Utf8),
        _ => Err(mismatch(e, format!("requires a string, not {}", a.ty))),
    }
}

fn literal_string(p: &Expr, e: &Expr) -> Result<String> {
    match p {
        Expr::Literal(Scalar::Utf8(s)) => Ok(s.clone()),
        _ => Err(Error::not_supported(format!(
            "the pattern of `{e}` must be a string literal"
        ))),
    }
}

fn numeric_rank(t: &DataType) -> Option<u8> {
    match t {
        DataType::Int8 => Some(1),
        DataType::Int16 => Some(2),
        DataType::Int32 => Some(3),
        DataType::Int64 => Some(4),
        DataType::Float32 => Some(5),
        DataType::Float64 => Some(6),
        _ => None,
    }
}

/// The decimal type a number takes beside a decimal: its own, or for an
/// integer TINYINT's `DECIMAL(3, 0)`, SMALLINT's `DECIMAL(5, 0)`, INT's
/// `DECIMAL(10, 0)` / BIGINT's `DECIMAL(20, 0)`.
fn as_decimal(t: &DataType) -> Option<crate::decimal::Ps> {
    match t {
        DataType::Decimal(p, s) => Some((*p, *s)),
        DataType::Int8 => Some((3, 0)),
        DataType::Int16 => Some((5, 0)),
        DataType::Int32 => Some(crate::decimal::for_integer(false)),
        DataType::Int64 => Some(crate::decimal::for_integer(true)),
        _ => None,
    }
}

/// An arithmetic operand's decimal type: an integer literal takes just its
/// digits (Spark's `literalPickMinimumPrecision`; its `fromLiteral` knows
/// SMALLINT, INT and BIGINT literals, a TINYINT takes its type's).
pub fn operand_decimal(e: &TExpr) -> Option<crate::decimal::Ps> {
    match &e.kind {
        TExprKind::Literal(Scalar::Int16(v)) => Some(crate::decimal::for_literal(*v as i64)),
        TExprKind::Literal(Scalar::Int32(v)) => Some(crate::decimal::for_literal(*v as i64)),
        TExprKind::Literal(Scalar::Int64(v)) => Some(crate::decimal::for_literal(*v)),
        _ => as_decimal(&e.ty),
    }
}

/// The type two operands of a comparison are cast to, as Spark's ANSI
/// coercion picks it; `None` when they cannot be compared.
pub fn comparison_type(a: &DataType, b: &DataType) -> Option<DataType> {
    use DataType::*;
    if a == b {
        return Some(a.clone());
    }
    Some(match (a, b) {
        (Null, t) | (t, Null) => t.clone(),
        (x, y) if x.is_interval() || y.is_interval() => {
            crate::functions::interval::comparison_type(x, y)?
        }
        // A FLOAT meets any other number as a DOUBLE (Spark's ANSI rules).
        (Float32, t) | (t, Float32) if t.is_numeric() => Float64,
        (Float64, t) | (t, Float64) if t.is_decimal() => Float64,
        (x, y) if x.is_decimal() || y.is_decimal() => {
            let (a, b) = (as_decimal(x)?, as_decimal(y)?);
            let (p, s) = crate::decimal::wider(a, b);
            Decimal(p, s)
        }
        (x, y) if x.is_numeric() && y.is_numeric() => {
            if numeric_rank(x) > numeric_rank(y) {
                x.clone()
            } else {
                y.clone()
            }
        }
        (Utf8, t) | (t, Utf8) if t.is_numeric() => {
            if t.is_integer() {
                Int64
            } else {
                Float64
            }
        }
        (Utf8, Boolean) | (Boolean, Utf8) => Boolean,
        (Utf8, Timestamp) | (Timestamp, Utf8) | (Date, Timestamp) | (Timestamp, Date) => Timestamp,
        // Without a zone beside a string or a date; with one, the zoned.
        (Utf8 | Date, TimestampNtz) | (TimestampNtz, Utf8 | Date) => TimestampNtz,
        (Timestamp, TimestampNtz) | (TimestampNtz, Timestamp) => Timestamp,
        (Utf8, Date) | (Date, Utf8) => Date,
        _ => return None,
    })
}

/// The type results of CASE/COALESCE branches are cast to.
fn common_type_of(items: &[&TExpr], e: &Expr) -> Result<DataType> {
    let mut ty = DataType::Null;
    for x in items {
        ty = common_type(&ty, &x.ty)
            .ok_or_else(|| mismatch(e, format!("cannot combine {ty} and {}", x.ty)))?;
    }
    Ok(ty)
}

/// The type two values are both cast to where either may be taken (CASE
/// branches, COALESCE, `array(..)`, the columns of a UNION): Spark 4's
/// ANSI wider type — numbers widen, a string meets another type as that
/// type (a string and an int are a bigint), arrays widen by element;
/// `None` when there is none.
pub fn common_type(a: &DataType, b: &DataType) -> Option<DataType> {
    Some(match (a, b) {
        (a, b) if a == b => a.clone(),
        (DataType::Null, t) | (t, DataType::Null) => t.clone(),
        (DataType::Array(x, xn), DataType::Array(y, yn)) => {
            DataType::Array(Box::new(common_type(x, y)?), *xn || *yn)
        }
        (DataType::Map(xk, xv, xn), DataType::Map(yk, yv, yn)) => DataType::Map(
            Box::new(common_type(xk, yk)?),
            Box::new(common_type(xv, yv)?),
            *xn || *yn,
        ),
        (a, b) => comparison_type(a, b)?,
    })
}

pub fn binary(op: BinaryOp, l: TExpr, r: TExpr, e: &Expr) -> Result<TExpr> {
    use BinaryOp::*;
    let nullable = l.nullable || r.nullable;
    match op {
        And | Or => {
            let (l, r) = (boolean(l, e)?, boolean(r, e)?);
            Ok(TExpr::binary(op, l, r, DataType::Boolean, nullable))
        }
        Eq | NotEq | Lt | LtEq | Gt | GtEq | EqNullSafe => {
            if let Some(t) = [&l.ty, &r.ty].into_iter().find(|t| t.contains_map()) {
                return Err(Error::analysis(
                    "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE",
                    format!(
                        "Cannot resolve \"{e}\" due to data type mismatch: The `{}` does not support ordering on type \"{}\".",
                        op.symbol(),
                        crate::functions::map::sql_type(t)
                    ),
                ));
            }
            let ty = comparison_type(&l.ty, &r.ty)
                .ok_or_else(|| mismatch(e, format!("cannot compare {} with {}", l.ty, r.ty)))?;
            let ty = if ty == DataType::Null {
                DataType::Boolean
            } else {
                ty
            };
            let (l, r) = (cast(l, ty.clone())?, cast(r, ty)?);
            let nullable = op != EqNullSafe && nullable;
            Ok(TExpr::binary(op, l, r, DataType::Boolean, nullable))
        }
        IntDiv => int_div(l, r, e),
        Add | Sub | Mul | Mod | Div => {
            if crate::functions::interval::involved(op, &l.ty, &r.ty) {
                return crate::functions::interval::arith(op, l, r, e);
            }
            // Spark (ANSI) reads a string beside a number as that kind of
            // number (`1 + '2'` is a bigint 3) but has no arithmetic on two
            // strings.
            if l.ty == DataType::Utf8 && r.ty == DataType::Utf8 {
                return Err(Error::analysis(
                    "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE",
                    format!(
                        "Cannot resolve \"{e}\" due to data type mismatch: the binary operator \
                         requires the input type (\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \
                         \"INTERVAL YEAR TO MONTH\" or \"INTERVAL\"), not \"STRING\"."
                    ),
                ));
            }
            let num = |t: &DataType| match t {
                DataType::Utf8 | DataType::Null => Some(DataType::Float64),
                t if t.is_numeric() => Some(t.clone()),
                _ => None,
            };
            let (Some(lt), Some(rt)) = (num(&l.ty), num(&r.ty)) else {
                return Err(mismatch(
                    e,
                    format!(
                        "the operands of {} must be numeric, not {} and {}",
                        op.symbol(),
                        l.ty,
                        r.ty
                    ),
                ));
            };
            if let (Some(a), Some(b), true) = (
                operand_decimal(&l),
                operand_decimal(&r),
                l.ty.is_decimal() || r.ty.is_decimal(),
            ) {
                let (p, s) = match op {
                    Add | Sub => crate::decimal::add_type(a, b),
                    Mul => crate::decimal::mul_type(a, b),
                    Div => crate::decimal::div_type(a, b),
                    _ => crate::decimal::rem_type(a, b),
                };
                let l = cast(l, DataType::Decimal(a.0, a.1))?;
                let r = cast(r, DataType::Decimal(b.0, b.1))?;
                return Ok(TExpr::binary(op, l, r, DataType::Decimal(p, s), nullable));
            }
            let ty = if op == Div {
                DataType::Float64
            } else if l.ty == DataType::Null && r.ty.is_numeric() {
                r.ty.clone()
            } else if r.ty == DataType::Null && l.ty.is_numeric() {
                l.ty.clone()
            } else if l.ty == DataType::Utf8 || r.ty == DataType::Utf8 {
                // The string is read as the other operand's kind of number.
                comparison_type(&l.ty, &r.ty).unwrap_or(DataType::Float64)
            } else {
                comparison_type(&lt, &rt).unwrap_or(DataType::Float64)
            };
            let (l, r) = (cast(l, ty.clone())?, cast(r, ty.clone())?);
            Ok(TExpr::binary(op, l, r, ty, nullable))
        }
    }
}

/// Spark's `div` (`IntegralDivide`): integral operands (and strings) as
/// BIGINTs, or two decimals (an integer beside a decimal takes its digits);
/// a BIGINT either way. Floating point is refused, as Spark refuses it.
fn int_div(l: TExpr, r: TExpr, e: &Expr) -> Result<TExpr> {
    let nullable = l.nullable || r.nullable;
    let integral = |t: &DataType| t.is_integer() || matches!(t, DataType::Utf8 | DataType::Null);
    if l.ty.is_decimal() || r.ty.is_decimal() {
        if let (Some(a), Some(b)) = (operand_decimal(&l), operand_decimal(&r)) {
            let l = cast(l, DataType::Decimal(a.0, a.1))?;
            let r = cast(r, DataType::Decimal(b.0, b.1))?;
            return Ok(TExpr::binary(
                BinaryOp::IntDiv,
                l,
                r,
                DataType::Int64,
                nullable,
            ));
        }
    }
    if integral(&l.ty) && integral(&r.ty) {
        let (l, r) = (cast(l, DataType::Int64)?, cast(r, DataType::Int64)?);
        return Ok(TExpr::binary(
            BinaryOp::IntDiv,
            l,
            r,
            DataType::Int64,
            nullable,
        ));
    }
    // Spark names an integral operand as the BIGINT it would be cast to.
    let sql = |t: &DataType| match t {
        t if integral(t) => "BIGINT".to_string(),
        t => t.spark_name().to_uppercase(),
    };
    Err(Error::analysis(
        if l.ty == r.ty {
            "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE"
        } else {
            "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES"
        },
        if l.ty == r.ty {
            format!(
                "Cannot resolve \"{e}\" due to data type mismatch: the binary operator requires \
                 the input type (\"BIGINT\" or \"DECIMAL\" or \"INTERVAL YEAR TO MONTH\" or \
                 \"INTERVAL DAY TO SECOND\"), not \"{}\".",
                sql(&l.ty)
            )
        } else {
            format!(
                "Cannot resolve \"{e}\" due to data type mismatch: the left and right operands \
                 of the binary operator have incompatible types (\"{}\" and \"{}\").",
                sql(&l.ty),
                sql(&r.ty)
            )
        },
    ))
}

/// Whether Spark (ANSI) allows casting `from` to `to`.
pub fn can_cast(from: &DataType, to: &DataType) -> bool {
    use DataType::*;
    if from == to || *from == Null {
        return true;
    }
    match (from, to) {
        (Array(a, _), Array(b, _)) => can_cast(a, b),
        (Array(_, _), Utf8) => true,
        (Array(..), _) | (_, Array(..)) => false,
        (Map(ak, av, _), Map(bk, bv, _)) => can_cast(ak, bk) && can_cast(av, bv),
        (Map(..), Utf8) => true,
        (Map(..), _) | (_, Map(..)) => false,
        (Struct(fields), Utf8) => fields.iter().all(|f| can_cast(&f.data_type, &Utf8)),
        (Struct(_), _) | (_, Struct(_)) | (_, Null) => false,
        // Intervals: to and from strings, within one kind, and to and from
        // integral and decimal numbers (counts of the end field's unit).
        (YearMonthInterval(..), YearMonthInterval(..))
        | (DayTimeInterval(..), DayTimeInterval(..)) => true,
        (a, b) if a.is_interval() || b.is_interval() => {
            let other = if a.is_interval() { b } else { a };
            *other == Utf8 || other.is_integer() || other.is_decimal()
        }
        (_, Utf8) => true,
        (Utf8, _) => true,
        (Binary, _) | (_, Binary) => false,
        (Boolean, t) | (t, Boolean) => t.is_numeric(),
        (a, b) if a.is_numeric() && b.is_numeric() => true,
        (Timestamp, Date) | (Date, Timestamp) => true,
        (TimestampNtz, Date | Timestamp) | (Date | Timestamp, TimestampNtz) => true,
        (TimestampNtz, _) | (_, TimestampNtz) => false,
        (Timestamp, t) | (t, Timestamp) => t.is_numeric(),
        (Date, _) | (_, Date) => false,
        _ => false,
    }
}

/// An explicit cast, or `e` itself when it already has type `to`. Casting a
/// null literal gives a typed null literal.
pub fn cast(e: TExpr, to: DataType) -> Result<TExpr> {
    if e.ty == to {
        return Ok(e);
    }
    if !can_cast(&e.ty, &to) {
        return Err(Error::TypeMismatch {
            expr: format!("CAST({e} AS {})", to.spark_name().to_uppercase()),
            reason: format!("cannot cast {} to {}", e.ty, to),
        });
    }
    if let TExprKind::Literal(Scalar::Null) = e.kind {
        return Ok(TExpr::new(TExprKind::Literal(Scalar::Null), to, true));
    }
    // Between a zoned and a zoneless timestamp: on the session's wall clock.
    if let Some(c) = crate::functions::ntz::zone_cast(&e, &to) {
        return Ok(c);
    }
    if let TExprKind::Literal(v) = &e.kind {
        if let Some(v) = fold_decimal_cast(v, &to) {
            return Ok(TExpr::literal(v));
        }
    }
    // A double's NaN and infinities become a NULL decimal.
    let n = e.nullable || (e.ty == DataType::Float64 && to.is_decimal());
    Ok(TExpr::new(TExprKind::Cast { arg: Box::new(e) }, to, n))
}

/// A literal cast folded where decimals meet other numbers (so `x > 1.5`
/// over a double column stays a double comparison the JIT compiles): a
/// decimal to a double or another decimal, an integer to a decimal. `None`
/// when the value would not fit (the cast then fails where it runs, with
/// Spark's error).
pub fn fold_decimal_cast(v: &Scalar, to: &DataType) -> Option<Scalar> {
    use crate::decimal;
    match (v, to) {
        (Scalar::Decimal(x, _, s), DataType::Float64) => {
            Some(Scalar::Float64(decimal::to_f64(*x, *s)))
        }
        (Scalar::Decimal(x, _, s), DataType::Decimal(p2, s2)) => decimal::rescale(*x, *s, *s2)
            .filter(|&r| decimal::fits(r, *p2))
            .map(|r| Scalar::Decimal(r, *p2, *s2)),
        (Scalar::Int32(x), DataType::Decimal(..)) => {
            fold_decimal_cast(&Scalar::Decimal(*x as i128, 10, 0), to)
        }
        (Scalar::Int64(x), DataType::Decimal(..)) => {
            fold_decimal_cast(&Scalar::Decimal(*x as i128, 20, 0), to)
        }
        _ => None,
    }
}

fn function(name: &str, args: &[Expr], scope: &Scope, e: &Expr) -> Result<TExpr> {
    if crate::generator::Generator::by_name(name).is_some() {
        // A generator reaches here only where Spark does not allow one (a
        // SELECT item's own generator is planned by the builder).
        return Err(Error::analysis(
            "UNSUPPORTED_GENERATOR.OUTSIDE_SELECT",
            format!("The generator is not supported: outside the SELECT clause, found: \"{e}\"."),
        ));
    }
    use ScalarFunc as F;
    let lname = name.to_ascii_lowercase();
    if let Some(rewritten) = crate::functions::rewrite::rewrite(&lname, args)? {
        return resolve(&rewritten, scope);
    }
    let argv = args
        .iter()
        .map(|a| resolve(a, scope))
        .collect::<Result<Vec<_>>>()?;
    if argv.iter().any(|a| a.ty.is_interval()) {
        if let Some(r) = crate::functions::interval::function(&lname, &argv, e) {
            return r;
        }
    }
    let arity = |lo: usize, hi: usize| -> Result<()> {
        if argv.len() < lo || argv.len() > hi {
            Err(Error::analysis(
                "WRONG_NUM_ARGS",
                format!(
                    "The `{lname}` requires {} parameters but the actual number is {}.",
                    if lo == hi {
                        lo.to_string()
                    } else {
                        format!("[{lo}, {hi}]")
                    },
                    argv.len()
                ),
            ))
        } else {
            Ok(())
        }
    };
    let nullable = argv.iter().any(|a| a.nullable);
    let call = |func: F, args: Vec<TExpr>, ty: DataType, nullable: bool| {
        Ok(TExpr::new(TExprKind::Call { func, args }, ty, nullable))
    };
    match lname.as_str() {
        "struct" | "named_struct" => struct_function(&lname, args, argv, e),
        "lower" | "lcase" | "upper" | "ucase" | "trim" | "ltrim" | "rtrim" => {
            arity(1, 1)?;
            let f = match lname.as_str() {
                "lower" | "lcase" => F::Lower,
                "upper" | "ucase" => F::Upper,
                "trim" => F::Trim,
                "ltrim" => F::LTrim,
                _ => F::RTrim,
            };
            call(
                f,
                vec![string_arg(argv[0].clone(), e)?],
                DataType::Utf8,
                nullable,
            )
        }
        "length" | "char_length" | "character_length" | "len" => {
            arity(1, 1)?;
            call(
                F::Length,
                vec![string_arg(argv[0].clone(), e)?],
                DataType::Int32,
                nullable,
            )
        }
        "substring" | "substr" => {
            arity(2, 3)?;
            let mut a = vec![string_arg(argv[0].clone(), e)?];
            for x in &argv[1..] {
                a.push(cast(x.clone(), DataType::Int32)?);
            }
            call(F::Substring, a, DataType::Utf8, nullable)
        }
        "concat" => {
            let a = argv
                .into_iter()
                .map(|x| string_arg(x, e))
                .collect::<Result<Vec<_>>>()?;
            call(F::Concat, a, DataType::Utf8, nullable)
        }
        // `positive(x)` is `+x`: the (numeric) argument itself.
        "positive" => {
            arity(1, 1)?;
            numeric_arg(argv[0].clone(), e)
        }
        "abs" => {
            arity(1, 1)?;
            let a = numeric_arg(argv[0].clone(), e)?;
            let ty = a.ty.clone();
            call(F::Abs, vec![a], ty, nullable)
        }
        "floor" | "ceil" | "ceiling" => {
            arity(1, 1)?;
            let a = numeric_arg(argv[0].clone(), e)?;
            if a.ty.is_integer() {
                return cast(a, DataType::Int64);
            }
            let a = if a.ty == DataType::Float32 {
                cast(a, DataType::Float64)?
            } else {
                a
            };
            let f = if lname == "floor" { F::Floor } else { F::Ceil };
            if let Some((p, s)) = a.ty.decimal_ps() {
                // Spark: DECIMAL(p - s + 1, 0), room for the carry.
                let (p, s) = crate::decimal::bounded(p as i32 - s as i32 + 1, 0);
                return call(f, vec![a], DataType::Decimal(p, s), nullable);
            }
            call(f, vec![a], DataType::Int64, nullable)
        }
        "sqrt" => {
            arity(1, 1)?;
            let a = cast(numeric_arg(argv[0].clone(), e)?, DataType::Float64)?;
            call(F::Sqrt, vec![a], DataType::Float64, nullable)
        }
        "round" => {
            arity(1, 2)?;
            let scale = match args.get(1) {
                None => 0,
                Some(Expr::Literal(Scalar::Int64(s))) => *s as i32,
                Some(Expr::Literal(Scalar::Int32(s))) => *s,
                Some(_) => {
                    return Err(Error::analysis(
                        "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                        format!("the scale of `{e}` must be an integer literal"),
                    ))
                }
            };
            let a = numeric_arg(argv[0].clone(), e)?;
            if a.ty.is_integer() && scale >= 0 {
                return Ok(a);
            }
            if matches!(a.ty, DataType::Int32 | DataType::Int64) {
                let f = crate::functions::FunctionRef::new(crate::functions::math::IntRound);
                let scale = TExpr::literal(Scalar::Int32(scale));
                return Ok(f.0.resolve(vec![a, scale], e)?.into_expr());
            }
            // A TINYINT or SMALLINT keeps its type, exactly (Spark's
            // `toByteExact`: `round(127Y, -1)` overflows).
            if a.ty.is_narrow_integer() {
                let ty = a.ty.clone();
                return call(
                    F::Round,
                    vec![a, TExpr::literal(Scalar::Int32(scale))],
                    ty,
                    nullable,
                );
            }
            if let (Some((p, s)), true) = (a.ty.decimal_ps(), scale >= 0) {
                // Spark: the scale drops to `d`, one more integral digit.
                let to = (s as i32).min(scale);
                let (p, s) = crate::decimal::bounded(p as i32 - s as i32 + 1 + to, to);
                return call(
                    F::Round,
                    vec![a, TExpr::literal(Scalar::Int32(scale))],
                    DataType::Decimal(p, s),
                    nullable,
                );
            }
            // A FLOAT rounds as the double it is, back to a FLOAT (Spark's
            // `BigDecimal(f.toDouble)`).
            let float = a.ty == DataType::Float32;
            let a = cast(a, DataType::Float64)?;
            let r = call(
                F::Round,
                vec![a, TExpr::literal(Scalar::Int32(scale))],
                DataType::Float64,
                nullable,
            )?;
            if float {
                cast(r, DataType::Float32)
            } else {
                Ok(r)
            }
        }
        "to_timestamp" => {
            arity(1, 2)?;
            let a = argv[0].clone();
            if a.ty == DataType::Timestamp || a.ty == DataType::Date {
                return cast(a, DataType::Timestamp);
            }
            if argv.len() == 2 {
                use crate::functions::ScalarFunction;
                let r = crate::functions::datetime::TO_TIMESTAMP.resolve(argv.to_vec(), e)?;
                return Ok(r.into_expr());
            }
            call(
                F::ToTimestamp,
                vec![string_arg(a, e)?],
                DataType::Timestamp,
                nullable,
            )
        }
        "date_trunc" => {
            arity(2, 2)?;
            let unit = literal_string(&args[0], e)?;
            let ts = timestamp_arg(argv[1].clone(), e)?;
            call(
                F::DateTrunc,
                vec![TExpr::literal(Scalar::Utf8(unit)), ts],
                DataType::Timestamp,
                true,
            )
        }
        "year" | "month" | "day" | "dayofmonth" | "hour" | "minute" | "second" => {
            arity(1, 1)?;
            let f = match lname.as_str() {
                "year" => F::Year,
                "month" => F::Month,
                "day" | "dayofmonth" => F::DayOfMonth,
                "hour" => F::Hour,
                "minute" => F::Minute,
                _ => F::Second,
            };
            let a = argv[0].clone();
            let a = if a.ty == DataType::Date && matches!(f, F::Year | F::Month | F::DayOfMonth) {
                a
            } else {
                timestamp_arg(a, e)?
            };
            call(f, vec![a], DataType::Int32, nullable)
        }
        "coalesce" | "ifnull" | "nvl" => {
            if argv.is_empty() || (lname != "coalesce" && argv.len() != 2) {
                return Err(Error::analysis(
                    "WRONG_NUM_ARGS",
                    format!(
                        "`{lname}` needs {} arguments",
                        if lname == "coalesce" {
                            "at least 1"
                        } else {
                            "2"
                        }
                    ),
                ));
            }
            let refs: Vec<&TExpr> = argv.iter().collect();
            let ty = common_type_of(&refs, e)?;
            let nullable = argv.iter().all(|a| a.nullable);
            let a = argv
                .into_iter()
                .map(|x| cast(x, ty.clone()))
                .collect::<Result<Vec<_>>>()?;
            Ok(TExpr::new(TExprKind::Coalesce(a), ty, nullable))
        }
        "isnull" => {
            arity(1, 1)?;
            Ok(TExpr::new(
                TExprKind::IsNull(Box::new(argv[0].clone())),
                DataType::Boolean,
                false,
            ))
        }
        "isnotnull" => {
            arity(1, 1)?;
            Ok(TExpr::new(
                TExprKind::IsNotNull(Box::new(argv[0].clone())),
                DataType::Boolean,
                false,
            ))
        }
        _ => match crate::functions::lookup(&lname) {
            Some(f) => Ok(f.0.resolve(argv, e)?.into_expr()),
            None => Err(unknown_function(name)),
        },
    }
}

/// `[UNRESOLVED_ROUTINE]` with the closest known function names.
fn unknown_function(name: &str) -> Error {
    Error::unknown_function(name, crate::functions::names())
}

fn numeric_arg(a: TExpr, e: &Expr) -> Result<TExpr> {
    match a.ty {
        ref t if t.is_numeric() => Ok(a),
        DataType::Null | DataType::Utf8 => cast(a, DataType::Float64),
        _ => Err(mismatch(
            e,
            format!("requires a numeric argument, not {}", a.ty),
        )),
    }
}

fn timestamp_arg(a: TExpr, e: &Expr) -> Result<TExpr> {
    match a.ty {
        DataType::Timestamp => Ok(a),
        // A TIMESTAMP_NTZ is read on the session's clock, as Spark's
        // implicit cast to TIMESTAMP reads it.
        DataType::Date | DataType::Utf8 | DataType::Null | DataType::TimestampNtz => {
            cast(a, DataType::Timestamp)
        }
        _ => Err(mismatch(
            e,
            format!("requires a timestamp argument, not {}", a.ty),
        )),
    }
}
