//! Expression parsing: every construct of the SQL front end's expression
//! language, as `expr(..)`, `where_(..)` and `select_expr(..)` take it.

use super::{col, count_star, e, lit};
use sqlc_compiler::expr::Expr;
use sqlc_compiler::ir::{BinaryOp, UnaryOp};
use sqlc_compiler::sql::{parse_expr, parse_select_item};
use sqlc_compiler::{DataType, Error, Scalar};

#[test]
fn parses_columns_and_literals() {
    assert_eq!(e("gt"), col("gt"));
    assert_eq!(
        e("t.gt"),
        Expr::Column {
            qualifier: Some("t".into()),
            name: "gt".into()
        }
    );
    assert_eq!(e("`avg(x)`"), col("avg(x)"));
    assert_eq!(e("`a``b`"), col("a`b"));
    assert_eq!(e("1"), lit(Scalar::Int32(1)));
    assert_eq!(e("-5"), lit(Scalar::Int32(-5)));
    assert_eq!(e("-2147483648"), lit(Scalar::Int32(i32::MIN)));
    assert_eq!(e("2147483648"), lit(Scalar::Int64(2147483648)));
    assert_eq!(e("10L"), lit(Scalar::Int64(10)));
    assert_eq!(e("-10L"), lit(Scalar::Int64(-10)));
    assert_eq!(e("1.5"), lit(Scalar::Decimal(15, 2, 1)));
    assert_eq!(e("1e3"), lit(Scalar::Float64(1000.0)));
    assert_eq!(e("2.5D"), lit(Scalar::Float64(2.5)));
    assert_eq!(e(r"'it\'s\t'"), lit(Scalar::Utf8("it's\t".into())));
    assert_eq!(
        e(r"'50\%'"),
        lit(Scalar::Utf8(r"50\%".into())),
        "LIKE escapes keep their backslash"
    );
    assert_eq!(e("\"dq\""), lit(Scalar::Utf8("dq".into())));
    assert_eq!(e("'a' 'b'"), lit(Scalar::Utf8("ab".into())));
    assert_eq!(e("'it''s'"), lit(Scalar::Utf8("it's".into())));
    assert_eq!(e("TRUE"), lit(Scalar::Boolean(true)));
    assert_eq!(e("false"), lit(Scalar::Boolean(false)));
    assert_eq!(e("NULL"), lit(Scalar::Null));
    assert_eq!(e("X'0aff'"), lit(Scalar::Binary(vec![0x0a, 0xff])));
    let ts = (16489i64 * 86_400 + 10 * 3600) * 1_000_000;
    assert_eq!(
        e("TIMESTAMP '2015-02-23 10:00:00'"),
        lit(Scalar::Timestamp(ts))
    );
    assert_eq!(
        e("TIMESTAMP_NTZ '2015-02-23 10:00:00'"),
        lit(Scalar::TimestampNtz(ts))
    );
    assert_eq!(
        e("TIMESTAMP_LTZ '2015-02-23T10:00:00Z'"),
        lit(Scalar::Timestamp(ts))
    );
    assert_eq!(e("DATE '2015-02-23'"), lit(Scalar::Date(16489)));
    assert_eq!(
        parse_expr("DATE '2015-02-30'").unwrap_err().class(),
        "INVALID_TYPED_LITERAL"
    );
}

