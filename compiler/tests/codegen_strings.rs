//! JIT kernels with a collect sink: strings, LIKE, casts and scalar functions.

mod common;

use std::sync::Arc;

use arrow::array::ArrayRef;
use common::*;
use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, Error};

#[test]
fn string_comparisons_and_inline_functions() {
    let l = vec![
        Some("abcdefghij"),
        Some("abcdefghij"),
        Some(""),
        Some("abc"),
        Some("abd"),
        None,
        Some("  pad  "),
    ];
    let r = vec![
        Some("abcdefghij"),
        Some("abcdefghiK"),
        Some(""),
        Some("abcd"),
        Some("abc"),
        Some("x"),
        Some("pad"),
    ];
    let b = batch(vec![("l", ss(l)), ("r", ss(r))]);
    let (lc, rc) = (
        col(0, "l", DataType::Utf8, true),
        col(1, "r", DataType::Utf8, true),
    );
    let out = project(
        &b,
        vec![
            bin(BinaryOp::Eq, lc.clone(), rc.clone()),
            bin(BinaryOp::Lt, lc.clone(), rc.clone()),
            bin(BinaryOp::GtEq, lc.clone(), rc.clone()),
            call(ScalarFunc::Trim, vec![lc.clone()], DataType::Utf8),
            call(ScalarFunc::LTrim, vec![lc.clone()], DataType::Utf8),
            call(ScalarFunc::RTrim, vec![lc.clone()], DataType::Utf8),
            bin(
                BinaryOp::Eq,
                call(ScalarFunc::Trim, vec![lc.clone()], DataType::Utf8),
                rc.clone(),
            ),
        ],
    )
    .unwrap();
    let (t, f) = (Some(true), Some(false));
    assert_eq!(bools(out.column(0)), vec![t, f, t, f, f, None, f]);
    // 'K' < 'j' bytewise; a prefix is smaller.
    assert_eq!(bools(out.column(1)), vec![f, f, f, t, f, None, t]);
    assert_eq!(bools(out.column(2)), vec![t, t, t, f, t, None, f]);
    assert_eq!(strs(out.column(3))[6], Some("pad".into()));
    assert_eq!(strs(out.column(4))[6], Some("pad  ".into()));
    assert_eq!(strs(out.column(5))[6], Some("  pad".into()));
    assert_eq!(bools(out.column(6))[6], t);
    // Length counts characters.
    let u = batch(vec![("s", ss(vec![Some("héllo wörld"), Some(""), None]))]);
    let out = project(
        &u,
        vec![call(
            ScalarFunc::Length,
            vec![col(0, "s", DataType::Utf8, true)],
            DataType::Int32,
        )],
    )
    .unwrap();
    assert_eq!(ints(out.column(0)), vec![Some(11), Some(0), None]);
}

