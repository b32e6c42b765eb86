//! One SELECT block: FROM → WHERE → GROUP BY / aggregates / HAVING (or a
//! projection) → DISTINCT → ORDER BY, built with [`crate::builder`] exactly
//! as the DataFrame API builds the same query.

use std::sync::Arc;

use sqlparser::ast::{
    Distinct, GroupByExpr, Select, SelectFlavor, SelectItem, SelectItemQualifiedWildcardKind,
};

use super::expr::{convert, ident, object_name, unsupported};
use super::group::grouping;
use super::order::{self, OrderKey};
use super::query::Planner;
use super::rewrite::{name_item, substitute_aliases};
use crate::builder::subquery::Place;
use crate::builder::{self, subquery};
use crate::error::Result;
use crate::expr::Expr;
use crate::plan::Plan;

/// A select-list item: an expression with an optional alias, `*` or `t.*`;
/// `spark_names` names unaliased items as Spark's select list does.
pub fn item(item: &SelectItem, spark_names: bool) -> Result<Expr> {
    Ok(match item {
        SelectItem::UnnamedExpr(e) if spark_names => name_item(convert(e)?),
        SelectItem::UnnamedExpr(e) => convert(e)?,
        SelectItem::ExprWithAlias { expr, alias } => convert(expr)?.alias(&ident(alias)),
        // `explode(m) AS (k, v)`: a generator's columns named in order,
        // held as nested aliases (innermost first) for the builder.
        SelectItem::ExprWithAliases { expr, aliases } => {
            let e = convert(expr)?;
            let is_generator = matches!(&e, Expr::Function { name, .. }
                if crate::generator::Generator::by_name(name).is_some());
            if !is_generator {
                return Err(unsupported("a multi-column alias of a non-generator", item));
            }
            aliases
                .iter()
                .fold(e, |e, a| Expr::Alias(Box::new(e), ident(a)))
        }
        SelectItem::Wildcard(opts) => {
            if opts.opt_ilike.is_some()
                || opts.opt_exclude.is_some()
                || opts.opt_except.is_some()
                || opts.opt_replace.is_some()
                || opts.opt_rename.is_some()
                || opts.opt_alias.is_some()
            {
                return Err(unsupported("* with EXCEPT/REPLACE/EXCLUDE", item));
            }
            Expr::Wildcard { qualifier: None }
        }
        SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(n), _) => {
            Expr::Wildcard {
                qualifier: Some(object_name(n)?.join(".")),
            }
        }
        SelectItem::QualifiedWildcard(..) => {
            return Err(unsupported("this qualified wildcard", item))
        }
    })
}

fn reject_unsupported(s: &Select) -> Result<()> {
    let clause = if s.top.is_some() {
        "TOP"
    } else if s.into.is_some() {
        "SELECT … INTO"
    } else if s.prewhere.is_some() {
        "PREWHERE"
    } else if !s.connect_by.is_empty() {
        "CONNECT BY"
    } else if !s.cluster_by.is_empty() {
        "CLUSTER BY"
    } else if !s.distribute_by.is_empty() {
        "DISTRIBUTE BY"
    } else if !s.sort_by.is_empty() {
        "SORT BY"
    } else if !s.named_window.is_empty() {
        "WINDOW"
    } else if s.qualify.is_some() {
        "QUALIFY"
    } else if s.value_table_mode.is_some() {
        "SELECT AS VALUE/STRUCT"
    } else if s.exclude.is_some() {
        "EXCLUDE"
    } else if s.select_modifiers.is_some() {
        "this SELECT modifier"
    } else {
        return Ok(());
    };
    Err(unsupported(&format!("the {clause} clause"), s))
}