/// Interval literals are typed as Spark types them: a day-time interval
/// over the range of its units (fields DAY 0, HOUR 1, MINUTE 2, SECOND 3),
/// or a year-month one (YEAR 0, MONTH 1).
#[test]
fn parses_intervals() {
    let minute = 60_000_000i64;
    for (text, us, start, end) in [
        ("INTERVAL '30' MINUTE", 30 * minute, 2, 2),
        ("INTERVAL 30 MINUTES", 30 * minute, 2, 2),
        ("INTERVAL '10 minutes'", 10 * minute, 2, 2),
        ("INTERVAL 1 HOUR", 60 * minute, 1, 1),
        ("INTERVAL 2 HOURS 30 MINUTES", 150 * minute, 1, 2),
        ("INTERVAL '1.5' SECOND", 1_500_000, 3, 3),
        ("INTERVAL -5 SECONDS", -5_000_000, 3, 3),
        ("INTERVAL 1 DAY", 24 * 60 * minute, 0, 0),
        ("INTERVAL '1 02' DAY TO HOUR", 26 * 60 * minute, 0, 1),
    ] {
        assert_eq!(
            e(text),
            lit(Scalar::DayTimeInterval(us, start, end)),
            "{text}"
        );
    }
    assert_eq!(
        e("INTERVAL 1 MONTH"),
        lit(Scalar::YearMonthInterval(1, 1, 1))
    );
    assert_eq!(
        e("INTERVAL '1-2' YEAR TO MONTH"),
        lit(Scalar::YearMonthInterval(14, 0, 1))
    );
    assert_eq!(
        parse_expr("INTERVAL 1 YEAR 1 DAY").unwrap_err().class(),
        "_LEGACY_ERROR_TEMP_0029"
    );
}

#[test]
fn parses_operators() {
    let (a, b) = (col("a"), col("b"));
    let bin = |op, l: &Expr, r: &Expr| l.clone().binary(op, r.clone());
    let not = |x: Expr| Expr::Unary {
        op: UnaryOp::Not,
        arg: Box::new(x),
    };
    assert_eq!(e("a = b"), bin(BinaryOp::Eq, &a, &b));
    assert_eq!(e("a == b"), bin(BinaryOp::Eq, &a, &b));
    assert_eq!(e("a != b"), not(bin(BinaryOp::Eq, &a, &b)));
    assert_eq!(e("a <> b"), not(bin(BinaryOp::Eq, &a, &b)));
    assert_eq!(e("a <=> b"), bin(BinaryOp::EqNullSafe, &a, &b));
    assert_eq!(e("a < b"), bin(BinaryOp::Lt, &a, &b));
    assert_eq!(e("a >= b"), bin(BinaryOp::GtEq, &a, &b));
    assert_eq!(e("a % b"), bin(BinaryOp::Mod, &a, &b));
    assert_eq!(
        e("a + b * 2"),
        a.clone().binary(
            BinaryOp::Add,
            bin(BinaryOp::Mul, &b, &lit(Scalar::Int32(2)))
        )
    );
    assert_eq!(
        e("(a + b) * 2"),
        bin(BinaryOp::Add, &a, &b).binary(BinaryOp::Mul, lit(Scalar::Int32(2)))
    );
    assert_eq!(e("((a))"), a);
    assert_eq!(
        e("a AND b OR c"),
        bin(BinaryOp::And, &a, &b).binary(BinaryOp::Or, col("c"))
    );
    assert_eq!(e("NOT a"), not(a.clone()));
    assert_eq!(e("!a"), not(a.clone()));
    assert_eq!(
        e("-a"),
        Expr::Unary {
            op: UnaryOp::Neg,
            arg: Box::new(a.clone())
        }
    );
    assert_eq!(e("+a"), Expr::call("positive", vec![a.clone()]));
    assert_eq!(
        e("a || b"),
        Expr::call("concat", vec![a.clone(), b.clone()])
    );
    assert_eq!(e("a IS NULL"), Expr::IsNull(Box::new(a.clone())));
    assert_eq!(e("a IS NOT NULL"), Expr::IsNotNull(Box::new(a.clone())));
    assert_eq!(
        e("a IS TRUE"),
        bin(BinaryOp::EqNullSafe, &a, &lit(Scalar::Boolean(true)))
    );
    assert_eq!(
        e("a IS DISTINCT FROM b"),
        not(bin(BinaryOp::EqNullSafe, &a, &b))
    );
}