#[test]
fn numeric_and_calendar_casts() {
    let b = batch(vec![
        ("l", i64s(vec![Some(3_000_000_000), Some(-5), None])),
        ("x", f64s(vec![Some(-2.7), Some(2.9e9), Some(f64::NAN)])),
        (
            "t",
            i64s(vec![Some(-1), Some(86_400_000_001), Some(1_500_000)]),
        ),
        ("f", bs(vec![Some(true), Some(false), None])),
    ]);
    let l = col(0, "l", DataType::Int64, true);
    let x = col(1, "x", DataType::Float64, true);
    let f = col(3, "f", DataType::Boolean, true);
    let err = project(&b, vec![cast(l.clone(), DataType::Int32)]).unwrap_err();
    assert_eq!(
        err,
        Error::CastOverflow {
            expr: "CAST(l AS INT)".into(),
            value: "3000000000L".into(),
            from: "BIGINT".into(),
            to: "INT".into()
        }
    );
    let err = project(&b, vec![cast(x.clone(), DataType::Int32)]).unwrap_err();
    assert_eq!(err.class(), "CAST_OVERFLOW");
    let b2 = b.slice(0, 1);
    let out = project(
        &b2,
        vec![
            cast(x.clone(), DataType::Int32),
            cast(x.clone(), DataType::Int64),
            cast(l.clone(), DataType::Float64),
            cast(f.clone(), DataType::Int32),
            cast(f.clone(), DataType::Utf8),
            cast(x.clone(), DataType::Boolean),
        ],
    )
    .unwrap();
    assert_eq!(ints(out.column(0)), vec![Some(-2)]);
    assert_eq!(ints(out.column(1)), vec![Some(-2)]);
    assert_eq!(floats(out.column(2)), vec![Some(3e9)]);
    assert_eq!(ints(out.column(3)), vec![Some(1)]);
    assert_eq!(strs(out.column(4)), vec![Some("true".into())]);
    assert_eq!(bools(out.column(5)), vec![Some(true)]);
    // Int64 -> timestamp is seconds; timestamp -> bigint floors; -> date floors.
    let tsb = batch(vec![("t", i64s(vec![Some(-1), Some(86_401), None]))]);
    let ts = cast(col(0, "t", DataType::Int64, true), DataType::Timestamp);
    let out = project(&tsb, vec![ts.clone(), cast(ts.clone(), DataType::Date)]).unwrap();
    assert_eq!(
        ints(out.column(0)),
        vec![Some(-1_000_000), Some(86_401_000_000), None]
    );
    assert_eq!(ints(out.column(1)), vec![Some(-1), Some(1), None]);
    // Microseconds as a timestamp column, cast back to seconds and dates.
    let tcol = arrow::array::TimestampMicrosecondArray::from(vec![
        Some(-1i64),
        Some(86_400_000_001),
        Some(1_500_000),
    ])
    .with_timezone("America/New_York");
    let tb = batch(vec![("t", Arc::new(tcol) as ArrayRef)]);
    let tc = col(0, "t", DataType::Timestamp, true);
    let out = project(
        &tb,
        vec![
            cast(tc.clone(), DataType::Int64),
            cast(tc.clone(), DataType::Date),
            cast(cast(tc.clone(), DataType::Date), DataType::Timestamp),
            cast(tc.clone(), DataType::Float64),
            tc,
        ],
    )
    .unwrap();
    assert_eq!(ints(out.column(0)), vec![Some(-1), Some(86_400), Some(1)]);
    assert_eq!(ints(out.column(1)), vec![Some(-1), Some(1), Some(0)]);
    assert_eq!(
        ints(out.column(2)),
        vec![Some(-86_400_000_000), Some(86_400_000_000), Some(0)]
    );
    assert_eq!(
        floats(out.column(3)),
        vec![Some(-0.000001), Some(86_400.000001), Some(1.5)]
    );
    // A pass-through timestamp takes the output's time zone.
    assert_eq!(out.column(4).data_type(), &DataType::Timestamp.to_arrow());
}

fn like(arg: TExpr, pattern: &str, negated: bool, ci: bool) -> TExpr {
    let n = arg.nullable;
    TExpr::new(
        TExprKind::Like {
            arg: Box::new(arg),
            pattern: pattern.into(),
            negated,
            case_insensitive: ci,
        },
        DataType::Boolean,
        n,
    )
}

#[test]
fn like_and_rlike() {
    let b = batch(vec![(
        "gt",
        ss(vec![
            Some("stairsup"),
            Some("walk"),
            Some("stairsdown"),
            None,
            Some("StairsUp"),
            Some("a_b%c"),
        ]),
    )]);
    let gt = col(0, "gt", DataType::Utf8, true);
    let rl = TExpr::new(
        TExprKind::RLike {
            arg: Box::new(gt.clone()),
            pattern: "^s.*n$".into(),
            negated: false,
        },
        DataType::Boolean,
        true,
    );
    let out = project(
        &b,
        vec![
            like(gt.clone(), "%stairs%", false, false),
            like(gt.clone(), "stairs%", true, false),
            like(gt.clone(), "%STAIRS%", false, true),
            like(gt.clone(), "a\\_b\\%c", false, false),
            like(gt.clone(), "w_lk", false, false),
            rl,
        ],
    )
    .unwrap();
    let (t, f) = (Some(true), Some(false));
    assert_eq!(bools(out.column(0)), vec![t, f, t, None, f, f]);
    assert_eq!(bools(out.column(1)), vec![f, t, f, None, t, t]);
    assert_eq!(bools(out.column(2)), vec![t, f, t, None, t, f]);
    assert_eq!(bools(out.column(3)), vec![f, f, f, None, f, t]);
    assert_eq!(bools(out.column(4)), vec![f, t, f, None, f, f]);
    assert_eq!(bools(out.column(5)), vec![f, f, t, None, f, f]);
    // A bad regex is a compile-time error.
    let bad = TExpr::new(
        TExprKind::RLike {
            arg: Box::new(gt),
            pattern: "(".into(),
            negated: false,
        },
        DataType::Boolean,
        true,
    );
    assert_eq!(
        project(&b, vec![bad]).unwrap_err().class(),
        "INVALID_PARAMETER_VALUE.PATTERN"
    );
}

