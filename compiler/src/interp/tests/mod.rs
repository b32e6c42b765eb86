//! Unit tests of the interpreted twin against values Spark gives: helpers
//! that build expressions and run them, and the tests by topic.

mod aggregate;
mod errors;
mod logic;

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, StringArray,
};
use arrow::datatypes::{Field as ArrowField, Schema as ArrowSchema};
use arrow::record_batch::RecordBatch;

use crate::agg_table::{AggTable, TableLayout};
use crate::error::Error;
use crate::ir::*;
use crate::kernel::{ExecMode, Kernel};
use crate::types::{DataType, Scalar};
pub(super) fn col(i: usize, ty: DataType) -> TExpr {
    TExpr::column(i, &format!("c{i}"), ty, true)
}

pub(super) fn lit(v: Scalar) -> TExpr {
    TExpr::literal(v)
}

pub(super) fn bin(op: BinaryOp, l: TExpr, r: TExpr) -> TExpr {
    let ty = if op.is_comparison() || matches!(op, BinaryOp::And | BinaryOp::Or) {
        DataType::Boolean
    } else {
        l.ty.clone()
    };
    let nullable = l.nullable || r.nullable || op.is_arithmetic();
    TExpr::new(
        TExprKind::Binary {
            op,
            left: Box::new(l),
            right: Box::new(r),
        },
        ty,
        nullable,
    )
}

pub(super) fn not(a: TExpr) -> TExpr {
    TExpr::new(
        TExprKind::Unary {
            op: UnaryOp::Not,
            arg: Box::new(a),
        },
        DataType::Boolean,
        true,
    )
}

pub(super) fn cast(a: TExpr, ty: DataType) -> TExpr {
    TExpr::new(TExprKind::Cast { arg: Box::new(a) }, ty, true)
}

pub(super) fn batch(cols: Vec<ArrayRef>) -> RecordBatch {
    let fields: Vec<ArrowField> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| ArrowField::new(format!("c{i}"), c.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(Arc::new(ArrowSchema::new(fields)), cols).unwrap()
}

pub(super) fn input_of(b: &RecordBatch) -> Vec<ColumnType> {
    b.columns()
        .iter()
        .map(|c| ColumnType {
            ty: DataType::from_arrow(c.data_type()).unwrap(),
            nullable: true,
        })
        .collect()
}

/// Projects `exprs` over `b` (after an optional filter) with the interpreter.
pub(super) fn project(
    b: &RecordBatch,
    filter: Option<TExpr>,
    exprs: Vec<TExpr>,
) -> Result<Vec<ArrayRef>, Error> {
    let fields: Vec<ArrowField> = exprs
        .iter()
        .enumerate()
        .map(|(i, e)| ArrowField::new(format!("o{i}"), e.ty.to_arrow(), true))
        .collect();
    let mut steps: Vec<Step> = filter.into_iter().map(Step::Filter).collect();
    steps.push(Step::Project(exprs));
    let spec = PipelineSpec {
        input: input_of(b),
        steps,
        sink: PipelineSink::Collect,
    };
    let k = crate::kernel::compile(
        &spec,
        Arc::new(ArrowSchema::new(fields)),
        ExecMode::Interpret,
    )?;
    k.collect(b).map(|r| r.columns().to_vec())
}

pub(super) fn one(b: &RecordBatch, e: TExpr) -> Result<ArrayRef, Error> {
    project(b, None, vec![e]).map(|mut v| v.remove(0))
}

pub(super) fn bool_vals(a: &ArrayRef) -> Vec<Option<bool>> {
    a.as_any()
        .downcast_ref::<BooleanArray>()
        .unwrap()
        .iter()
        .collect()
}