#[test]
fn parses_predicates() {
    let a = || Box::new(col("a"));
    let s = |v: &str| Box::new(lit(Scalar::Utf8(v.into())));
    let like = |p: &str, negated, case_insensitive| Expr::Like {
        arg: a(),
        pattern: s(p),
        negated,
        case_insensitive,
    };
    assert_eq!(e("a LIKE '%stairs%'"), like("%stairs%", false, false));
    assert_eq!(e("a NOT LIKE 'x%'"), like("x%", true, false));
    assert_eq!(e("a ILIKE 'X%'"), like("X%", false, true));
    assert_eq!(
        e("a RLIKE 'a.*'"),
        Expr::RLike {
            arg: a(),
            pattern: s("a.*"),
            negated: false
        }
    );
    assert_eq!(
        e("a REGEXP 'a.*'"),
        Expr::RLike {
            arg: a(),
            pattern: s("a.*"),
            negated: false
        }
    );
    assert_eq!(
        e("a NOT RLIKE 'b'"),
        Expr::RLike {
            arg: a(),
            pattern: s("b"),
            negated: true
        }
    );
    let one_two = vec![lit(Scalar::Int32(1)), lit(Scalar::Int32(2))];
    let in_list = Expr::InList {
        arg: a(),
        list: one_two,
        negated: false,
    };
    assert_eq!(e("a IN (1, 2)"), in_list);
    assert_eq!(
        e("a NOT IN (1, 2)"),
        Expr::Unary {
            op: UnaryOp::Not,
            arg: Box::new(in_list)
        }
    );
    let between = |negated| Expr::Between {
        arg: a(),
        low: Box::new(lit(Scalar::Int32(1))),
        high: Box::new(lit(Scalar::Int32(2))),
        negated,
    };
    assert_eq!(e("a BETWEEN 1 AND 2"), between(false));
    assert_eq!(
        e("a NOT BETWEEN 1 AND 2"),
        Expr::Unary {
            op: UnaryOp::Not,
            arg: Box::new(between(false))
        }
    );
}

#[test]
fn parses_case_and_cast() {
    let searched = Expr::Case {
        operand: None,
        branches: vec![(col("a"), lit(Scalar::Int32(1)))],
        otherwise: Some(Box::new(lit(Scalar::Int32(2)))),
    };
    assert_eq!(e("CASE WHEN a THEN 1 ELSE 2 END"), searched);
    let simple = Expr::Case {
        operand: Some(Box::new(col("a"))),
        branches: vec![(lit(Scalar::Int32(1)), lit(Scalar::Utf8("x".into())))],
        otherwise: None,
    };
    assert_eq!(e("CASE a WHEN 1 THEN 'x' END"), simple);
    for (ty, want) in [
        ("BIGINT", DataType::Int64),
        ("LONG", DataType::Int64),
        ("INT", DataType::Int32),
        ("INTEGER", DataType::Int32),
        ("SMALLINT", DataType::Int16),
        ("SHORT", DataType::Int16),
        ("TINYINT", DataType::Int8),
        ("BYTE", DataType::Int8),
        ("DOUBLE", DataType::Float64),
        ("FLOAT", DataType::Float32),
        ("REAL", DataType::Float32),
        ("DECIMAL(10, 2)", DataType::Decimal(10, 2)),
        ("DECIMAL", DataType::Decimal(10, 0)),
        ("NUMERIC(5)", DataType::Decimal(5, 0)),
        ("STRING", DataType::Utf8),
        ("VARCHAR(10)", DataType::Utf8),
        ("CHAR(3)", DataType::Utf8),
        ("TEXT", DataType::Utf8),
        ("BOOLEAN", DataType::Boolean),
        ("BOOL", DataType::Boolean),
        ("TIMESTAMP", DataType::Timestamp),
        ("TIMESTAMP_LTZ", DataType::Timestamp),
        ("TIMESTAMP_NTZ", DataType::TimestampNtz),
        ("INTERVAL DAY TO HOUR", DataType::DayTimeInterval(0, 1)),
        ("INTERVAL MONTH", DataType::YearMonthInterval(1, 1)),
        ("DATE", DataType::Date),
        ("BINARY", DataType::Binary),
    ] {
        let want = Expr::Cast {
            arg: Box::new(col("x")),
            to: want,
        };
        assert_eq!(e(&format!("CAST(x AS {ty})")), want, "{ty}");
        assert_eq!(
            e(&format!("cast(x as {})", ty.to_lowercase())),
            want,
            "{ty}"
        );
    }
    assert_eq!(
        e("x::int"),
        Expr::Cast {
            arg: Box::new(col("x")),
            to: DataType::Int32
        }
    );
    assert_eq!(
        parse_expr("CAST(x AS ARRAY<INT>)").unwrap(),
        Expr::Cast {
            arg: Box::new(col("x")),
            to: DataType::array_of(DataType::Int32)
        }
    );
    assert_eq!(
        parse_expr("CAST(x AS MAP<STRING, ARRAY<INT>>)").unwrap(),
        Expr::Cast {
            arg: Box::new(col("x")),
            to: DataType::Map(
                Box::new(DataType::Utf8),
                Box::new(DataType::array_of(DataType::Int32)),
                true
            )
        }
    );
    assert_eq!(
        parse_expr("CAST(x AS GEOGRAPHY)").unwrap_err().class(),
        "UNSUPPORTED_DATATYPE"
    );
}

