//! The function catalog as a user meets it: `SHOW FUNCTIONS`, `DESCRIBE
//! FUNCTION`, an unknown name's suggestions, and the Rust API's functions
//! giving the same answers as the same calls in SQL (Spark's answers for
//! those are the golden cases `fn_*`).

mod common;

use common::*;
use sqlc::functions::{self as f, col};

fn strings(df: &sqlc::DataFrame) -> Vec<String> {
    to_json_rows(&df.collect().unwrap())
        .into_iter()
        .map(|r| r.values().next().unwrap().as_str().unwrap().to_string())
        .collect()
}

/// A session with the view `activity`, and its rows whose Index is a
/// multiple of 997.
fn activity_sample(mode: sqlc::ExecMode) -> (sqlc::Session, sqlc::DataFrame) {
    let spark = session(mode);
    let df = spark.read().json(activity_data()).unwrap();
    df.create_or_replace_temp_view("activity").unwrap();
    let sample = df.where_("Index % 997 = 0").unwrap();
    (spark, sample)
}

/// The rows of the Rust-API frame and of its SQL twin, the same (keyed by
/// Index and Device), in key order.
fn same_rows(
    api: &sqlc::DataFrame,
    sql: &sqlc::DataFrame,
    mode: sqlc::ExecMode,
) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let key =
        |r: &serde_json::Map<String, serde_json::Value>| format!("{}|{}", r["Index"], r["Device"]);
    let mut a = to_json_rows(&api.collect().unwrap());
    let mut b = to_json_rows(&sql.collect().unwrap());
    a.sort_by_key(key);
    b.sort_by_key(key);
    assert!(a.len() > 10, "{} rows", a.len());
    assert_eq!(a, b, "{mode:?}");
    a
}

#[test]
fn show_and_describe_functions() {
    let spark = session(sqlc::ExecMode::Jit);
    let all = strings(&spark.sql("SHOW FUNCTIONS").unwrap());
    assert!(all.len() >= 150, "{} functions", all.len());
    for name in [
        "date_format",
        "regexp_extract",
        "xxhash64",
        "count",
        "if",
        "lpad",
        "map_concat",
        "from_json",
        "json_tuple",
        "explode",
        "hex",
        "format_string",
        "printf",
        "width_bucket",
        "try_divide",
        "int",
        "mod",
        "&",
        "~",
    ] {
        assert!(all.iter().any(|n| n == name), "{name} is listed");
    }
    let regexp = strings(&spark.sql("SHOW FUNCTIONS LIKE 'regexp*'").unwrap());
    assert!(
        regexp.len() >= 5 && regexp.iter().all(|n| n.starts_with("regexp")),
        "{regexp:?}"
    );
    let d = strings(&spark.sql("DESCRIBE FUNCTION sha2").unwrap());
    assert_eq!(d[0], "Function: sha2");
    assert!(d.iter().any(|l| l.starts_with("Usage: sha2(")), "{d:?}");
    let e = spark
        .sql("SELECT date_fromat(current_date(), 'yyyy')")
        .unwrap_err();
    assert_eq!(e.class(), "UNRESOLVED_ROUTINE");
    assert!(e.to_string().contains("`date_format`"), "{e}");
}

#[test]
fn rust_api_functions_match_their_sql() {
    for mode in MODES {
        let (spark, sample) = activity_sample(mode);
        let api = sample
            .select([
                col("Index"),
                col("Device"),
                f::lpad(col("gt"), 10, ".").alias("lp"),
                f::concat_ws("/", [col("gt"), col("Model")]).alias("cws"),
                f::regexp_extract(col("Model"), "([a-z]+)([0-9]*)", 2).alias("re"),
                f::hash([col("gt"), col("Index")]).alias("h"),
                f::xxhash64([col("x")]).alias("xx"),
                f::pow(col("x"), f::lit(2)).alias("p"),
                f::date_format(f::timestamp_seconds(col("Index")), "yyyy-MM-dd HH:mm").alias("d"),
                f::greatest([col("x"), col("y"), col("z")]).alias("g"),
                f::call_function("soundex", [col("gt")]).alias("sx"),
            ])
            .unwrap();
        let sql = spark
            .sql(
                "SELECT Index, Device, lpad(gt, 10, '.') AS lp, concat_ws('/', gt, Model) AS cws, \
                 regexp_extract(Model, '([a-z]+)([0-9]*)', 2) AS re, hash(gt, Index) AS h, \
                 xxhash64(x) AS xx, pow(x, 2) AS p, \
                 date_format(timestamp_seconds(Index), 'yyyy-MM-dd HH:mm') AS d, \
                 greatest(x, y, z) AS g, soundex(gt) AS sx FROM activity WHERE Index % 997 = 0",
            )
            .unwrap();
        same_rows(&api, &sql, mode);
    }
}

