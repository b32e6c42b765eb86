//! Correlated subqueries: a subquery's references to the block around it
//! (Spark's `OuterReference`), and their decorrelation into joins.
//!
//! A name in a subquery's SELECT block resolves in its own FROM first and
//! then in the enclosing block's relation (one level, as Spark 4: a
//! subquery two levels down cannot name the outermost block). A block
//! with such outer references is planned once per distinct value of the
//! outer columns it reads — Spark's domain join (`DecorrelateInnerQuery`):
//! - the domain: the distinct outer values, columns `#o0`, `#o1`, …;
//! - the block's FROM joined with the domain, the WHERE conjuncts that
//!   read outer columns as the join's condition (equalities as keys);
//! - the domain carried through: appended to a projection, added to the
//!   GROUP BY keys. A global aggregate (no GROUP BY) gives one row per
//!   outer value even where no row matched, as Spark's answer for the
//!   "count bug": the outer values without rows join the aggregate's input
//!   as one row of NULLs, a marker `#m` NULL, and every aggregate reads
//!   only marked rows (`count(*)` over none is 0, `max` NULL).
//!
//! The block's plan ends with the domain's columns; `builder::correlated`
//! joins it back to the outer rows on them. Spark's refusals: outer
//! references in GROUP BY or in an aggregating SELECT list
//! (`UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_REFERENCE`), an
//! aggregate over outer and local columns (`…AGGREGATE_FUNCTION_MIXED_OUTER_LOCAL_REFERENCES`).

use std::sync::Arc;

use sqlparser::ast::{Distinct, Select};

use super::expr::{convert, unsupported};
use super::group::grouping;
use super::order::{self, OrderKey};
use super::query::{Frame, Planner};
use super::rewrite::substitute_aliases;
use crate::builder;
use crate::builder::subquery::Correlation;
use crate::error::{Error, Result};
use crate::expr::{Expr, Subquery, SubqueryKind};
use crate::ir::BinaryOp;
use crate::plan::{JoinType, Plan, PlanNode};
use crate::resolve::{cast, is_aggregate_name, resolve, Scope};
use crate::types::{Field, Scalar, Schema};

/// The name of the domain's column `i`: no user name can clash with it.
fn domain_name(i: usize) -> String {
    format!("#o{i}")
}

/// A subquery's enclosing block as the blocks nested in the subquery's
/// FROM items and set operations see it (Spark resolves their outer
/// references too, and decorrelates through them). Such a block, when it
/// names outer columns, is planned with the domain like the subquery's
/// own SELECT, and its plan carries the domain's columns out: a block
/// over it groups and projects them along, a set operation's other
/// operands are crossed with the domain. All of them must use one
/// domain, so the subquery is planned a first time recording the outer
/// columns every block names, then again with those (`fixed`).
pub struct Nested {
    pub outer: Arc<Plan>,
    /// The domain's outer columns, on the second pass.
    pub fixed: Option<Vec<usize>>,
    /// The outer columns the blocks named, in order of appearance.
    pub recorded: Vec<usize>,
    /// Whether a nested block named outer columns.
    pub nested_refs: bool,
}

impl Nested {
    pub fn new(outer: Arc<Plan>, fixed: Option<Vec<usize>>) -> Nested {
        Nested {
            outer,
            recorded: fixed.clone().unwrap_or_default(),
            fixed,
            nested_refs: false,
        }
    }
}

/// The positions of the domain's columns `plan` carries, in domain order.
pub(super) fn domain_columns(plan: &Plan) -> Vec<usize> {
    let mut cols: Vec<(usize, usize)> = plan
        .schema
        .fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((f.name.strip_prefix("#o")?.parse().ok()?, i)))
        .collect();
    cols.sort();
    cols.into_iter().map(|(_, i)| i).collect()
}

/// The distinct values of the outer columns `refs`, as `#o0`, `#o1`, ….
fn domain_plan(outer: &Arc<Plan>, refs: &[usize]) -> Result<Arc<Plan>> {
    let items: Vec<Expr> = refs
        .iter()
        .enumerate()
        .map(|(i, &j)| Expr::ColumnAt(j).alias(&domain_name(i)))
        .collect();
    builder::deduplicate(&builder::project(outer, &items)?, &[])
}

