//! A query → a resolved plan: WITH (CTEs), the body, ORDER BY, LIMIT, and
//! the FROM clause (tables, aliases, subqueries, joins).

use std::sync::Arc;

use sqlparser::ast::{
    Expr as SqlExpr, Join, JoinConstraint, JoinOperator, LimitClause, Query, SetExpr, SetOperator,
    SetQuantifier, TableAlias, TableFactor, TableWithJoins,
};

use super::expr::{convert, ident, object_name, unsupported};
use super::order::{self, order_keys};
use super::rewrite::column_ref;
use super::Catalog;
use crate::builder::subquery::{Correlation, Sub};
use crate::builder::{self, SetOp};
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::plan::{JoinType, Plan};
use crate::types::Scalar;

/// Plans queries against a catalog, with the CTEs in scope.
pub struct Planner<'a> {
    catalog: &'a dyn Catalog,
    /// CTEs visible here, innermost last.
    ctes: Vec<(String, Arc<Plan>)>,
    /// The enclosing query block of the subquery being planned: the
    /// relation its outer references name (see `correlate`). Taken by
    /// the subquery's own SELECT; hidden from FROM items, CTEs and set
    /// operations, whose blocks may not name it.
    pub(super) frame: Option<Frame>,
    /// Inside a subquery: its enclosing block, as the blocks nested in its
    /// FROM items and set operations see it (`correlate::Nested`).
    pub(super) nested: Option<super::correlate::Nested>,
}

/// A subquery's enclosing block, and what the subquery read of it.
pub(super) struct Frame {
    /// The relation the subquery's value is joined back to.
    pub outer: Arc<Plan>,
    /// A block nested in the subquery's FROM items or set operations:
    /// its plan carries the domain, nothing joins it back.
    pub nested: bool,
    /// Whether the subquery is `[NOT] EXISTS` (a LIMIT then does not
    /// change its answer).
    pub exists: bool,
    /// How the subquery's rows meet the outer ones, set by its SELECT
    /// when it names outer columns.
    pub correlation: Option<Correlation>,
    /// The subquery's LIMIT and OFFSET (`(n, offset)`), which its SELECT
    /// applies per outer value when it is correlated (`limited`).
    pub limit: Option<(usize, usize)>,
    pub limited: bool,
}

impl Frame {
    fn new(outer: Arc<Plan>, exists: bool) -> Frame {
        Frame {
            outer,
            nested: false,
            exists,
            correlation: None,
            limit: None,
            limited: false,
        }
    }

    fn nested(outer: Arc<Plan>) -> Frame {
        Frame {
            nested: true,
            ..Frame::new(outer, false)
        }
    }
}

impl<'a> Planner<'a> {
    pub fn new(catalog: &'a dyn Catalog) -> Self {
        Planner {
            catalog,
            ctes: Vec::new(),
            frame: None,
            nested: None,
        }
    }

