//! ORDER BY, resolved as Spark resolves it: an ordinal (`ORDER BY 1`) or a
//! select-list alias names an output column; an expression written as in the
//! select list (`ORDER BY count(*)`) is that column; other expressions over
//! the output are sorted on directly; anything else (a column that is not
//! selected, an aggregate that is not in the select list) is computed as a
//! hidden column, sorted on, and projected away.

use std::sync::Arc;

use sqlparser::ast::{Expr as SqlExpr, OrderBy, OrderByKind, OrderBySort};

use super::expr::{convert, unsupported};
use super::rewrite::{column_ref, keep_first, same_expr};
use crate::builder;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::plan::Plan;
use crate::resolve::{resolve, Scope};
use crate::types::Scalar;

/// One ORDER BY key as written.
#[derive(Debug, Clone)]
pub struct OrderKey {
    pub expr: Expr,
    /// An integer literal as written (`ORDER BY 2`), naming a select item.
    pub ordinal: Option<i32>,
    pub ascending: bool,
    /// Spark's default: nulls first ascending, last descending.
    pub nulls_first: bool,
}

/// The keys of an ORDER BY clause.
pub fn order_keys(order: Option<&OrderBy>) -> Result<Vec<OrderKey>> {
    let Some(order) = order else {
        return Ok(vec![]);
    };
    if order.interpolate.is_some() {
        return Err(unsupported("ORDER BY … INTERPOLATE", order));
    }
    let exprs = match &order.kind {
        OrderByKind::Expressions(e) => e,
        OrderByKind::All(_) => return Err(unsupported("ORDER BY ALL", order)),
    };
    exprs
        .iter()
        .map(|o| {
            if o.with_fill.is_some() {
                return Err(unsupported("ORDER BY … WITH FILL", o));
            }
            let ascending = match o.options.sort {
                None | Some(OrderBySort::Asc) => true,
                Some(OrderBySort::Desc) => false,
                #[allow(unreachable_patterns)]
                _ => return Err(unsupported("this sort direction", o)),
            };
            let expr = convert(&o.expr)?;
            // An integer literal, signed too (`ORDER BY -1` is a position
            // out of range in Spark, not a constant).
            let literal = match &o.expr {
                SqlExpr::Value(_) => true,
                SqlExpr::UnaryOp { expr, .. } => matches!(**expr, SqlExpr::Value(_)),
                _ => false,
            };
            let ordinal = match (literal, &expr) {
                (true, Expr::Literal(Scalar::Int32(i))) => Some(*i),
                _ => None,
            };
            Ok(OrderKey {
                expr,
                ordinal,
                ascending,
                nulls_first: o.options.nulls_first.unwrap_or(ascending),
            })
        })
        .collect()
}

/// Where a key's values come from.
enum Target {
    /// An output column.
    Output(usize),
    /// An expression over the output columns.
    Over(Expr),
    /// An expression over the input, to be computed as a hidden column.
    Hidden(Expr),
}

