//! Expected values are what Spark 4 returns (ANSI mode, UTC).

use super::*;

fn like(p: &str, s: &str) -> bool {
    LikeMatcher::new(p, false).unwrap().matches(s)
}

#[test]
fn like_shapes() {
    assert!(like("%stairs%", "walk upstairs now"));
    assert!(!like("%stairs%", "walk"));
    assert!(like("abc%", "abcdef"));
    assert!(!like("abc%", "xabc"));
    assert!(like("%def", "abcdef"));
    assert!(like("abc", "abc"));
    assert!(!like("abc", "abcd"));
    assert!(like("%", ""));
    assert!(like("", ""));
    assert!(!like("", "a"));
    assert!(like("a_c", "abc"));
    assert!(like("a_c", "a\nc"));
    assert!(!like("a_c", "ac"));
    assert!(like("_", "é"));
    assert!(like("%a%b%", "xxaxxbxx"));
    assert!(like("a.c", "a.c"));
    assert!(!like("a.c", "abc"));
    assert!(like("(a)+", "(a)+"));
}

#[test]
fn like_escapes() {
    assert!(like("100\\%", "100%"));
    assert!(!like("100\\%", "1000"));
    assert!(like("a\\_b", "a_b"));
    assert!(!like("a\\_b", "axb"));
    assert!(like("a\\\\b", "a\\b"));
    assert!(LikeMatcher::new("a\\", false).is_err());
    assert!(LikeMatcher::new("\\a", false).is_err());
}

#[test]
fn ilike() {
    let m = LikeMatcher::new("%STAIRS%", true).unwrap();
    assert!(m.matches("Upstairs"));
    assert!(LikeMatcher::new("a_C", true).unwrap().matches("AbC"));
    assert!(!LikeMatcher::new("abc", false).unwrap().matches("ABC"));
}

#[test]
fn parse_integers() {
    assert_eq!(parse_i64(" 42 "), Some(42));
    assert_eq!(parse_i64("+7"), Some(7));
    assert_eq!(parse_i64("-9223372036854775808"), Some(i64::MIN));
    assert_eq!(parse_i64("9223372036854775808"), None);
    assert_eq!(parse_i64("1.5"), None);
    assert_eq!(parse_i64(""), None);
    assert_eq!(parse_i64("-"), None);
    assert_eq!(parse_i64("1e3"), None);
    assert_eq!(parse_i64("\t12\n"), Some(12));
    assert_eq!(parse_i32("2147483647"), Some(i32::MAX));
    assert_eq!(parse_i32("2147483648"), None);
    assert_eq!(parse_i32("-2147483648"), Some(i32::MIN));
}

#[test]
fn parse_doubles() {
    assert_eq!(parse_f64("1.5"), Some(1.5));
    assert_eq!(parse_f64(" -2e3 "), Some(-2000.0));
    assert_eq!(parse_f64(".5"), Some(0.5));
    assert_eq!(parse_f64("1."), Some(1.0));
    assert_eq!(parse_f64("1.5d"), Some(1.5));
    assert_eq!(parse_f64("2F"), Some(2.0));
    assert_eq!(parse_f64("Infinity"), Some(f64::INFINITY));
    assert_eq!(parse_f64("-inf"), Some(f64::NEG_INFINITY));
    assert_eq!(parse_f64("INF"), Some(f64::INFINITY));
    assert!(parse_f64("NaN").unwrap().is_nan());
    assert!(parse_f64("nan").unwrap().is_nan());
    assert_eq!(parse_f64("nand"), None);
    assert_eq!(parse_f64("abc"), None);
    assert_eq!(parse_f64(""), None);
    assert_eq!(parse_f64("1e"), None);
    assert_eq!(parse_f64("e5"), None);
    assert_eq!(parse_f64("1,5"), None);
}

#[test]
fn parse_booleans() {
    for s in ["true", "T", "yes", "Y", "1", " TRUE "] {
        assert_eq!(parse_bool(s), Some(true), "{s}");
    }
    for s in ["false", "f", "NO", "n", "0"] {
        assert_eq!(parse_bool(s), Some(false), "{s}");
    }
    assert_eq!(parse_bool("2"), None);
    assert_eq!(parse_bool(""), None);
}

