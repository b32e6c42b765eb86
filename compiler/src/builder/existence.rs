//! `[NOT] EXISTS (subquery)` and `x [NOT] IN (subquery)` as boolean values
//! (in a select list, under OR, inside CASE): Spark's existence join. The
//! subquery's facts are joined onto every outer row (per outer value when
//! it is correlated), and the value is read from them:
//! - EXISTS — the subquery's row count is above 0;
//! - IN — whether `x` equals a value; NOT IN — whether no value equals `x`
//!   or compares with it as NULL (`x` NULL, or a NULL value, in a subquery
//!   with rows). Never NULL: Spark's existence join answers true or false
//!   here, where a WHERE conjunct `x NOT IN` is null-aware.

use std::sync::Arc;

use super::correlated::outer_keys;
use super::subquery::{count_star, global, Sub};
use super::{aggregate, cross_join, join_exprs};
use crate::error::Result;
use crate::expr::Expr;
use crate::ir::BinaryOp;
use crate::plan::{JoinType, Plan};
use crate::resolve::Scope;
use crate::types::{DataType, Scalar};

fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function {
        name: name.into(),
        args,
        distinct: false,
    }
}

fn binary(op: BinaryOp, l: Expr, r: Expr) -> Expr {
    Expr::Binary {
        op,
        left: Box::new(l),
        right: Box::new(r),
    }
}

/// `count` of column `i` (NULL: none) as 0 when no row joined.
fn count_at(i: usize) -> Expr {
    call(
        "coalesce",
        vec![Expr::ColumnAt(i), Expr::Literal(Scalar::Int64(0))],
    )
}

/// Per row of `plan`, the counts `aggs` of the subquery's rows (for its
/// outer value, when correlated) appended as columns: `plan` then the
/// counts (NULL where a correlated subquery has no row for the value).
fn with_counts(plan: &Arc<Plan>, sub: &Sub, aggs: Vec<Expr>) -> Result<Arc<Plan>> {
    match &sub.correlation {
        None => {
            let items: Vec<Expr> = aggs
                .into_iter()
                .enumerate()
                .map(|(i, a)| a.alias(&format!("#c{i}")))
                .collect();
            cross_join(plan, &super::project(&sub.plan, &items)?)
        }
        Some(c) => {
            super::correlated::refuse_zero(c)?;
            let w = sub.width();
            let keys: Vec<Expr> = (w..w + c.outer.len()).map(Expr::ColumnAt).collect();
            let n = aggs.len();
            let items: Vec<Expr> = aggs
                .into_iter()
                .enumerate()
                .map(|(i, a)| a.alias(&format!("#c{i}")))
                .chain(keys.iter().cloned())
                .collect();
            let counts = aggregate(&sub.plan, &keys, None, &items)?;
            let (lk, rk) = outer_keys(c, &counts, n);
            join_exprs(plan, &counts, lk, rk, JoinType::LeftOuter)
        }
    }
}

/// `plan` with what `[NOT] EXISTS (sub)` needs joined on, and its value.
pub fn exists_value(plan: &Arc<Plan>, sub: &Sub, negated: bool) -> Result<(Arc<Plan>, Expr)> {
    let w = plan.schema.len();
    let joined = match &sub.correlation {
        None => cross_join(
            plan,
            &global(
                &sub.plan,
                vec![(count_star(), "#rows", DataType::Int64, false)],
            ),
        )?,
        Some(_) => with_counts(plan, sub, vec![call("count", vec![Expr::Star])])?,
    };
    let op = if negated { BinaryOp::Eq } else { BinaryOp::Gt };
    let value = binary(op, count_at(w), Expr::Literal(Scalar::Int64(0)));
    Ok((joined, value))
}

/// `plan` with what `arg [NOT] IN (sub)` needs joined on, and its value.
pub fn in_value(
    plan: &Arc<Plan>,
    arg: &Expr,
    sub: &Sub,
    negated: bool,
) -> Result<(Arc<Plan>, Expr)> {
    let w = plan.schema.len();
    let with_value = super::subquery::with_value(plan, arg)?;
    // The subquery's distinct rows, marked, matched on the value (and
    // the outer value).
    let all = sub.plan.schema.len();
    let mut items: Vec<Expr> = (0..all).map(Expr::ColumnAt).collect();
    items.push(Expr::Literal(Scalar::Boolean(true)).alias("#hit"));
    let hits = super::project(&super::deduplicate(&sub.plan, &[])?, &items)?;
    let (mut lk, mut rk) = match &sub.correlation {
        Some(c) => outer_keys(c, &hits, 1),
        None => (vec![], vec![]),
    };
    lk.insert(0, Scope::new(&with_value).column(w));
    rk.insert(0, Scope::new(&hits).column(0));
    let matched = join_exprs(&with_value, &hits, lk, rk, JoinType::LeftOuter)?;
    let hit = w + 1 + all;
    let counts = vec![
        call("count", vec![Expr::Star]),
        call("count", vec![Expr::ColumnAt(0)]),
    ];
    let n = matched.schema.len();
    let joined = with_counts(&matched, sub, counts)?;
    let (rows, values) = (count_at(n), count_at(n + 1));
    let matched = Expr::Case {
        operand: None,
        branches: vec![(Expr::ColumnAt(hit), Expr::Literal(Scalar::Boolean(true)))],
        otherwise: Some(Box::new(Expr::Literal(Scalar::Boolean(false)))),
    };
    let value = if negated {
        // No value equal to `x`, nor unknown beside it.
        let unknown = binary(
            BinaryOp::Or,
            Expr::IsNull(Box::new(Expr::ColumnAt(w))),
            binary(BinaryOp::Lt, values, rows.clone()),
        );
        let some = binary(
            BinaryOp::And,
            binary(BinaryOp::Gt, rows, Expr::Literal(Scalar::Int64(0))),
            unknown,
        );
        Expr::Unary {
            op: crate::ir::UnaryOp::Not,
            arg: Box::new(binary(BinaryOp::Or, matched, some)),
        }
    } else {
        matched
    };
    Ok((joined, value))
}
