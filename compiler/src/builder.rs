//! Building resolved plans: the operations both front ends (SQL and the
//! DataFrame API) are made of. Each resolves its expressions against its
//! input at once, so errors surface where the user wrote them.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::{AggCall, AggFunc, TExpr, TExprKind};
use crate::plan::{JoinType, Plan, PlanNode, SortKey, SourceId};
use crate::resolve::{self, resolve, Scope};
use crate::types::{DataType, Field, Schema};

pub fn scan(source: SourceId, name: &str, schema: Schema, streaming: bool) -> Arc<Plan> {
    let q = vec![Some(name.to_string()); schema.len()];
    Plan::with_qualifiers(
        PlanNode::Scan {
            source,
            name: name.to_string(),
            streaming,
        },
        schema,
        q,
    )
}

pub fn filter(input: &Arc<Plan>, predicate: &Expr) -> Result<Arc<Plan>> {
    if predicate.contains_aggregate() {
        return Err(Error::Unsupported(format!(
            "[INVALID_WHERE_CONDITION] The WHERE condition `{predicate}` contains an aggregate function; use HAVING"
        )));
    }
    let p = resolve(predicate, &Scope::new(input))?;
    let p = match p.ty {
        DataType::Boolean => p,
        DataType::Null => resolve::cast(p, DataType::Boolean)?,
        _ => {
            return Err(Error::TypeMismatch {
                expr: predicate.to_string(),
                reason: format!(
                    "filter expression `{predicate}` of type {} is not a boolean",
                    p.ty
                ),
            })
        }
    };
    Ok(Plan::with_qualifiers(
        PlanNode::Filter {
            input: input.clone(),
            predicate: p,
        },
        input.schema.clone(),
        input.qualifiers.clone(),
    ))
}

/// Expands `*` and `t.*` into the input's columns.
pub fn expand_wildcards(input: &Plan, exprs: &[Expr]) -> Result<Vec<Expr>> {
    let mut out = Vec::new();
    for e in exprs {
        match e {
            Expr::Wildcard { qualifier } => {
                let mut any = false;
                for (i, f) in input.schema.fields.iter().enumerate() {
                    let q = &input.qualifiers[i];
                    let keep = match qualifier {
                        None => true,
                        Some(want) => q.as_deref().is_some_and(|q| q.eq_ignore_ascii_case(want)),
                    };
                    if keep {
                        any = true;
                        out.push(if column_name_is_unique(input, &f.name) {
                            Expr::Column {
                                qualifier: q.clone(),
                                name: f.name.clone(),
                            }
                        } else {
                            // `*` over duplicate names (a join's two `avg(x)`)
                            // refers by position, as Spark's star does.
                            Expr::Column {
                                qualifier: None,
                                name: format!("#agg{i}"),
                            }
                            .alias(&f.name)
                        });
                    }
                }
                // `data.*`: the fields of the struct column `data`.
                if let (false, Some(want)) = (any, qualifier) {
                    let scope = Scope::new(input);
                    if let Ok(i) = scope.lookup(None, want) {
                        if let DataType::Struct(fields) = &input.schema.fields[i].data_type {
                            let base = Expr::Column {
                                qualifier: None,
                                name: input.schema.fields[i].name.clone(),
                            };
                            for f in fields.iter() {
                                out.push(Expr::GetField(Box::new(base.clone()), f.name.clone()).alias(&f.name));
                            }
                            any = true;
                        }
                    }
                }
                if !any {
                    return Err(Error::UnresolvedColumn {
                        name: e.to_string(),
                        candidates: String::new(),
                    });
                }
            }
            e => out.push(e.clone()),
        }
    }
    Ok(out)
}

/// SELECT without GROUP BY: a projection, or a global aggregate when any
/// expression aggregates.
pub fn project(input: &Arc<Plan>, exprs: &[Expr]) -> Result<Arc<Plan>> {
    let exprs = expand_wildcards(input, exprs)?;
    if exprs.iter().any(Expr::contains_aggregate) {
        return aggregate(input, &[], None, &exprs);
    }
    let scope = Scope::new(input);
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut quals = Vec::new();
    for e in &exprs {
        let t = resolve(e, &scope)?;
        quals.push(match (&t.kind, e) {
            (TExprKind::Column { index, .. }, Expr::Column { .. }) => {
                input.qualifiers[*index].clone()
            }
            _ => None,
        });
        fields.push(Field::new(e.output_name(), t.ty.clone(), t.nullable));
        out.push(t);
    }
    Ok(Plan::with_qualifiers(
        PlanNode::Project {
            input: input.clone(),
            exprs: out,
        },
        Schema::new(fields),
        quals,
    ))
}

