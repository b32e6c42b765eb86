//! Builders for typed IR and Arrow batches shared by the codegen tests.
#![allow(dead_code)]

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch,
    StringArray,
};
use arrow::datatypes::{
    Field as AField, Float64Type, Int32Type, Int64Type, Schema as ASchema, SchemaRef,
};
use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, ExecMode, Kernel, Scalar};

pub fn col(i: usize, name: &str, ty: DataType, nullable: bool) -> TExpr {
    TExpr::column(i, name, ty, nullable)
}

pub fn lit(v: Scalar) -> TExpr {
    TExpr::literal(v)
}

pub fn i32l(v: i32) -> TExpr {
    lit(Scalar::Int32(v))
}
pub fn i64l(v: i64) -> TExpr {
    lit(Scalar::Int64(v))
}
pub fn f64l(v: f64) -> TExpr {
    lit(Scalar::Float64(v))
}
pub fn strl(v: &str) -> TExpr {
    lit(Scalar::Utf8(v.into()))
}
pub fn null_of(ty: DataType) -> TExpr {
    TExpr::new(TExprKind::Literal(Scalar::Null), ty, true)
}

pub fn bin(op: BinaryOp, l: TExpr, r: TExpr) -> TExpr {
    let nullable = l.nullable || r.nullable;
    let ty = if op.is_comparison() || matches!(op, BinaryOp::And | BinaryOp::Or) {
        DataType::Boolean
    } else {
        l.ty.clone()
    };
    let nullable = if op == BinaryOp::EqNullSafe {
        false
    } else {
        nullable
    };
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

pub fn not(a: TExpr) -> TExpr {
    let n = a.nullable;
    TExpr::new(
        TExprKind::Unary {
            op: UnaryOp::Not,
            arg: Box::new(a),
        },
        DataType::Boolean,
        n,
    )
}

pub fn neg(a: TExpr) -> TExpr {
    let (t, n) = (a.ty.clone(), a.nullable);
    TExpr::new(
        TExprKind::Unary {
            op: UnaryOp::Neg,
            arg: Box::new(a),
        },
        t,
        n,
    )
}

pub fn cast(a: TExpr, to: DataType) -> TExpr {
    let n = a.nullable;
    TExpr::new(TExprKind::Cast { arg: Box::new(a) }, to, n)
}

pub fn call(func: ScalarFunc, args: Vec<TExpr>, ty: DataType) -> TExpr {
    let n = args.iter().any(|a| a.nullable);
    TExpr::new(TExprKind::Call { func, args }, ty, n)
}

pub fn case(branches: Vec<(TExpr, TExpr)>, otherwise: Option<TExpr>) -> TExpr {
    let ty = branches[0].1.ty.clone();
    TExpr::new(
        TExprKind::Case {
            branches,
            otherwise: otherwise.map(Box::new),
        },
        ty,
        true,
    )
}

pub fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(cols).unwrap()
}

pub fn input_of(b: &RecordBatch) -> Vec<ColumnType> {
    b.schema()
        .fields()
        .iter()
        .map(|f| ColumnType {
            ty: DataType::from_arrow(f.data_type()).unwrap(),
            nullable: f.is_nullable(),
        })
        .collect()
}

pub fn schema_of(exprs: &[TExpr]) -> SchemaRef {
    Arc::new(ASchema::new(
        exprs
            .iter()
            .enumerate()
            .map(|(i, e)| AField::new(format!("c{i}"), e.ty.to_arrow(), true))
            .collect::<Vec<_>>(),
    ))
}

pub fn compile(spec: &PipelineSpec, out: SchemaRef) -> Arc<dyn Kernel> {
    sqlc_compiler::compile(spec, out, ExecMode::Jit).unwrap()
}

/// Runs `steps` (the last a projection) over `b`.
pub fn run_steps(b: &RecordBatch, steps: Vec<Step>) -> sqlc_compiler::Result<RecordBatch> {
    let out = match steps.iter().rev().find_map(|s| match s {
        Step::Project(es) => Some(schema_of(es)),
        _ => None,
    }) {
        Some(s) => s,
        None => b.schema(),
    };
    let spec = PipelineSpec {
        input: input_of(b),
        steps,
        sink: PipelineSink::Collect,
    };
    let k = sqlc_compiler::compile(&spec, out, ExecMode::Jit)?;
    k.collect(b)
}

/// Projects `exprs` over `b`.
pub fn project(b: &RecordBatch, exprs: Vec<TExpr>) -> sqlc_compiler::Result<RecordBatch> {
    run_steps(b, vec![Step::Project(exprs)])
}

pub fn ints(a: &ArrayRef) -> Vec<Option<i64>> {
    match a.data_type() {
        arrow::datatypes::DataType::Int32 => a
            .as_primitive::<Int32Type>()
            .iter()
            .map(|v| v.map(i64::from))
            .collect(),
        arrow::datatypes::DataType::Date32 => a
            .as_primitive::<arrow::datatypes::Date32Type>()
            .iter()
            .map(|v| v.map(i64::from))
            .collect(),
        arrow::datatypes::DataType::Timestamp(..) => a
            .as_primitive::<arrow::datatypes::TimestampMicrosecondType>()
            .iter()
            .collect(),
        _ => a.as_primitive::<Int64Type>().iter().collect(),
    }
}

pub fn floats(a: &ArrayRef) -> Vec<Option<f64>> {
    a.as_primitive::<Float64Type>().iter().collect()
}

pub fn bools(a: &ArrayRef) -> Vec<Option<bool>> {
    a.as_boolean().iter().collect()
}

pub fn strs(a: &ArrayRef) -> Vec<Option<String>> {
    a.as_string::<i32>()
        .iter()
        .map(|s| s.map(String::from))
        .collect()
}

pub fn nulls(a: &ArrayRef) -> usize {
    a.null_count()
}

pub fn i32s(v: Vec<Option<i32>>) -> ArrayRef {
    Arc::new(Int32Array::from(v))
}
pub fn i64s(v: Vec<Option<i64>>) -> ArrayRef {
    Arc::new(Int64Array::from(v))
}
pub fn f64s(v: Vec<Option<f64>>) -> ArrayRef {
    Arc::new(Float64Array::from(v))
}
pub fn bs(v: Vec<Option<bool>>) -> ArrayRef {
    Arc::new(BooleanArray::from(v))
}
pub fn ss(v: Vec<Option<&str>>) -> ArrayRef {
    Arc::new(StringArray::from(v))
}
