//! JIT kernels with a collect sink: every operator on hand-made batches with nulls.

mod common;

use common::*;
use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, Error, Scalar};

#[test]
fn identity_and_sliced_input() {
    let b = batch(vec![
        ("a", i32s(vec![Some(1), None, Some(3), Some(4)])),
        ("s", ss(vec![Some("x"), Some("yy"), None, Some("zzz")])),
    ]);
    let out = run_steps(&b, vec![]).unwrap();
    assert_eq!(out, b);
    // A sliced batch: offsets in values, validity and string offsets.
    let sl = b.slice(1, 3);
    let e = vec![
        bin(BinaryOp::Add, col(0, "a", DataType::Int32, true), i32l(10)),
        call(
            ScalarFunc::Length,
            vec![col(1, "s", DataType::Utf8, true)],
            DataType::Int32,
        ),
        col(1, "s", DataType::Utf8, true),
    ];
    let out = project(&sl, e).unwrap();
    assert_eq!(ints(out.column(0)), vec![None, Some(13), Some(14)]);
    assert_eq!(ints(out.column(1)), vec![Some(2), None, Some(3)]);
    assert_eq!(
        strs(out.column(2)),
        vec![Some("yy".into()), None, Some("zzz".into())]
    );
}

#[test]
fn filter_selects_and_gathers_pass_through() {
    let b = batch(vec![
        ("a", i64s(vec![Some(5), None, Some(-1), Some(7), Some(2)])),
        (
            "s",
            ss(vec![Some("a"), Some("b"), Some("c"), None, Some("e")]),
        ),
        (
            "f",
            bs(vec![Some(true), Some(true), Some(false), Some(true), None]),
        ),
    ]);
    let a = col(0, "a", DataType::Int64, true);
    let steps = vec![
        Step::Filter(bin(BinaryOp::Gt, a.clone(), i64l(1))),
        Step::Project(vec![
            col(1, "s", DataType::Utf8, true),
            bin(BinaryOp::Mul, a, i64l(2)),
            col(2, "f", DataType::Boolean, true),
        ]),
    ];
    let out = run_steps(&b, steps).unwrap();
    assert_eq!(
        strs(out.column(0)),
        vec![Some("a".into()), None, Some("e".into())]
    );
    assert_eq!(ints(out.column(1)), vec![Some(10), Some(14), Some(4)]);
    assert_eq!(bools(out.column(2)), vec![Some(true), Some(true), None]);
    // A boolean column as the filter, sliced so its bits start mid-byte.
    let sl = b.slice(1, 4);
    let out = run_steps(
        &sl,
        vec![Step::Filter(col(2, "f", DataType::Boolean, true))],
    )
    .unwrap();
    assert_eq!(ints(out.column(0)), vec![None, Some(7)]);
}

#[test]
fn arithmetic_with_nulls() {
    let b = batch(vec![
        ("i", i32s(vec![Some(7), Some(-7), None, Some(i32::MIN)])),
        ("j", i32s(vec![Some(2), Some(2), Some(1), Some(-1)])),
        ("x", f64s(vec![Some(1.5), Some(-0.5), Some(2.0), None])),
    ]);
    let (i, j) = (
        col(0, "i", DataType::Int32, true),
        col(1, "j", DataType::Int32, true),
    );
    let x = col(2, "x", DataType::Float64, true);
    let out = project(
        &b,
        vec![
            bin(BinaryOp::Sub, i.clone(), j.clone()),
            bin(BinaryOp::Mod, i.clone(), j.clone()),
            bin(BinaryOp::Div, x.clone(), f64l(2.0)),
            bin(BinaryOp::Mod, x.clone(), f64l(1.0)),
            neg(x.clone()),
            call(ScalarFunc::Abs, vec![j.clone()], DataType::Int32),
            call(ScalarFunc::Floor, vec![x.clone()], DataType::Int64),
            call(ScalarFunc::Ceil, vec![x.clone()], DataType::Int64),
            call(ScalarFunc::Sqrt, vec![x], DataType::Float64),
        ],
    )
    .unwrap();
    assert_eq!(
        ints(out.column(0)),
        vec![Some(5), Some(-9), None, Some(i32::MIN as i64 + 1)]
    );
    // Remainder takes the dividend's sign; MIN % -1 is 0.
    assert_eq!(ints(out.column(1)), vec![Some(1), Some(-1), None, Some(0)]);
    assert_eq!(
        floats(out.column(2)),
        vec![Some(0.75), Some(-0.25), Some(1.0), None]
    );
    assert_eq!(
        floats(out.column(3)),
        vec![Some(0.5), Some(-0.5), Some(0.0), None]
    );
    assert_eq!(
        floats(out.column(4)),
        vec![Some(-1.5), Some(0.5), Some(-2.0), None]
    );
    assert_eq!(
        ints(out.column(5)),
        vec![Some(2), Some(2), Some(1), Some(1)]
    );
    assert_eq!(ints(out.column(6)), vec![Some(1), Some(-1), Some(2), None]);
    assert_eq!(ints(out.column(7)), vec![Some(2), Some(0), Some(2), None]);
    let sq = floats(out.column(8));
    assert!(sq[1].unwrap().is_nan() && sq[2] == Some(2f64.sqrt()));
}