/// GROUP BY (with grouping sets as bitmasks over `keys`; `None` is a plain
/// GROUP BY) followed by the select list, which may mix keys, aggregate
/// calls and expressions over them. `having` filters the groups.
pub fn aggregate(
    input: &Arc<Plan>,
    keys: &[Expr],
    sets: Option<Vec<u64>>,
    select: &[Expr],
) -> Result<Arc<Plan>> {
    aggregate_having(input, keys, sets, select, None)
}

pub fn aggregate_having(
    input: &Arc<Plan>,
    keys: &[Expr],
    sets: Option<Vec<u64>>,
    select: &[Expr],
    having: Option<&Expr>,
) -> Result<Arc<Plan>> {
    if keys.len() > 63 {
        return Err(Error::Unsupported(
            "at most 63 grouping columns are supported".into(),
        ));
    }
    let scope = Scope::new(input);
    let tkeys = keys
        .iter()
        .map(|k| resolve(k, &scope))
        .collect::<Result<Vec<_>>>()?;
    let all = if keys.is_empty() {
        0
    } else {
        u64::MAX >> (64 - keys.len())
    };
    let sets = sets.unwrap_or_else(|| vec![all]);
    let rolled = |i: usize| sets.iter().any(|s| s & (1 << i) == 0);
    let mut fields: Vec<Field> = keys
        .iter()
        .zip(&tkeys)
        .enumerate()
        .map(|(i, (k, t))| Field::new(k.output_name(), t.ty.clone(), t.nullable || rolled(i)))
        .collect();
    if sets.len() > 1 {
        fields.push(Field::new("spark_grouping_id", DataType::Int64, false));
    }
    let mut calls: Vec<AggCall> = Vec::new();
    let mut agg_names: Vec<String> = Vec::new();
    let mut rewrite = Rewriter {
        input,
        tkeys: &tkeys,
        key_fields: fields.len(),
        calls: &mut calls,
        names: &mut agg_names,
    };
    let select = expand_wildcards(input, select)?;
    let mut projected = Vec::new();
    for e in &select {
        projected.push((e.output_name(), rewrite.rewrite(e)?));
    }
    let having = having.map(|h| rewrite.rewrite(h)).transpose()?;
    for (c, n) in calls.iter().zip(&agg_names) {
        let arg_ty = c.arg.as_ref().map(|a| a.ty.clone());
        let nullable = !matches!(c.func, AggFunc::Count | AggFunc::CountStar);
        fields.push(Field::new(
            n.clone(),
            c.func.result_type(arg_ty.as_ref()),
            nullable,
        ));
    }
    let agg = Plan::new(
        PlanNode::Aggregate {
            input: input.clone(),
            keys: tkeys.clone(),
            grouping_sets: sets,
            aggs: calls,
        },
        Schema::new(fields),
    );
    let agg = match having {
        Some(h) => filter(&agg, &h)?,
        None => agg,
    };
    let scope = Scope::new(&agg);
    let mut out = Vec::new();
    let mut out_fields = Vec::new();
    for (name, e) in &projected {
        let t = resolve(e, &scope)?;
        out_fields.push(Field::new(name.clone(), t.ty.clone(), t.nullable));
        out.push(t);
    }
    Ok(Plan::new(
        PlanNode::Project {
            input: agg,
            exprs: out,
        },
        Schema::new(out_fields),
    ))
}

/// Rewrites a select expression over the input into one over the aggregate's
/// output: group keys and aggregate calls become column references.
struct Rewriter<'a> {
    input: &'a Arc<Plan>,
    tkeys: &'a [TExpr],
    key_fields: usize,
    calls: &'a mut Vec<AggCall>,
    names: &'a mut Vec<String>,
}