#[test]
fn rust_api_encoding_format_and_try_functions_match_their_sql() {
    for mode in MODES {
        let (spark, sample) = activity_sample(mode);
        let api = sample
            .select([
                col("Index"),
                col("Device"),
                f::hex(col("gt")).alias("h"),
                f::hex(f::unhex(f::hex(col("Index")))).alias("uh"),
                f::base64(col("Model")).alias("b"),
                f::decode(f::unbase64(f::base64(col("User"))), "utf-8").alias("ub"),
                f::hex(f::encode(col("gt"), "utf-16")).alias("e"),
                f::hex(f::to_binary(col("Device"), "utf-8")).alias("tb"),
                f::hex(f::try_to_binary(col("gt"), "hex")).alias("ttb"),
                f::format_string("%s:%05d", [col("gt"), col("Index")]).alias("fs"),
                f::printf(f::lit("%.2f"), [col("x")]).alias("pf"),
                f::width_bucket(col("x"), f::lit(-10), f::lit(10), f::lit(4)).alias("wb"),
                f::conv(col("Index"), 10, 16).alias("cv"),
                f::overlay(col("gt"), f::lit("_"), f::lit(2), f::lit(-1)).alias("ov"),
                f::regexp_extract_all(col("Device"), "([a-z]+)", 1).alias("rea"),
                f::try_add(col("Index"), f::lit(2147483647)).alias("ta"),
                f::try_subtract(col("Index"), f::lit(1)).alias("ts"),
                f::try_multiply(col("Index"), f::lit(1000000)).alias("tm"),
                f::try_divide(col("Index"), f::lit(0)).alias("td"),
                f::try_mod(col("Index"), f::lit(7)).alias("tmo"),
                f::positive(col("x")).alias("pos"),
                f::negative(col("Index")).alias("neg"),
                f::bitwise_not(col("Index")).alias("bn"),
                f::to_json(f::arrays_zip([
                    f::split(col("Device"), "_"),
                    f::array([col("x"), col("y")]),
                ]))
                .alias("az"),
            ])
            .unwrap();
        let sql = spark
            .sql(
                "SELECT Index, Device, hex(gt) AS h, hex(unhex(hex(Index))) AS uh, base64(Model) AS b, \
                 decode(unbase64(base64(User)), 'utf-8') AS ub, hex(encode(gt, 'utf-16')) AS e, \
                 hex(to_binary(Device, 'utf-8')) AS tb, hex(try_to_binary(gt, 'hex')) AS ttb, \
                 format_string('%s:%05d', gt, Index) AS fs, printf('%.2f', x) AS pf, \
                 width_bucket(x, -10, 10, 4) AS wb, conv(Index, 10, 16) AS cv, \
                 overlay(gt PLACING '_' FROM 2) AS ov, regexp_extract_all(Device, '([a-z]+)', 1) AS rea, \
                 try_add(Index, 2147483647) AS ta, try_subtract(Index, 1) AS ts, \
                 try_multiply(Index, 1000000) AS tm, try_divide(Index, 0) AS td, try_mod(Index, 7) AS tmo, \
                 positive(x) AS pos, negative(Index) AS neg, ~Index AS bn, \
                 to_json(arrays_zip(split(Device, '_'), array(x, y))) AS az \
                 FROM activity WHERE Index % 997 = 0",
            )
            .unwrap();
        let a = same_rows(&api, &sql, mode);
        // Spot values, so that the two sides cannot agree on a wrong answer.
        let first = &a[0];
        assert_eq!(first["td"], serde_json::Value::Null);
        assert_eq!(first["cv"], serde_json::json!("0"));
    }
}

#[test]
fn rust_api_calendar_functions_match_their_sql() {
    for mode in MODES {
        let (spark, sample) = activity_sample(mode);
        let t = || f::timestamp_seconds(col("Index"));
        let api = sample
            .select([
                col("Index"),
                col("Device"),
                f::trunc(t(), "QUARTER").alias("tq"),
                f::months_between(t(), f::lit("1970-02-28"), false).alias("mb"),
                f::make_timestamp([
                    f::lit(2024),
                    f::lit(2),
                    f::lit(29),
                    f::lit(23),
                    f::lit(59),
                    f::lit(60),
                ])
                .alias("mt"),
            ])
            .unwrap();
        let sql = spark
            .sql(
                "SELECT Index, Device, trunc(timestamp_seconds(Index), 'QUARTER') AS tq, \
                 months_between(timestamp_seconds(Index), '1970-02-28', false) AS mb, \
                 make_timestamp(2024, 2, 29, 23, 59, 60) AS mt FROM activity WHERE Index % 997 = 0",
            )
            .unwrap();
        let rows = same_rows(&api, &sql, mode);
        assert_eq!(rows[0]["mt"], serde_json::json!("2024-03-01 00:00:00"));
    }
}