impl Planner<'_> {
    /// WHERE: its `[NOT] IN (subquery)` and `[NOT] EXISTS` conjuncts as
    /// joins, its scalar subqueries as joined values, the rest a filter.
    pub(super) fn filter(&mut self, input: &Arc<Plan>, cond: Expr) -> Result<Arc<Plan>> {
        if !subquery::contains_subquery(&cond) {
            return builder::filter(input, &cond);
        }
        let mut plan = input.clone();
        let mut rest = Vec::new();
        for c in cond.conjuncts() {
            match subquery::filter_by_subquery(&plan, c, &mut |q, o, e| self.subquery(q, o, e))? {
                Some(p) => plan = p,
                None => rest.push(c.clone()),
            }
        }
        let Some(rest) = rest.into_iter().reduce(|a, b| Expr::Binary {
            op: crate::ir::BinaryOp::And,
            left: Box::new(a),
            right: Box::new(b),
        }) else {
            return Ok(plan);
        };
        if !subquery::contains_subquery(&rest) {
            return builder::filter(&plan, &rest);
        }
        let (joined, rest) = subquery::attach_scalars(
            &plan,
            &[rest],
            &mut |q, o, e| self.subquery(q, o, e),
            Place::Rows,
        )?;
        let filtered = builder::filter(&joined, &rest[0])?;
        // Back to the input's columns.
        let keep: Vec<Expr> = (0..plan.schema.len())
            .map(|i| super::rewrite::column_ref(&filtered, i))
            .collect();
        builder::project(&filtered, &keep)
    }

    /// Plans one SELECT, sorted by `order` (the enclosing query's ORDER BY).
    pub fn select(&mut self, s: &Select, order: &[OrderKey]) -> Result<Arc<Plan>> {
        reject_unsupported(s)?;
        // The enclosing block, when this SELECT is a subquery's.
        let frame = self.frame.take();
        let mut input = self.from(&s.from)?;
        for lv in &s.lateral_views {
            input = lateral_view(&builder::visible(&input), lv)?;
        }
        if let Some(frame) = frame {
            match self.correlated_select(s, &input, frame, order)? {
                // A subquery's ORDER BY without LIMIT orders nothing.
                Ok(plan) => return Ok(plan),
                Err(frame) => self.frame = Some(frame),
            }
        }
        let input = match &s.selection {
            Some(w) => {
                let w = convert(w)?;
                if subquery::contains_subquery(&w) {
                    input = builder::visible(&input);
                }
                self.filter(&input, w)?
            }
            None => input,
        };
        let items = if s.projection.is_empty() && s.flavor == SelectFlavor::FromFirstNoSelect {
            vec![Expr::Wildcard { qualifier: None }]
        } else {
            s.projection
                .iter()
                .map(|i| item(i, true))
                .collect::<Result<Vec<_>>>()?
        };
        let items = builder::expand_wildcards(&input, &items)?;
        // Subqueries in the select list and HAVING: what they need joined
        // on (in an aggregating SELECT, read once per group).
        let group_by = match &s.group_by {
            GroupByExpr::All(_) => true,
            GroupByExpr::Expressions(e, m) => !e.is_empty() || !m.is_empty(),
        };
        let aggregating =
            group_by || s.having.is_some() || items.iter().any(Expr::contains_aggregate);
        let (input, items) = if items.iter().any(subquery::contains_subquery) {
            let place = if aggregating {
                Place::Grouped
            } else {
                Place::Rows
            };
            subquery::attach_scalars(
                &builder::visible(&input),
                &items,
                &mut |q, o, e| self.subquery(q, o, e),
                place,
            )?
        } else {
            (input, items)
        };
        let grouping = grouping(&s.group_by, &items, &input)?;
        let having = s
            .having
            .as_ref()
            .map(|h| convert(h).map(|h| substitute_aliases(&h, &items)))
            .transpose()?;
        let (input, having) = match having {
            Some(h) if subquery::contains_subquery(&h) => {
                let (joined, h) = subquery::attach_scalars(
                    &builder::visible(&input),
                    &[h],
                    &mut |q, o, e| self.subquery(q, o, e),
                    Place::Having,
                )?;
                (joined, h.into_iter().next())
            }
            h => (input, h),
        };
        let aggregate =
            grouping.is_some() || having.is_some() || items.iter().any(Expr::contains_aggregate);
        let build = |extra: &[Expr]| -> Result<Arc<Plan>> {
            let all: Vec<Expr> = items.iter().chain(extra).cloned().collect();
            if !aggregate {
                return builder::project(&input, &all);
            }
            let (keys, sets) = match &grouping {
                Some(g) => (g.keys.as_slice(), g.sets.clone()),
                None => (&[][..], None),
            };
            builder::aggregate_having(&input, keys, sets, &all, having.as_ref())
        };
        let out = build(&[])?;
        let out = match &s.distinct {
            None | Some(Distinct::All) => out,
            Some(Distinct::Distinct) => builder::deduplicate(&out, &[])?,
            Some(Distinct::On(exprs)) => {
                let names = exprs
                    .iter()
                    .map(|e| match convert(e)? {
                        Expr::Column { name, .. } => Ok(name),
                        other => Err(unsupported("DISTINCT ON an expression", &other)),
                    })
                    .collect::<Result<Vec<_>>>()?;
                builder::deduplicate(&out, &names)?
            }
        };
        let distinct = matches!(s.distinct, Some(Distinct::Distinct | Distinct::On(_)));
        order::apply(out, order, &items, distinct, &build)
    }
}

/// `LATERAL VIEW [OUTER] gen(args) name [AS c1, …]`: the input's columns,
/// then the generator's, qualified by `name`.
fn lateral_view(input: &Arc<Plan>, lv: &sqlparser::ast::LateralView) -> Result<Arc<Plan>> {
    let call = convert(&lv.lateral_view)?;
    let Some(mut g) = builder::generator_call(&call) else {
        return Err(crate::error::Error::analysis(
            "UNSUPPORTED_GENERATOR.NOT_GENERATOR",
            format!(
                "The generator is not supported: `{call}` is expected to be a generator. \
                 However, its class is not a generator (LATERAL VIEW needs explode, \
                 posexplode, inline or stack)."
            ),
        ));
    };
    g.outer |= lv.outer;
    g.aliases = lv
        .lateral_col_alias
        .iter()
        .map(super::expr::ident)
        .collect();
    let name = object_name(&lv.lateral_view_name)?.join(".");
    builder::generate(input, &g, Some(&name))
}