impl Rewriter<'_> {
    fn col(i: usize) -> Expr {
        Expr::Column {
            qualifier: None,
            name: format!("#agg{i}"),
        }
    }

    fn rewrite(&mut self, e: &Expr) -> Result<Expr> {
        let mut err = None;
        let out = e.transform(&mut |x| {
            if err.is_some() {
                return Some(x.clone());
            }
            match self.replace(x) {
                Ok(r) => r,
                Err(e) => {
                    err = Some(e);
                    Some(x.clone())
                }
            }
        });
        err.map_or(Ok(out), Err)
    }

    /// The replacement for one node: a column reference for a group key or
    /// an aggregate call; `None` to look inside it.
    fn replace(&mut self, e: &Expr) -> Result<Option<Expr>> {
        if let Expr::Function {
            name,
            args,
            distinct,
        } = e
        {
            if resolve::is_aggregate_name(name) {
                return self.aggregate_call(e, name, args, *distinct).map(Some);
            }
        }
        if matches!(e, Expr::Literal(_) | Expr::Alias(..)) || e.contains_aggregate() {
            return Ok(None);
        }
        let scope = Scope::new(self.input);
        match resolve(e, &scope) {
            Ok(t) => match self.tkeys.iter().position(|k| *k == t) {
                Some(i) => Ok(Some(Self::col(i))),
                None if matches!(e, Expr::Column { .. }) => Err(Error::Unsupported(format!(
                    "[MISSING_AGGREGATION] The non-aggregating expression `{e}` is based on columns which are \
                     not participating in the GROUP BY clause. Add the columns to the GROUP BY, or wrap them \
                     in an aggregate function such as first() or any_value()."
                ))),
                None => Ok(None),
            },
            // A bare column that does not resolve: report it as such.
            Err(err) if matches!(e, Expr::Column { .. }) => Err(err),
            Err(_) => Ok(None),
        }
    }

    fn aggregate_call(
        &mut self,
        e: &Expr,
        name: &str,
        args: &[Expr],
        distinct: bool,
    ) -> Result<Expr> {
        if distinct {
            return Err(Error::Unsupported(format!(
                "`{e}`: aggregate functions with DISTINCT are not supported yet"
            )));
        }
        let scope = Scope::new(self.input);
        let lname = name.to_ascii_lowercase();
        let (func, arg) = match (lname.as_str(), args) {
            ("count", [Expr::Star]) | ("count", []) => (AggFunc::CountStar, None),
            ("count", [Expr::Literal(v)]) if !v.is_null() => (AggFunc::CountStar, None),
            ("count", [a]) => (AggFunc::Count, Some(resolve(a, &scope)?)),
            ("sum" | "avg" | "mean" | "min" | "max", [a]) => {
                if a.contains_aggregate() {
                    return Err(Error::Unsupported(format!(
                        "[NESTED_AGGREGATE_FUNCTION] It is not allowed to use an aggregate function in the argument of another aggregate function: `{e}`"
                    )));
                }
                let t = resolve(a, &scope)?;
                let func = match lname.as_str() {
                    "sum" => AggFunc::Sum,
                    "avg" | "mean" => AggFunc::Avg,
                    "min" => AggFunc::Min,
                    _ => AggFunc::Max,
                };
                let t = match func {
                    AggFunc::Sum | AggFunc::Avg
                        if t.ty == DataType::Utf8 || t.ty == DataType::Null =>
                    {
                        resolve::cast(t, DataType::Float64)?
                    }
                    AggFunc::Sum | AggFunc::Avg if !t.ty.is_numeric() => {
                        return Err(Error::TypeMismatch {
                            expr: e.to_string(),
                            reason: format!(
                                "the argument of {lname} requires a numeric type, not {}",
                                t.ty
                            ),
                        })
                    }
                    _ => t,
                };
                (func, Some(t))
            }
            _ => {
                return Err(Error::Unsupported(format!(
                    "[WRONG_NUM_ARGS] `{lname}` takes one argument (count also takes *), got {}",
                    args.len()
                )))
            }
        };
        let call = AggCall { func, arg };
        let i = match self.calls.iter().position(|c| *c == call) {
            Some(i) => i,
            None => {
                self.calls.push(call);
                self.names.push(e.to_string());
                self.calls.len() - 1
            }
        };
        Ok(Self::col(self.key_fields + i))
    }
}

fn column_name_is_unique(plan: &Plan, name: &str) -> bool {
    plan.schema
        .fields
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case(name))
        .count()
        == 1
}

