//! GROUP BY → grouping keys and grouping sets (bitmasks over the keys, as
//! [`crate::builder::aggregate_having`] takes them).
//!
//! Items are expressions, ordinals (`GROUP BY 1`), select-list aliases (when
//! no input column has the name, as Spark's `groupByAliases`), `CUBE(…)`,
//! `ROLLUP(…)`, `GROUPING SETS (…)`, the `WITH CUBE` / `WITH ROLLUP`
//! suffixes and `GROUP BY ALL`. Mixed items combine as a cross product, as in
//! Spark (`GROUP BY a, CUBE(b)` groups by (a, b) and (a)).

use std::sync::Arc;

use sqlparser::ast::{Expr as SqlExpr, GroupByExpr, GroupByWithModifier};

use super::expr::{convert, unsupported};
use super::rewrite::{alias_target, same_expr};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::plan::Plan;
use crate::resolve::Scope;
use crate::types::Scalar;

/// The keys and, when there are several, the grouping sets.
#[derive(Debug)]
pub struct Grouping {
    pub keys: Vec<Expr>,
    /// `None`: one set of all keys (a plain GROUP BY).
    pub sets: Option<Vec<u64>>,
}

/// Alternatives for one GROUP BY item: each is a list of expressions grouped
/// together.
type Sets = Vec<Vec<Expr>>;

/// The grouping of a SELECT with select list `items` (wildcards expanded)
/// over `input`; `None` when there is no GROUP BY.
pub fn grouping(g: &GroupByExpr, items: &[Expr], input: &Arc<Plan>) -> Result<Option<Grouping>> {
    let (exprs, modifiers) = match g {
        GroupByExpr::All(m) if m.is_empty() => {
            let keys = items
                .iter()
                .filter(|i| !i.contains_aggregate())
                .map(|i| i.clone().unalias())
                .collect();
            return Ok(Some(Grouping { keys, sets: None }));
        }
        GroupByExpr::All(_) => return Err(unsupported("GROUP BY ALL with a modifier", g)),
        GroupByExpr::Expressions(e, m) => (e, m),
    };
    if exprs.is_empty() && modifiers.is_empty() {
        return Ok(None);
    }
    let key = |e: &SqlExpr| key_expr(e, items, input);
    let units = |v: &[Vec<SqlExpr>]| -> Result<Sets> {
        v.iter()
            .map(|u| u.iter().map(key).collect::<Result<Vec<_>>>())
            .collect()
    };
    let mut items_sets: Vec<Sets> = Vec::new();
    let mut declared: Vec<Expr> = Vec::new();
    for e in exprs {
        items_sets.push(match e {
            SqlExpr::Cube(u) => cube(&units(u)?),
            SqlExpr::Rollup(u) => rollup(&units(u)?),
            SqlExpr::GroupingSets(s) => units(s)?,
            e => vec![vec![key(e)?]],
        });
    }
    for m in modifiers {
        let simple = || -> Result<Sets> {
            items_sets
                .iter()
                .map(|s| match s.as_slice() {
                    [one] => Ok(one.clone()),
                    _ => Err(unsupported(
                        "WITH CUBE/ROLLUP over CUBE, ROLLUP or GROUPING SETS",
                        g,
                    )),
                })
                .collect()
        };
        items_sets = match m {
            GroupByWithModifier::Rollup => vec![rollup(&simple()?)],
            GroupByWithModifier::Cube => vec![cube(&simple()?)],
            GroupByWithModifier::GroupingSets(SqlExpr::GroupingSets(s)) => {
                // Hive's `GROUP BY a, b GROUPING SETS ((a), (b))`: the listed
                // expressions are the keys, the sets replace them
                declared = simple()?.into_iter().flatten().collect();
                vec![units(s)?]
            }
            _ => return Err(unsupported("this GROUP BY modifier", m)),
        };
    }
    // cross product of the items' alternatives
    let mut combined: Sets = vec![vec![]];
    for alternatives in &items_sets {
        let mut next = Vec::new();
        for prefix in &combined {
            for alt in alternatives {
                next.push(prefix.iter().chain(alt).cloned().collect());
            }
        }
        combined = next;
    }
    let mut keys: Vec<Expr> = Vec::new();
    for e in declared.iter().chain(items_sets.iter().flatten().flatten()) {
        if !keys.iter().any(|k| same_key(k, e, input)) {
            keys.push(e.clone());
        }
    }
    let masks: Vec<u64> = combined
        .iter()
        .map(|set| {
            set.iter()
                .filter_map(|e| keys.iter().position(|k| same_key(k, e, input)))
                .filter(|&i| i < 64)
                .fold(0u64, |m, i| m | (1 << i))
        })
        .collect();
    let all = if keys.is_empty() || keys.len() >= 64 {
        u64::MAX
    } else {
        (1u64 << keys.len()) - 1
    };
    let sets = match masks.as_slice() {
        [m] if *m == all || keys.is_empty() => None,
        _ => Some(masks),
    };
    Ok(Some(Grouping { keys, sets }))
}