    /// Runs `f` with no enclosing block visible (a FROM item, a CTE, a set
    /// operation's operand: Spark resolves outer references only in a
    /// subquery's own clauses).
    pub(super) fn without_frame<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = self.frame.take();
        let out = f(self);
        self.frame = saved;
        out
    }

    /// Plans a subquery of an expression whose enclosing block reads
    /// `outer`: its plan, and the outer columns it reads (its last
    /// columns, one per entry; none when it is uncorrelated).
    /// When blocks nested in its FROM items or set operations name outer
    /// columns, it is planned again with one domain for all of them.
    pub fn subquery(&mut self, q: &Query, outer: &Arc<Plan>, exists: bool) -> Result<Sub> {
        let saved = self
            .nested
            .replace(super::correlate::Nested::new(outer.clone(), None));
        let mut attempt = self.subquery_pass(q, outer, exists);
        for _ in 0..2 {
            let n = self.nested.take().expect("the subquery's own nesting");
            let fixed = n.fixed.as_ref().map_or(0, Vec::len);
            if !n.nested_refs || n.recorded.len() == fixed {
                break;
            }
            self.nested = Some(super::correlate::Nested::new(
                outer.clone(),
                Some(n.recorded),
            ));
            attempt = self.subquery_pass(q, outer, exists);
        }
        self.nested = saved;
        let (plan, correlation) = attempt?;
        if plan.is_streaming() {
            return Err(Error::analysis(
                "INVALID_SUBQUERY_EXPRESSION.STREAMING_QUERY",
                "Invalid subquery: Streaming query is not allowed in subquery expressions.",
            ));
        }
        Ok(Sub { plan, correlation })
    }

    /// Plans subquery `q` once, with the current nesting.
    fn subquery_pass(
        &mut self,
        q: &Query,
        outer: &Arc<Plan>,
        exists: bool,
    ) -> Result<(Arc<Plan>, Option<Correlation>)> {
        let saved = self.frame.replace(Frame::new(outer.clone(), exists));
        let plan = self.query(q);
        let frame = std::mem::replace(&mut self.frame, saved);
        Ok((plan?, frame.and_then(|f| f.correlation)))
    }

    /// Plans a query; its CTEs are visible in it and in later CTEs only.
    pub fn query(&mut self, q: &Query) -> Result<Arc<Plan>> {
        let depth = self.ctes.len();
        let out = self.query_in_scope(q);
        self.ctes.truncate(depth);
        out
    }

    fn query_in_scope(&mut self, q: &Query) -> Result<Arc<Plan>> {
        if q.fetch.is_some()
            || !q.locks.is_empty()
            || q.for_clause.is_some()
            || q.settings.is_some()
            || q.format_clause.is_some()
            || !q.pipe_operators.is_empty()
        {
            return Err(unsupported(
                "this query clause (FETCH, FOR, SETTINGS, FORMAT, |>)",
                q,
            ));
        }
        if let Some(with) = &q.with {
            if with.recursive {
                return Err(unsupported("WITH RECURSIVE", with));
            }
            for cte in &with.cte_tables {
                let nested = self.nested.take();
                let plan = self.without_frame(|p| p.query(&cte.query));
                self.nested = nested;
                let plan = plan?;
                let name = ident(&cte.alias.name);
                let plan = self.alias(plan, &cte.alias)?;
                self.ctes.push((name, plan));
            }
        }
        let keys = order_keys(q.order_by.as_ref())?;
        let bounds = limit_bounds(&q.limit_clause)?;
        // A block nested in a subquery's FROM or set operation plans as
        // a correlated one when it names outer columns.
        let pseudo = match (&self.frame, &self.nested, q.body.as_ref()) {
            (None, Some(n), SetExpr::Select(_)) => {
                self.frame = Some(Frame::nested(n.outer.clone()));
                true
            }
            _ => false,
        };
        if let (Some(f), SetExpr::Select(_)) = (self.frame.as_mut(), q.body.as_ref()) {
            f.limit = bounds;
        }
        let plan = self.body(q, &keys);
        let taken = if pseudo { self.frame.take() } else { None };
        let plan = plan?;
        let frame = if pseudo {
            taken.as_ref()
        } else {
            self.frame.as_ref()
        };
        let per = match &self.nested {
            Some(_) => super::correlate::domain_columns(&plan),
            None => Vec::new(),
        };
        match bounds {
            None => Ok(plan),
            Some(_) if frame.is_some_and(|f| f.limited) => Ok(plan),
            // per outer value: a set operation's rows, or EXISTS's
            Some((n, offset)) if !per.is_empty() => {
                Ok(builder::limit_offset(&plan, n, offset, &per))
            }
            Some(b) if frame.is_some_and(|f| f.correlation.is_some()) => {
                super::correlate::limit(frame, b, plan)
            }
            Some((n, offset)) => Ok(builder::limit_offset(&plan, n, offset, &[])),
        }
    }

    /// A query's body, sorted by `keys`.
    fn body(&mut self, q: &Query, keys: &[super::order::OrderKey]) -> Result<Arc<Plan>> {
        Ok(match q.body.as_ref() {
            SetExpr::Select(s) => self.select(s, keys)?,
            SetExpr::Query(inner) => {
                let plan = self.query(inner)?;
                let items: Vec<Expr> = (0..plan.schema.len())
                    .map(|i| column_ref(&plan, i))
                    .collect();
                order::apply(plan, keys, &items, false, &|_| {
                    Err(Error::not_supported(
                        "ORDER BY on a parenthesized query must name its output columns",
                    ))
                })?
            }
            SetExpr::SetOperation { .. } => {
                let plan = self.without_frame(|p| p.set_expr(q.body.as_ref()))?;
                self.set_operation_correlation(&plan)?;
                let items: Vec<Expr> = (0..plan.schema.len())
                    .map(|i| column_ref(&plan, i))
                    .collect();
                order::apply(plan, keys, &items, false, &|_| {
                    Err(Error::not_supported(
                        "ORDER BY on a set operation must name its output columns",
                    ))
                })?
            }
            SetExpr::Values(v) => {
                let catalog = self.catalog;
                let plan = self.without_frame(|_| super::inline::values(v, catalog))?;
                let items: Vec<Expr> = (0..plan.schema.len())
                    .map(|i| column_ref(&plan, i))
                    .collect();
                order::apply(plan, keys, &items, false, &|_| {
                    Err(Error::not_supported(
                        "ORDER BY on VALUES must name its columns",
                    ))
                })?
            }
            other => return Err(unsupported("this query body", other)),
        })
    }

    /// One operand of a set operation, or the operation itself (its
    /// operands planned first, left to right).
    fn set_expr(&mut self, body: &SetExpr) -> Result<Arc<Plan>> {
        match body {
            SetExpr::SetOperation {
                op,
                set_quantifier,
                left,
                right,
            } => {
                let (l, r) = (self.set_expr(left)?, self.set_expr(right)?);
                let (l, r) = self.align_domains(l, r)?;
                let op = match op {
                    SetOperator::Union => SetOp::Union,
                    SetOperator::Intersect => SetOp::Intersect,
                    SetOperator::Except | SetOperator::Minus => SetOp::Except,
                };
                match set_quantifier {
                    SetQuantifier::All => builder::set_operation(op, true, &l, &r),
                    SetQuantifier::Distinct | SetQuantifier::None => {
                        builder::set_operation(op, false, &l, &r)
                    }
                    SetQuantifier::ByName | SetQuantifier::DistinctByName if op == SetOp::Union => {
                        let u = builder::union_by_name(&l, &r, false)?;
                        builder::deduplicate(&u, &[])
                    }
                    SetQuantifier::AllByName if op == SetOp::Union => {
                        builder::union_by_name(&l, &r, false)
                    }
                    q => Err(unsupported(format!("{op:?} {q}").as_str(), body)),
                }
            }
            SetExpr::Select(s) => match &self.nested {
                // an operand of a subquery's set operation: a nested block
                Some(n) => {
                    self.frame = Some(Frame::nested(n.outer.clone()));
                    let plan = self.select(s, &[]);
                    self.frame = None;
                    plan
                }
                None => self.select(s, &[]),
            },
            SetExpr::Query(q) => self.query(q),
            SetExpr::Values(v) => super::inline::values(v, self.catalog),
            other => Err(unsupported("this query body", other)),
        }
    }

    /// The relation FROM produces.
    pub fn from(&mut self, from: &[TableWithJoins]) -> Result<Arc<Plan>> {
        self.without_frame(|p| p.plan_from(from))
    }

    fn plan_from(&mut self, from: &[TableWithJoins]) -> Result<Arc<Plan>> {
        match from {
            [t] => self.table_with_joins(t),
            [] => super::inline::one_row(self.catalog),
            // `FROM a, b`: a cross join, left to right.
            [first, rest @ ..] => {
                let mut plan = builder::visible(&self.table_with_joins(first)?);
                for t in rest {
                    let right = builder::visible(&self.table_with_joins(t)?);
                    plan = builder::cross_join(&plan, &right)?;
                }
                Ok(plan)
            }
        }
    }

    fn table_with_joins(&mut self, t: &TableWithJoins) -> Result<Arc<Plan>> {
        let mut left = self.factor(&t.relation)?;
        for j in &t.joins {
            let right = self.factor(&j.relation)?;
            left = join(&left, &right, j)?;
        }
        Ok(left)
    }

    fn factor(&mut self, f: &TableFactor) -> Result<Arc<Plan>> {
        match f {
            TableFactor::Table {
                name,
                alias,
                args: None,
                with_hints,
                version: None,
                with_ordinality: false,
                partitions,
                json_path: None,
                sample: None,
                index_directives,
                inheritance: None,
            } if with_hints.is_empty() && partitions.is_empty() && index_directives.is_empty() => {
                let parts = object_name(name)?;
                let cte = match parts.as_slice() {
                    [one] => self
                        .ctes
                        .iter()
                        .rev()
                        .find(|(n, _)| n.eq_ignore_ascii_case(one))
                        .map(|(_, p)| p.clone()),
                    _ => None,
                };
                let plan = match cte {
                    Some(p) => p,
                    None => self.catalog.table(&parts.join("."))?,
                };
                match alias {
                    Some(a) => self.alias(plan, a),
                    None => Ok(qualified(plan, parts.last().map_or("", |s| s.as_str()))),
                }
            }
            TableFactor::Derived {
                lateral: false,
                subquery,
                alias,
                sample: None,
            } => {
                let plan = self.query(subquery)?;
                match alias {
                    Some(a) => self.alias(plan, a),
                    // as Spark: the subquery's qualifiers do not reach outside
                    None => Ok(unqualified(plan)),
                }
            }
            TableFactor::NestedJoin {
                table_with_joins,
                alias,
            } => {
                let plan = self.table_with_joins(table_with_joins)?;
                match alias {
                    Some(a) => self.alias(builder::visible(&plan), a),
                    None => Ok(plan),
                }
            }
            other => Err(unsupported("this FROM item", other)),
        }
    }

    /// `AS a` or `AS a (c1, c2)`: renames the columns, qualifies them by `a`.
    fn alias(&self, plan: Arc<Plan>, a: &TableAlias) -> Result<Arc<Plan>> {
        let name = ident(&a.name);
        if a.columns.is_empty() {
            return Ok(qualified(plan, &name));
        }
        let n = plan.schema.len();
        if a.columns.len() != n {
            return Err(Error::analysis(
                "ASSIGNMENT_ARITY_MISMATCH",
                format!(
                    "the alias {a} names {} columns but the relation has {n}",
                    a.columns.len()
                ),
            ));
        }
        let exprs: Vec<Expr> = a
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| column_ref(&plan, i).alias(&ident(&c.name)))
            .collect();
        Ok(builder::project(&plan, &exprs)?.aliased(&name))
    }
}

