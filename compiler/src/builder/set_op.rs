//! Set operations: `UNION [ALL]`, `INTERSECT [ALL]`, `EXCEPT [ALL]` (SQL)
//! and `union`, `union_by_name`, `intersect`, `intersect_all`,
//! `except_all`, `subtract` (the DataFrame API), as Spark 4 plans them.
//!
//! Columns match by position (by name for `union_by_name`); each column
//! gets the widest type of its inputs, the first input's name, and is
//! nullable when any input's is. `UNION` is a union of rows, then distinct.
//! `INTERSECT` and `EXCEPT` (distinct and ALL) are, as in Spark's
//! optimizer, an aggregate over the tagged union of both sides counting
//! each distinct row on each side; the ALL forms then replicate each row
//! as often as it belongs in the answer. Nulls match nulls, as in Spark.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::generator::Generator;
use crate::ir::{AggCall, AggFunc, BinaryOp, TExpr, TExprKind};
use crate::plan::{Plan, PlanNode};
use crate::resolve::{self, Scope};
use crate::types::{DataType, Field, Scalar, Schema};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetOp {
    Union,
    Intersect,
    Except,
}

impl SetOp {
    fn name(self) -> &'static str {
        match self {
            SetOp::Union => "UNION",
            SetOp::Intersect => "INTERSECT",
            SetOp::Except => "EXCEPT",
        }
    }
}

/// `left op [ALL] right`, columns matched by position.
pub fn set_operation(
    op: SetOp,
    all: bool,
    left: &Arc<Plan>,
    right: &Arc<Plan>,
) -> Result<Arc<Plan>> {
    let (l, r) = widen(op, left, right)?;
    if !(op == SetOp::Union && all) {
        super::refuse_map_columns(
            &l.schema,
            (0..l.schema.len()).collect::<Vec<_>>().as_slice(),
        )?;
    }
    if op != SetOp::Union && (l.is_streaming() || r.is_streaming()) {
        return Err(Error::not_supported(format!(
            "{}{} with a streaming input (Spark runs it as a join; sqlc supports UNION of streams only)",
            op.name(),
            if all { " ALL" } else { "" }
        )));
    }
    match op {
        SetOp::Union => {
            let u = union_node(vec![l, r]);
            Ok(if all { u } else { distinct(&u) })
        }
        SetOp::Intersect | SetOp::Except => counted(op, all, &l, &r),
    }
}

