//! Uncorrelated subqueries in expressions, planned as Spark's optimizer
//! rewrites them, into joins:
//! - `x IN (SELECT c …)` (a WHERE conjunct) — a left semi join on `x = c`;
//! - `x NOT IN (SELECT c …)` — Spark's null-aware anti join: no row when
//!   the subquery holds a null, a null `x` only when it is empty;
//! - `[NOT] EXISTS (SELECT …)` (a WHERE conjunct) — the subquery's row
//!   count, joined to every row and tested;
//! - a scalar `(SELECT v …)` anywhere in WHERE or a SELECT list — its one
//!   value (null when it has no row, `[SCALAR_SUBQUERY_TOO_MANY_ROWS]` when
//!   it has more), joined to every row;
//! - `EXISTS` and `IN` elsewhere (under OR, in a SELECT list) — boolean
//!   values read off what `existence.rs` joins on.
//!
//! The joined values are read by position (`Expr::ColumnAt`), so they never clash
//! with the outer query's names; the planner projects them away after.
//!
//! A correlated subquery arrives decorrelated by the SQL planner
//! (`sql/correlate.rs`): its plan ends with the outer columns it reads, one
//! row group per distinct outer value; `correlated.rs` joins it back on
//! them (null-safely).

use std::sync::Arc;

use super::{cross_join, join_on_indexes};
use crate::error::{Error, Result};
use crate::expr::{Expr, SubqueryKind};
use crate::functions::{FunctionRef, Resolved, ScalarFunction};
use crate::ir::{AggCall, AggFunc, BinaryOp, TExpr, TExprKind};
use crate::plan::{JoinType, Plan, PlanNode};
use crate::resolve::{resolve, Scope};
use crate::types::{DataType, Field, Scalar, Schema};

/// A planned subquery: its plan and, when it is correlated, how its rows
/// meet the enclosing relation's.
pub struct Sub {
    pub plan: Arc<Plan>,
    pub correlation: Option<Correlation>,
}

/// How a correlated subquery's plan meets the outer rows: its last
/// `outer.len()` columns are matched with these expressions over the
/// enclosing relation.
pub struct Correlation {
    pub outer: Vec<TExpr>,
    /// `<=>` (the distinct outer values a domain join planned it for) or
    /// `=` (the subquery's equality predicates, pulled up).
    pub null_safe: bool,
    /// At most one row per outer value (a global aggregate).
    pub single: bool,
    /// The outer columns it reads, as Spark lists them (`scalarsubquery(a)`).
    pub names: Vec<String>,
    /// A global aggregate joined on `=`: its one row over no rows, the
    /// value of an outer row nothing matched (Spark's "count bug").
    pub zero: Option<Arc<Plan>>,
}

impl Sub {
    /// The subquery's own columns (without the matched values).
    pub fn width(&self) -> usize {
        self.plan.schema.len() - self.correlation.as_ref().map_or(0, |c| c.outer.len())
    }
}

/// Plans a subquery's SQL against the relation its enclosing block reads
/// (`true` for `[NOT] EXISTS`).
pub type PlanQuery<'a> = &'a mut dyn FnMut(&sqlparser::ast::Query, &Arc<Plan>, bool) -> Result<Sub>;

/// Whether `e` holds a subquery.
pub fn contains_subquery(e: &Expr) -> bool {
    let mut found = false;
    e.visit(&mut |x| found |= matches!(x, Expr::Subquery(_)));
    found
}

/// A positional reference to column `i` of the plan an expression is
/// resolved against.
fn column_at(i: usize) -> Expr {
    Expr::ColumnAt(i)
}

/// The one column of a subquery used as a value, or Spark's error.
fn one_column(sub: &Sub, what: &str) -> Result<()> {
    match sub.width() {
        1 => Ok(()),
        n => Err(Error::analysis(
            "INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN",
            format!("Invalid subquery: {what} must return only one column, but got {n}."),
        )),
    }
}

/// A global aggregate over `sub` with these calls (one row, always).
pub(super) fn global(sub: &Arc<Plan>, aggs: Vec<(AggCall, &str, DataType, bool)>) -> Arc<Plan> {
    let fields = aggs
        .iter()
        .map(|(_, n, t, null)| Field::new(*n, t.clone(), *null))
        .collect();
    Plan::new(
        PlanNode::Aggregate {
            input: sub.clone(),
            keys: vec![],
            grouping_sets: vec![0],
            aggs: aggs.into_iter().map(|(c, ..)| c).collect(),
            window: None,
        },
        Schema::new(fields),
    )
}

