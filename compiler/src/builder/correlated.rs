//! Joining a decorrelated subquery back to the rows of its enclosing
//! relation. The SQL planner (`sql/correlate.rs`) plans a correlated
//! subquery once per distinct value of the outer columns it reads: its plan
//! ends with those values. Here it meets the outer rows again, matched on
//! them null-safely (a NULL outer value is a value of the domain too, as in
//! Spark's `DecorrelateInnerQuery` domain joins):
//! - `[NOT] EXISTS` — a left semi (anti) join on the outer values;
//! - `x [NOT] IN` — a left semi join on `x = value` and the outer values;
//!   NOT IN is null-aware per outer value: the row stays when the
//!   subquery has no row for it, or when `x` is not null, matches nothing
//!   and the subquery's values for it hold no null;
//! - a scalar subquery — its value per outer value (`first`, with
//!   `[SCALAR_SUBQUERY_TOO_MANY_ROWS]` above one row), left outer joined.

use std::sync::Arc;

use super::subquery::{at_most_one, Correlation, Sub};
use super::{aggregate, filter, join_exprs};
use crate::error::Result;
use crate::expr::Expr;
use crate::ir::{BinaryOp, TExpr, TExprKind};
use crate::plan::{JoinType, Plan, PlanNode};
use crate::resolve::Scope;
use crate::types::{DataType, Field, Scalar, Schema};

/// A value no key equals when it stands for NULL beside an `IS NULL` key;
/// `None` for types a join key never holds.
fn zero(t: &DataType) -> Option<Scalar> {
    Some(match t {
        DataType::Boolean => Scalar::Boolean(false),
        DataType::Int32 => Scalar::Int32(0),
        DataType::Int64 => Scalar::Int64(0),
        DataType::Float32 => Scalar::Float32(0.0),
        DataType::Float64 => Scalar::Float64(0.0),
        DataType::Decimal(p, s) => Scalar::Decimal(0, *p, *s),
        DataType::Utf8 => Scalar::Utf8(String::new()),
        DataType::Binary => Scalar::Binary(Vec::new()),
        DataType::Timestamp => Scalar::Timestamp(0),
        DataType::Date => Scalar::Date(0),
        DataType::TimestampNtz => Scalar::TimestampNtz(0),
        DataType::YearMonthInterval(a, b) => Scalar::YearMonthInterval(0, *a, *b),
        DataType::DayTimeInterval(a, b) => Scalar::DayTimeInterval(0, *a, *b),
        _ => return None,
    })
}

/// Join keys for `l <=> r`: the pair itself when neither is nullable, else
/// `(l IS NULL, r IS NULL)` and both coalesced to one value (a hash join
/// never matches a null key).
fn null_safe(l: TExpr, r: TExpr, lk: &mut Vec<TExpr>, rk: &mut Vec<TExpr>) {
    let z = zero(&l.ty).filter(|_| l.ty == r.ty && (l.nullable || r.nullable));
    let Some(z) = z else {
        lk.push(l);
        rk.push(r);
        return;
    };
    let is_null = |e: &TExpr| {
        TExpr::new(
            TExprKind::IsNull(Box::new(e.clone())),
            DataType::Boolean,
            false,
        )
    };
    let or_zero = |e: TExpr| {
        let ty = e.ty.clone();
        TExpr::new(
            TExprKind::Coalesce(vec![e, TExpr::literal(z.clone())]),
            ty,
            false,
        )
    };
    lk.push(is_null(&l));
    rk.push(is_null(&r));
    lk.push(or_zero(l));
    rk.push(or_zero(r));
}

/// The keys matching the outer expressions of `c` (over `left`) with
/// `right`'s columns from `first` on, one for one.
pub(super) fn outer_keys(c: &Correlation, right: &Plan, first: usize) -> (Vec<TExpr>, Vec<TExpr>) {
    let rs = Scope::new(right);
    let (mut lk, mut rk) = (Vec::new(), Vec::new());
    for (i, o) in c.outer.iter().enumerate() {
        let r = rs.column(first + i);
        if c.null_safe {
            null_safe(o.clone(), r, &mut lk, &mut rk);
        } else {
            lk.push(o.clone());
            rk.push(r);
        }
    }
    (lk, rk)
}

/// `c` matched against columns `0..n` of a relation (its own outer
/// expressions read the same columns of it).
fn on_columns(plan: &Plan, c: &Correlation, cols: impl Iterator<Item = usize>) -> Correlation {
    let s = Scope::new(plan);
    Correlation {
        outer: cols.map(|i| s.column(i)).collect(),
        null_safe: c.null_safe,
        single: c.single,
        names: Vec::new(),
        zero: None,
    }
}

/// A global aggregate grouped by its equalities (on a stream) is planned
/// for scalar subqueries only.
pub(super) fn refuse_zero(c: &Correlation) -> Result<()> {
    match c.zero {
        None => Ok(()),
        Some(_) => Err(crate::error::Error::not_supported(
            "IN (subquery) over a correlated aggregate on a stream",
        )),
    }
}

/// The rows of `domain` that no row of `rows` (whose columns from `first`
/// on hold domain values) has.
pub fn without_rows(domain: &Arc<Plan>, rows: &Arc<Plan>, first: usize) -> Result<Arc<Plan>> {
    let c = Correlation {
        outer: Vec::new(),
        null_safe: true,
        single: false,
        names: Vec::new(),
        zero: None,
    };
    let c = on_columns(domain, &c, 0..domain.schema.len());
    let (lk, rk) = outer_keys(&c, rows, first);
    join_exprs(domain, rows, lk, rk, JoinType::LeftAnti)
}

