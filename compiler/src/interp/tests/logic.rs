//! Three-valued logic, laziness, comparisons, IN and LIKE.

use super::*;

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