fn classify(k: &OrderKey, items: &[Expr], out: &Plan) -> Result<Target> {
    let n = out.schema.len();
    if let Some(i) = k.ordinal {
        return usize::try_from(i)
            .ok()
            .filter(|&i| (1..=n).contains(&i))
            .map(|i| Target::Output(i - 1))
            .ok_or_else(|| {
                Error::analysis(
                    "ORDER_BY_POS_OUT_OF_RANGE",
                    format!(
                        "ORDER BY position {i} is not in select list (valid range is [1, {n}])."
                    ),
                )
            });
    }
    if let Expr::Column {
        qualifier: None,
        name,
    } = &k.expr
    {
        let hits = out.schema.matches(name);
        match hits.as_slice() {
            [i] => return Ok(Target::Output(*i)),
            [first, rest @ ..] if rest.iter().all(|&j| same_item(items, *first, j)) => {
                return Ok(Target::Output(*first))
            }
            [] => {}
            many => {
                return Err(Error::AmbiguousColumn {
                    name: name.clone(),
                    candidates: many
                        .iter()
                        .map(|&i| format!("`{}`", out.schema.fields[i].name))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
            }
        }
    }
    if let Some(i) = items
        .iter()
        .position(|item| same_expr(&item.clone().unalias(), &k.expr))
    {
        return Ok(Target::Output(i));
    }
    if !k.expr.contains_aggregate() && resolve(&k.expr, &Scope::new(out)).is_ok() {
        return Ok(Target::Over(k.expr.clone()));
    }
    Ok(Target::Hidden(k.expr.clone()))
}

fn same_item(items: &[Expr], a: usize, b: usize) -> bool {
    match (items.get(a), items.get(b)) {
        (Some(x), Some(y)) => same_expr(&x.clone().unalias(), &y.clone().unalias()),
        _ => false,
    }
}

/// Sorts `out` (the SELECT's result, with select list `items`) by `keys`.
/// `rebuild` plans the SELECT again with extra (hidden) items appended.
/// `ORDER BY ALL [ASC|DESC] [NULLS …]`: every output column, left to
/// right, in that direction — unless the output has a column named `all`,
/// which Spark sorts by instead.
fn order_by_all(keys: &[OrderKey], out: &Plan) -> Option<Vec<OrderKey>> {
    let [k] = keys else { return None };
    match &k.expr {
        Expr::Column {
            qualifier: None,
            name,
        } if name.eq_ignore_ascii_case("all") && out.schema.matches("all").is_empty() => Some(
            (1..=out.schema.len() as i32)
                .map(|i| OrderKey {
                    expr: Expr::Literal(Scalar::Int32(i)),
                    ordinal: Some(i),
                    ..k.clone()
                })
                .collect(),
        ),
        _ => None,
    }
}

pub fn apply(
    out: Arc<Plan>,
    keys: &[OrderKey],
    items: &[Expr],
    distinct: bool,
    rebuild: &dyn Fn(&[Expr]) -> Result<Arc<Plan>>,
) -> Result<Arc<Plan>> {
    if keys.is_empty() {
        return Ok(out);
    }
    let all_keys;
    let keys = match order_by_all(keys, &out) {
        Some(k) => {
            all_keys = k;
            &all_keys[..]
        }
        None => keys,
    };
    let targets = keys
        .iter()
        .map(|k| classify(k, items, &out))
        .collect::<Result<Vec<_>>>()?;
    let hidden: Vec<Expr> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Hidden(e) => Some(e.clone()),
            _ => None,
        })
        .enumerate()
        .map(|(j, e)| Expr::Alias(Box::new(e), hidden_name(j)))
        .collect();
    if let (Some(h), true) = (hidden.first(), distinct) {
        // after DISTINCT only the output can be sorted on: Spark's error is
        // the key's failure to resolve there
        let key = h.clone().unalias();
        resolve(&key, &Scope::new(&out))?;
        return Err(Error::analysis(
            "MISSING_ATTRIBUTES",
            format!("ORDER BY `{key}` must appear in the select list when SELECT DISTINCT is used"),
        ));
    }
    let width = out.schema.len();
    let plan = if hidden.is_empty() {
        out
    } else {
        rebuild(&hidden)?
    };
    let mut next_hidden = 0;
    let sort_keys: Vec<(Expr, bool, Option<bool>)> = targets
        .into_iter()
        .zip(keys)
        .map(|(t, k)| {
            let e = match t {
                Target::Output(i) => column_ref(&plan, i),
                Target::Over(e) => e,
                Target::Hidden(_) => {
                    next_hidden += 1;
                    Expr::col(&hidden_name(next_hidden - 1))
                }
            };
            (e, k.ascending, Some(k.nulls_first))
        })
        .collect();
    let sorted = builder::sort(&plan, &sort_keys)?;
    Ok(if hidden.is_empty() {
        sorted
    } else {
        keep_first(&sorted, width)
    })
}

fn hidden_name(j: usize) -> String {
    format!("__sort_key_{j}")
}
