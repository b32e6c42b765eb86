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

/// Rebuilds `e` bottom-up where `f` returns a replacement (parents first; a
/// replaced node's children are not visited).
pub fn transform(e: &Expr, f: &mut dyn FnMut(&Expr) -> Option<Expr>) -> Expr {
    if let Some(r) = f(e) {
        return r;
    }
    let mut t = |x: &Expr| transform(x, f);
    match e {
        Expr::Column { .. }
        | Expr::Literal(_)
        | Expr::Wildcard { .. }
        | Expr::Star
        | Expr::Interval(_) => e.clone(),
        Expr::Unary { op, arg } => Expr::Unary {
            op: *op,
            arg: Box::new(t(arg)),
        },
        Expr::Binary { op, left, right } => Expr::Binary {
            op: *op,
            left: Box::new(t(left)),
            right: Box::new(t(right)),
        },
        Expr::IsNull(a) => Expr::IsNull(Box::new(t(a))),
        Expr::IsNotNull(a) => Expr::IsNotNull(Box::new(t(a))),
        Expr::Like {
            arg,
            pattern,
            negated,
            case_insensitive,
        } => Expr::Like {
            arg: Box::new(t(arg)),
            pattern: Box::new(t(pattern)),
            negated: *negated,
            case_insensitive: *case_insensitive,
        },
        Expr::RLike {
            arg,
            pattern,
            negated,
        } => Expr::RLike {
            arg: Box::new(t(arg)),
            pattern: Box::new(t(pattern)),
            negated: *negated,
        },
        Expr::InList { arg, list, negated } => Expr::InList {
            arg: Box::new(t(arg)),
            list: list.iter().map(&mut t).collect(),
            negated: *negated,
        },
        Expr::Between {
            arg,
            low,
            high,
            negated,
        } => Expr::Between {
            arg: Box::new(t(arg)),
            low: Box::new(t(low)),
            high: Box::new(t(high)),
            negated: *negated,
        },
        Expr::Case {
            operand,
            branches,
            otherwise,
        } => Expr::Case {
            operand: operand.as_ref().map(|o| Box::new(t(o))),
            branches: branches.iter().map(|(c, r)| (t(c), t(r))).collect(),
            otherwise: otherwise.as_ref().map(|o| Box::new(t(o))),
        },
        Expr::Cast { arg, to } => Expr::Cast {
            arg: Box::new(t(arg)),
            to: to.clone(),
        },
        Expr::Function {
            name,
            args,
            distinct,
        } => Expr::Function {
            name: name.clone(),
            args: args.iter().map(&mut t).collect(),
            distinct: *distinct,
        },
        Expr::Alias(inner, n) => Expr::Alias(Box::new(t(inner)), n.clone()),
    }
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
/// unique, else by position (the `#aggN` form [`Scope::lookup`] accepts).
pub fn column_ref(plan: &Plan, i: usize) -> Expr {
    let name = &plan.schema.fields[i].name;
    let name = if plan.schema.matches(name).len() == 1 {
        name.clone()
    } else {
        format!("#agg{i}")
    };
    Expr::Column {
        qualifier: None,
        name,
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