#[test]
fn parses_functions() {
    assert_eq!(e("count(*)"), count_star());
    assert_eq!(e("count(*)").output_name(), "count(1)");
    assert_eq!(
        e("count(DISTINCT x)"),
        Expr::Function {
            name: "count".into(),
            args: vec![col("x")],
            distinct: true
        }
    );
    assert_eq!(e("avg(x)").output_name(), "avg(x)");
    assert_eq!(e("AVG(x)").output_name(), "avg(x)");
    assert_eq!(
        e("window(event_time, '10 minutes')"),
        Expr::call(
            "window",
            vec![col("event_time"), lit(Scalar::Utf8("10 minutes".into()))]
        )
    );
    assert_eq!(
        e("window(event_time, '10 minutes', '5 minutes')"),
        Expr::call(
            "window",
            vec![
                col("event_time"),
                lit(Scalar::Utf8("10 minutes".into())),
                lit(Scalar::Utf8("5 minutes".into()))
            ]
        )
    );
    let int = |v| lit(Scalar::Int32(v));
    assert_eq!(
        e("SUBSTRING(x FROM 1 FOR 3)"),
        Expr::call("substring", vec![col("x"), int(1), int(3)])
    );
    assert_eq!(
        e("substring(x, 1, 3)"),
        Expr::call("substring", vec![col("x"), int(1), int(3)])
    );
    assert_eq!(
        e("substr(x, 2)"),
        Expr::call("substr", vec![col("x"), int(2), int(i32::MAX)])
    );
    assert_eq!(e("TRIM(x)"), Expr::call("trim", vec![col("x")]));
    assert_eq!(e("CEIL(x)"), Expr::call("ceil", vec![col("x")]));
    assert_eq!(e("floor(x)"), Expr::call("floor", vec![col("x")]));
    assert_eq!(
        e("lower(upper((x)))"),
        Expr::call("lower", vec![Expr::call("upper", vec![col("x")])])
    );
    assert_eq!(
        e("coalesce(a, b, 0)"),
        Expr::call("coalesce", vec![col("a"), col("b"), int(0)])
    );
}

#[test]
fn expression_output_names() {
    for (text, name) in [
        ("x + 1", "(x + 1)"),
        ("x", "x"),
        ("t.x", "x"),
        ("1", "1"),
        ("10L", "10"),
        ("'abc'", "abc"),
        ("a != b", "(NOT (a = b))"),
        ("a IS NOT NULL", "(a IS NOT NULL)"),
        ("x IN (1, 2)", "(x IN (1, 2))"),
        ("sum(x * 2)", "sum((x * 2))"),
        // Spark names a cast of a column after the column.
        ("CAST(x AS DOUBLE)", "x"),
        ("CAST(x + 1 AS DOUBLE)", "CAST((x + 1) AS DOUBLE)"),
        ("count(*) AS n", "n"),
    ] {
        assert_eq!(e(text).output_name(), name, "{text}");
    }
}

