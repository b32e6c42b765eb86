//! Building resolved plans: the operations both front ends (SQL and the
//! DataFrame API) are made of. Each resolves its expressions against its
//! input at once, so errors surface where the user wrote them.

mod aggregates;
mod generate;

/// The statistical and collecting aggregates' names (see `aggregates`).
pub use aggregates::NAMES as STAT_AGGREGATES;
pub mod correlated;
mod existence;
mod set_op;
pub mod subquery;

pub use generate::{contains_generator, generate, generator_call, nested_error, select_generators};
pub use set_op::{set_operation, union_by_name, SetOp};

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::ir::{AggCall, AggFunc, BinaryOp, TExpr, TExprKind, WindowKey};
use crate::plan::{JoinType, Plan, PlanNode, SortKey, SourceId};
use crate::resolve::{self, resolve, Scope};
use crate::types::{DataType, Field, Scalar, Schema};
use crate::window;

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
        return Err(Error::analysis(
            "INVALID_WHERE_CONDITION",
            format!("The WHERE condition `{predicate}` contains an aggregate function; use HAVING"),
        ));
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
    let out = Plan::with_qualifiers(
        PlanNode::Filter {
            input: input.clone(),
            predicate: p,
        },
        input.schema.clone(),
        input.qualifiers.clone(),
    );
    // The hidden join keys stay nameable above a WHERE.
    Ok(match input.hidden {
        0 => out,
        n => {
            let mut p = (*out).clone();
            p.hidden = n;
            Arc::new(p)
        }
    })
}

