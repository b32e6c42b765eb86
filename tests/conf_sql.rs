//! `SET` / `RESET` through `session.sql`, with Spark's answers (taken from
//! PySpark 4.3: the value is the raw text after `=`, quotes kept; an unset
//! key reads `<undefined>`; `RESET` answers nothing).

use sqlc::Session;

fn pairs(spark: &Session, sql: &str) -> Vec<(String, String)> {
    let df = spark.sql(sql).unwrap();
    assert_eq!(df.columns(), ["key", "value"], "{sql}");
    df.collect_rows()
        .unwrap()
        .iter()
        .map(|r| (r.values[0].to_string(), r.values[1].to_string()))
        .collect()
}

fn kv(k: &str, v: &str) -> (String, String) {
    (format!("'{k}'"), format!("'{v}'"))
}

#[test]
fn set_get_and_reset_as_spark() {
    let spark = Session::builder().get_or_create();
    assert_eq!(pairs(&spark, "SET my.k = 'v'"), [kv("my.k", "\\'v\\'")]);
    assert_eq!(spark.conf().get("my.k").as_deref(), Some("'v'"));
    assert_eq!(pairs(&spark, "SET my.j=5"), [kv("my.j", "5")]);
    assert_eq!(pairs(&spark, "SET my.j"), [kv("my.j", "5")]);
    assert_eq!(
        pairs(&spark, "SET my.nothing"),
        [kv("my.nothing", "<undefined>")]
    );
    assert_eq!(
        pairs(&spark, "SET spark.sql.shuffle.partitions=7"),
        [kv("spark.sql.shuffle.partitions", "7")]
    );
    assert_eq!(
        spark.conf().get("spark.sql.shuffle.partitions").as_deref(),
        Some("7")
    );
    let reset = spark.sql("RESET my.j").unwrap();
    assert!(reset.columns().is_empty());
    assert_eq!(reset.count().unwrap(), 0);
    assert_eq!(pairs(&spark, "SET my.j"), [kv("my.j", "<undefined>")]);
    let all = pairs(&spark, "SET");
    assert!(all.contains(&kv("my.k", "\\'v\\'")), "{all:?}");
    let err = spark
        .sql("SET spark.sql.shuffle.partitions = 0")
        .unwrap_err();
    assert_eq!(err.class(), "INVALID_CONF_VALUE", "{err}");
    assert_eq!(
        spark.conf().get("spark.sql.shuffle.partitions").as_deref(),
        Some("7")
    );
}

/// `SET TIME ZONE` in its forms sets `spark.sql.session.timeZone` to what
/// Spark sets it to; a zone Spark cannot read is refused and the setting
/// kept.
#[test]
fn set_time_zone_as_spark() {
    let spark = Session::builder().get_or_create();
    let tz = "spark.sql.session.timeZone";
    assert_eq!(pairs(&spark, &format!("SET {tz}")), [kv(tz, "UTC")]);
    for (stmt, value) in [
        ("SET TIME ZONE 'America/Los_Angeles'", "America/Los_Angeles"),
        ("SET TIME ZONE INTERVAL '08:00' HOUR TO MINUTE", "+08:00"),
        ("SET TIME ZONE INTERVAL -5 HOURS", "-05:00"),
        ("SET TIME ZONE '+8:00'", "+8:00"),
        ("SET TIME ZONE LOCAL", "UTC"),
        ("set time zone \"Asia/Kolkata\"", "Asia/Kolkata"),
    ] {
        assert_eq!(pairs(&spark, stmt), [kv(tz, value)], "{stmt}");
        assert_eq!(
            pairs(&spark, &format!("SET {tz}")),
            [kv(tz, value)],
            "{stmt}"
        );
    }
    for bad in [
        "SET TIME ZONE 'Foo/Bar'",
        "SET TIME ZONE 'asia/kolkata'",
        "SET spark.sql.session.timeZone = +19:00",
    ] {
        let err = spark.sql(bad).unwrap_err();
        assert_eq!(err.class(), "INVALID_CONF_VALUE.TIME_ZONE", "{bad}: {err}");
    }
    let err = spark.sql("SET TIME ZONE INTERVAL 19 HOURS").unwrap_err();
    assert!(err.class().starts_with("INVALID_INTERVAL_FORMAT"), "{err}");
    assert_eq!(spark.conf().get(tz).as_deref(), Some("Asia/Kolkata"));
}
