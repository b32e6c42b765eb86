//! Unit tests of the interpreted twin against values Spark gives.

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

fn col(i: usize, ty: DataType) -> TExpr {
    TExpr::column(i, &format!("c{i}"), ty, true)
}

fn lit(v: Scalar) -> TExpr {
    TExpr::literal(v)
}

fn bin(op: BinaryOp, l: TExpr, r: TExpr) -> TExpr {
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

fn not(a: TExpr) -> TExpr {
    TExpr::new(
        TExprKind::Unary {
            op: UnaryOp::Not,
            arg: Box::new(a),
        },
        DataType::Boolean,
        true,
    )
}

fn cast(a: TExpr, ty: DataType) -> TExpr {
    TExpr::new(TExprKind::Cast { arg: Box::new(a) }, ty, true)
}

fn batch(cols: Vec<ArrayRef>) -> RecordBatch {
    let fields: Vec<ArrowField> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| ArrowField::new(format!("c{i}"), c.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(Arc::new(ArrowSchema::new(fields)), cols).unwrap()
}

fn input_of(b: &RecordBatch) -> Vec<ColumnType> {
    b.columns()
        .iter()
        .map(|c| ColumnType {
            ty: DataType::from_arrow(c.data_type()).unwrap(),
            nullable: true,
        })
        .collect()
}

/// Projects `exprs` over `b` (after an optional filter) with the interpreter.
fn project(
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

fn one(b: &RecordBatch, e: TExpr) -> Result<ArrayRef, Error> {
    project(b, None, vec![e]).map(|mut v| v.remove(0))
}

fn bool_vals(a: &ArrayRef) -> Vec<Option<bool>> {
    a.as_any()
        .downcast_ref::<BooleanArray>()
        .unwrap()
        .iter()
        .collect()
}

#[test]
fn three_valued_logic() {
    let t = [Some(true), Some(false), None];
    let (mut l, mut r) = (vec![], vec![]);
    for a in t {
        for b in t {
            l.push(a);
            r.push(b);
        }
    }
    let b = batch(vec![
        Arc::new(BooleanArray::from(l.clone())),
        Arc::new(BooleanArray::from(r.clone())),
    ]);
    let and = bool_vals(
        &one(
            &b,
            bin(
                BinaryOp::And,
                col(0, DataType::Boolean),
                col(1, DataType::Boolean),
            ),
        )
        .unwrap(),
    );
    let or = bool_vals(
        &one(
            &b,
            bin(
                BinaryOp::Or,
                col(0, DataType::Boolean),
                col(1, DataType::Boolean),
            ),
        )
        .unwrap(),
    );
    let neg = bool_vals(&one(&b, not(col(0, DataType::Boolean))).unwrap());
    let kleene_and = |a: Option<bool>, b: Option<bool>| match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    };
    let kleene_or = |a: Option<bool>, b: Option<bool>| match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    };
    for i in 0..9 {
        assert_eq!(and[i], kleene_and(l[i], r[i]), "{:?} AND {:?}", l[i], r[i]);
        assert_eq!(or[i], kleene_or(l[i], r[i]), "{:?} OR {:?}", l[i], r[i]);
        assert_eq!(neg[i], l[i].map(|x| !x));
    }
    // Null-safe equality is never null.
    let ns = bool_vals(
        &one(
            &b,
            bin(
                BinaryOp::EqNullSafe,
                col(0, DataType::Boolean),
                col(1, DataType::Boolean),
            ),
        )
        .unwrap(),
    );
    assert_eq!(ns[8], Some(true));
    assert_eq!(ns[2], Some(false));
    assert_eq!(ns[0], Some(true));
}

#[test]
fn integer_overflow_is_an_error() {
    let b = batch(vec![
        Arc::new(Int32Array::from(vec![Some(i32::MAX), Some(1)])),
        Arc::new(Int64Array::from(vec![Some(i64::MIN), None])),
    ]);
    let e = one(
        &b,
        bin(
            BinaryOp::Add,
            col(0, DataType::Int32),
            lit(Scalar::Int32(1)),
        ),
    )
    .unwrap_err();
    assert_eq!(e.class(), "ARITHMETIC_OVERFLOW");
    assert!(
        e.to_string().contains("integer overflow in (c0 + 1)"),
        "{e}"
    );
    let e = one(
        &b,
        bin(
            BinaryOp::Mul,
            col(1, DataType::Int64),
            lit(Scalar::Int64(2)),
        ),
    )
    .unwrap_err();
    assert!(e.to_string().contains("long overflow"), "{e}");
    let neg = TExpr::new(
        TExprKind::Unary {
            op: UnaryOp::Neg,
            arg: Box::new(col(1, DataType::Int64)),
        },
        DataType::Int64,
        true,
    );
    assert_eq!(one(&b, neg).unwrap_err().class(), "ARITHMETIC_OVERFLOW");
    let abs = TExpr::new(
        TExprKind::Call {
            func: ScalarFunc::Abs,
            args: vec![col(1, DataType::Int64)],
        },
        DataType::Int64,
        true,
    );
    assert_eq!(one(&b, abs).unwrap_err().class(), "ARITHMETIC_OVERFLOW");
    // A null operand never overflows; i64::MIN % -1 is 0 as in Java.
    let m = one(
        &b,
        bin(
            BinaryOp::Mod,
            col(1, DataType::Int64),
            lit(Scalar::Int64(-1)),
        ),
    )
    .unwrap();
    let m = m.as_any().downcast_ref::<Int64Array>().unwrap();
    assert_eq!((m.value(0), m.is_null(1)), (0, true));
}

#[test]
fn division_by_zero() {
    let b = batch(vec![
        Arc::new(Float64Array::from(vec![Some(1.0), None, Some(-0.0)])),
        Arc::new(Float64Array::from(vec![Some(2.0), Some(0.0), Some(4.0)])),
    ]);
    let f = |i| col(i, DataType::Float64);
    // null / 0 is null (the dividend is null), as in Spark.
    let q = one(&b, bin(BinaryOp::Div, f(0), f(1))).unwrap();
    let q = q.as_any().downcast_ref::<Float64Array>().unwrap();
    assert_eq!((q.value(0), q.is_null(1), q.value(2)), (0.5, true, -0.0));
    let e = one(&b, bin(BinaryOp::Div, f(1), f(0))).unwrap_err();
    assert_eq!(e.class(), "DIVIDE_BY_ZERO");
    assert!(e.to_string().contains("(c1 / c0)"));
    let i = batch(vec![Arc::new(Int32Array::from(vec![5, 0]))]);
    let e = one(
        &i,
        bin(
            BinaryOp::Mod,
            lit(Scalar::Int32(7)),
            col(0, DataType::Int32),
        ),
    )
    .unwrap_err();
    assert_eq!(e.class(), "DIVIDE_BY_ZERO");
}

#[test]
fn lazy_branches_raise_no_errors() {
    let b = batch(vec![Arc::new(Float64Array::from(vec![
        Some(0.0),
        Some(5.0),
        None,
        Some(20.0),
    ]))]);
    let x = || col(0, DataType::Float64);
    let d = |v: f64| lit(Scalar::Float64(v));
    // CASE WHEN x = 0 THEN 0 ELSE 10 / x END
    let case = TExpr::new(
        TExprKind::Case {
            branches: vec![(bin(BinaryOp::Eq, x(), d(0.0)), d(0.0))],
            otherwise: Some(Box::new(bin(BinaryOp::Div, d(10.0), x()))),
        },
        DataType::Float64,
        true,
    );
    let v = one(&b, case).unwrap();
    let v: Vec<Option<f64>> = v
        .as_any()
        .downcast_ref::<Float64Array>()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(v, vec![Some(0.0), Some(2.0), None, Some(0.5)]);
    // x <> 0 AND 10 / x > 1
    let and = bin(
        BinaryOp::And,
        bin(BinaryOp::NotEq, x(), d(0.0)),
        bin(BinaryOp::Gt, bin(BinaryOp::Div, d(10.0), x()), d(1.0)),
    );
    assert_eq!(
        bool_vals(&one(&b, and).unwrap()),
        vec![Some(false), Some(true), None, Some(false)]
    );
    // x = 0 OR 10 / x > 1
    let or = bin(
        BinaryOp::Or,
        bin(BinaryOp::Eq, x(), d(0.0)),
        bin(BinaryOp::Gt, bin(BinaryOp::Div, d(10.0), x()), d(1.0)),
    );
    assert_eq!(
        bool_vals(&one(&b, or).unwrap()),
        vec![Some(true), Some(true), None, Some(false)]
    );
    // coalesce(1.0, 1 / x) never divides.
    let co = TExpr::new(
        TExprKind::Coalesce(vec![d(1.0), bin(BinaryOp::Div, d(1.0), x())]),
        DataType::Float64,
        false,
    );
    assert!(one(&b, co).is_ok());
    // A filter runs before the projection: WHERE x <> 0 SELECT 10 / x.
    let out = project(
        &b,
        Some(bin(BinaryOp::NotEq, x(), d(0.0))),
        vec![bin(BinaryOp::Div, d(10.0), x())],
    )
    .unwrap();
    assert_eq!(out[0].len(), 2);
    // Without the guard, the division fails.
    assert_eq!(
        one(&b, bin(BinaryOp::Div, d(10.0), x()))
            .unwrap_err()
            .class(),
        "DIVIDE_BY_ZERO"
    );
}

#[test]
fn the_first_failing_row_decides_the_error() {
    // Row 0 overflows in the second column, row 1 divides by zero in the first.
    let b = batch(vec![
        Arc::new(Float64Array::from(vec![1.0, 0.0])),
        Arc::new(Int32Array::from(vec![i32::MAX, 1])),
    ]);
    let div = bin(
        BinaryOp::Div,
        lit(Scalar::Float64(1.0)),
        col(0, DataType::Float64),
    );
    let add = bin(
        BinaryOp::Add,
        col(1, DataType::Int32),
        lit(Scalar::Int32(1)),
    );
    assert_eq!(
        project(&b, None, vec![div, add]).unwrap_err().class(),
        "ARITHMETIC_OVERFLOW"
    );
}

#[test]
fn ansi_casts() {
    let s = batch(vec![Arc::new(StringArray::from(vec![
        Some(" 12 "),
        None,
        Some("-3"),
    ]))]);
    let v = one(&s, cast(col(0, DataType::Utf8), DataType::Int32)).unwrap();
    let v: Vec<Option<i32>> = v
        .as_any()
        .downcast_ref::<Int32Array>()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(v, vec![Some(12), None, Some(-3)]);
    let bad = batch(vec![Arc::new(StringArray::from(vec!["1.5"]))]);
    let e = one(&bad, cast(col(0, DataType::Utf8), DataType::Int64)).unwrap_err();
    assert_eq!(e.class(), "CAST_INVALID_INPUT");
    assert!(e.to_string().contains("'1.5'"), "{e}");
    let d = batch(vec![Arc::new(Float64Array::from(vec![1e20]))]);
    assert_eq!(
        one(&d, cast(col(0, DataType::Float64), DataType::Int32))
            .unwrap_err()
            .class(),
        "CAST_OVERFLOW"
    );
    let big = batch(vec![Arc::new(Int64Array::from(vec![1i64 << 40]))]);
    assert_eq!(
        one(&big, cast(col(0, DataType::Int64), DataType::Int32))
            .unwrap_err()
            .class(),
        "CAST_OVERFLOW"
    );
    let f = batch(vec![Arc::new(Float64Array::from(vec![
        1e-5,
        100.0,
        1.2345678e7,
        -2.9,
    ]))]);
    let v = one(&f, cast(col(0, DataType::Float64), DataType::Utf8)).unwrap();
    let v: Vec<&str> = v
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(v, vec!["1.0E-5", "100.0", "1.2345678E7", "-2.9"]);
    let t = one(&f, cast(col(0, DataType::Float64), DataType::Int64)).unwrap();
    assert_eq!(
        t.as_any().downcast_ref::<Int64Array>().unwrap().value(3),
        -2
    );
    let ts = one(
        &f,
        cast(
            cast(col(0, DataType::Float64), DataType::Timestamp),
            DataType::Utf8,
        ),
    )
    .unwrap();
    let ts: Vec<&str> = ts
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap()
        .iter()
        .flatten()
        .collect();
    assert_eq!(ts[1], "1970-01-01 00:01:40");
    assert_eq!(ts[3], "1969-12-31 23:59:57.1");
    let nan = batch(vec![Arc::new(Float64Array::from(vec![f64::NAN]))]);
    assert_eq!(
        one(&nan, cast(col(0, DataType::Float64), DataType::Timestamp))
            .unwrap_err()
            .class(),
        "CAST_INVALID_INPUT"
    );
}

#[test]
fn doubles_compare_as_in_spark() {
    let b = batch(vec![
        Arc::new(Float64Array::from(vec![f64::NAN, f64::NAN, -0.0, 1.0])),
        Arc::new(Float64Array::from(vec![
            f64::NAN,
            f64::INFINITY,
            0.0,
            f64::NAN,
        ])),
    ]);
    let f = |i| col(i, DataType::Float64);
    assert_eq!(
        bool_vals(&one(&b, bin(BinaryOp::Eq, f(0), f(1))).unwrap()),
        vec![Some(true), Some(false), Some(true), Some(false)]
    );
    assert_eq!(
        bool_vals(&one(&b, bin(BinaryOp::Gt, f(0), f(1))).unwrap()),
        vec![Some(false), Some(true), Some(false), Some(false)]
    );
}

#[test]
fn in_list_and_like() {
    let b = batch(vec![Arc::new(StringArray::from(vec![
        Some("upstairs"),
        Some("sit"),
        None,
    ]))]);
    let s = || col(0, DataType::Utf8);
    let like = TExpr::new(
        TExprKind::Like {
            arg: Box::new(s()),
            pattern: "%stairs%".into(),
            negated: false,
            case_insensitive: false,
        },
        DataType::Boolean,
        true,
    );
    assert_eq!(
        bool_vals(&one(&b, like).unwrap()),
        vec![Some(true), Some(false), None]
    );
    let inl = TExpr::new(
        TExprKind::InList {
            arg: Box::new(s()),
            list: vec![
                lit(Scalar::Utf8("sit".into())),
                TExpr::new(TExprKind::Literal(Scalar::Null), DataType::Utf8, true),
            ],
            negated: false,
        },
        DataType::Boolean,
        true,
    );
    assert_eq!(
        bool_vals(&one(&b, inl).unwrap()),
        vec![None, Some(true), None]
    );
}

fn agg_spec(keys: Vec<TExpr>, sets: Vec<u64>, aggs: Vec<AggCall>) -> AggSpec {
    AggSpec {
        keys,
        grouping_sets: sets,
        aggs,
    }
}

fn run_agg(b: &RecordBatch, agg: AggSpec) -> Result<AggTable, Error> {
    let spec = PipelineSpec {
        input: input_of(b),
        steps: vec![],
        sink: PipelineSink::Aggregate(agg.clone()),
    };
    let k = crate::kernel::compile(&spec, Arc::new(ArrowSchema::empty()), ExecMode::Interpret)?;
    let mut t = AggTable::new(Arc::new(TableLayout::new(&agg)?));
    k.aggregate(b, &mut t)?;
    Ok(t)
}

/// Rows of a table as strings, sorted.
fn table_rows(t: &AggTable) -> Vec<String> {
    let groups: Vec<usize> = (0..t.len()).collect();
    let cols = t.to_arrow(&groups);
    let mut rows: Vec<String> = (0..t.len())
        .map(|g| {
            cols.iter()
                .map(|c| arrow::util::display::array_value_to_string(c, g).unwrap())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn cube_with_grouping_ids() {
    let b = batch(vec![
        Arc::new(StringArray::from(vec![
            Some("a"),
            Some("a"),
            Some("b"),
            None,
        ])),
        Arc::new(Int32Array::from(vec![Some(1), Some(2), Some(1), Some(1)])),
        Arc::new(Int64Array::from(vec![Some(10), Some(20), None, Some(5)])),
    ]);
    let agg = agg_spec(
        vec![col(0, DataType::Utf8), col(1, DataType::Int32)],
        vec![0b11, 0b01, 0b10, 0b00],
        vec![
            AggCall {
                func: AggFunc::CountStar,
                arg: None,
            },
            AggCall {
                func: AggFunc::Sum,
                arg: Some(col(2, DataType::Int64)),
            },
            AggCall {
                func: AggFunc::Max,
                arg: Some(col(0, DataType::Utf8)),
            },
        ],
    );
    let rows = table_rows(&run_agg(&b, agg).unwrap());
    let expected = vec![
        "|1|0|1|5|",   // (null, 1): the null class
        "|1|2|3|15|b", // (-, 1)
        "|2|2|1|20|a", // (-, 2)
        "||1|1|5|",    // (null, -)
        "||3|4|35|b",  // grand total
        "a|1|0|1|10|a",
        "a|2|0|1|20|a",
        "a||1|2|30|a",
        "b|1|0|1||b",
        "b||1|1||b",
    ];
    let mut expected: Vec<String> = expected.into_iter().map(String::from).collect();
    expected.sort();
    assert_eq!(rows, expected);
}

#[test]
fn sum_overflow_and_nan_max() {
    let b = batch(vec![
        Arc::new(Int64Array::from(vec![i64::MAX, 1])),
        Arc::new(Float64Array::from(vec![f64::NAN, f64::INFINITY])),
    ]);
    let sum = agg_spec(
        vec![],
        vec![0],
        vec![AggCall {
            func: AggFunc::Sum,
            arg: Some(col(0, DataType::Int64)),
        }],
    );
    assert_eq!(run_agg(&b, sum).unwrap_err().class(), "ARITHMETIC_OVERFLOW");
    let mm = agg_spec(
        vec![],
        vec![0],
        vec![
            AggCall {
                func: AggFunc::Max,
                arg: Some(col(1, DataType::Float64)),
            },
            AggCall {
                func: AggFunc::Min,
                arg: Some(col(1, DataType::Float64)),
            },
            AggCall {
                func: AggFunc::Avg,
                arg: Some(col(0, DataType::Int64)),
            },
        ],
    );
    assert_eq!(
        table_rows(&run_agg(&b, mm).unwrap()),
        vec!["NaN|inf|4.611686018427388e18".to_string()]
    );
}

#[test]
fn explain_says_interpreted() {
    let spec = PipelineSpec {
        input: vec![],
        steps: vec![],
        sink: PipelineSink::Collect,
    };
    let k =
        crate::kernel::compile(&spec, Arc::new(ArrowSchema::empty()), ExecMode::Interpret).unwrap();
    let x = k.explain();
    assert_eq!(x.mode, ExecMode::Interpret);
    assert!(x.clif.is_empty());
    let _: &dyn Kernel = k.as_ref();
}