/// Expands `*` and `t.*` into the input's columns.
pub fn expand_wildcards(input: &Plan, exprs: &[Expr]) -> Result<Vec<Expr>> {
    let mut out = Vec::new();
    for e in exprs {
        match e {
            Expr::Wildcard { qualifier } => {
                let mut any = false;
                // `t.*` after a USING join: t's hidden keys first (unless
                // a shown key answers for t), as Spark's star lists them.
                let n = input.schema.len();
                let order = (n - input.hidden..n).chain(0..n - input.hidden);
                for i in order {
                    let f = &input.schema.fields[i];
                    let q = &input.qualifiers[i];
                    let shadowed = || {
                        (0..n - input.hidden).any(|j| {
                            input.qualifiers[j] == *q
                                && input.schema.fields[j].name.eq_ignore_ascii_case(&f.name)
                        })
                    };
                    let keep = match qualifier {
                        None => !input.is_hidden(i),
                        Some(want) => {
                            q.as_deref().is_some_and(|q| q.eq_ignore_ascii_case(want))
                                && !(input.is_hidden(i) && shadowed())
                        }
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
                            Expr::ColumnAt(i).alias(&f.name)
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
                                out.push(
                                    Expr::GetField(Box::new(base.clone()), f.name.clone())
                                        .alias(&f.name),
                                );
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
    let gens = select_generators(&exprs)?;
    if !gens.is_empty() {
        return generate::project_generated(input, &exprs, &gens);
    }
    if exprs.iter().any(Expr::contains_aggregate) {
        return aggregate(input, &[], None, &exprs);
    }
    let scope = Scope::new(input);
    let mut out = Vec::new();
    let mut fields = Vec::new();
    let mut quals = Vec::new();
    for e in &exprs {
        let (t, field, qualifier) = select_item(input, &scope, e)?;
        quals.push(qualifier);
        fields.push(field);
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

/// One select item over `input`: its expression, its output field, and
/// the qualifier it keeps (a column selected as written keeps its table's).
pub(crate) fn select_item(
    input: &Plan,
    scope: &Scope,
    e: &Expr,
) -> Result<(TExpr, Field, Option<String>)> {
    let t = resolve(e, scope)?;
    let (qualifier, name) = match (&t.kind, e) {
        (TExprKind::Column { index, .. }, Expr::Column { .. }) => {
            (input.qualifiers[*index].clone(), e.output_name())
        }
        // A reference by position keeps the column's name and qualifier.
        (TExprKind::Column { index, .. }, Expr::ColumnAt(_)) => (
            input.qualifiers[*index].clone(),
            input.schema.fields[*index].name.clone(),
        ),
        _ => (None, e.output_name()),
    };
    let field = Field::new(name, t.ty.clone(), t.nullable);
    Ok((t, field, qualifier))
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
    for e in select.iter().chain(having) {
        if generator_call(e).is_some() {
            return Err(Error::not_supported(format!(
                "a generator in an aggregating SELECT (`{e}`): aggregate in a subquery first"
            )));
        }
        if contains_generator(e) {
            return Err(nested_error(e));
        }
    }
    if keys.len() > 63 {
        return Err(Error::analysis(
            "GROUPING_SIZE_LIMIT_EXCEEDED",
            "at most 63 grouping columns are supported",
        ));
    }
    let scope = Scope::new(input);
    let windows: Vec<usize> = (0..keys.len())
        .filter(|&i| window::is_window_call(&keys[i]))
        .collect();
    if windows.len() > 1 {
        return Err(Error::analysis("UNSUPPORTED_EXPR_FOR_OPERATOR", 
            "Multiple time/session window expressions would result in a cartesian product of rows, \
             therefore they are currently not supported.",
        ));
    }
    let mut window = None;
    let mut tkeys = Vec::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        if windows.contains(&i) {
            let (time, spec) = window::resolve_window(k, &scope)?;
            window = Some(WindowKey {
                key: i,
                window: spec,
            });
            tkeys.push(time);
        } else {
            let t = resolve(k, &scope)?;
            if t.ty.contains_map() {
                // Spark 4.3 groups by maps; sqlc's aggregate table has no
                // map keys yet.
                return Err(Error::not_supported(format!(
                    "grouping by a map (`{k}`, {}); group by its keys or values (map_keys, m['k'])",
                    t.ty
                )));
            }
            tkeys.push(t);
        }
    }
    let all = if keys.is_empty() {
        0
    } else {
        u64::MAX >> (64 - keys.len())
    };
    let grouping_sets = sets.is_some();
    // A set listed twice (`GROUPING SETS((a), (a))`, `ROLLUP(a, (a))`) is
    // aggregated once and its rows output as often as it is listed, as
    // Spark does.
    let mut sets_times: Vec<(u64, i64)> = Vec::new();
    for s in sets.unwrap_or_else(|| vec![all]) {
        match sets_times.iter_mut().find(|(x, _)| *x == s) {
            Some((_, n)) => *n += 1,
            None => sets_times.push((s, 1)),
        }
    }
    let sets: Vec<u64> = sets_times.iter().map(|(s, _)| *s).collect();
    let rolled = |i: usize| sets.iter().any(|s| s & (1 << i) == 0);
    let mut fields: Vec<Field> = keys
        .iter()
        .zip(&tkeys)
        .enumerate()
        .map(|(i, (k, t))| match window {
            Some(w) if w.key == i => Field::new(k.output_name(), window::window_type(), rolled(i)),
            _ => Field::new(k.output_name(), t.ty.clone(), t.nullable || rolled(i)),
        })
        .collect();
    if sets.len() > 1 {
        fields.push(Field::new("spark_grouping_id", DataType::Int64, false));
    }
    let mut calls: Vec<AggCall> = Vec::new();
    let mut agg_names: Vec<String> = Vec::new();
    let mut rewrite = Rewriter {
        input,
        tkeys: &tkeys,
        window: window.map(|w| (w.key, &keys[w.key])),
        key_fields: fields.len(),
        grouping: grouping_sets.then_some(sets.len() > 1),
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
        let nullable = !c.func.never_null();
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
            window,
        },
        Schema::new(fields),
    );
    let agg = match having {
        Some(h) => filter(&agg, &h)?,
        None => agg,
    };
    let agg = repeat_listed_sets(agg, keys.len(), &sets_times);
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

/// The aggregate's rows, each as often as its grouping set was listed
/// (`times` per set); the plan itself when every set was listed once.
fn repeat_listed_sets(agg: Arc<Plan>, nkeys: usize, times: &[(u64, i64)]) -> Arc<Plan> {
    if times.iter().all(|(_, n)| *n == 1) {
        return agg;
    }
    let scope = Scope::new(&agg);
    let width = agg.schema.len();
    let count = if times.len() == 1 {
        TExpr::literal(Scalar::Int64(times[0].1))
    } else {
        // The hidden grouping id follows the keys.
        let spec = crate::ir::AggSpec {
            keys: (0..nkeys).map(|i| scope.column(i)).collect(),
            grouping_sets: times.iter().map(|(s, _)| *s).collect(),
            aggs: vec![],
            window: None,
            event_time_key: None,
        };
        let gid = scope.column(nkeys);
        TExpr::new(
            TExprKind::Case {
                branches: times
                    .iter()
                    .map(|(set, n)| {
                        let is_set = TExpr::binary(
                            BinaryOp::Eq,
                            gid.clone(),
                            TExpr::literal(Scalar::Int64(spec.grouping_id(*set))),
                            DataType::Boolean,
                            false,
                        );
                        (is_set, TExpr::literal(Scalar::Int64(*n)))
                    })
                    .collect(),
                otherwise: Some(Box::new(TExpr::literal(Scalar::Int64(1)))),
            },
            DataType::Int64,
            false,
        )
    };
    let mut exprs: Vec<TExpr> = (0..width).map(|i| scope.column(i)).collect();
    exprs.push(count);
    let mut fields = agg.schema.fields.clone();
    fields.push(Field::new("#times", DataType::Int64, false));
    let with_count = Plan::new(
        PlanNode::Project {
            input: agg.clone(),
            exprs,
        },
        Schema::new(fields),
    );
    Plan::with_qualifiers(
        PlanNode::Generate {
            input: with_count,
            generator: crate::generator::Generator::Replicate,
            args: vec![width],
            keep: width,
            outer: false,
        },
        agg.schema.clone(),
        agg.qualifiers.clone(),
    )
}

/// Rewrites a select expression over the input into one over the aggregate's
/// output: group keys and aggregate calls become column references.
struct Rewriter<'a> {
    input: &'a Arc<Plan>,
    tkeys: &'a [TExpr],
    /// The `window(..)` key, if any: its index and the call as written.
    window: Option<(usize, &'a Expr)>,
    key_fields: usize,
    /// For grouping sets (CUBE, ROLLUP, GROUPING SETS): whether the hidden
    /// grouping id is a column (more than one set); `None` for GROUP BY.
    grouping: Option<bool>,
    calls: &'a mut Vec<AggCall>,
    names: &'a mut Vec<String>,
}

impl Rewriter<'_> {
    fn col(i: usize) -> Expr {
        Expr::ColumnAt(i)
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
        if let Some(r) = self.window_ref(e)? {
            return Ok(Some(r));
        }
        if matches!(e, Expr::Literal(_) | Expr::Alias(..)) || e.contains_aggregate() {
            return Ok(None);
        }
        let scope = Scope::new(self.input);
        let window_key = self.window.map(|(i, _)| i);
        match resolve(e, &scope) {
            Ok(t) => match (0..self.tkeys.len())
                .position(|i| Some(i) != window_key && self.tkeys[i] == t)
            {
                Some(i) => Ok(Some(Self::col(i))),
                None if matches!(e, Expr::Column { .. } | Expr::ColumnAt(_)) => Err(Error::analysis("MISSING_AGGREGATION", format!(
                    "The non-aggregating expression `{e}` is based on columns which are \
                     not participating in the GROUP BY clause. Add the columns to the GROUP BY, or wrap them \
                     in an aggregate function such as first() or any_value()."
                ))),
                None => Ok(None),
            },
            // A bare column that does not resolve, or a call of a function
            // that does not exist: report it as such.
            Err(err) if matches!(e, Expr::Column { .. } | Expr::ColumnAt(_)) => Err(err),
            Err(err @ Error::UnknownFunction { .. }) => Err(err),
            Err(_) => Ok(None),
        }
    }

    /// A reference to the window key: the `window(..)` call itself, or the
    /// name `window` when the input has no such column.
    fn window_ref(&self, e: &Expr) -> Result<Option<Expr>> {
        let strip = |e: &'_ Expr| -> Expr {
            match e {
                Expr::Alias(inner, _) => (**inner).clone(),
                e => e.clone(),
            }
        };
        if window::is_window_call(e) && !matches!(e, Expr::Alias(..)) {
            return match self.window {
                Some((i, w)) if strip(w) == *e => Ok(Some(Self::col(i))),
                _ => Err(Error::analysis(
                    "MISSING_AGGREGATION",
                    format!(
                        "`{e}` is not a grouping expression: a window in the select \
                     list must be the one in the GROUP BY"
                    ),
                )),
            };
        }
        if let (
            Some((i, _)),
            Expr::Column {
                qualifier: None,
                name,
            },
        ) = (self.window, e)
        {
            let input_has = Scope::new(self.input).lookup(None, name).is_ok();
            if name.eq_ignore_ascii_case("window") && !input_has {
                return Ok(Some(Self::col(i)));
            }
        }
        Ok(None)
    }

    fn aggregate_call(
        &mut self,
        e: &Expr,
        name: &str,
        args: &[Expr],
        distinct: bool,
    ) -> Result<Expr> {
        let lname = name.to_ascii_lowercase();
        if lname == "grouping" || lname == "grouping_id" {
            return self.grouping(e, &lname, args);
        }
        if args.iter().any(Expr::contains_aggregate) {
            return Err(Error::analysis("NESTED_AGGREGATE_FUNCTION", format!(
                "It is not allowed to use an aggregate function in the argument of another aggregate function: `{e}`"
            )));
        }
        let scope = Scope::new(self.input);
        // Aggregates that are others over a boolean: `count_if(c)` counts
        // `CASE WHEN c THEN 1 END`, `bool_and`/`every` is the min of `c`,
        // `bool_or`/`some`/`any` the max (false < true), as in Spark.
        if let ("count_if" | "bool_and" | "every" | "bool_or" | "some" | "any", [a]) =
            (lname.as_str(), args)
        {
            let t = resolve(a, &scope)?;
            if !matches!(t.ty, DataType::Boolean | DataType::Null) {
                return Err(Error::analysis(
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                    format!(
                        "Cannot resolve \"{e}\" due to data type mismatch: the first parameter \
                         requires the \"BOOLEAN\" type, however \"{a}\" has the type \"{}\".",
                        t.ty.spark_name().to_uppercase()
                    ),
                ));
            }
            let (target, arg) = match lname.as_str() {
                "count_if" => (
                    "count",
                    Expr::Case {
                        operand: None,
                        branches: vec![(a.clone(), Expr::Literal(Scalar::Int32(1)))],
                        otherwise: None,
                    },
                ),
                "bool_and" | "every" => ("min", a.clone()),
                _ => ("max", a.clone()),
            };
            return self.aggregate_call(e, target, &[arg], distinct);
        }
        let mut name = e.to_string();
        let stat = match aggregates::resolve_call(e, &lname, args, &scope)? {
            Some(r) if distinct => Some(aggregates::distinct(e, r)?),
            other => other,
        };
        let (func, arg) = match (lname.as_str(), args) {
            _ if stat.is_some() => {
                let r = stat.expect("matched Some");
                if let Some(n) = r.name {
                    name = n;
                }
                (r.func, Some(r.arg))
            }
            ("count", [Expr::Star] | []) if !distinct => (AggFunc::CountStar, None),
            ("count", [Expr::Literal(v)]) if !v.is_null() && !distinct => {
                (AggFunc::CountStar, None)
            }
            ("count", [a]) => {
                let func = if distinct {
                    AggFunc::CountDistinct
                } else {
                    AggFunc::Count
                };
                (func, Some(resolve(a, &scope)?))
            }
            ("min" | "max", [a]) => {
                let func = if lname == "min" {
                    AggFunc::Min
                } else {
                    AggFunc::Max
                };
                (func, Some(resolve(a, &scope)?))
            }
            (
                "first" | "first_value" | "any_value" | "last" | "last_value",
                [a] | [a, Expr::Literal(Scalar::Boolean(_))],
            ) => {
                let ignore_nulls = matches!(args, [_, Expr::Literal(Scalar::Boolean(true))]);
                let func = if lname.starts_with("last") {
                    AggFunc::Last { ignore_nulls }
                } else {
                    AggFunc::First { ignore_nulls }
                };
                (func, Some(resolve(a, &scope)?))
            }
            (
                "sum" | "avg" | "mean" | "stddev" | "std" | "stddev_samp" | "stddev_pop"
                | "variance" | "var_samp" | "var_pop",
                [a],
            ) => {
                let func = match (lname.as_str(), distinct) {
                    ("sum", false) => AggFunc::Sum,
                    ("sum", true) => AggFunc::SumDistinct,
                    ("avg" | "mean", false) => AggFunc::Avg,
                    ("avg" | "mean", true) => AggFunc::AvgDistinct,
                    (_, true) => {
                        return Err(Error::not_supported(format!(
                            "`{e}`: DISTINCT is not supported in {lname}"
                        )))
                    }
                    ("stddev_pop", _) => AggFunc::StddevPop,
                    ("variance" | "var_samp", _) => AggFunc::VarSamp,
                    ("var_pop", _) => AggFunc::VarPop,
                    _ => AggFunc::StddevSamp,
                };
                let arg = resolve(a, &scope)?;
                if arg.ty.is_interval() && matches!(func, AggFunc::Sum | AggFunc::Avg) {
                    (func, Some(arg))
                } else {
                    (func, Some(numeric_arg(e, &lname, arg)?))
                }
            }
            ("count", [_, _, ..]) if distinct => {
                return Err(Error::not_supported(format!(
                    "`{e}`: count(DISTINCT) of several columns is not supported"
                )))
            }
            ("first" | "first_value" | "any_value" | "last" | "last_value", [_, _]) => {
                return Err(Error::TypeMismatch {
                    expr: e.to_string(),
                    reason: format!(
                        "the second argument of {lname} (ignoreNulls) must be a boolean literal"
                    ),
                })
            }
            _ => {
                return Err(Error::analysis(
                    "WRONG_NUM_ARGS",
                    format!(
                        "`{lname}` takes one argument (count also takes *), got {}",
                        args.len()
                    ),
                ))
            }
        };
        if arg.as_ref().is_some_and(|a| !deterministic(a)) {
            return Err(Error::analysis(
                "AGGREGATE_FUNCTION_WITH_NONDETERMINISTIC_EXPRESSION",
                format!(
                    "Non-deterministic expression \"{e}\" should not appear in the arguments of an aggregate function."
                ),
            ));
        }
        let call = AggCall { func, arg };
        let i = match self.calls.iter().position(|c| *c == call) {
            Some(i) => i,
            None => {
                self.calls.push(call);
                self.names.push(name);
                self.calls.len() - 1
            }
        };
        Ok(Self::col(self.key_fields + i))
    }

    /// `grouping(k)` (tinyint in Spark, int here: 1 when `k` is rolled up in
    /// the row) and `grouping_id([keys])` (bigint): read off the aggregate's
    /// hidden grouping id, whose bit (n-1-i) is set when key i is rolled up.
    fn grouping(&mut self, e: &Expr, lname: &str, args: &[Expr]) -> Result<Expr> {
        let Some(has_id) = self.grouping else {
            return Err(Error::analysis(
                "UNSUPPORTED_GROUPING_EXPRESSION",
                format!(
                    "grouping()/grouping_id() can only be used with \
                 GroupingSets/Cube/Rollup: `{e}`"
                ),
            ));
        };
        let scope = Scope::new(self.input);
        let n = self.tkeys.len();
        let keys: Vec<String> = self.tkeys.iter().map(|k| k.to_string()).collect();
        let mut positions = Vec::new();
        for a in args {
            let t = resolve(a, &scope)?;
            match self.tkeys.iter().position(|k| *k == t) {
                Some(i) => positions.push(i),
                None if lname == "grouping" => {
                    return Err(Error::analysis(
                        "GROUPING_COLUMN_MISMATCH",
                        format!(
                            "Column of grouping ({a}) can't be found in grouping columns ({})",
                            keys.join(", ")
                        ),
                    ))
                }
                None => positions.push(usize::MAX),
            }
        }
        let gid = if has_id {
            Self::col(n)
        } else {
            Expr::Literal(Scalar::Int64(0))
        };
        let int64 = |v: i64| Expr::Literal(Scalar::Int64(v));
        match (lname, positions.as_slice()) {
            ("grouping", &[i]) => {
                let p = 1i64 << (n - 1 - i);
                let masked = if i == 0 {
                    gid
                } else {
                    gid.binary(BinaryOp::Mod, int64(p << 1))
                };
                Ok(Expr::Case {
                    operand: None,
                    branches: vec![(
                        masked.binary(BinaryOp::GtEq, int64(p)),
                        Expr::Literal(Scalar::Int32(1)),
                    )],
                    otherwise: Some(Box::new(Expr::Literal(Scalar::Int32(0)))),
                })
            }
            ("grouping", _) => Err(Error::analysis(
                "WRONG_NUM_ARGS",
                format!("`grouping` takes one argument, got {}", args.len()),
            )),
            (_, p) if p.is_empty() || p.iter().copied().eq(0..n) => Ok(gid),
            _ => Err(Error::analysis(
                "GROUPING_ID_COLUMN_MISMATCH",
                format!(
                    "Columns of grouping_id ({}) does not match grouping columns ({})",
                    args.iter()
                        .map(|a| a.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    keys.join(", ")
                ),
            )),
        }
    }
}

/// The argument of sum/avg/variance/stddev: numeric, a string or null cast
/// to double as Spark does.
fn numeric_arg(e: &Expr, lname: &str, t: TExpr) -> Result<TExpr> {
    if t.ty == DataType::Utf8 || t.ty == DataType::Null {
        return resolve::cast(t, DataType::Float64);
    }
    if !t.ty.is_numeric() {
        return Err(Error::TypeMismatch {
            expr: e.to_string(),
            reason: format!(
                "the argument of {lname} requires a numeric type, not {}",
                t.ty
            ),
        });
    }
    Ok(t)
}

fn column_name_is_unique(plan: &Plan, name: &str) -> bool {
    plan.schema
        .fields
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case(name))
        .count()
        == 1
}

pub fn sort(input: &Arc<Plan>, keys: &[(Expr, bool, Option<bool>)]) -> Result<Arc<Plan>> {
    let scope = Scope::new(input);
    let keys = keys
        .iter()
        .map(|(e, asc, nulls_first)| {
            let expr = resolve(e, &scope)?;
            if expr.ty.contains_map() {
                return Err(Error::analysis(
                    "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE",
                    format!(
                        "Cannot resolve \"{e} {} NULLS {}\" due to data type mismatch: The `sortorder` does not support ordering on type \"{}\".",
                        if *asc { "ASC" } else { "DESC" },
                        if nulls_first.unwrap_or(*asc) { "FIRST" } else { "LAST" },
                        crate::functions::map::sql_type(&expr.ty)
                    ),
                ));
            }
            Ok(SortKey {
                expr,
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
    limit_offset(input, n, 0, &[])
}

/// The first `n` rows (`usize::MAX`: all) after `offset`, of each value of
/// the columns `per` when there are some.
pub fn limit_offset(input: &Arc<Plan>, n: usize, offset: usize, per: &[usize]) -> Arc<Plan> {
    Plan::with_qualifiers(
        PlanNode::Limit {
            input: input.clone(),
            n,
            offset,
            per: per.to_vec(),
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
    deduplicate_node(input, columns, false)
}

/// Spark 3.5's `dropDuplicatesWithinWatermark`: on a stream it needs a
/// watermark, and remembers each key until the watermark passes the event
/// time of its first row plus the delay.
pub fn deduplicate_within_watermark(input: &Arc<Plan>, columns: &[String]) -> Result<Arc<Plan>> {
    if input.is_streaming() && input.event_time_columns().is_empty() {
        return Err(Error::analysis(
            "UNSUPPORTED_STREAMING_OPERATION",
            "dropDuplicatesWithinWatermark is not supported on streaming DataFrames/DataSets \
             without watermark: call with_watermark(..) first",
        ));
    }
    deduplicate_node(input, columns, true)
}

/// Spark's refusal of map columns where rows are compared (DISTINCT,
/// deduplication, set operations other than UNION ALL).
pub fn refuse_map_columns(schema: &Schema, columns: &[usize]) -> Result<()> {
    for &i in columns {
        let f = &schema.fields[i];
        if f.data_type.contains_map() {
            return Err(Error::analysis(
                "UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE",
                format!(
                    "The feature is not supported: Cannot have MAP type columns in a set operation (INTERSECT, EXCEPT, etc.), but the type of column `{}` is \"{}\".",
                    f.name,
                    crate::functions::map::sql_type(&f.data_type)
                ),
            ));
        }
    }
    Ok(())
}

fn deduplicate_node(
    input: &Arc<Plan>,
    columns: &[String],
    within_watermark: bool,
) -> Result<Arc<Plan>> {
    let scope = Scope::new(input);
    let keys = if columns.is_empty() {
        (0..input.schema.len()).collect()
    } else {
        columns
            .iter()
            .map(|c| scope.lookup(None, c))
            .collect::<Result<Vec<_>>>()?
    };
    refuse_map_columns(&input.schema, &keys)?;
    Ok(Plan::with_qualifiers(
        PlanNode::Deduplicate {
            input: input.clone(),
            keys,
            within_watermark,
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
    Ok(visible(&join_using_keys(left, right, columns, how)?))
}

/// `join_using` keeping each side's key as hidden columns after the output
/// (`left.k`, `right.k` per key), so SQL can name `nt2.k` after
/// `nt1 NATURAL LEFT JOIN nt2` — the right side's own key, NULL where no
/// row matched — as Spark resolves it. A shown key keeps the qualifier of
/// the side whose key it equals (as before), and answers for that side.
pub fn join_using_keys(
    left: &Arc<Plan>,
    right: &Arc<Plan>,
    columns: &[String],
    how: JoinType,
) -> Result<Arc<Plan>> {
    let (left, right) = (&visible(left), &visible(right));
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
    let semi = matches!(how, JoinType::LeftSemi | JoinType::LeftAnti);
    let nl = left.schema.len();
    let mut exprs = Vec::new();
    let scope = Scope::new(&joined);
    for (&l, &r) in li.iter().zip(&ri) {
        let lc = scope.column(l);
        exprs.push(match how {
            JoinType::RightOuter => scope.column(nl + r),
            JoinType::FullOuter => {
                let ty = lc.ty.clone();
                let rc = resolve::cast(scope.column(nl + r), ty.clone())?;
                TExpr::new(TExprKind::Coalesce(vec![lc.clone(), rc]), ty, true)
            }
            _ => lc,
        });
    }
    // A join column keeps the qualifier of the side it comes from, so
    // `t1.*` after `t1 NATURAL JOIN t2` includes it, as in Spark.
    let mut quals: Vec<Option<String>> = li
        .iter()
        .zip(&ri)
        .map(|(&l, &r)| match how {
            JoinType::RightOuter => right.qualifiers[r].clone(),
            JoinType::FullOuter => None,
            _ => left.qualifiers[l].clone(),
        })
        .collect();
    for i in (0..nl).filter(|i| !li.contains(i)) {
        exprs.push(scope.column(i));
        quals.push(left.qualifiers[i].clone());
    }
    // Semi and anti joins output the left columns only, the join columns
    // first as for the other kinds (Spark's USING).
    for i in (0..right.schema.len()).filter(|i| !semi && !ri.contains(i)) {
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
        .collect::<Vec<_>>();
    let mut fields = fields;
    if !semi {
        for (&l, &r) in li.iter().zip(&ri) {
            for (i, q) in [(l, &left.qualifiers[l]), (nl + r, &right.qualifiers[r])] {
                let c = scope.column(i);
                fields.push(Field::new(
                    joined.schema.fields[i].name.clone(),
                    c.ty.clone(),
                    c.nullable,
                ));
                exprs.push(c);
                quals.push(q.clone());
            }
        }
    }
    let hidden = if semi { 0 } else { 2 * li.len() };
    let mut plan = (*Plan::with_qualifiers(
        PlanNode::Project {
            input: joined,
            exprs,
        },
        Schema::new(fields),
        quals,
    ))
    .clone();
    plan.hidden = hidden;
    Ok(Arc::new(plan))
}

/// `plan` without its hidden join keys (see [`join_using_keys`]).
pub fn visible(plan: &Arc<Plan>) -> Arc<Plan> {
    if plan.hidden == 0 {
        return plan.clone();
    }
    let n = plan.schema.len() - plan.hidden;
    let scope = Scope::new(plan);
    let quals = plan.qualifiers[..n].to_vec();
    Plan::with_qualifiers(
        PlanNode::Project {
            input: plan.clone(),
            exprs: (0..n).map(|i| scope.column(i)).collect(),
        },
        Schema::new(plan.schema.fields[..n].to_vec()),
        quals,
    )
}

/// A join on an expression: a conjunction of equalities between a column
/// of each side.
pub fn join_on(left: &Arc<Plan>, right: &Arc<Plan>, on: &Expr, how: JoinType) -> Result<Arc<Plan>> {
    let conj = on.conjuncts();
    let (ls, rs) = (Scope::new(left), Scope::new(right));
    let (mut li, mut ri) = (Vec::new(), Vec::new());
    let mut residual = Vec::new();
    for c in conj {
        // An equality between an expression of each side is a join key;
        // anything else is checked on the joined rows.
        let pair = match c {
            Expr::Binary {
                op: crate::ir::BinaryOp::Eq,
                left: a,
                right: b,
            } => match (resolve(a, &ls), resolve(b, &rs)) {
                (Ok(x), Ok(y)) => Some((x, y)),
                _ => match (resolve(b, &ls), resolve(a, &rs)) {
                    (Ok(x), Ok(y)) => Some((x, y)),
                    _ => None,
                },
            },
            _ => None,
        };
        match pair {
            Some((x, y)) => {
                li.push(x);
                ri.push(y);
            }
            None => residual.push(c),
        }
    }
    let join = join_exprs(left, right, li, ri, how)?;
    if residual.is_empty() {
        return Ok(join);
    }
    // The condition reads both sides' columns, as an inner join lays them out.
    let both = join_exprs(left, right, vec![], vec![], JoinType::Inner)?;
    let scope = Scope::new(&both);
    let mut cond: Option<TExpr> = None;
    for c in residual {
        let t = resolve(c, &scope)?;
        if t.ty != DataType::Boolean {
            return Err(Error::TypeMismatch {
                expr: c.to_string(),
                reason: format!("a join condition must be a boolean, not {}", t.ty),
            });
        }
        cond = Some(match cond {
            None => t,
            Some(p) => {
                let n = p.nullable || t.nullable;
                TExpr::binary(crate::ir::BinaryOp::And, p, t, DataType::Boolean, n)
            }
        });
    }
    let mut plan = (*join).clone();
    if let PlanNode::Join { condition, .. } = &mut plan.node {
        *condition = cond;
    }
    Ok(Arc::new(plan))
}

/// `CROSS JOIN` (and a comma-separated FROM list, a JOIN without ON):
/// every pair of rows, the left's columns then the right's.
pub fn cross_join(left: &Arc<Plan>, right: &Arc<Plan>) -> Result<Arc<Plan>> {
    join_exprs(left, right, vec![], vec![], JoinType::Inner)
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
            condition: None,
        },
        Schema::new(fields),
        quals,
    ))
}

/// Whether `e` gives the same value for the same input each time it is
/// evaluated: it calls none of the functions that draw or read where a row
/// is (`rand`, `uuid`, `spark_partition_id`, …), Spark's `Nondeterministic`.
fn deterministic(e: &TExpr) -> bool {
    if let TExprKind::Function { func, .. } = &e.kind {
        if !func.deterministic() {
            return false;
        }
    }
    e.children()
        .into_iter()
        .all(|c| crate::depth::grow(|| deterministic(c)))
}