/// Spark's CUBE order: `cube(a, b)` = (a, b), (a), (b), ().
fn cube(units: &[Vec<Expr>]) -> Sets {
    match units.split_first() {
        None => vec![vec![]],
        Some((x, rest)) => {
            let tail = cube(rest);
            let with: Sets = tail
                .iter()
                .map(|t| x.iter().chain(t).cloned().collect())
                .collect();
            with.into_iter().chain(tail).collect()
        }
    }
}

/// `rollup(a, b)` = (a, b), (a), ().
fn rollup(units: &[Vec<Expr>]) -> Sets {
    (0..=units.len())
        .rev()
        .map(|n| units[..n].iter().flatten().cloned().collect())
        .collect()
}

fn same_key(a: &Expr, b: &Expr, input: &Arc<Plan>) -> bool {
    if same_expr(a, b) {
        return true;
    }
    let scope = Scope::new(input);
    // columns named with and without a qualifier (`gt`, `t.gt`)
    match (a, b) {
        (
            Expr::Column {
                qualifier: qa,
                name: na,
            },
            Expr::Column {
                qualifier: qb,
                name: nb,
            },
        ) => {
            match (
                scope.lookup(qa.as_deref(), na),
                scope.lookup(qb.as_deref(), nb),
            ) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            }
        }
        _ => false,
    }
}

/// One grouping expression, with ordinals and aliases replaced.
fn key_expr(e: &SqlExpr, items: &[Expr], input: &Arc<Plan>) -> Result<Expr> {
    let k = convert(e)?;
    let k = match &k {
        Expr::Literal(Scalar::Int32(i)) if matches!(e, SqlExpr::Value(_)) => {
            let n = items.len();
            let item = usize::try_from(*i)
                .ok()
                .filter(|&i| (1..=n).contains(&i))
                .map(|i| items[i - 1].clone().unalias())
                .ok_or_else(|| {
                    Error::analysis(
                        "GROUP_BY_POS_OUT_OF_RANGE",
                        format!(
                            "GROUP BY position {i} is not in select list (valid range is [1, {n}])"
                        ),
                    )
                })?;
            if item.contains_aggregate() {
                return Err(Error::analysis("GROUP_BY_POS_AGGREGATE", format!(
                    "GROUP BY {i} refers to an expression `{item}` that contains an aggregate function. Aggregate functions are not allowed in GROUP BY."
                )));
            }
            item
        }
        Expr::Column {
            qualifier: None,
            name,
        } if Scope::new(input).lookup(None, name).is_err() => match alias_target(items, name) {
            Some(target) => target.clone(),
            None => k,
        },
        _ => k,
    };
    if k.contains_aggregate() {
        return Err(Error::analysis(
            "GROUP_BY_AGGREGATE",
            format!("Aggregate functions are not allowed in GROUP BY, but found `{k}`."),
        ));
    }
    Ok(k)
}
