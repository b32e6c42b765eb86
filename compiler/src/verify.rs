//! The IR verifier: checks the invariants [`crate::ir`] documents before a
//! pipeline is compiled, so that a resolver or planner bug is reported as
//! an `[INTERNAL_ERROR]` naming the broken rule, not as a wrong answer or a
//! crash inside generated code. Run on every pipeline [`crate::kernel::compile`]
//! compiles (the property tests go through it too); it costs a walk of the
//! expressions, nothing next to code generation.

use crate::error::{Error, Result};
use crate::ir::{BinaryOp, PipelineSink, PipelineSpec, Step, TExpr, TExprKind, UnaryOp};
use crate::types::DataType;

/// Checks every expression of `spec` against the IR's invariants.
pub fn verify(spec: &PipelineSpec) -> Result<()> {
    let mut width = spec.input.len();
    for step in &spec.steps {
        match step {
            Step::Filter(p) => {
                expr(p, width)?;
                want_bool(p, "a filter predicate")?;
            }
            Step::Project(es) => {
                for e in es {
                    expr(e, width)?;
                }
                width = es.len();
            }
        }
    }
    if let Some(a) = spec.sink.table_spec() {
        for k in &a.keys {
            expr(k, width)?;
        }
        for c in &a.aggs {
            if let Some(arg) = &c.arg {
                expr(arg, width)?;
            }
        }
        for s in &a.grouping_sets {
            if a.keys.len() < 64 && *s >> a.keys.len() != 0 {
                return Err(broken(format!(
                    "grouping set {s:#b} names a key beyond the {} keys",
                    a.keys.len()
                )));
            }
        }
        if let PipelineSink::Probe(_) = &spec.sink {
            if !a.aggs.is_empty() {
                return Err(broken("a probe sink's table spec has aggregates".into()));
            }
        }
    }
    Ok(())
}

fn broken(what: String) -> Error {
    Error::internal(format!("IR verifier: {what}"))
}

fn want_bool(e: &TExpr, what: &str) -> Result<()> {
    if matches!(e.ty, DataType::Boolean | DataType::Null) {
        Ok(())
    } else {
        Err(broken(format!(
            "{what} `{e}` has type {}, not boolean",
            e.ty
        )))
    }
}

/// Checks `e`, whose columns index an input of `width` columns.
fn expr(e: &TExpr, width: usize) -> Result<()> {
    crate::depth::grow(|| expr_node(e, width))
}

fn expr_node(e: &TExpr, width: usize) -> Result<()> {
    match &e.kind {
        TExprKind::Column { index, name } if *index >= width => {
            return Err(broken(format!(
                "column {index} ({name}) of an input of {width} columns"
            )))
        }
        TExprKind::Binary { op, left, right } => {
            // Decimal arithmetic keeps each operand's own precision and
            // scale (the result's follow from both, by Spark's rules).
            let decimal_arith =
                left.ty.is_decimal() && right.ty.is_decimal() && !op.is_comparison();
            if left.ty != right.ty
                && left.ty != DataType::Null
                && right.ty != DataType::Null
                && !decimal_arith
            {
                return Err(broken(format!(
                    "`{e}`: operands of {} have types {} and {} (casts must be explicit)",
                    op.symbol(),
                    left.ty,
                    right.ty
                )));
            }
            if op.is_comparison() && e.ty != DataType::Boolean {
                return Err(broken(format!("comparison `{e}` has type {}", e.ty)));
            }
            if *op == BinaryOp::Div && left.ty != DataType::Float64 && !decimal_arith {
                return Err(broken(format!(
                    "`/` on {} in `{e}` (only on double and decimal)",
                    left.ty
                )));
            }
            if matches!(op, BinaryOp::And | BinaryOp::Or) {
                want_bool(left, "an AND/OR operand")?;
                want_bool(right, "an AND/OR operand")?;
            }
        }
        TExprKind::Unary {
            op: UnaryOp::Not,
            arg,
        } => want_bool(arg, "a NOT operand")?,
        TExprKind::Case { branches, .. } => {
            for (c, _) in branches {
                want_bool(c, "a CASE condition")?;
            }
        }
        _ => {}
    }
    for c in e.children() {
        expr(c, width)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{ColumnType, PipelineSink};
    use crate::types::Scalar;

    fn spec(step: Step) -> PipelineSpec {
        PipelineSpec {
            input: vec![ColumnType {
                ty: DataType::Int64,
                nullable: false,
            }],
            steps: vec![step],
            sink: PipelineSink::Collect,
        }
    }

    #[test]
    fn broken_invariants_are_internal_errors() {
        let col = TExpr::column(0, "a", DataType::Int64, false);
        let ok = TExpr::new(
            TExprKind::Binary {
                op: BinaryOp::Gt,
                left: Box::new(col.clone()),
                right: Box::new(TExpr::literal(Scalar::Int64(1))),
            },
            DataType::Boolean,
            false,
        );
        assert!(verify(&spec(Step::Filter(ok))).is_ok());
        let mixed = TExpr::new(
            TExprKind::Binary {
                op: BinaryOp::Add,
                left: Box::new(col.clone()),
                right: Box::new(TExpr::literal(Scalar::Float64(1.0))),
            },
            DataType::Float64,
            false,
        );
        let e = verify(&spec(Step::Project(vec![mixed]))).unwrap_err();
        assert_eq!(e.class(), "INTERNAL_ERROR");
        assert!(e.to_string().contains("casts must be explicit"), "{e}");
        let far = TExpr::column(3, "x", DataType::Int64, false);
        assert!(verify(&spec(Step::Project(vec![far]))).is_err());
        assert!(verify(&spec(Step::Filter(col))).is_err());
    }
}
