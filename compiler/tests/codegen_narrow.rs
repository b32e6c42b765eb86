//! TINYINT and SMALLINT in compiled kernels: every pair of TINYINT values
//! (and SMALLINT extremes beside a spread of others) through `+ - * %`,
//! negation, `abs`, comparisons and casts to and from them, compiled and
//! interpreted: the same rows, or the same error with the same message
//! (Spark's `BINARY_ARITHMETIC_OVERFLOW` naming the operands, the cast's
//! `CAST_OVERFLOW` naming the value as `200S`). And the JIT compiles them:
//! no fallback to the twin.

mod common;

use std::sync::Arc;

use arrow::array::{ArrayRef, Int16Array, Int8Array, RecordBatch};
use common::*;
use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, ExecMode};

/// The projection's rows as text, or the error as Spark prints it.
fn outcome(b: &RecordBatch, exprs: &[TExpr], mode: ExecMode) -> Result<Vec<String>, String> {
    let spec = PipelineSpec {
        input: input_of(b),
        steps: vec![Step::Project(exprs.to_vec())],
        sink: PipelineSink::Collect,
    };
    let k = sqlc_compiler::compile(&spec, schema_of(exprs), mode).unwrap();
    if mode == ExecMode::Jit {
        assert_eq!(k.explain().fallbacks, Vec::<String>::new(), "{exprs:?}");
    }
    let out = k.collect(b).map_err(|e| e.to_string())?;
    Ok((0..out.num_rows())
        .map(|i| {
            out.columns()
                .iter()
                .map(|c| arrow::util::display::array_value_to_string(c, i).unwrap())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect())
}

fn agree(b: &RecordBatch, exprs: &[TExpr]) -> Result<Vec<String>, String> {
    let jit = outcome(b, exprs, ExecMode::Jit);
    assert_eq!(jit, outcome(b, exprs, ExecMode::Interpret), "{exprs:?}");
    jit
}

fn arith(op: BinaryOp, l: TExpr, r: TExpr) -> TExpr {
    bin(op, l, r)
}

/// Per value `x`, a batch of `(x, y)` for every `y` (nulls included).
fn pairs<T: Copy>(xs: &[T], col: fn(Vec<Option<T>>) -> ArrayRef) -> Vec<RecordBatch> {
    xs.iter()
        .map(|&x| {
            let mut ys: Vec<Option<T>> = xs.iter().copied().map(Some).collect();
            ys.push(None);
            let n = ys.len();
            batch(vec![("x", col(vec![Some(x); n])), ("y", col(ys))])
        })
        .collect()
}

fn checks(ty: DataType, batches: &[RecordBatch]) -> (usize, usize) {
    let (x, y) = (col(0, "x", ty.clone(), true), col(1, "y", ty.clone(), true));
    let mut errors = 0;
    let mut rows = 0;
    for b in batches {
        for op in [BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul] {
            match agree(b, &[arith(op, x.clone(), y.clone())]) {
                Ok(r) => rows += r.len(),
                Err(e) => {
                    assert!(e.starts_with("[BINARY_ARITHMETIC_OVERFLOW]"), "{e}");
                    errors += 1;
                }
            }
        }
        let m = arith(BinaryOp::Mod, x.clone(), y.clone());
        let _ = agree(b, &[m]);
        let cmp: Vec<TExpr> = [
            BinaryOp::Lt,
            BinaryOp::Eq,
            BinaryOp::GtEq,
            BinaryOp::EqNullSafe,
        ]
        .into_iter()
        .map(|op| bin(op, x.clone(), y.clone()))
        .collect();
        rows += agree(b, &cmp).unwrap().len();
        let _ = agree(b, &[neg(y.clone())]);
        let _ = agree(b, &[call(ScalarFunc::Abs, vec![y.clone()], ty.clone())]);
        let wide: Vec<TExpr> = [
            DataType::Int32,
            DataType::Int64,
            DataType::Float64,
            DataType::Float32,
            DataType::Boolean,
            DataType::Utf8,
        ]
        .into_iter()
        .map(|t| cast(y.clone(), t))
        .collect();
        rows += agree(b, &wide).unwrap().len();
        for to in [DataType::Int8, DataType::Int16] {
            let _ = agree(b, &[cast(y.clone(), to.clone())]);
            let sum = arith(
                BinaryOp::Add,
                cast(x.clone(), DataType::Int32),
                cast(y.clone(), DataType::Int32),
            );
            let _ = agree(b, &[cast(sum, to)]);
        }
    }
    (rows, errors)
}

#[test]
fn every_tinyint_pair_agrees_with_the_twin() {
    let xs: Vec<i8> = (i8::MIN..=i8::MAX).collect();
    let (rows, errors) = checks(
        DataType::Int8,
        &pairs(&xs, |v| Arc::new(Int8Array::from(v))),
    );
    assert!(rows > 100_000, "{rows}");
    assert!(errors > 100, "{errors}");
}

#[test]
fn smallint_extremes_agree_with_the_twin() {
    let mut xs: Vec<i16> = vec![i16::MIN, i16::MIN + 1, -1, 0, 1, i16::MAX - 1, i16::MAX];
    xs.extend((0..60).map(|k| (k * 1103 - 33_000 / 2) as i16));
    xs.extend([127, 128, -128, -129, 181, 182, 255, 256]);
    let (rows, errors) = checks(
        DataType::Int16,
        &pairs(&xs, |v| Arc::new(Int16Array::from(v))),
    );
    assert!(rows > 1000, "{rows}");
    assert!(errors > 10, "{errors}");
}

#[test]
fn narrow_errors_name_the_operands_and_values_as_spark() {
    let b = batch(vec![
        ("x", Arc::new(Int8Array::from(vec![Some(100)])) as ArrayRef),
        ("y", Arc::new(Int16Array::from(vec![Some(200)]))),
    ]);
    let x = col(0, "x", DataType::Int8, true);
    let y = col(1, "y", DataType::Int16, true);
    let e = agree(&b, &[arith(BinaryOp::Add, x.clone(), x.clone())]).unwrap_err();
    assert!(e.contains("100S + 100S caused overflow"), "{e}");
    let e = agree(&b, &[arith(BinaryOp::Mul, y.clone(), y.clone())]).unwrap_err();
    assert!(e.contains("200S * 200S caused overflow"), "{e}");
    assert!(e.contains("try_multiply"), "{e}");
    let e = agree(&b, &[cast(y, DataType::Int8)]).unwrap_err();
    assert!(e.starts_with("[CAST_OVERFLOW]"), "{e}");
    assert!(e.contains("200S"), "{e}");
    let e = agree(&b, &[cast(i64l(300), DataType::Int16)]);
    assert_eq!(e.unwrap(), ["300"]);
    let e = agree(&b, &[cast(i64l(300), DataType::Int8)]).unwrap_err();
    assert!(e.contains("300L"), "{e}");
}

/// Narrow keys and arguments in a compiled aggregate.
#[test]
fn narrow_keys_and_arguments_aggregate_compiled() {
    use sqlc_compiler::agg_table::{AggTable, LateRows, TableLayout};
    let n = 500;
    let b = batch(vec![
        (
            "k",
            Arc::new(Int8Array::from_iter(
                (0..n).map(|i| (i % 9 != 0).then_some((i % 5) as i8 - 2)),
            )) as ArrayRef,
        ),
        (
            "v",
            Arc::new(Int16Array::from_iter((0..n).map(|i| {
                (i % 7 != 0).then_some((i * 977 % 65_536) as u16 as i16)
            }))),
        ),
    ]);
    let k = col(0, "k", DataType::Int8, true);
    let v = col(1, "v", DataType::Int16, true);
    let a = |func: AggFunc, arg: TExpr| AggCall {
        func,
        arg: Some(arg),
    };
    let spec = AggSpec {
        keys: vec![k.clone()],
        grouping_sets: vec![1],
        aggs: vec![
            a(AggFunc::Sum, v.clone()),
            a(AggFunc::Avg, v.clone()),
            a(AggFunc::Min, v.clone()),
            a(AggFunc::Max, k.clone()),
            a(AggFunc::BitXor, v.clone()),
            a(AggFunc::CountDistinct, k),
            a(AggFunc::VarPop, v),
        ],
        window: None,
        event_time_key: None,
    };
    let mut answers = Vec::new();
    for mode in [ExecMode::Jit, ExecMode::Interpret] {
        let p = PipelineSpec {
            input: input_of(&b),
            steps: vec![],
            sink: PipelineSink::Aggregate(spec.clone()),
        };
        let kernel = sqlc_compiler::compile(&p, b.schema(), mode).unwrap();
        if mode == ExecMode::Jit {
            assert_eq!(kernel.explain().fallbacks, Vec::<String>::new());
        }
        let mut t = AggTable::new(Arc::new(TableLayout::new(&spec).unwrap()));
        kernel
            .aggregate(&b, &mut t, &mut LateRows::default())
            .unwrap();
        let groups: Vec<usize> = (0..t.len()).collect();
        let cols = t.to_arrow(&groups);
        let mut rows: Vec<String> = groups
            .iter()
            .map(|&g| {
                cols.iter()
                    .map(|c| arrow::util::display::array_value_to_string(c, g).unwrap())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        rows.sort();
        answers.push(rows);
    }
    assert_eq!(answers[0].len(), 6);
    assert_eq!(answers[0], answers[1]);
}