#[test]
fn parses_select_items() {
    assert_eq!(
        parse_select_item("*").unwrap(),
        Expr::Wildcard { qualifier: None }
    );
    assert_eq!(
        parse_select_item("t.*").unwrap(),
        Expr::Wildcard {
            qualifier: Some("t".into())
        }
    );
    let item = parse_select_item(
        "cast(cast(Creation_Time as double)/1000000000 as timestamp) as event_time",
    )
    .unwrap();
    let inner = Expr::Cast {
        arg: Box::new(col("Creation_Time")),
        to: DataType::Float64,
    }
    .binary(BinaryOp::Div, lit(Scalar::Int32(1_000_000_000)));
    assert_eq!(
        item,
        Expr::Cast {
            arg: Box::new(inner),
            to: DataType::Timestamp
        }
        .alias("event_time")
    );
    // Spark names CAST(column AS t) after the column (the Kafka example needs `value`)
    assert_eq!(
        parse_select_item("CAST(value AS STRING)")
            .unwrap()
            .output_name(),
        "value"
    );
    assert_eq!(parse_select_item("gt AS g").unwrap(), col("gt").alias("g"));
    assert_eq!(parse_select_item("gt g").unwrap(), col("gt").alias("g"));
    assert_eq!(
        parse_select_item("window(ts, '1 hour')")
            .unwrap()
            .output_name(),
        "window"
    );
    // parse_expr adds no alias of its own; a cast of a column is still
    // named after the column, as Spark names it.
    assert!(!matches!(e("CAST(value AS STRING)"), Expr::Alias(..)));
    assert_eq!(e("CAST(value AS STRING)").output_name(), "value");
}

#[test]
fn expression_errors() {
    match parse_expr("a AND") {
        Err(Error::Parse { line, column, .. }) => assert_eq!((line, column), (1, 6)),
        other => panic!("{other:?}"),
    }
    match parse_expr("a b c") {
        Err(Error::Parse { line, column, .. }) => assert_eq!((line, column), (1, 5)),
        other => panic!("{other:?}"),
    }
    for (text, what) in [
        ("sum(x) OVER (PARTITION BY y)", "OVER"),
        ("TRY_CAST(x AS INT)", "TRY_CAST"),
        ("a LIKE 'x' ESCAPE '/'", "escape"),
    ] {
        let err = parse_expr(text).unwrap_err();
        assert!(err.class().starts_with("UNSUPPORTED_"), "{text}: {err}");
        assert!(err.to_string().contains(what), "{text}: {err}");
    }
    assert_eq!(
        parse_expr("99999999999999999999L").unwrap_err().class(),
        "INVALID_NUMERIC_LITERAL_RANGE"
    );
}

proptest::proptest! {
    /// Whatever the text, parsing returns (an expression or an error).
    #[test]
    fn parse_expr_never_panics(s in "[a-zA-Z0-9 '\"`.,()*+/%<>=!:_é\\-\\\\]{0,40}") {
        let _ = parse_expr(&s);
        let _ = parse_select_item(&s);
    }

    /// Malformed typed literals and intervals are errors, not panics.
    #[test]
    fn typed_literals_never_panic(s in "[0-9 :.TZUTC+é\\-a-z]{0,30}") {
        for kind in ["TIMESTAMP", "DATE", "INTERVAL", "TIMESTAMP_LTZ"] {
            let _ = parse_expr(&format!("{kind} '{s}'"));
        }
        let _ = parse_expr(&format!("INTERVAL '{s}' SECOND"));
    }
}