#[test]
fn overflow_and_divide_by_zero_name_the_expression() {
    let b = batch(vec![
        ("i", i32s(vec![Some(1), Some(i32::MAX), None])),
        ("l", i64s(vec![Some(0), Some(i64::MIN), Some(1)])),
        ("x", f64s(vec![Some(1.0), Some(0.0), None])),
    ]);
    let i = col(0, "i", DataType::Int32, true);
    let l = col(1, "l", DataType::Int64, true);
    let x = col(2, "x", DataType::Float64, true);
    let err = project(&b, vec![bin(BinaryOp::Add, i.clone(), i32l(1))]).unwrap_err();
    assert_eq!(
        err,
        Error::Overflow {
            expr: "(i + 1)".into(),
            detail: "integer overflow".into()
        }
    );
    let err = project(&b, vec![bin(BinaryOp::Mul, l.clone(), i64l(2))]).unwrap_err();
    assert_eq!(
        err,
        Error::Overflow {
            expr: "(l * 2L)".into(),
            detail: "long overflow".into()
        }
    );
    let err = project(&b, vec![neg(l.clone())]).unwrap_err();
    assert_eq!(err.class(), "ARITHMETIC_OVERFLOW");
    let err = project(
        &b,
        vec![call(ScalarFunc::Abs, vec![l.clone()], DataType::Int64)],
    )
    .unwrap_err();
    assert_eq!(err.class(), "ARITHMETIC_OVERFLOW");
    let err = project(&b, vec![bin(BinaryOp::Div, f64l(1.0), x.clone())]).unwrap_err();
    assert_eq!(
        err,
        Error::DivideByZero {
            expr: "(1.0D / x)".into(),
            remainder: false,
        }
    );
    let err = project(
        &b,
        vec![bin(
            BinaryOp::Mod,
            i.clone(),
            bin(BinaryOp::Sub, i.clone(), i.clone()),
        )],
    )
    .unwrap_err();
    assert_eq!(
        err,
        Error::DivideByZero {
            expr: "(i % (i - i))".into(),
            remainder: true,
        }
    );
    // A null operand gives null, not an error.
    let nb = batch(vec![("i", i32s(vec![None])), ("j", i32s(vec![Some(0)]))]);
    let out = project(
        &nb,
        vec![bin(
            BinaryOp::Mod,
            col(0, "i", DataType::Int32, true),
            col(1, "j", DataType::Int32, true),
        )],
    )
    .unwrap();
    assert_eq!(ints(out.column(0)), vec![None]);
    // The first failing row wins.
    let eb = batch(vec![("l", i64s(vec![Some(1), Some(0), Some(i64::MAX)]))]);
    let l0 = col(0, "l", DataType::Int64, true);
    let e = case(
        vec![(
            bin(BinaryOp::Eq, l0.clone(), i64l(0)),
            bin(BinaryOp::Mod, l0.clone(), l0.clone()),
        )],
        Some(bin(BinaryOp::Add, l0.clone(), l0)),
    );
    assert_eq!(
        project(&eb, vec![e]).unwrap_err().class(),
        "REMAINDER_BY_ZERO"
    );
}