pub(super) fn count_star() -> AggCall {
    AggCall {
        func: AggFunc::CountStar,
        arg: None,
    }
}

/// A scalar subquery's value as a one-row, one-column relation: null when
/// it has no row, an error when it has more than one.
pub fn scalar_value(sub: &Sub) -> Result<Arc<Plan>> {
    one_column(sub, "a scalar subquery")?;
    let sub = &sub.plan;
    let s = Scope::new(sub);
    let v = s.column(0);
    let agg = global(
        sub,
        vec![
            (
                AggCall {
                    func: AggFunc::First {
                        ignore_nulls: false,
                    },
                    arg: Some(v.clone()),
                },
                "v",
                v.ty.clone(),
                true,
            ),
            (count_star(), "n", DataType::Int64, false),
        ],
    );
    let a = Scope::new(&agg);
    let (value, n) = (a.column(0), a.column(1));
    let checked = at_most_one(value.clone(), n)?;
    let name = sub.schema.fields[0].name.clone();
    Ok(Plan::new(
        PlanNode::Project {
            input: agg,
            exprs: vec![checked],
        },
        Schema::new(vec![Field::new(name, value.ty, true)]),
    ))
}

/// `value`, or `[SCALAR_SUBQUERY_TOO_MANY_ROWS]` where `rows` (how many
/// rows gave it) is above one.
pub(super) fn at_most_one(value: TExpr, rows: TExpr) -> Result<TExpr> {
    let too_many = TExpr::binary(
        BinaryOp::Gt,
        rows.clone(),
        TExpr::literal(Scalar::Int64(1)),
        DataType::Boolean,
        true,
    );
    let fail = TooManyRows.resolve(vec![rows], &Expr::Literal(Scalar::Null))?;
    let fail = Resolved {
        ty: value.ty.clone(),
        ..fail
    }
    .into_expr();
    let ty = value.ty.clone();
    Ok(TExpr::new(
        TExprKind::Case {
            branches: vec![(too_many, fail)],
            otherwise: Some(Box::new(value)),
        },
        ty,
        true,
    ))
}

/// Where subqueries are attached: the rows of a projection or filter, or
/// a SELECT list (or HAVING) that aggregates, where a subquery outside an
/// aggregate call is one value per group.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Rows,
    Grouped,
    Having,
}

/// `input` with what every subquery of `exprs` needs joined on (a scalar's
/// value, an EXISTS's or IN's facts); the expressions with each replaced
/// by its value over those columns. `plan_query` plans a subquery's SQL.
/// In an aggregating `place`, a subquery outside aggregate calls is read
/// as `first(value)` of its group (it is one value per group: uncorrelated,
/// or reading the grouped outer columns); Spark refuses a correlated scalar
/// subquery there in a SELECT list.
pub fn attach_scalars(
    input: &Arc<Plan>,
    exprs: &[Expr],
    plan_query: PlanQuery,
    place: Place,
) -> Result<(Arc<Plan>, Vec<Expr>)> {
    let mut plan = input.clone();
    let out = exprs
        .iter()
        .map(|e| attach_in(&mut plan, input, e, false, place, &mut *plan_query))
        .collect::<Result<Vec<_>>>()?;
    Ok((plan, out))
}