#[test]
fn string_functions() {
    let b = batch(vec![
        (
            "s",
            ss(vec![Some("Hello World"), Some("ÄbC"), None, Some("")]),
        ),
        ("n", i32s(vec![Some(2), Some(-2), Some(1), None])),
    ]);
    let s = col(0, "s", DataType::Utf8, true);
    let n = col(1, "n", DataType::Int32, true);
    let out = project(
        &b,
        vec![
            call(ScalarFunc::Lower, vec![s.clone()], DataType::Utf8),
            call(ScalarFunc::Upper, vec![s.clone()], DataType::Utf8),
            call(
                ScalarFunc::Substring,
                vec![s.clone(), n.clone(), i32l(3)],
                DataType::Utf8,
            ),
            call(
                ScalarFunc::Substring,
                vec![s.clone(), n.clone()],
                DataType::Utf8,
            ),
            call(
                ScalarFunc::Concat,
                vec![s.clone(), strl("-"), s.clone()],
                DataType::Utf8,
            ),
            call(
                ScalarFunc::Concat,
                vec![strl("x"), cast(n.clone(), DataType::Utf8)],
                DataType::Utf8,
            ),
            call(ScalarFunc::Concat, vec![], DataType::Utf8),
        ],
    )
    .unwrap();
    let o = |v: &[Option<&str>]| v.iter().map(|s| s.map(String::from)).collect::<Vec<_>>();
    assert_eq!(
        strs(out.column(0)),
        o(&[Some("hello world"), Some("äbc"), None, Some("")])
    );
    assert_eq!(
        strs(out.column(1)),
        o(&[Some("HELLO WORLD"), Some("ÄBC"), None, Some("")])
    );
    assert_eq!(
        strs(out.column(2)),
        o(&[Some("ell"), Some("bC"), None, None])
    );
    assert_eq!(
        strs(out.column(3)),
        o(&[Some("ello World"), Some("bC"), None, None])
    );
    assert_eq!(
        strs(out.column(4)),
        o(&[
            Some("Hello World-Hello World"),
            Some("ÄbC-ÄbC"),
            None,
            Some("-")
        ])
    );
    assert_eq!(
        strs(out.column(5)),
        o(&[Some("x2"), Some("x-2"), Some("x1"), None])
    );
    assert_eq!(strs(out.column(6)), o(&[Some(""); 4]));
}