#[test]
fn parse_timestamps_and_dates() {
    assert_eq!(parse_timestamp("1970-01-01"), Some(0));
    assert_eq!(parse_timestamp("1970-01-01 00:00:01"), Some(1_000_000));
    assert_eq!(
        parse_timestamp("2024-02-29T12:30:45.123456Z"),
        Some(1_709_209_845_123_456)
    );
    assert_eq!(
        parse_timestamp("2024-02-29 12:30:45.1"),
        Some(1_709_209_845_100_000)
    );
    assert_eq!(
        parse_timestamp("2024-02-29 12:30:45.123456789"),
        Some(1_709_209_845_123_456)
    );
    assert_eq!(
        parse_timestamp("2024-02-29 12:30"),
        Some(1_709_209_800_000_000)
    );
    assert_eq!(parse_timestamp("1970-01-01 01:00:00+01:00"), Some(0));
    assert_eq!(parse_timestamp("1969-12-31 23:59:59"), Some(-1_000_000));
    assert_eq!(parse_timestamp("2023-02-29"), None);
    assert_eq!(parse_timestamp("2023-13-01"), None);
    assert_eq!(parse_timestamp("2023-01-01 24:00:00"), None);
    assert_eq!(parse_timestamp("abc"), None);
    assert_eq!(parse_timestamp(""), None);
    assert_eq!(parse_timestamp("2023-1-2"), Some(1_672_617_600_000_000));
    assert_eq!(parse_date("2023-01-02"), Some(19_359));
    assert_eq!(parse_date("2023-01-02 10:11:12"), Some(19_359));
    assert_eq!(parse_date("1969-12-31"), Some(-1));
    assert_eq!(parse_date("2023-01-02x"), None);
}