#[test]
fn three_valued_logic_truth_tables() {
    let vals = [Some(true), Some(false), None];
    let mut l = Vec::new();
    let mut r = Vec::new();
    for a in vals {
        for b in vals {
            l.push(a);
            r.push(b);
        }
    }
    let b = batch(vec![("l", bs(l.clone())), ("r", bs(r.clone()))]);
    let (lc, rc) = (
        col(0, "l", DataType::Boolean, true),
        col(1, "r", DataType::Boolean, true),
    );
    let out = project(
        &b,
        vec![
            bin(BinaryOp::And, lc.clone(), rc.clone()),
            bin(BinaryOp::Or, lc.clone(), rc.clone()),
            not(lc.clone()),
            bin(BinaryOp::EqNullSafe, lc.clone(), rc.clone()),
            bin(BinaryOp::Eq, lc.clone(), rc.clone()),
            bin(BinaryOp::Lt, lc, rc),
        ],
    )
    .unwrap();
    let and = |a: Option<bool>, b: Option<bool>| match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    };
    let or = |a: Option<bool>, b: Option<bool>| match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    };
    let both = |f: fn(bool, bool) -> bool| {
        l.iter()
            .zip(&r)
            .map(|(a, b)| Some(f((*a)?, (*b)?)))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        bools(out.column(0)),
        l.iter()
            .zip(&r)
            .map(|(a, b)| and(*a, *b))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        bools(out.column(1)),
        l.iter()
            .zip(&r)
            .map(|(a, b)| or(*a, *b))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        bools(out.column(2)),
        l.iter().map(|a| a.map(|x| !x)).collect::<Vec<_>>()
    );
    assert_eq!(
        bools(out.column(3)),
        l.iter()
            .zip(&r)
            .map(|(a, b)| Some(a == b))
            .collect::<Vec<_>>()
    );
    assert_eq!(bools(out.column(4)), both(|a, b| a == b));
    assert_eq!(bools(out.column(5)), both(|a, b| !a & b));
}

#[test]
fn lazy_and_or_case_coalesce_raise_no_error() {
    let b = batch(vec![("x", i64s(vec![Some(0), Some(2), None]))]);
    let x = col(0, "x", DataType::Int64, true);
    let div = bin(BinaryOp::Mod, i64l(10), x.clone());
    let is0 = bin(BinaryOp::Eq, x.clone(), i64l(0));
    let ne0 = bin(BinaryOp::NotEq, x.clone(), i64l(0));
    let out = project(
        &b,
        vec![
            // x <> 0 AND 10 % x = 0: the right side is skipped where x = 0.
            bin(
                BinaryOp::And,
                ne0.clone(),
                bin(BinaryOp::Eq, div.clone(), i64l(0)),
            ),
            bin(
                BinaryOp::Or,
                is0.clone(),
                bin(BinaryOp::Eq, div.clone(), i64l(0)),
            ),
            case(vec![(is0.clone(), i64l(-1))], Some(div.clone())),
            TExpr::new(
                TExprKind::Coalesce(vec![x.clone(), div.clone()]),
                DataType::Int64,
                true,
            ),
        ],
    )
    .unwrap();
    assert_eq!(bools(out.column(0)), vec![Some(false), Some(true), None]);
    assert_eq!(bools(out.column(1)), vec![Some(true), Some(true), None]);
    assert_eq!(ints(out.column(2)), vec![Some(-1), Some(0), None]);
    // coalesce(x, 10 % x): x itself where not null; the null row takes 10 % NULL.
    assert_eq!(ints(out.column(3)), vec![Some(0), Some(2), None]);
    // CASE without ELSE is null when no branch matches; branches in order.
    let out = project(
        &b,
        vec![case(
            vec![
                (is0, strl("zero")),
                (bin(BinaryOp::Gt, x, i64l(1)), strl("big")),
            ],
            None,
        )],
    )
    .unwrap();
    assert_eq!(
        strs(out.column(0)),
        vec![Some("zero".into()), Some("big".into()), None]
    );
}