/// `plan` with every column qualified by `name`, unless it already is.
fn qualified(plan: Arc<Plan>, name: &str) -> Arc<Plan> {
    let already = plan
        .qualifiers
        .iter()
        .all(|q| q.as_deref().is_some_and(|q| q.eq_ignore_ascii_case(name)));
    if already {
        plan
    } else {
        plan.aliased(name)
    }
}

/// `plan` with no column qualified.
fn unqualified(plan: Arc<Plan>) -> Arc<Plan> {
    if plan.qualifiers.iter().all(Option::is_none) {
        return plan;
    }
    let mut p = (*plan).clone();
    p.qualifiers = vec![None; p.schema.len()];
    Arc::new(p)
}

fn join(left: &Arc<Plan>, right: &Arc<Plan>, j: &Join) -> Result<Arc<Plan>> {
    use JoinOperator as J;
    // A USING join's hidden keys are nameable only right above it.
    let (left, right) = (&builder::visible(left), &builder::visible(right));
    let (how, constraint) = match &j.join_operator {
        J::Join(c) | J::Inner(c) => (JoinType::Inner, c),
        J::Left(c) | J::LeftOuter(c) => (JoinType::LeftOuter, c),
        J::Right(c) | J::RightOuter(c) => (JoinType::RightOuter, c),
        J::FullOuter(c) => (JoinType::FullOuter, c),
        J::Semi(c) | J::LeftSemi(c) => (JoinType::LeftSemi, c),
        J::Anti(c) | J::LeftAnti(c) => (JoinType::LeftAnti, c),
        J::CrossJoin(JoinConstraint::None) => return builder::cross_join(left, right),
        J::CrossJoin(c) => (JoinType::Inner, c),
        _ => return Err(unsupported("this kind of join", j)),
    };
    if j.global {
        return Err(unsupported("GLOBAL JOIN", j));
    }
    match constraint {
        JoinConstraint::On(e) => builder::join_on(left, right, &convert(e)?, how),
        JoinConstraint::Using(cols) => {
            let names = cols
                .iter()
                .map(|c| {
                    object_name(c)?
                        .pop()
                        .ok_or_else(|| unsupported("an empty USING column", c))
                })
                .collect::<Result<Vec<_>>>()?;
            builder::join_using_keys(left, right, &names, how)
        }
        JoinConstraint::Natural => {
            let names: Vec<String> = left
                .schema
                .fields
                .iter()
                .filter(|f| !right.schema.matches(&f.name).is_empty())
                .map(|f| f.name.clone())
                .collect();
            if names.is_empty() {
                return Err(unsupported("a NATURAL JOIN without common columns", j));
            }
            builder::join_using_keys(left, right, &names, how)
        }
        JoinConstraint::UsingAlias(..) => Err(unsupported("USING … AS", j)),
        JoinConstraint::None if how == JoinType::Inner => builder::cross_join(left, right),
        JoinConstraint::None => Err(Error::analysis(
            "INVALID_SQL_SYNTAX",
            format!("an outer, semi or anti join needs ON or USING: `{j}`"),
        )),
    }
}