/// `[NOT] EXISTS`: the rows of `input` whose outer values the subquery has
/// rows for (has none for).
pub fn exists(input: &Arc<Plan>, sub: &Sub, c: &Correlation, negated: bool) -> Result<Arc<Plan>> {
    refuse_zero(c)?;
    let (lk, rk) = outer_keys(c, &sub.plan, sub.width());
    let how = if negated {
        JoinType::LeftAnti
    } else {
        JoinType::LeftSemi
    };
    join_exprs(input, &sub.plan, lk, rk, how)
}

/// `x [NOT] IN (subquery)` over `with_value` (the outer rows with `x` as
/// their last column); its first columns are the outer relation's.
pub fn in_subquery(
    with_value: &Arc<Plan>,
    sub: &Sub,
    c: &Correlation,
    negated: bool,
) -> Result<Arc<Plan>> {
    refuse_zero(c)?;
    let n = with_value.schema.len() - 1;
    let (mut lk, mut rk) = outer_keys(c, &sub.plan, 1);
    lk.insert(0, Scope::new(with_value).column(n));
    rk.insert(0, Scope::new(&sub.plan).column(0));
    if !negated {
        return join_exprs(with_value, &sub.plan, lk, rk, JoinType::LeftSemi);
    }
    let anti = join_exprs(with_value, &sub.plan, lk, rk, JoinType::LeftAnti)?;
    // Per outer value: the subquery's rows, and its non-null values.
    let k = c.outer.len();
    let key_cols: Vec<Expr> = (1..=k).map(Expr::ColumnAt).collect();
    let count = |arg: Expr| Expr::Function {
        name: "count".into(),
        args: vec![arg],
        distinct: false,
    };
    let mut items = key_cols.clone();
    items.push(count(Expr::Star).alias("#rows"));
    items.push(count(Expr::ColumnAt(0)).alias("#values"));
    let stats = aggregate(&sub.plan, &key_cols, None, &items)?;
    let (lk, rk) = outer_keys(c, &stats, 0);
    let joined = join_exprs(&anti, &stats, lk, rk, JoinType::LeftOuter)?;
    let (rows, values) = (Expr::ColumnAt(n + 1 + k), Expr::ColumnAt(n + 2 + k));
    let none = Expr::IsNull(Box::new(rows.clone()));
    let no_nulls = Expr::Binary {
        op: BinaryOp::Eq,
        left: Box::new(values),
        right: Box::new(rows),
    };
    let present = Expr::IsNotNull(Box::new(Expr::ColumnAt(n)));
    let test = Expr::Binary {
        op: BinaryOp::Or,
        left: Box::new(none),
        right: Box::new(Expr::Binary {
            op: BinaryOp::And,
            left: Box::new(no_nulls),
            right: Box::new(present),
        }),
    };
    filter(&joined, &test)
}

/// `plan` with the scalar subquery's value per outer value left outer
/// joined on as its last column (NULL where the subquery has no row).
pub fn scalar(plan: &Arc<Plan>, sub: &Sub, c: &Correlation) -> Result<Arc<Plan>> {
    let k = c.outer.len();
    let value = if c.single {
        // One row per outer value already: its value, then the values
        // it is matched on.
        sub.plan.clone()
    } else {
        let key_cols: Vec<Expr> = (1..=k).map(Expr::ColumnAt).collect();
        let mut items = key_cols.clone();
        items.extend([
            Expr::Function {
                name: "first".into(),
                args: vec![Expr::ColumnAt(0)],
                distinct: false,
            }
            .alias("#value"),
            Expr::Function {
                name: "count".into(),
                args: vec![Expr::Star],
                distinct: false,
            }
            .alias("#rows"),
        ]);
        let per_value = aggregate(&sub.plan, &key_cols, None, &items)?;
        // Value first, then the matched values, as the subquery.
        let s = Scope::new(&per_value);
        let checked = at_most_one(s.column(k), s.column(k + 1))?;
        let mut exprs = vec![checked.clone()];
        exprs.extend((0..k).map(|i| s.column(i)));
        let mut fields = vec![Field::new("#value", checked.ty.clone(), true)];
        fields.extend(per_value.schema.fields[..k].iter().cloned());
        Plan::new(
            PlanNode::Project {
                input: per_value.clone(),
                exprs,
            },
            Schema::new(fields),
        )
    };
    let (lk, rk) = outer_keys(c, &value, 1);
    let joined = join_exprs(plan, &value, lk, rk, JoinType::LeftOuter)?;
    let w = plan.schema.len();
    // An outer row no group matched: the aggregate over no rows.
    let (joined, value) = match &c.zero {
        None => {
            let v = Scope::new(&joined).column(w);
            (joined, v)
        }
        Some(zero) => {
            let both = super::cross_join(&joined, zero)?;
            let s = Scope::new(&both);
            let (v, z) = (s.column(w), s.column(joined.schema.len()));
            let unmatched = TExpr::new(
                TExprKind::IsNull(Box::new(s.column(w + 1))),
                DataType::Boolean,
                false,
            );
            let ty = v.ty.clone();
            let pick = TExpr::new(
                TExprKind::Case {
                    branches: vec![(unmatched, z)],
                    otherwise: Some(Box::new(v)),
                },
                ty,
                true,
            );
            (both, pick)
        }
    };
    // The value last, where the caller reads it.
    let s = Scope::new(&joined);
    let mut exprs: Vec<TExpr> = (0..w).map(|i| s.column(i)).collect();
    let mut fields = joined.schema.fields[..w].to_vec();
    fields.push(Field::new("#value", value.ty.clone(), true));
    exprs.push(value);
    let mut quals = joined.qualifiers[..w].to_vec();
    quals.push(None);
    Ok(Plan::with_qualifiers(
        PlanNode::Project {
            input: joined.clone(),
            exprs,
        },
        Schema::new(fields),
        quals,
    ))
}
