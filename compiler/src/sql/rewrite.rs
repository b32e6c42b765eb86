//! Small rewrites of logical expressions the SQL planner needs: naming
//! select items as Spark does, substituting select-list aliases, and
//! referring to a plan's output column by position.

use std::sync::Arc;

use crate::expr::Expr;
use crate::plan::{Plan, PlanNode};
use crate::resolve::{is_aggregate_name, Scope};
use crate::types::Schema;

/// Spark's names for unaliased select items that do not print as SQL:
/// `CAST(col AS t)` keeps the column's name (so `CAST(value AS STRING)` is
/// `value`), and a `window(…)` call is named `window`.
pub fn name_item(e: Expr) -> Expr {
    let name = match &e {
        Expr::Cast { arg, .. } => match arg.as_ref() {
            Expr::Column { name, .. } => Some(name.clone()),
            _ => None,
        },
        Expr::Function { name, .. } if name.eq_ignore_ascii_case("window") => {
            Some("window".to_string())
        }
        _ => None,
    };
    match name {
        Some(n) => Expr::Alias(Box::new(e), n),
        None => e,
    }
}

/// The expression a select item aliased `name` stands for, when exactly one
/// item has that alias.
pub fn alias_target<'a>(items: &'a [Expr], name: &str) -> Option<&'a Expr> {
    let mut hits = items.iter().filter_map(|i| match i {
        Expr::Alias(e, n) if n.eq_ignore_ascii_case(name) => Some(e.as_ref()),
        _ => None,
    });
    match (hits.next(), hits.next()) {
        (Some(e), None) => Some(e),
        _ => None,
    }
}

/// Replaces unqualified references to select-list aliases by the aliased
/// expressions (Spark resolves HAVING against the select list first), but
/// not inside aggregate calls, whose arguments refer to the input rows.
pub fn substitute_aliases(e: &Expr, items: &[Expr]) -> Expr {
    transform(e, &mut |x| match x {
        Expr::Column {
            qualifier: None,
            name,
        } => alias_target(items, name).cloned(),
        Expr::Function { name, .. } if is_aggregate_name(name) => Some(x.clone()),
        _ => None,
    })
}

/// Rebuilds `e` where `f` returns a replacement (see [`Expr::transform`]).
pub fn transform(e: &Expr, f: &mut dyn FnMut(&Expr) -> Option<Expr>) -> Expr {
    e.transform(f)
}

/// Equal as Spark would match them: the same expression up to the case of
/// names (columns, qualifiers, functions) and aliases.
pub fn same_expr(a: &Expr, b: &Expr) -> bool {
    a == b || normalized(a) == normalized(b)
}

fn normalized(e: &Expr) -> Expr {
    transform(e, &mut |x| match x {
        Expr::Alias(inner, _) => Some(normalized(inner)),
        Expr::Column { qualifier, name } => Some(Expr::Column {
            qualifier: qualifier.as_ref().map(|q| q.to_ascii_lowercase()),
            name: name.to_ascii_lowercase(),
        }),
        Expr::Function {
            name,
            args,
            distinct,
        } => Some(Expr::Function {
            name: name.to_ascii_lowercase(),
            args: args.iter().map(normalized).collect(),
            distinct: *distinct,
        }),
        _ => None,
    })
}

/// A reference to output column `i` of `plan`: by name when the name is
/// unique, else by position ([`Expr::ColumnAt`]).
pub fn column_ref(plan: &Plan, i: usize) -> Expr {
    let name = &plan.schema.fields[i].name;
    if plan.schema.matches(name).len() == 1 {
        Expr::Column {
            qualifier: None,
            name: name.clone(),
        }
    } else {
        Expr::ColumnAt(i)
    }
}

/// The first `n` columns of `plan`, as a projection (drops the hidden sort
/// keys added for ORDER BY).
pub fn keep_first(plan: &Arc<Plan>, n: usize) -> Arc<Plan> {
    let scope = Scope::new(plan);
    Plan::with_qualifiers(
        PlanNode::Project {
            input: plan.clone(),
            exprs: (0..n).map(|i| scope.column(i)).collect(),
        },
        Schema::new(plan.schema.fields[..n].to_vec()),
        plan.qualifiers[..n].to_vec(),
    )
}