/// `outer`: the relation the subqueries are planned over — the input, not
/// the plan with the earlier subqueries joined on: their domains then read
/// the input alone (the same outer values: the joins keep its rows and
/// columns), so each subquery's plan does not hold the ones before it.
fn attach_in(
    plan: &mut Arc<Plan>,
    outer: &Arc<Plan>,
    e: &Expr,
    in_aggregate: bool,
    place: Place,
    plan_query: PlanQuery,
) -> Result<Expr> {
    let mut err = None;
    let out = e.transform(&mut |x| {
        if err.is_some() {
            return Some(x.clone());
        }
        let replaced = match x {
            Expr::Function {
                name,
                args,
                distinct,
            } if place != Place::Rows
                && !in_aggregate
                && crate::resolve::is_aggregate_name(name) =>
            {
                args.iter()
                    .map(|a| attach_in(plan, outer, a, true, place, &mut *plan_query))
                    .collect::<Result<Vec<_>>>()
                    .map(|args| Expr::Function {
                        name: name.clone(),
                        args,
                        distinct: *distinct,
                    })
            }
            Expr::Subquery(q) => {
                attach_one(plan, outer, x, q, &mut *plan_query).and_then(|(v, corr)| {
                    if place == Place::Rows || in_aggregate {
                        return Ok(v);
                    }
                    if corr && place == Place::Grouped && q.kind == SubqueryKind::Scalar {
                        return Err(Error::analysis(
                            "SCALAR_SUBQUERY_IS_IN_GROUP_BY_OR_AGGREGATE_FUNCTION",
                            format!(
                                "The correlated scalar subquery '\"{x}\"' is neither present in \
                             GROUP BY, nor in an aggregate function."
                            ),
                        ));
                    }
                    let name = v.output_name();
                    Ok(Expr::Function {
                        name: "first".into(),
                        args: vec![v.unalias()],
                        distinct: false,
                    }
                    .alias(&name))
                })
            }
            _ => return None,
        };
        match replaced {
            Ok(v) => Some(v),
            Err(e) => {
                err = Some(e);
                Some(x.clone())
            }
        }
    });
    match err {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// Joins what subquery `x` (`q`), planned over `outer`, needs onto `plan`;
/// its value over the joined columns, and whether it is correlated.
fn attach_one(
    plan: &mut Arc<Plan>,
    outer: &Arc<Plan>,
    x: &Expr,
    q: &crate::expr::Subquery,
    plan_query: PlanQuery,
) -> Result<(Expr, bool)> {
    let mut correlated = false;
    let plan_ref = &*plan;
    let joined = match &q.kind {
        SubqueryKind::Scalar => {
            plan_query(&q.query, outer, false).and_then(|sub| {
                correlated = sub.correlation.is_some();
                let (j, name) = match &sub.correlation {
                    None => {
                        let v = scalar_value(&sub)?;
                        (cross_join(plan_ref, &v)?, x.to_string())
                    }
                    Some(c) => {
                        one_column(&sub, "a scalar subquery")?;
                        // Spark lists the outer columns it reads.
                        let name = format!("scalarsubquery({})", c.names.join(", "));
                        (super::correlated::scalar(plan_ref, &sub, c)?, name)
                    }
                };
                let at = j.schema.len() - 1;
                // Named as Spark names an unaliased scalar subquery.
                Ok((j, Expr::Alias(Box::new(column_at(at)), name)))
            })
        }
        SubqueryKind::Exists { negated } => plan_query(&q.query, outer, true)
            .inspect(|sub| correlated = sub.correlation.is_some())
            .and_then(|sub| super::existence::exists_value(plan_ref, &sub, *negated))
            .map(|(j, v)| (j, Expr::Alias(Box::new(v), x.to_string()))),
        SubqueryKind::In { arg, negated } => plan_query(&q.query, outer, false)
            .and_then(|sub| {
                if sub.width() != 1 {
                    return Err(in_length_mismatch(x, sub.width()));
                }
                super::existence::in_value(plan_ref, arg, &sub, *negated)
            })
            .map(|(j, v)| (j, Expr::Alias(Box::new(v), x.to_string()))),
    };
    let (j, v) = joined?;
    *plan = j;
    Ok((v, correlated))
}

/// Applies one WHERE conjunct that is `[NOT] IN (subquery)` or `[NOT]
/// EXISTS (subquery)` to `input`, keeping its columns; `None` when the
/// conjunct is something else.
pub fn filter_by_subquery(
    input: &Arc<Plan>,
    conjunct: &Expr,
    plan_query: PlanQuery,
) -> Result<Option<Arc<Plan>>> {
    let Expr::Subquery(q) = conjunct else {
        return Ok(None);
    };
    let n = input.schema.len();
    let keep = |p: &Arc<Plan>| -> Arc<Plan> {
        let s = Scope::new(p);
        let mut out = (**p).clone();
        out.node = PlanNode::Project {
            input: p.clone(),
            exprs: (0..n).map(|i| s.column(i)).collect(),
        };
        out.schema = input.schema.clone();
        out.qualifiers = input.qualifiers.clone();
        Arc::new(out)
    };
    let plan = match &q.kind {
        SubqueryKind::Scalar => return Ok(None),
        SubqueryKind::Exists { negated } => {
            let sub = plan_query(&q.query, input, true)?;
            if let Some(c) = &sub.correlation {
                return super::correlated::exists(input, &sub, c, *negated).map(Some);
            }
            let sub = sub.plan;
            let count = global(&sub, vec![(count_star(), "n", DataType::Int64, false)]);
            let joined = cross_join(input, &count)?;
            let op = if *negated { BinaryOp::Eq } else { BinaryOp::Gt };
            let test = Expr::Binary {
                op,
                left: Box::new(column_at(n)),
                right: Box::new(Expr::Literal(Scalar::Int64(0))),
            };
            keep(&super::filter(&joined, &test)?)
        }
        SubqueryKind::In { arg, negated } => {
            let sub = plan_query(&q.query, input, false)?;
            if sub.width() != 1 {
                return Err(in_length_mismatch(conjunct, sub.width()));
            }
            // The outer value as a column, so the join is on two columns.
            let with_value = with_value(input, arg)?;
            if let Some(c) = &sub.correlation {
                let joined = super::correlated::in_subquery(&with_value, &sub, c, *negated)?;
                return Ok(Some(keep(&joined)));
            }
            let sub = sub.plan;
            if !*negated {
                let semi = join_on_indexes(&with_value, &sub, &[n], &[0], JoinType::LeftSemi)?;
                keep(&semi)
            } else {
                let anti = join_on_indexes(&with_value, &sub, &[n], &[0], JoinType::LeftAnti)?;
                // Null-aware: the subquery's rows and non-null values.
                let s = Scope::new(&sub);
                let stats = global(
                    &sub,
                    vec![
                        (count_star(), "n", DataType::Int64, false),
                        (
                            AggCall {
                                func: AggFunc::Count,
                                arg: Some(s.column(0)),
                            },
                            "nn",
                            DataType::Int64,
                            false,
                        ),
                    ],
                );
                let joined = cross_join(&anti, &stats)?;
                let (rows, values) = (column_at(n + 1), column_at(n + 2));
                let empty = Expr::Binary {
                    op: BinaryOp::Eq,
                    left: Box::new(rows.clone()),
                    right: Box::new(Expr::Literal(Scalar::Int64(0))),
                };
                let no_nulls = Expr::Binary {
                    op: BinaryOp::Eq,
                    left: Box::new(values),
                    right: Box::new(rows),
                };
                let present = Expr::IsNotNull(Box::new(column_at(n)));
                let test = Expr::Binary {
                    op: BinaryOp::Or,
                    left: Box::new(empty),
                    right: Box::new(Expr::Binary {
                        op: BinaryOp::And,
                        left: Box::new(no_nulls),
                        right: Box::new(present),
                    }),
                };
                keep(&super::filter(&joined, &test)?)
            }
        }
    };
    Ok(Some(plan))
}

/// `input` with `arg`'s value as a last column `#in`: an IN's value, so
/// the join is on columns of both sides.
pub(super) fn with_value(input: &Arc<Plan>, arg: &Expr) -> Result<Arc<Plan>> {
    let scope = Scope::new(input);
    let value = resolve(arg, &scope)?;
    let mut exprs: Vec<TExpr> = (0..input.schema.len()).map(|i| scope.column(i)).collect();
    let mut fields = input.schema.fields.clone();
    fields.push(Field::new("#in", value.ty.clone(), value.nullable));
    exprs.push(value);
    let mut quals = input.qualifiers.clone();
    quals.push(None);
    Ok(Plan::with_qualifiers(
        PlanNode::Project {
            input: input.clone(),
            exprs,
        },
        Schema::new(fields),
        quals,
    ))
}

/// Spark's error for `x IN (subquery)` whose subquery has several columns.
fn in_length_mismatch(e: &Expr, width: usize) -> Error {
    Error::analysis(
        "DATATYPE_MISMATCH.IN_SUBQUERY_LENGTH_MISMATCH",
        format!(
            "Cannot resolve \"{e}\" due to data type mismatch: The number of columns in the left \
             hand side of an IN subquery does not match the number of columns in the output of \
             subquery. Left hand side columns(length: 1), right hand side columns(length: \
             {width})."
        ),
    )
}

/// Raises `[SCALAR_SUBQUERY_TOO_MANY_ROWS]` where evaluated (the planner
/// evaluates it only where a scalar subquery gave more than one row). Not
/// in the catalog by name.
struct TooManyRows;

impl ScalarFunction for TooManyRows {
    fn name(&self) -> &'static str {
        "scalar_subquery_check"
    }
    fn usage(&self) -> &'static str {
        "fails: a scalar subquery returned more than one row"
    }
    fn resolve(&self, args: Vec<TExpr>, _call: &Expr) -> Result<Resolved> {
        Ok(Resolved {
            func: FunctionRef::new(TooManyRows),
            args,
            ty: DataType::Null,
            nullable: true,
        })
    }
    fn invoke(&self, a: &[arrow::array::ArrayRef], rows: usize) -> Result<arrow::array::ArrayRef> {
        if rows > 0 {
            return Err(Error::execution(
                "SCALAR_SUBQUERY_TOO_MANY_ROWS",
                "More than one row returned by a subquery used as an expression.",
            ));
        }
        let _ = a;
        // No row to fail on: an empty result of any type.
        Ok(arrow::array::new_null_array(
            &arrow::datatypes::DataType::Null,
            0,
        ))
    }
}