/// DataFrame `union_by_name`: the right side's columns matched to the
/// left's by name (ignoring case); with `allow_missing`, a column either
/// side lacks is null there (the left's columns first, then the right's
/// extra ones).
pub fn union_by_name(
    left: &Arc<Plan>,
    right: &Arc<Plan>,
    allow_missing: bool,
) -> Result<Arc<Plan>> {
    let find = |p: &Plan, name: &str| p.schema.matches(name).first().copied();
    let mut names: Vec<String> = left.schema.fields.iter().map(|f| f.name.clone()).collect();
    for f in &right.schema.fields {
        if find(left, &f.name).is_none() {
            if !allow_missing {
                return Err(Error::analysis(
                    "NUM_COLUMNS_MISMATCH",
                    format!(
                        "UNION can only be performed on inputs with the same number of columns, \
                         but the first input has {} columns and the second input has {} columns.",
                        left.schema.len(),
                        right.schema.len()
                    ),
                ));
            }
            names.push(f.name.clone());
        }
    }
    let side = |p: &Arc<Plan>| -> Result<Arc<Plan>> {
        let scope = Scope::new(p);
        let mut exprs = Vec::new();
        let mut fields = Vec::new();
        for n in &names {
            let e = match find(p, n) {
                Some(i) => scope.column(i),
                None if allow_missing => {
                    TExpr::new(TExprKind::Literal(Scalar::Null), DataType::Null, true)
                }
                None => {
                    return Err(Error::UnresolvedColumn {
                        name: n.clone(),
                        candidates: p
                            .schema
                            .fields
                            .iter()
                            .map(|f| format!("`{}`", f.name))
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
                }
            };
            fields.push(Field::new(n.clone(), e.ty.clone(), e.nullable));
            exprs.push(e);
        }
        Ok(project(p, exprs, fields))
    };
    let (l, r) = (side(left)?, side(right)?);
    set_operation(SetOp::Union, true, &l, &r)
}

/// Each side projected to the common column types; errors as Spark's.
fn widen(op: SetOp, left: &Arc<Plan>, right: &Arc<Plan>) -> Result<(Arc<Plan>, Arc<Plan>)> {
    let (nl, nr) = (left.schema.len(), right.schema.len());
    if nl != nr {
        return Err(Error::analysis(
            "NUM_COLUMNS_MISMATCH",
            format!(
                "{} can only be performed on inputs with the same number of columns, but the \
                 first input has {nl} columns and the second input has {nr} columns.",
                op.name()
            ),
        ));
    }
    let mut types = Vec::with_capacity(nl);
    for (i, (a, b)) in left
        .schema
        .fields
        .iter()
        .zip(&right.schema.fields)
        .enumerate()
    {
        let t = resolve::common_type(&a.data_type, &b.data_type).ok_or_else(|| {
            Error::analysis(
                "INCOMPATIBLE_COLUMN_TYPE",
                format!(
                    "{} can only be performed on tables with compatible column types. The {} \
                     column of the second table is \"{}\" type which is not compatible with \
                     \"{}\" at the same column of the first table.",
                    op.name(),
                    ordinal(i + 1),
                    b.data_type.spark_name().to_uppercase(),
                    a.data_type.spark_name().to_uppercase()
                ),
            )
        })?;
        types.push(t);
    }
    // The union takes its names from the first input.
    let cast_side = |p: &Arc<Plan>, names_from: &Plan| -> Result<Arc<Plan>> {
        if p.schema
            .fields
            .iter()
            .zip(&types)
            .all(|(f, t)| f.data_type == *t)
        {
            return Ok(p.clone());
        }
        let scope = Scope::new(p);
        let mut exprs = Vec::with_capacity(types.len());
        let mut fields = Vec::with_capacity(types.len());
        for (i, t) in types.iter().enumerate() {
            let e = resolve::cast(scope.column(i), t.clone())?;
            fields.push(Field::new(
                names_from.schema.fields[i].name.clone(),
                t.clone(),
                e.nullable,
            ));
            exprs.push(e);
        }
        Ok(project(p, exprs, fields))
    };
    Ok((cast_side(left, left)?, cast_side(right, left)?))
}

/// A union of inputs with equal column types: nested unions flattened,
/// names from the first, nullable where any input is.
pub(crate) fn union_node(inputs: Vec<Arc<Plan>>) -> Arc<Plan> {
    let mut flat = Vec::new();
    for p in inputs {
        match &p.node {
            PlanNode::Union { inputs } => flat.extend(inputs.iter().cloned()),
            _ => flat.push(p),
        }
    }
    let mut fields = flat[0].schema.fields.clone();
    for p in &flat[1..] {
        for (f, g) in fields.iter_mut().zip(&p.schema.fields) {
            f.nullable |= g.nullable;
        }
    }
    let quals = flat[0].qualifiers.clone();
    Plan::with_qualifiers(PlanNode::Union { inputs: flat }, Schema::new(fields), quals)
}

fn distinct(p: &Arc<Plan>) -> Arc<Plan> {
    Plan::with_qualifiers(
        PlanNode::Deduplicate {
            input: p.clone(),
            keys: (0..p.schema.len()).collect(),
            within_watermark: false,
        },
        p.schema.clone(),
        p.qualifiers.clone(),
    )
}

/// INTERSECT and EXCEPT: group the tagged union by every column, count the
/// rows of each side, keep the groups the operation keeps, and (ALL)
/// replicate each as often as it belongs.
fn counted(op: SetOp, all: bool, l: &Arc<Plan>, r: &Arc<Plan>) -> Result<Arc<Plan>> {
    let n = l.schema.len();
    let tagged = |p: &Arc<Plan>, left: bool| {
        let scope = Scope::new(p);
        let mut exprs: Vec<TExpr> = (0..n).map(|i| scope.column(i)).collect();
        let mut fields = p.schema.fields.clone();
        for (name, on) in [("#left", left), ("#right", !left)] {
            exprs.push(TExpr::literal(Scalar::Int64(on as i64)));
            fields.push(Field::new(name, DataType::Int64, false));
        }
        project(p, exprs, fields)
    };
    let u = union_node(vec![tagged(l, true), tagged(r, false)]);
    let us = Scope::new(&u);
    let keys: Vec<TExpr> = (0..n).map(|i| us.column(i)).collect();
    let aggs = vec![
        AggCall {
            func: AggFunc::Sum,
            arg: Some(us.column(n)),
        },
        AggCall {
            func: AggFunc::Sum,
            arg: Some(us.column(n + 1)),
        },
    ];
    let mut fields = u.schema.fields[..n].to_vec();
    fields.push(Field::new("#left", DataType::Int64, false));
    fields.push(Field::new("#right", DataType::Int64, false));
    let agg = Plan::new(
        PlanNode::Aggregate {
            input: u.clone(),
            keys,
            grouping_sets: vec![if n == 0 { 0 } else { u64::MAX >> (64 - n) }],
            aggs,
            window: None,
        },
        Schema::new(fields),
    );
    let s = Scope::new(&agg);
    let (cl, cr) = (s.column(n), s.column(n + 1));
    let zero = || TExpr::literal(Scalar::Int64(0));
    let cmp = |op, a: &TExpr, b: TExpr| TExpr::binary(op, a.clone(), b, DataType::Boolean, false);
    let and = |a, b| TExpr::binary(BinaryOp::And, a, b, DataType::Boolean, false);
    let keep = match op {
        SetOp::Intersect => and(
            cmp(BinaryOp::Gt, &cl, zero()),
            cmp(BinaryOp::Gt, &cr, zero()),
        ),
        SetOp::Except if all => cmp(BinaryOp::Gt, &cl, cr.clone()),
        _ => and(
            cmp(BinaryOp::Gt, &cl, zero()),
            cmp(BinaryOp::Eq, &cr, zero()),
        ),
    };
    let kept = Plan::new(
        PlanNode::Filter {
            input: agg.clone(),
            predicate: keep,
        },
        agg.schema.clone(),
    );
    let mut exprs: Vec<TExpr> = (0..n).map(|i| s.column(i)).collect();
    let mut fields = l.schema.fields.clone();
    for (f, g) in fields.iter_mut().zip(&r.schema.fields) {
        // A row of the answer is one both sides (INTERSECT) or the left
        // (EXCEPT) have: nullable as those are.
        f.nullable = match op {
            SetOp::Intersect => f.nullable && g.nullable,
            _ => f.nullable,
        };
    }
    if !all {
        let out = project(&kept, exprs, fields);
        return Ok(with_qualifiers(out, l));
    }
    // How many times: min(left, right) for INTERSECT ALL, left − right for
    // EXCEPT ALL.
    let times = match op {
        SetOp::Intersect => TExpr::new(
            TExprKind::Case {
                branches: vec![(cmp(BinaryOp::Lt, &cl, cr.clone()), cl.clone())],
                otherwise: Some(Box::new(cr.clone())),
            },
            DataType::Int64,
            false,
        ),
        _ => TExpr::binary(
            BinaryOp::Sub,
            cl.clone(),
            cr.clone(),
            DataType::Int64,
            false,
        ),
    };
    exprs.push(times);
    let mut counted_fields = fields.clone();
    counted_fields.push(Field::new("#times", DataType::Int64, false));
    let with_times = project(&kept, exprs, counted_fields);
    let rep = Plan::new(
        PlanNode::Generate {
            input: with_times,
            generator: Generator::Replicate,
            args: vec![n],
            keep: n,
            outer: false,
        },
        Schema::new(fields),
    );
    Ok(with_qualifiers(rep, l))
}

fn project(input: &Arc<Plan>, exprs: Vec<TExpr>, fields: Vec<Field>) -> Arc<Plan> {
    Plan::new(
        PlanNode::Project {
            input: input.clone(),
            exprs,
        },
        Schema::new(fields),
    )
}

/// `p` with the qualifiers of `like` (the first input names the output).
fn with_qualifiers(p: Arc<Plan>, like: &Plan) -> Arc<Plan> {
    let mut q = (*p).clone();
    q.qualifiers = like.qualifiers.clone();
    Arc::new(q)
}

fn ordinal(i: usize) -> String {
    let suffix = match (i % 10, i % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{i}{suffix}")
}