/// `plan`'s columns in the order `order` (qualifiers kept).
fn reorder(plan: &Arc<Plan>, order: &[usize]) -> Arc<Plan> {
    let scope = Scope::new(plan);
    Plan::with_qualifiers(
        PlanNode::Project {
            input: plan.clone(),
            exprs: order.iter().map(|&i| scope.column(i)).collect(),
        },
        Schema::new(
            order
                .iter()
                .map(|&i| plan.schema.fields[i].clone())
                .collect(),
        ),
        order.iter().map(|&i| plan.qualifiers[i].clone()).collect(),
    )
}

/// `plan` with the domain's columns `carried` moved last.
fn domain_last(plan: &Arc<Plan>, carried: &[usize]) -> Arc<Plan> {
    let order: Vec<usize> = (0..plan.schema.len())
        .filter(|i| !carried.contains(i))
        .chain(carried.iter().copied())
        .collect();
    if order.iter().enumerate().all(|(i, &j)| i == j) {
        return plan.clone();
    }
    reorder(plan, &order)
}

fn two_correlated_items() -> Error {
    Error::not_supported(
        "two FROM items of one correlated subquery block that each name outer columns",
    )
}

const MARKER: &str = "#m";

/// Where the names of one SELECT block resolve.
struct Names<'a> {
    local: &'a Plan,
    outer: &'a Plan,
    /// The select list's aliases (HAVING may name them).
    aliases: Vec<String>,
}

/// Which block's columns one side of an equality reads.
enum Side {
    Outer,
    Local,
    Both,
}

impl Names<'_> {
    /// Whether `e` names an outer column.
    fn reads_outer(&self, e: &Expr) -> bool {
        let mut refs = Vec::new();
        self.collect(e, &mut refs);
        !refs.is_empty()
    }

    /// Whose columns `e` reads: only outer ones (at least one), or none.
    fn side(&self, e: &Expr) -> Side {
        let (mut outer, mut local) = (false, false);
        e.visit(&mut |x| match x {
            Expr::Column { qualifier, name } => match self.outer_ref(qualifier.as_deref(), name) {
                Some(_) => outer = true,
                None => local = true,
            },
            Expr::Subquery(_) | Expr::ColumnAt(_) => local = true,
            _ => {}
        });
        match (outer, local) {
            (true, false) => Side::Outer,
            (false, _) => Side::Local,
            (true, true) => Side::Both,
        }
    }

    /// The outer column a name is, when it is not the block's own.
    fn outer_ref(&self, qualifier: Option<&str>, name: &str) -> Option<usize> {
        let local = Scope::new(self.local);
        let own = match local.lookup(qualifier, name) {
            Ok(_) | Err(Error::AmbiguousColumn { .. }) => true,
            // `s.f`: a field of the block's struct column `s`.
            Err(_) => qualifier.is_some_and(|q| local.lookup(None, q).is_ok()),
        } || (qualifier.is_none()
            && self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)));
        if own {
            return None;
        }
        Scope::new(self.outer).lookup(qualifier, name).ok()
    }

    /// Adds the outer columns `e` reads to `refs`, in order of appearance.
    fn collect(&self, e: &Expr, refs: &mut Vec<usize>) {
        visit_with_in_args(e, &mut |x| {
            if let Expr::Column { qualifier, name } = x {
                if let Some(j) = self.outer_ref(qualifier.as_deref(), name) {
                    if !refs.contains(&j) {
                        refs.push(j);
                    }
                }
            }
        });
    }

    /// `e` with each outer reference replaced by its domain column.
    fn rewrite(&self, e: &Expr, refs: &[usize]) -> Expr {
        e.transform(&mut |x| match x {
            Expr::Column { qualifier, name } => {
                let j = self.outer_ref(qualifier.as_deref(), name)?;
                let i = refs.iter().position(|&r| r == j)?;
                Some(Expr::Column {
                    qualifier: None,
                    name: domain_name(i),
                })
            }
            // `x IN (subquery)`: `x` is this block's expression.
            Expr::Subquery(Subquery {
                kind: SubqueryKind::In { arg, negated },
                query,
            }) => Some(Expr::Subquery(Subquery {
                kind: SubqueryKind::In {
                    arg: Box::new(self.rewrite(arg, refs)),
                    negated: *negated,
                },
                query: query.clone(),
            })),
            _ => None,
        })
    }
}