/// Resolves a positional `#aggN` reference (column N of the input), as
/// [`Rewriter`] and `*` over duplicate names produce them.
pub(crate) fn agg_ref_index(name: &str) -> Option<usize> {
    name.strip_prefix("#agg")?.parse().ok()
}

pub fn sort(input: &Arc<Plan>, keys: &[(Expr, bool, Option<bool>)]) -> Result<Arc<Plan>> {
    let scope = Scope::new(input);
    let keys = keys
        .iter()
        .map(|(e, asc, nulls_first)| {
            Ok(SortKey {
                expr: resolve(e, &scope)?,
                ascending: *asc,
                nulls_first: nulls_first.unwrap_or(*asc),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Plan::with_qualifiers(
        PlanNode::Sort {
            input: input.clone(),
            keys,
        },
        input.schema.clone(),
        input.qualifiers.clone(),
    ))
}

pub fn limit(input: &Arc<Plan>, n: usize) -> Arc<Plan> {
    Plan::with_qualifiers(
        PlanNode::Limit {
            input: input.clone(),
            n,
        },
        input.schema.clone(),
        input.qualifiers.clone(),
    )
}

pub fn watermark(input: &Arc<Plan>, column: &str, delay_us: i64) -> Result<Arc<Plan>> {
    let scope = Scope::new(input);
    let i = scope.lookup(None, column)?;
    let ty = &input.schema.fields[i].data_type;
    if *ty != DataType::Timestamp {
        return Err(Error::TypeMismatch {
            expr: column.to_string(),
            reason: format!("Event time must be defined on a window or a timestamp, but {column} is of type {ty}"),
        });
    }
    Ok(Plan::with_qualifiers(
        PlanNode::Watermark {
            input: input.clone(),
            column: i,
            delay_us,
        },
        input.schema.clone(),
        input.qualifiers.clone(),
    ))
}

pub fn deduplicate(input: &Arc<Plan>, columns: &[String]) -> Result<Arc<Plan>> {
    let scope = Scope::new(input);
    let keys = if columns.is_empty() {
        (0..input.schema.len()).collect()
    } else {
        columns
            .iter()
            .map(|c| scope.lookup(None, c))
            .collect::<Result<Vec<_>>>()?
    };
    Ok(Plan::with_qualifiers(
        PlanNode::Deduplicate {
            input: input.clone(),
            keys,
        },
        input.schema.clone(),
        input.qualifiers.clone(),
    ))
}

/// A join on columns named alike on both sides (`on=["gt","model"]`):
/// the output has each join column once (from the left, or the non-null side
/// for outer joins, as Spark's USING), then the other columns of each side.
pub fn join_using(
    left: &Arc<Plan>,
    right: &Arc<Plan>,
    columns: &[String],
    how: JoinType,
) -> Result<Arc<Plan>> {
    let (ls, rs) = (Scope::new(left), Scope::new(right));
    let li = columns
        .iter()
        .map(|c| ls.lookup(None, c))
        .collect::<Result<Vec<_>>>()?;
    let ri = columns
        .iter()
        .map(|c| rs.lookup(None, c))
        .collect::<Result<Vec<_>>>()?;
    let joined = join_on_indexes(left, right, &li, &ri, how)?;
    if matches!(how, JoinType::LeftSemi | JoinType::LeftAnti) {
        return Ok(joined);
    }
    let nl = left.schema.len();
    let mut exprs = Vec::new();
    let scope = Scope::new(&joined);
    for (&l, &r) in li.iter().zip(&ri) {
        let lc = scope.column(l);
        let rc = scope.column(nl + r);
        exprs.push(match how {
            JoinType::RightOuter => rc,
            JoinType::FullOuter => {
                let ty = lc.ty.clone();
                TExpr::new(
                    TExprKind::Coalesce(vec![lc.clone(), resolve::cast(rc, ty.clone())?]),
                    ty,
                    true,
                )
            }
            _ => lc,
        });
    }
    let mut quals: Vec<Option<String>> = vec![None; li.len()];
    for i in (0..nl).filter(|i| !li.contains(i)) {
        exprs.push(scope.column(i));
        quals.push(left.qualifiers[i].clone());
    }
    for i in (0..right.schema.len()).filter(|i| !ri.contains(i)) {
        exprs.push(scope.column(nl + i));
        quals.push(right.qualifiers[i].clone());
    }
    let fields = exprs
        .iter()
        .zip(
            li.iter()
                .map(|&i| &left.schema.fields[i].name)
                .chain(
                    (0..nl)
                        .filter(|i| !li.contains(i))
                        .map(|i| &left.schema.fields[i].name),
                )
                .chain(
                    (0..right.schema.len())
                        .filter(|i| !ri.contains(i))
                        .map(|i| &right.schema.fields[i].name),
                ),
        )
        .map(|(e, n)| Field::new(n.clone(), e.ty.clone(), e.nullable))
        .collect();
    Ok(Plan::with_qualifiers(
        PlanNode::Project {
            input: joined,
            exprs,
        },
        Schema::new(fields),
        quals,
    ))
}

/// A join on an expression: a conjunction of equalities between a column
/// of each side.
pub fn join_on(left: &Arc<Plan>, right: &Arc<Plan>, on: &Expr, how: JoinType) -> Result<Arc<Plan>> {
    let mut conj = Vec::new();
    fn split<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
        match e {
            Expr::Binary {
                op: crate::ir::BinaryOp::And,
                left,
                right,
            } => {
                split(left, out);
                split(right, out);
            }
            e => out.push(e),
        }
    }
    split(on, &mut conj);
    let (ls, rs) = (Scope::new(left), Scope::new(right));
    let (mut li, mut ri) = (Vec::new(), Vec::new());
    for c in conj {
        let Expr::Binary {
            op: crate::ir::BinaryOp::Eq,
            left: a,
            right: b,
        } = c
        else {
            return Err(Error::Unsupported(format!(
                "join condition `{c}` is not an equality between the two sides; only equi-joins are supported"
            )));
        };
        let pair = match (resolve(a, &ls), resolve(b, &rs)) {
            (Ok(x), Ok(y)) => (x, y),
            _ => (resolve(b, &ls)?, resolve(a, &rs)?),
        };
        li.push(pair.0);
        ri.push(pair.1);
    }
    join_exprs(left, right, li, ri, how)
}

fn join_on_indexes(
    left: &Arc<Plan>,
    right: &Arc<Plan>,
    li: &[usize],
    ri: &[usize],
    how: JoinType,
) -> Result<Arc<Plan>> {
    let (ls, rs) = (Scope::new(left), Scope::new(right));
    join_exprs(
        left,
        right,
        li.iter().map(|&i| ls.column(i)).collect(),
        ri.iter().map(|&i| rs.column(i)).collect(),
        how,
    )
}

fn join_exprs(
    left: &Arc<Plan>,
    right: &Arc<Plan>,
    lk: Vec<TExpr>,
    rk: Vec<TExpr>,
    how: JoinType,
) -> Result<Arc<Plan>> {
    let mut left_keys = Vec::new();
    let mut right_keys = Vec::new();
    for (l, r) in lk.into_iter().zip(rk) {
        let ty = resolve::comparison_type(&l.ty, &r.ty).ok_or_else(|| Error::TypeMismatch {
            expr: format!("{l} = {r}"),
            reason: format!("cannot join {} with {}", l.ty, r.ty),
        })?;
        left_keys.push(resolve::cast(l, ty.clone())?);
        right_keys.push(resolve::cast(r, ty)?);
    }
    let mut fields = left.schema.fields.clone();
    let mut quals = left.qualifiers.clone();
    let null_left = matches!(how, JoinType::RightOuter | JoinType::FullOuter);
    let null_right = matches!(how, JoinType::LeftOuter | JoinType::FullOuter);
    if null_left {
        fields.iter_mut().for_each(|f| f.nullable = true);
    }
    if !matches!(how, JoinType::LeftSemi | JoinType::LeftAnti) {
        fields.extend(right.schema.fields.iter().map(|f| Field {
            nullable: f.nullable || null_right,
            ..f.clone()
        }));
        quals.extend(right.qualifiers.iter().cloned());
    }
    Ok(Plan::with_qualifiers(
        PlanNode::Join {
            left: left.clone(),
            right: right.clone(),
            how,
            left_keys,
            right_keys,
        },
        Schema::new(fields),
        quals,
    ))
}