#[test]
fn doubles_nan_and_negative_zero() {
    let nan = f64::NAN;
    let l = vec![
        Some(nan),
        Some(nan),
        Some(-0.0),
        Some(1.0),
        Some(f64::INFINITY),
        None,
    ];
    let r = vec![
        Some(nan),
        Some(1.0),
        Some(0.0),
        Some(nan),
        Some(nan),
        Some(1.0),
    ];
    let b = batch(vec![("a", f64s(l)), ("b", f64s(r))]);
    let (a, c) = (
        col(0, "a", DataType::Float64, true),
        col(1, "b", DataType::Float64, true),
    );
    let ops = [
        BinaryOp::Eq,
        BinaryOp::NotEq,
        BinaryOp::Lt,
        BinaryOp::LtEq,
        BinaryOp::Gt,
        BinaryOp::GtEq,
        BinaryOp::EqNullSafe,
    ];
    let out = project(
        &b,
        ops.iter()
            .map(|op| bin(*op, a.clone(), c.clone()))
            .collect(),
    )
    .unwrap();
    let t = Some(true);
    let f = Some(false);
    assert_eq!(bools(out.column(0)), vec![t, f, t, f, f, None]); // =
    assert_eq!(bools(out.column(1)), vec![f, t, f, t, t, None]); // !=
    assert_eq!(bools(out.column(2)), vec![f, f, f, t, t, None]); // <
    assert_eq!(bools(out.column(3)), vec![t, f, t, t, t, None]); // <=
    assert_eq!(bools(out.column(4)), vec![f, t, f, f, f, None]); // >
    assert_eq!(bools(out.column(5)), vec![t, t, t, f, f, None]); // >=
    assert_eq!(bools(out.column(6)), vec![t, f, t, f, f, f]); // <=>
}

#[test]
fn null_tests_in_list_and_coalesce() {
    let b = batch(vec![
        ("a", i32s(vec![Some(1), Some(2), None, Some(4)])),
        ("s", ss(vec![Some("x"), None, Some("y"), Some("zz")])),
    ]);
    let a = col(0, "a", DataType::Int32, true);
    let s = col(1, "s", DataType::Utf8, true);
    let inl = |arg: TExpr, list: Vec<TExpr>, negated: bool| {
        TExpr::new(
            TExprKind::InList {
                arg: Box::new(arg),
                list,
                negated,
            },
            DataType::Boolean,
            true,
        )
    };
    let out = project(
        &b,
        vec![
            TExpr::new(
                TExprKind::IsNull(Box::new(a.clone())),
                DataType::Boolean,
                false,
            ),
            TExpr::new(
                TExprKind::IsNotNull(Box::new(s.clone())),
                DataType::Boolean,
                false,
            ),
            inl(a.clone(), vec![i32l(1), i32l(4)], false),
            inl(a.clone(), vec![i32l(1), null_of(DataType::Int32)], false),
            inl(a.clone(), vec![i32l(1), null_of(DataType::Int32)], true),
            inl(s.clone(), vec![strl("zz"), strl("x")], false),
            TExpr::new(
                TExprKind::Coalesce(vec![s.clone(), strl("none")]),
                DataType::Utf8,
                false,
            ),
            TExpr::new(
                TExprKind::Coalesce(vec![a.clone(), null_of(DataType::Int32), i32l(-1)]),
                DataType::Int32,
                false,
            ),
        ],
    )
    .unwrap();
    let (t, f) = (Some(true), Some(false));
    assert_eq!(bools(out.column(0)), vec![f, f, t, f]);
    assert_eq!(bools(out.column(1)), vec![t, f, t, t]);
    assert_eq!(bools(out.column(2)), vec![t, f, None, t]);
    assert_eq!(bools(out.column(3)), vec![t, None, None, None]);
    assert_eq!(bools(out.column(4)), vec![f, None, None, None]);
    assert_eq!(bools(out.column(5)), vec![t, None, f, t]);
    assert_eq!(
        strs(out.column(6)),
        vec![
            Some("x".into()),
            Some("none".into()),
            Some("y".into()),
            Some("zz".into())
        ]
    );
    assert_eq!(
        ints(out.column(7)),
        vec![Some(1), Some(2), Some(-1), Some(4)]
    );
}

