//! Inline tables: `VALUES (1, 'a'), (2, 'b')` (also in FROM, with
//! `AS t(a, b)`), and the single row with no columns that a SELECT without
//! FROM reads (Spark's `OneRowRelation`). The rows are constants: the
//! catalog registers them as a static relation for the query
//! ([`super::Catalog::inline_table`]), so the rest of the engine sees an
//! ordinary scan.

use std::sync::Arc;

use sqlparser::ast::Values;

use super::expr::convert;
use super::Catalog;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::UnaryOp;
use crate::plan::Plan;
use crate::resolve::comparison_type;
use crate::types::{DataType, Field, Scalar, Schema};

/// The relation a SELECT without FROM reads: one row, no columns.
pub fn one_row(catalog: &dyn Catalog) -> Result<Arc<Plan>> {
    catalog.inline_table(Schema::new(vec![]), vec![vec![]])
}

/// `VALUES …`: columns `col1`, `col2`, … typed by Spark's widening over the
/// rows; every row must have as many values as the first.
pub fn values(v: &Values, catalog: &dyn Catalog) -> Result<Arc<Plan>> {
    let mut rows: Vec<Vec<Scalar>> = Vec::with_capacity(v.rows.len());
    for row in &v.rows {
        let vals = row
            .iter()
            .map(|e| constant(&convert(e)?))
            .collect::<Result<Vec<_>>>()?;
        if let Some(first) = rows.first() {
            if first.len() != vals.len() {
                return Err(Error::analysis(
                    "INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH",
                    format!(
                        "Invalid inline table. Inline table expected {} columns but found {} columns in row {}.",
                        first.len(),
                        vals.len(),
                        rows.len()
                    ),
                ));
            }
        }
        rows.push(vals);
    }
    let width = rows.first().map_or(0, Vec::len);
    let mut fields = Vec::with_capacity(width);
    for c in 0..width {
        let mut ty = DataType::Null;
        for r in &rows {
            let t = r[c].data_type();
            ty = comparison_type(&ty, &t).ok_or_else(|| {
                Error::analysis(
                    "INVALID_INLINE_TABLE.INCOMPATIBLE_TYPES_IN_INLINE_TABLE",
                    format!("Invalid inline table. Found incompatible types in the column `col{}` for inline table.", c + 1),
                )
            })?;
        }
        let nullable = rows.iter().any(|r| r[c].is_null());
        for r in rows.iter_mut() {
            r[c] = widen(std::mem::replace(&mut r[c], Scalar::Null), &ty)?;
        }
        fields.push(Field::new(format!("col{}", c + 1), ty, nullable));
    }
    catalog.inline_table(Schema::new(fields), rows)
}

/// The value of a constant expression of an inline table.
fn constant(e: &Expr) -> Result<Scalar> {
    match e {
        Expr::Literal(v) => Ok(v.clone()),
        Expr::Unary {
            op: UnaryOp::Neg,
            arg,
        } => match constant(arg)? {
            Scalar::Int32(i) => Ok(Scalar::Int32(-i)),
            Scalar::Int64(i) => Ok(Scalar::Int64(-i)),
            Scalar::Float64(f) => Ok(Scalar::Float64(-f)),
            Scalar::Decimal(v, p, s) => Ok(Scalar::Decimal(-v, p, s)),
            Scalar::Null => Ok(Scalar::Null),
            other => Err(not_constant(&format!("-{other}"))),
        },
        Expr::Cast { arg, .. } if matches!(**arg, Expr::Literal(Scalar::Null)) => Ok(Scalar::Null),
        // `CAST(1.10 AS DECIMAL(5, 2))`: numbers folded as the resolver folds them.
        Expr::Cast { arg, to } => {
            let v = constant(arg)?;
            if v.data_type() == *to {
                return Ok(v);
            }
            crate::resolve::fold_decimal_cast(&v, to).ok_or_else(|| {
                not_constant(
                    &Expr::Cast {
                        arg: arg.clone(),
                        to: to.clone(),
                    }
                    .to_string(),
                )
            })
        }
        other => Err(not_constant(&other.to_string())),
    }
}

fn not_constant(what: &str) -> Error {
    Error::not_supported(format!(
        "an inline table's values must be literals in sqlc; `{what}` is not one"
    ))
}

/// `v` as a value of `ty` (numeric widening; null stays null).
fn widen(v: Scalar, ty: &DataType) -> Result<Scalar> {
    Ok(match (v, ty) {
        (Scalar::Null, _) => Scalar::Null,
        (Scalar::Int32(i), DataType::Int64) => Scalar::Int64(i as i64),
        (Scalar::Int32(i), DataType::Float64) => Scalar::Float64(i as f64),
        (Scalar::Int64(i), DataType::Float64) => Scalar::Float64(i as f64),
        (v @ (Scalar::Int32(_) | Scalar::Int64(_) | Scalar::Decimal(..)), t)
            if crate::resolve::fold_decimal_cast(&v, t).is_some() =>
        {
            crate::resolve::fold_decimal_cast(&v, t).unwrap_or(v)
        }
        (Scalar::Date(d), DataType::Timestamp) => Scalar::Timestamp(d as i64 * 86_400_000_000),
        // An interval in a wider range of its kind: the same value.
        (Scalar::YearMonthInterval(m, ..), DataType::YearMonthInterval(a, b)) => {
            Scalar::YearMonthInterval(m, *a, *b)
        }
        (Scalar::DayTimeInterval(us, ..), DataType::DayTimeInterval(a, b)) => {
            Scalar::DayTimeInterval(us, *a, *b)
        }
        (v, t) if v.data_type() == *t => v,
        (v, t) => {
            return Err(Error::analysis(
                "INVALID_INLINE_TABLE.INCOMPATIBLE_TYPES_IN_INLINE_TABLE",
                format!("Invalid inline table: the value {v} cannot be a {t}."),
            ))
        }
    })
}