#[test]
fn string_casts_and_calendar_functions() {
    let b = batch(vec![(
        "s",
        ss(vec![
            Some(" 42 "),
            Some("2024-03-05 10:20:30.5"),
            Some("1.5e3"),
            None,
            Some("true"),
        ]),
    )]);
    let s = col(0, "s", DataType::Utf8, true);
    let one = |i: usize| b.slice(i, 1);
    let out = project(
        &one(0),
        vec![
            cast(s.clone(), DataType::Int32),
            cast(s.clone(), DataType::Int64),
        ],
    )
    .unwrap();
    assert_eq!(
        (ints(out.column(0)), ints(out.column(1))),
        (vec![Some(42)], vec![Some(42)])
    );
    let out = project(&one(2), vec![cast(s.clone(), DataType::Float64)]).unwrap();
    assert_eq!(floats(out.column(0)), vec![Some(1500.0)]);
    let out = project(&one(4), vec![cast(s.clone(), DataType::Boolean)]).unwrap();
    assert_eq!(bools(out.column(0)), vec![Some(true)]);
    let ts = cast(s.clone(), DataType::Timestamp);
    let out = project(
        &one(1),
        vec![
            ts.clone(),
            cast(s.clone(), DataType::Date),
            cast(ts.clone(), DataType::Utf8),
            cast(cast(ts.clone(), DataType::Date), DataType::Utf8),
            call(ScalarFunc::Year, vec![ts.clone()], DataType::Int32),
            call(ScalarFunc::Month, vec![ts.clone()], DataType::Int32),
            call(ScalarFunc::DayOfMonth, vec![ts.clone()], DataType::Int32),
            call(ScalarFunc::Hour, vec![ts.clone()], DataType::Int32),
            call(ScalarFunc::Minute, vec![ts.clone()], DataType::Int32),
            call(ScalarFunc::Second, vec![ts.clone()], DataType::Int32),
            call(
                ScalarFunc::DateTrunc,
                vec![strl("hour"), ts.clone()],
                DataType::Timestamp,
            ),
            call(
                ScalarFunc::DateTrunc,
                vec![strl("fortnight"), ts.clone()],
                DataType::Timestamp,
            ),
            call(
                ScalarFunc::ToTimestamp,
                vec![s.clone()],
                DataType::Timestamp,
            ),
            call(
                ScalarFunc::DayOfMonth,
                vec![cast(ts, DataType::Date)],
                DataType::Int32,
            ),
        ],
    )
    .unwrap();
    let us = 1_709_634_030_500_000i64;
    assert_eq!(ints(out.column(0)), vec![Some(us)]);
    assert_eq!(ints(out.column(1)), vec![Some(19_787)]);
    assert_eq!(
        strs(out.column(2)),
        vec![Some("2024-03-05 10:20:30.5".into())]
    );
    assert_eq!(strs(out.column(3)), vec![Some("2024-03-05".into())]);
    let parts: Vec<Option<i64>> = (4..10).map(|i| ints(out.column(i))[0]).collect();
    assert_eq!(
        parts,
        vec![Some(2024), Some(3), Some(5), Some(10), Some(20), Some(30)]
    );
    assert_eq!(
        ints(out.column(10)),
        vec![Some(us - 20 * 60_000_000 - 30_500_000)]
    );
    assert_eq!(ints(out.column(11)), vec![None]);
    assert_eq!(ints(out.column(12)), vec![Some(us)]);
    assert_eq!(ints(out.column(13)), vec![Some(5)]);
    // Numbers and doubles to strings, and round.
    let n = batch(vec![(
        "x",
        f64s(vec![Some(2.5), Some(-0.0), Some(1e21), None]),
    )]);
    let x = col(0, "x", DataType::Float64, true);
    let out = project(
        &n,
        vec![
            cast(x.clone(), DataType::Utf8),
            call(ScalarFunc::Round, vec![x.clone()], DataType::Float64),
            cast(cast(x.clone(), DataType::Int64), DataType::Utf8),
        ],
    );
    assert_eq!(out.unwrap_err().class(), "CAST_OVERFLOW");
    let out = project(
        &n.slice(0, 2),
        vec![
            cast(x.clone(), DataType::Utf8),
            call(ScalarFunc::Round, vec![x.clone()], DataType::Float64),
            cast(cast(x, DataType::Int64), DataType::Utf8),
        ],
    )
    .unwrap();
    assert_eq!(
        strs(out.column(0)),
        vec![Some("2.5".into()), Some("-0.0".into())]
    );
    assert_eq!(floats(out.column(1)), vec![Some(3.0), Some(-0.0)]);
    assert_eq!(
        strs(out.column(2)),
        vec![Some("2".into()), Some("0".into())]
    );
    // A malformed string names the value.
    let err = project(&b, vec![cast(s.clone(), DataType::Int32)]).unwrap_err();
    assert_eq!(
        err,
        Error::InvalidCast {
            expr: "CAST(s AS INT)".into(),
            value: "'2024-03-05 10:20:30.5'".into(),
            from: "STRING".into(),
            to: "INT".into()
        }
    );
    let err = project(
        &b,
        vec![call(ScalarFunc::ToTimestamp, vec![s], DataType::Timestamp)],
    )
    .unwrap_err();
    assert_eq!(err.class(), "CAST_INVALID_INPUT");
    // NaN as a timestamp is malformed; a huge double overflows.
    let nan = batch(vec![("x", f64s(vec![Some(f64::NAN)]))]);
    let err = project(
        &nan,
        vec![cast(
            col(0, "x", DataType::Float64, true),
            DataType::Timestamp,
        )],
    )
    .unwrap_err();
    assert_eq!(err.class(), "CAST_INVALID_INPUT");
    let big = batch(vec![("x", f64s(vec![Some(1e300)]))]);
    let err = project(
        &big,
        vec![cast(
            col(0, "x", DataType::Float64, true),
            DataType::Timestamp,
        )],
    )
    .unwrap_err();
    assert_eq!(err.class(), "CAST_OVERFLOW");
}
