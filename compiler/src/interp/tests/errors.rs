//! ANSI errors: overflow, division by zero, casts, and which row reports.

use super::*;

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
    assert_eq!(e.class(), "REMAINDER_BY_ZERO");
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