#[test]
fn java_double_to_string() {
    let cases = [
        (1.0, "1.0"),
        (100.0, "100.0"),
        (0.001, "0.001"),
        (1.0e-5, "1.0E-5"),
        (1.2345678e7, "1.2345678E7"),
        (1.0e7, "1.0E7"),
        (9999999.0, "9999999.0"),
        (0.1, "0.1"),
        (-1.5, "-1.5"),
        (1.0e10, "1.0E10"),
        (123.456, "123.456"),
        (1.0e-4, "1.0E-4"),
        (0.00123, "0.00123"),
        (-0.0, "-0.0"),
        (0.0, "0.0"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
        (f64::MAX, "1.7976931348623157E308"),
        (f64::MIN_POSITIVE, "2.2250738585072014E-308"),
        (1.0 / 3.0, "0.3333333333333333"),
    ];
    for (v, s) in cases {
        assert_eq!(format_f64(v), s);
    }
}

/// Java's `Float.toString` (PySpark 4.3's `CAST(f AS STRING)` of FLOATs).
#[test]
fn java_float_to_string() {
    let cases = [
        (1.1f32, "1.1"),
        (1.0e10, "1.0E10"),
        (1.0e-4, "1.0E-4"),
        (0.001, "0.001"),
        (1.0e7, "1.0E7"),
        (9999999.0, "9999999.0"),
        (123456.7, "123456.7"),
        (16777217.0, "1.6777216E7"),
        (3.4028235e38, "3.4028235E38"),
        (-0.0, "-0.0"),
        (f32::NAN, "NaN"),
        (f32::NEG_INFINITY, "-Infinity"),
        (1.0 / 3.0, "0.33333334"),
    ];
    for (v, s) in cases {
        assert_eq!(format_f32(v), s);
    }
    assert_eq!(parse_f32(" 1.1 "), Some(1.1f32));
    assert_eq!(parse_f32("1e39"), Some(f32::INFINITY));
    assert_eq!(parse_f32("x"), None);
}

#[test]
fn timestamp_and_date_strings() {
    assert_eq!(format_timestamp(0), "1970-01-01 00:00:00");
    assert_eq!(
        format_timestamp(1_709_209_845_123_456),
        "2024-02-29 12:30:45.123456"
    );
    assert_eq!(
        format_timestamp(1_709_209_845_100_000),
        "2024-02-29 12:30:45.1"
    );
    assert_eq!(format_timestamp(-1), "1969-12-31 23:59:59.999999");
    assert_eq!(format_date(0), "1970-01-01");
    assert_eq!(format_date(19_359), "2023-01-02");
    assert_eq!(format_date(-719_162), "0001-01-01");
}

#[test]
fn double_to_timestamp() {
    assert_eq!(f64_to_timestamp(1.5), Some(1_500_000));
    assert_eq!(f64_to_timestamp(-1.5), Some(-1_500_000));
    assert_eq!(f64_to_timestamp(1e-7), Some(0));
    assert_eq!(f64_to_timestamp(f64::NAN), None);
    assert_eq!(f64_to_timestamp(f64::INFINITY), None);
    assert_eq!(f64_to_timestamp(1e300), None);
}

#[test]
fn calendar_parts() {
    let ts = parse_timestamp("2024-02-29 12:30:45.5").unwrap();
    assert_eq!(timestamp_part(ts, DatePart::Year), 2024);
    assert_eq!(timestamp_part(ts, DatePart::Month), 2);
    assert_eq!(timestamp_part(ts, DatePart::Day), 29);
    assert_eq!(timestamp_part(ts, DatePart::Hour), 12);
    assert_eq!(timestamp_part(ts, DatePart::Minute), 30);
    assert_eq!(timestamp_part(ts, DatePart::Second), 45);
    assert_eq!(timestamp_part(-1, DatePart::Year), 1969);
    assert_eq!(timestamp_part(-1, DatePart::Second), 59);
    assert_eq!(date_part(19_359, DatePart::Day), 2);
    assert_eq!(date_part(-1, DatePart::Month), 12);
    for d in [-800_000i64, -1, 0, 59, 60, 11_016, 19_359, 2_932_896] {
        let (y, m, dd) = civil_from_days(d);
        assert_eq!(days_from_civil(y, m, dd), d);
    }
}

#[test]
fn date_trunc_units() {
    let ts = parse_timestamp("2024-05-15 13:45:12.345678").unwrap();
    let t = |u: &str| date_trunc(u, ts).map(format_timestamp);
    assert_eq!(t("year").as_deref(), Some("2024-01-01 00:00:00"));
    assert_eq!(t("YY").as_deref(), Some("2024-01-01 00:00:00"));
    assert_eq!(t("quarter").as_deref(), Some("2024-04-01 00:00:00"));
    assert_eq!(t("MON").as_deref(), Some("2024-05-01 00:00:00"));
    assert_eq!(t("week").as_deref(), Some("2024-05-13 00:00:00"));
    assert_eq!(t("dd").as_deref(), Some("2024-05-15 00:00:00"));
    assert_eq!(t("hour").as_deref(), Some("2024-05-15 13:00:00"));
    assert_eq!(t("minute").as_deref(), Some("2024-05-15 13:45:00"));
    assert_eq!(t("second").as_deref(), Some("2024-05-15 13:45:12"));
    assert_eq!(t("millisecond").as_deref(), Some("2024-05-15 13:45:12.345"));
    assert_eq!(
        t("microsecond").as_deref(),
        Some("2024-05-15 13:45:12.345678")
    );
    assert_eq!(t("fortnight"), None);
    assert_eq!(t("a unit far too long to be one"), None);
    assert_eq!(t("MilliSecond").as_deref(), Some("2024-05-15 13:45:12.345"));
    assert_eq!(
        date_trunc("hour", -1).map(format_timestamp).as_deref(),
        Some("1969-12-31 23:00:00")
    );
}

#[test]
fn round_is_half_up_on_the_decimal() {
    assert_eq!(round_half_up(2.5, 0), 3.0);
    assert_eq!(round_half_up(-2.5, 0), -3.0);
    assert_eq!(round_half_up(2.675, 2), 2.68);
    assert_eq!(round_half_up(1.005, 2), 1.01);
    assert_eq!(round_half_up(0.125, 2), 0.13);
    assert_eq!(round_half_up(125.0, -1), 130.0);
    assert_eq!(round_half_up(125.0, -3), 0.0);
    assert_eq!(round_half_up(999.5, 0), 1000.0);
    assert_eq!(round_half_up(-9.995, 2), -10.0);
    assert_eq!(round_half_up(0.5, 0), 1.0);
    assert_eq!(round_half_up(0.0004, 3), 0.0);
    assert_eq!(round_half_up(0.0005, 3), 0.001);
    assert_eq!(round_half_up(1.23456, 10), 1.23456);
    assert!(round_half_up(-0.0, 0).is_sign_positive());
    assert!(round_half_up(-0.001, 1).is_sign_positive());
    assert!(round_half_up(f64::NAN, 2).is_nan());
    assert_eq!(round_half_up(f64::INFINITY, 2), f64::INFINITY);
}

#[test]
fn substring_rules() {
    assert_eq!(substring("Spark SQL", 5, None), "k SQL");
    assert_eq!(substring("Spark SQL", -3, None), "SQL");
    assert_eq!(substring("Spark SQL", 5, Some(1)), "k");
    assert_eq!(substring("Spark SQL", 0, Some(2)), "Sp");
    assert_eq!(substring("Spark SQL", 1, Some(2)), "Sp");
    assert_eq!(substring("Spark SQL", -20, Some(12)), "S");
    assert_eq!(substring("Spark SQL", -10, Some(3)), "Sp");
    assert_eq!(substring("Spark SQL", 3, Some(-1)), "");
    assert_eq!(substring("Spark SQL", 100, None), "");
    assert_eq!(substring("héllo", 2, Some(2)), "él");
    assert_eq!(substring("", 1, Some(1)), "");
    assert_eq!(substring("abc", i64::MIN, Some(i64::MAX)), "ab");
    assert_eq!(char_length("héllo"), 5);
    assert_eq!(char_length("日本"), 2);
    assert_eq!(char_length(""), 0);
}
