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
        let spark = session(mode);
        let df = spark.read().json(activity_data()).unwrap();
        df.create_or_replace_temp_view("activity").unwrap();
        let sample = df.where_("Index % 997 = 0").unwrap();
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
        let key = |r: &serde_json::Map<String, serde_json::Value>| {
            format!("{}|{}", r["Index"], r["Device"])
        };
        let mut a = to_json_rows(&api.collect().unwrap());
        let mut b = to_json_rows(&sql.collect().unwrap());
        a.sort_by_key(key);
        b.sort_by_key(key);
        assert!(a.len() > 10, "{} rows", a.len());
        assert_eq!(a, b, "{mode:?}");
    }
}