/// A query's `LIMIT n OFFSET m` as `(n, m)` (`n` is `usize::MAX` without
/// a LIMIT); `None` when it has neither.
fn limit_bounds(clause: &Option<LimitClause>) -> Result<Option<(usize, usize)>> {
    match clause {
        None => Ok(None),
        Some(LimitClause::LimitOffset {
            limit,
            offset,
            limit_by,
        }) if limit_by.is_empty() => {
            let n = limit.as_ref().map(limit_value).transpose()?;
            let offset = offset.as_ref().map(|o| limit_value(&o.value)).transpose()?;
            Ok(match (n, offset) {
                (None, None | Some(0)) => None,
                (n, o) => Some((n.unwrap_or(usize::MAX), o.unwrap_or(0))),
            })
        }
        Some(l) => Err(unsupported("LIMIT BY (or LIMIT m, n)", l)),
    }
}

pub(super) fn limit_value(e: &SqlExpr) -> Result<usize> {
    match convert(e)? {
        Expr::Literal(Scalar::Int32(n)) if n >= 0 => Ok(n as usize),
        Expr::Literal(Scalar::Int64(n)) if n >= 0 => Ok(n as usize),
        other => Err(Error::analysis(
            "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE_OR_NOT_INTEGER",
            format!("The limit `{other}` must be a non-negative integer literal"),
        )),
    }
}