#[test]
fn literals_of_every_type() {
    let b = batch(vec![("a", i32s(vec![Some(1), None]))]);
    let out = project(
        &b,
        vec![
            lit(Scalar::Boolean(true)),
            i32l(-3),
            i64l(1 << 40),
            f64l(0.25),
            strl("héllo"),
            lit(Scalar::Date(19_000)),
            lit(Scalar::Timestamp(-5)),
            null_of(DataType::Int64),
            lit(Scalar::Null),
            lit(Scalar::Binary(vec![0, 255])),
        ],
    )
    .unwrap();
    assert_eq!(bools(out.column(0)), vec![Some(true); 2]);
    assert_eq!(ints(out.column(1)), vec![Some(-3); 2]);
    assert_eq!(ints(out.column(2)), vec![Some(1 << 40); 2]);
    assert_eq!(floats(out.column(3)), vec![Some(0.25); 2]);
    assert_eq!(strs(out.column(4)), vec![Some("héllo".into()); 2]);
    assert_eq!(ints(out.column(5)), vec![Some(19_000); 2]);
    assert_eq!(ints(out.column(6)), vec![Some(-5); 2]);
    assert_eq!(ints(out.column(7)), vec![None; 2]);
    assert_eq!(out.column(8).len(), 2);
    assert_eq!(out.column(9).as_ref().len(), 2);
}

#[test]
fn explain_has_clif_and_machine_code() {
    let b = batch(vec![("a", i32s(vec![Some(1)]))]);
    let spec = PipelineSpec {
        input: input_of(&b),
        steps: vec![Step::Filter(bin(
            BinaryOp::Gt,
            col(0, "a", DataType::Int32, true),
            i32l(0),
        ))],
        sink: PipelineSink::Collect,
    };
    let k = compile(&spec, b.schema());
    let ex = k.explain();
    assert!(ex.clif.contains("function"), "{}", ex.clif);
    assert!(!ex.asm.is_empty());
    assert!(ex.compile_time.as_millis() < 1000);
    // Wrong input types are an error, not a crash.
    let wrong = batch(vec![("a", i64s(vec![Some(1)]))]);
    assert!(k.collect(&wrong).is_err());
}

#[test]
fn null_free_batches_take_the_fast_loop_with_the_same_results() {
    // One kernel, nullable inputs: a batch with nulls (general loop) and
    // one without (the loop that assumes no nulls); a CASE without ELSE
    // still yields nulls in both.
    let a = col(0, "a", DataType::Int64, true);
    let s = col(1, "s", DataType::Utf8, true);
    let exprs = vec![
        bin(BinaryOp::Add, a.clone(), i64l(1)),
        case(
            vec![(bin(BinaryOp::Gt, a.clone(), i64l(2)), s.clone())],
            None,
        ),
        TExpr::new(
            TExprKind::IsNull(Box::new(a.clone())),
            DataType::Boolean,
            false,
        ),
    ];
    let with_nulls = batch(vec![
        ("a", i64s(vec![Some(1), None, Some(3)])),
        ("s", ss(vec![None, Some("b"), Some("c")])),
    ]);
    let without = batch(vec![
        ("a", i64s(vec![Some(1), Some(5), Some(3)])),
        ("s", ss(vec![Some("a"), Some("b"), Some("c")])),
    ]);
    let spec = PipelineSpec {
        input: input_of(&with_nulls),
        steps: vec![
            Step::Filter(bin(BinaryOp::NotEq, a.clone(), i64l(3))),
            Step::Project(exprs.clone()),
        ],
        sink: PipelineSink::Collect,
    };
    let k = compile(&spec, schema_of(&exprs));
    let out = k.collect(&with_nulls).unwrap();
    assert_eq!(ints(out.column(0)), vec![Some(2)]);
    assert_eq!(strs(out.column(1)), vec![None]);
    assert_eq!(bools(out.column(2)), vec![Some(false)]);
    let out = k.collect(&without).unwrap();
    assert_eq!(ints(out.column(0)), vec![Some(2), Some(6)]);
    assert_eq!(strs(out.column(1)), vec![None, Some("b".into())]);
    assert_eq!(bools(out.column(2)), vec![Some(false), Some(false)]);
    assert_eq!(out.column(0).null_count(), 0);
    // The generated code holds both loops.
    assert!(k.explain().clif.matches("icmp ult").count() >= 2);
}