/// Visits `e` and the left-hand side of its `IN (subquery)`s, which belong
/// to this block (the subquery itself is another block).
fn visit_with_in_args(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    let mut ins = Vec::new();
    e.visit(&mut |x| {
        if let Expr::Subquery(Subquery {
            kind: SubqueryKind::In { arg, .. },
            ..
        }) = x
        {
            ins.push((**arg).clone());
        }
        f(x);
    });
    for a in ins {
        visit_with_in_args(&a, f);
    }
}

/// Whether `e` reads a domain column.
fn reads_domain(e: &Expr) -> bool {
    let mut found = false;
    visit_with_in_args(e, &mut |x| {
        found |= matches!(x, Expr::Column { qualifier: None, name } if name.starts_with("#o"));
    });
    found
}

/// Spark's refusal of an outer reference outside WHERE/HAVING.
fn correlated_reference(e: &Expr) -> Error {
    Error::analysis(
        "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_REFERENCE",
        format!(
            "Unsupported subquery expression: Expressions referencing the outer query are not \
             supported outside of WHERE/HAVING clauses: \"{e}\"."
        ),
    )
}

/// Spark's refusals in an aggregating block: an outer reference in an
/// aggregate's arguments, or (when `in_select`) anywhere in the select list.
fn check_aggregating(e: &Expr, names: &Names, in_select: bool) -> Result<()> {
    let mut err = None;
    e.visit(&mut |x| {
        let Expr::Function { name, args, .. } = x else {
            return;
        };
        if err.is_some() || !is_aggregate_name(name) {
            return;
        }
        let (mut outer, mut local) = (false, false);
        for a in args {
            a.visit(&mut |c| {
                if let Expr::Column { qualifier, name } = c {
                    match names.outer_ref(qualifier.as_deref(), name) {
                        Some(_) => outer = true,
                        None => local = true,
                    }
                }
            });
        }
        if outer && local {
            err = Some(Error::analysis(
                "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.AGGREGATE_FUNCTION_MIXED_OUTER_LOCAL_REFERENCES",
                format!(
                    "Unsupported subquery expression: Found an aggregate function in a correlated \
                     predicate that has both outer and local references, which is not supported: {x}."
                ),
            ));
        } else if outer {
            err = Some(correlated_reference(x));
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    let mut refs = Vec::new();
    names.collect(e, &mut refs);
    if in_select && !refs.is_empty() {
        return Err(correlated_reference(e));
    }
    Ok(())
}

/// `agg(x)` → `agg(CASE WHEN #m THEN x END)` (`count(*)` counts `#m`'s
/// rows): the aggregates of a global aggregate see only the rows that
/// matched, so an outer value without rows gets their answer over none.
fn marked_only(e: &Expr) -> Expr {
    let marked = |v: Expr| Expr::Case {
        operand: None,
        branches: vec![(Expr::col(MARKER), v)],
        otherwise: None,
    };
    e.transform(&mut |x| match x {
        Expr::Function {
            name,
            args,
            distinct,
        } if is_aggregate_name(name) => {
            let args = match args.as_slice() {
                [Expr::Star] | [] => vec![marked(Expr::Literal(Scalar::Int32(1)))],
                [first, rest @ ..] => std::iter::once(marked(first.clone()))
                    .chain(rest.iter().cloned())
                    .collect(),
            };
            Some(Expr::Function {
                name: name.clone(),
                args,
                distinct: *distinct,
            })
        }
        _ => None,
    })
}

fn and_all(conjuncts: Vec<Expr>) -> Option<Expr> {
    conjuncts.into_iter().reduce(|a, b| Expr::Binary {
        op: BinaryOp::And,
        left: Box::new(a),
        right: Box::new(b),
    })
}

/// `rows` (whose columns from `first` on are the domain's) with a row of
/// NULLs for every domain value that has none, and the marker column `#m`
/// (true on `rows`' own rows): a left outer join of the domain with
/// `rows`, built from an anti join and a union since the join's
/// condition may be any predicate.
fn with_unmatched(rows: &Arc<Plan>, domain: &Arc<Plan>, first: usize) -> Result<Arc<Plan>> {
    let w = rows.schema.len();
    let nullable = |i: usize| i < first || rows.schema.fields[i].nullable;
    let s = Scope::new(rows);
    let mut fields: Vec<Field> = (0..w)
        .map(|i| Field {
            nullable: nullable(i),
            ..rows.schema.fields[i].clone()
        })
        .collect();
    fields.push(Field::new(MARKER, crate::types::DataType::Boolean, true));
    let mut quals = rows.qualifiers.clone();
    quals.push(None);
    let mut exprs: Vec<_> = (0..w).map(|i| s.column(i)).collect();
    exprs.push(crate::ir::TExpr::literal(Scalar::Boolean(true)));
    let marked = Plan::with_qualifiers(
        PlanNode::Project {
            input: rows.clone(),
            exprs,
        },
        Schema::new(fields.clone()),
        quals.clone(),
    );
    let unmatched = builder::correlated::without_rows(domain, rows, first)?;
    let d = Scope::new(&unmatched);
    let mut exprs = Vec::with_capacity(w + 1);
    for (i, f) in fields.iter().enumerate().take(w) {
        exprs.push(if i < first {
            cast(crate::ir::TExpr::literal(Scalar::Null), f.data_type.clone())?
        } else {
            d.column(i - first)
        });
    }
    exprs.push(cast(
        crate::ir::TExpr::literal(Scalar::Null),
        crate::types::DataType::Boolean,
    )?);
    let nulls = Plan::with_qualifiers(
        PlanNode::Project {
            input: unmatched,
            exprs,
        },
        Schema::new(fields.clone()),
        quals.clone(),
    );
    Ok(Plan::with_qualifiers(
        PlanNode::Union {
            inputs: vec![marked, nulls],
        },
        Schema::new(fields),
        quals,
    ))
}

impl Planner<'_> {
    /// A set operation's operands inside a subquery: when one carries the
    /// domain (it names outer columns), the other is crossed with the
    /// domain, so the operation runs per outer value.
    pub(super) fn align_domains(
        &mut self,
        l: Arc<Plan>,
        r: Arc<Plan>,
    ) -> Result<(Arc<Plan>, Arc<Plan>)> {
        let Some(n) = self.nested.as_mut() else {
            return Ok((l, r));
        };
        let (dl, dr) = (domain_columns(&l), domain_columns(&r));
        if dl.is_empty() && dr.is_empty() {
            return Ok((l, r));
        }
        n.nested_refs = true;
        let refs = n.fixed.clone().unwrap_or_else(|| n.recorded.clone());
        let outer = n.outer.clone();
        let carry = |p: Arc<Plan>, d: Vec<usize>| -> Result<Arc<Plan>> {
            if d.is_empty() {
                return builder::cross_join(&builder::visible(&p), &domain_plan(&outer, &refs)?);
            }
            if d.len() != refs.len() {
                return Err(two_correlated_items());
            }
            Ok(domain_last(&p, &d))
        };
        Ok((carry(l, dl)?, carry(r, dr)?))
    }

    /// A subquery whose body is a set operation carrying the domain: it
    /// is matched back on the domain, as a block planned per outer value.
    pub(super) fn set_operation_correlation(&mut self, plan: &Arc<Plan>) -> Result<()> {
        let (Some(frame), Some(n)) = (self.frame.as_mut(), self.nested.as_ref()) else {
            return Ok(());
        };
        if frame.nested || domain_columns(plan).is_empty() {
            return Ok(());
        }
        let refs = n.fixed.clone().unwrap_or_else(|| n.recorded.clone());
        if frame.outer.is_streaming() {
            return Err(Error::not_supported(
                "a correlated set operation in a subquery on a stream",
            ));
        }
        let o = Scope::new(&frame.outer);
        frame.correlation = Some(Correlation {
            outer: refs.iter().map(|&j| o.column(j)).collect(),
            null_safe: true,
            single: false,
            names: refs
                .iter()
                .map(|&j| frame.outer.schema.fields[j].name.clone())
                .collect(),
            zero: None,
        });
        Ok(())
    }

    /// Plans SELECT block `s` of a subquery over `input` (its FROM) when
    /// it names columns of the enclosing block `frame.outer`; hands the
    /// frame back untouched when it names none.
    pub(super) fn correlated_select(
        &mut self,
        s: &Select,
        input: &Arc<Plan>,
        mut frame: Frame,
        order: &[OrderKey],
    ) -> Result<std::result::Result<Arc<Plan>, Frame>> {
        let local = builder::visible(input);
        let where_ = s.selection.as_ref().map(convert).transpose()?;
        let items = s
            .projection
            .iter()
            .map(|i| super::select::item(i, true))
            .collect::<Result<Vec<_>>>()?;
        let items = builder::expand_wildcards(&local, &items)?;
        let having = s
            .having
            .as_ref()
            .map(|h| convert(h).map(|h| substitute_aliases(&h, &items)))
            .transpose()?;
        let outer = frame.outer.clone();
        let names = Names {
            local: &local,
            outer: &outer,
            aliases: items
                .iter()
                .filter_map(|i| match i {
                    Expr::Alias(_, n) => Some(n.clone()),
                    _ => None,
                })
                .collect(),
        };
        let mut refs = Vec::new();
        for e in where_.iter().chain(&items).chain(&having) {
            names.collect(e, &mut refs);
        }
        let carried = domain_columns(&local);
        let group = grouping(&s.group_by, &items, &local)?;
        if let Some(g) = &group {
            for k in &g.keys {
                let mut r = Vec::new();
                names.collect(k, &mut r);
                if !r.is_empty() {
                    return Err(correlated_reference(k));
                }
            }
        }
        if refs.is_empty() && carried.is_empty() {
            return Ok(Err(frame));
        }
        // One domain for every block of the subquery (see `Nested`).
        if let Some(n) = self.nested.as_mut() {
            for &r in &refs {
                if !n.recorded.contains(&r) {
                    n.recorded.push(r);
                }
            }
            n.nested_refs |= frame.nested || !carried.is_empty();
            if let Some(fixed) = &n.fixed {
                if refs.iter().all(|r| fixed.contains(r)) {
                    refs = fixed.clone();
                }
            }
        }
        if !carried.is_empty() && carried.len() != refs.len() {
            return Err(two_correlated_items());
        }
        let aggregating =
            group.is_some() || having.is_some() || items.iter().any(Expr::contains_aggregate);
        if aggregating {
            for i in &items {
                check_aggregating(i, &names, true)?;
            }
            if let Some(h) = &having {
                check_aggregating(h, &names, false)?;
            }
        }
        let outer_names: Vec<String> = refs
            .iter()
            .map(|&j| frame.outer.schema.fields[j].name.clone())
            .collect();
        // Equalities pulled up when the block does not aggregate; on a
        // stream, a global aggregate correlated by equalities too, grouped
        // by them and left outer joined, as Spark's
        // `RewriteCorrelatedScalarSubquery` (a scalar subquery only).
        let global = aggregating && group.is_none() && having.is_none();
        // A LIMIT (an OFFSET under EXISTS) is planned per outer value.
        let limit = frame
            .limit
            .filter(|&(_, offset)| !frame.exists || offset > 0);
        let pull = limit.is_none()
            && !frame.nested
            && carried.is_empty()
            && (!aggregating || (global && !frame.exists && frame.outer.is_streaming()));
        if pull {
            let pulled = self.pulled_up(s, &local, &items, where_.as_ref(), &names, aggregating)?;
            if let Some((plan, mut c)) = pulled {
                c.names = outer_names;
                frame.correlation = Some(c);
                self.frame = Some(frame);
                return Ok(Ok(plan));
            }
        }
        if frame.outer.is_streaming() {
            return Err(Error::not_supported(
                "this correlated subquery on a stream: sqlc plans a correlated subquery on a \
                 stream when its outer references are in equalities of its WHERE and it does \
                 not aggregate (or is a scalar global aggregate without HAVING)",
            ));
        }
        // The domain: the distinct outer values the block reads.
        let domain = domain_plan(&frame.outer, &refs)?;
        let k = refs.len();
        let rewrite = |e: &Expr| names.rewrite(e, &refs);
        let items: Vec<Expr> = items.iter().map(rewrite).collect();
        let having = having.as_ref().map(rewrite);
        // WHERE: local conjuncts filter the FROM, correlated ones join the
        // domain, those with subqueries run over the join.
        let (mut plain, mut correlated, mut nested) = (Vec::new(), Vec::new(), Vec::new());
        if let Some(w) = &where_ {
            for c in w.conjuncts() {
                let c = rewrite(c);
                if builder::subquery::contains_subquery(&c) {
                    nested.push(c);
                } else if reads_domain(&c) {
                    correlated.push(c);
                } else {
                    plain.push(c);
                }
            }
        }
        let joined = if carried.is_empty() {
            let filtered = match and_all(plain) {
                Some(p) => builder::filter(&local, &p)?,
                None => local.clone(),
            };
            match and_all(correlated) {
                Some(on) => builder::join_on(&filtered, &domain, &on, JoinType::Inner)?,
                None => builder::cross_join(&filtered, &domain)?,
            }
        } else {
            // the FROM already holds the domain: correlated conjuncts filter
            let joined = domain_last(&local, &carried);
            match and_all(plain.into_iter().chain(correlated).collect()) {
                Some(p) => builder::filter(&joined, &p)?,
                None => joined,
            }
        };
        let first = joined.schema.len() - k;
        let joined = match and_all(nested) {
            Some(n) => self.filter(&joined, n)?,
            None => joined,
        };
        let domain_cols: Vec<Expr> = (0..k)
            .map(|i| Expr::Column {
                qualifier: None,
                name: domain_name(i),
            })
            .collect();
        // The block's items, the domain, then `extra` (ORDER BY's hidden keys).
        let build = |extra: &[Expr]| -> Result<Arc<Plan>> {
            let all: Vec<Expr> = items
                .iter()
                .chain(&domain_cols)
                .chain(extra)
                .cloned()
                .collect();
            let out = match &group {
                None if aggregating => {
                    let rows = with_unmatched(&joined, &domain, first)?;
                    let all: Vec<Expr> = all.iter().map(marked_only).collect();
                    let having = having.as_ref().map(marked_only);
                    builder::aggregate_having(&rows, &domain_cols, None, &all, having.as_ref())?
                }
                None => builder::project(&joined, &all)?,
                Some(g) => {
                    if g.sets.is_some() {
                        return Err(unsupported(
                            "GROUPING SETS, CUBE or ROLLUP in a correlated subquery",
                            &s.group_by,
                        ));
                    }
                    let keys: Vec<Expr> = g.keys.iter().chain(&domain_cols).cloned().collect();
                    builder::aggregate_having(&joined, &keys, None, &all, having.as_ref())?
                }
            };
            match &s.distinct {
                None | Some(Distinct::All) => Ok(out),
                Some(Distinct::Distinct) => builder::deduplicate(&out, &[]),
                Some(Distinct::On(_)) => {
                    Err(unsupported("DISTINCT ON in a correlated subquery", s))
                }
            }
        };
        let mut out = build(&[])?;
        // LIMIT per outer value (Spark: a `row_number()` over the domain,
        // ordered by the ORDER BY), after the sort.
        if let Some((n, offset)) = limit {
            let distinct = matches!(s.distinct, Some(Distinct::Distinct));
            let sorted = order::apply(out, order, &items, distinct, &build)?;
            let w = items.len();
            let per: Vec<usize> = (w..w + k).collect();
            out = builder::limit_offset(&sorted, n, offset, &per);
            frame.limited = true;
        }
        let o = Scope::new(&frame.outer);
        frame.correlation = Some(Correlation {
            outer: refs.iter().map(|&j| o.column(j)).collect(),
            null_safe: true,
            single: aggregating && group.is_none(),
            names: outer_names,
            zero: None,
        });
        self.frame = Some(frame);
        Ok(Ok(out))
    }

    /// Spark's plain rewrite, when it applies: a block that does not
    /// aggregate and reads outer columns only in WHERE equalities
    /// `local = outer` returns its rows with the local sides appended, and
    /// is joined on `local = outer` — no domain, so the outer relation may
    /// be a stream. `None` when the block is another shape.
    fn pulled_up(
        &mut self,
        s: &Select,
        local: &Arc<Plan>,
        items: &[Expr],
        where_: Option<&Expr>,
        names: &Names,
        aggregate: bool,
    ) -> Result<Option<(Arc<Plan>, Correlation)>> {
        if items.iter().any(|i| names.reads_outer(i)) {
            return Ok(None);
        }
        let (mut plain, mut nested, mut locals, mut outers) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for c in where_.map(Expr::conjuncts).unwrap_or_default() {
            if builder::subquery::contains_subquery(c) {
                if names.reads_outer(c) {
                    return Ok(None);
                }
                nested.push(c.clone());
                continue;
            }
            if !names.reads_outer(c) {
                plain.push(c.clone());
                continue;
            }
            let Expr::Binary {
                op: BinaryOp::Eq,
                left,
                right,
            } = c
            else {
                return Ok(None);
            };
            let (o, l) = match (names.side(left), names.side(right)) {
                (Side::Outer, Side::Local) => (left, right),
                (Side::Local, Side::Outer) => (right, left),
                _ => return Ok(None),
            };
            outers.push(resolve(o, &Scope::new(names.outer))?);
            locals.push((**l).clone());
        }
        let mut plan = match and_all(plain) {
            Some(p) => builder::filter(local, &p)?,
            None => local.clone(),
        };
        if let Some(n) = and_all(nested) {
            plan = self.filter(&plan, n)?;
        }
        let all: Vec<Expr> = items
            .iter()
            .cloned()
            .chain(
                locals
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| l.alias(&format!("#k{i}"))),
            )
            .collect();
        // A global aggregate: grouped by the local sides instead, and its
        // row over no rows for the outer rows no group matches.
        let (out, zero) = if aggregate {
            let keys: Vec<Expr> = all[items.len()..]
                .iter()
                .map(|k| k.clone().unalias())
                .collect();
            let grouped = builder::aggregate_having(&plan, &keys, None, &all, None)?;
            let none =
                builder::aggregate_having(&builder::limit(local, 0), &[], None, items, None)?;
            (grouped, Some(none))
        } else {
            (builder::project(&plan, &all)?, None)
        };
        let out = match &s.distinct {
            None | Some(Distinct::All) => out,
            Some(Distinct::Distinct) => builder::deduplicate(&out, &[])?,
            Some(Distinct::On(_)) => {
                return Err(unsupported("DISTINCT ON in a correlated subquery", s))
            }
        };
        let c = Correlation {
            outer: outers,
            null_safe: false,
            single: aggregate,
            names: Vec::new(),
            zero,
        };
        Ok(Some((out, c)))
    }
}

/// LIMIT (`(n, offset)`) on a correlated subquery: under `[NOT] EXISTS`
/// only whether rows exist matters (`LIMIT 0` leaves none, as does an
/// OFFSET past one row per outer value: planned per value then);
/// elsewhere the block applied it per outer value (`limited`).
pub(super) fn limit(
    frame: Option<&Frame>,
    (n, offset): (usize, usize),
    plan: Arc<Plan>,
) -> Result<Arc<Plan>> {
    match frame {
        Some(f) if f.limited => Ok(plan),
        Some(f) if f.exists && offset == 0 => Ok(if n == 0 {
            builder::limit(&plan, 0)
        } else {
            plan
        }),
        _ => Err(Error::not_supported(
            "LIMIT or OFFSET in this correlated subquery (sqlc plans it per outer value \
             when the outer relation is not a stream)",
        )),
    }
}
