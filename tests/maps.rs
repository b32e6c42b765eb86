//! MAP columns end to end, with Spark's answers (PySpark 4.3, kept inline):
//! a JSON source read with a user-given map schema (malformed values make
//! the map NULL, entries in the record's order), maps through the JSON and
//! Parquet file sinks and back, and the map and JSON functions from the
//! Rust API (`sqlc::functions`), equal to their SQL forms. Both exec modes.

mod common;

use std::path::PathBuf;

use common::*;
use serde_json::{json, Value};
use sqlc::functions::*;
use sqlc::{DataFrame, Session, Trigger};

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/json_maps")
}

const SCHEMA: &str = "id INT, m MAP<STRING,INT>";

fn rows(df: &DataFrame) -> Vec<Value> {
    to_json_rows(&df.collect().unwrap())
        .into_iter()
        .map(Value::Object)
        .collect()
}

/// Each id with its map's keys (in order) and values, as Spark reads
/// tests/data/json_maps (`spark.read.schema(SCHEMA).json(..)`).
fn spark_answer() -> Vec<Value> {
    vec![
        json!({"id": 1, "k": ["a", "b"], "v": [1, null]}),
        json!({"id": 2, "k": null, "v": null}),
        json!({"id": 3, "k": null, "v": null}),
        json!({"id": 4, "k": null, "v": null}),
        json!({"id": 5, "k": [], "v": []}),
        json!({"id": 6, "k": ["ü", "a"], "v": [7, 2]}),
        json!({"id": 7, "k": null, "v": null}),
    ]
}

fn keys_and_values(df: &DataFrame) -> DataFrame {
    df.select([
        col("id"),
        map_keys(col("m")).alias("k"),
        map_values(col("m")).alias("v"),
    ])
    .unwrap()
    .order_by([col("id")])
    .unwrap()
}

#[test]
fn a_json_source_reads_maps_of_a_given_schema_as_spark() {
    for mode in MODES {
        let spark = session(mode);
        let df = spark.read().schema(SCHEMA).json(data()).unwrap();
        // Spark's printSchema of the same read.
        assert_eq!(
            df.schema_string(),
            "root\n |-- id: integer (nullable = true)\n |-- m: map (nullable = true)\n |    |-- key: string\n |    |-- value: integer (valueContainsNull = true)\n"
        );
        assert_eq!(rows(&keys_and_values(&df)), spark_answer(), "{mode:?}");
        let shown = df
            .order_by([col("id")])
            .unwrap()
            .show_string(20, 0)
            .unwrap();
        assert!(
            shown.contains("|1  |{a -> 1, b -> NULL}|") || shown.contains("{a -> 1, b -> NULL}"),
            "{shown}"
        );
        let stream = spark.read_stream().schema(SCHEMA).json(data()).unwrap();
        let (q, out) = drain(&spark, &stream, "maps_in", "append");
        q.stop().unwrap();
        assert_eq!(rows(&keys_and_values(&out)), spark_answer(), "{mode:?}");
    }
}

fn sink(spark: &Session, format: &str, dir: &std::path::Path) {
    let stream = spark
        .read_stream()
        .schema(SCHEMA)
        .json(data())
        .unwrap()
        .select([
            col("id"),
            col("m"),
            map_concat([col("m"), create_map([lit("z"), col("id")])]).alias("m2"),
        ])
        .unwrap();
    let q = stream
        .write_stream()
        .format(format)
        .option("path", dir.join(format).display())
        .option(
            "checkpointLocation",
            dir.join(format!("ck_{format}")).display(),
        )
        .trigger(Trigger::AvailableNow)
        .start()
        .unwrap();
    q.await_termination(None).unwrap();
}

#[test]
fn maps_round_trip_through_json_and_parquet_files() {
    for mode in MODES {
        let tmp = tempfile::tempdir().unwrap();
        let spark = session(mode);
        sink(&spark, "json", tmp.path());
        sink(&spark, "parquet", tmp.path());
        let json_back = spark
            .read()
            .schema("id INT, m MAP<STRING,INT>, m2 MAP<STRING,INT>")
            .json(tmp.path().join("json"))
            .unwrap();
        let parquet_back = spark.read().parquet(tmp.path().join("parquet")).unwrap();
        assert_eq!(
            parquet_back.schema().fields[2].data_type.spark_name(),
            "map<string,int>"
        );
        for back in [json_back, parquet_back] {
            assert_eq!(rows(&keys_and_values(&back)), spark_answer(), "{mode:?}");
            let m2 = back
                .select([col("id"), map_keys(col("m2")).alias("k")])
                .unwrap()
                .order_by([col("id")])
                .unwrap();
            let ks: Vec<Value> = rows(&m2).into_iter().map(|r| r["k"].clone()).collect();
            assert_eq!(
                ks,
                vec![
                    json!(["a", "b", "z"]),
                    Value::Null,
                    Value::Null,
                    Value::Null,
                    json!(["z"]),
                    json!(["ü", "a", "z"]),
                    Value::Null
                ],
                "{mode:?}"
            );
        }
    }
}

#[test]
fn map_and_json_functions_from_the_rust_api_match_sql() {
    for mode in MODES {
        let spark = session(mode);
        let one = spark.sql("SELECT 1 AS id").unwrap();
        let api = one
            .select([
                create_map([lit("a"), lit(1), lit("b"), lit(2)]).alias("m"),
                map_from_arrays(array([lit("x")]), array([lit(3)])).alias("fa"),
                map_from_entries(array([named_struct([
                    lit("k"),
                    lit("y"),
                    lit("v"),
                    lit(4),
                ])]))
                .alias("fe"),
                str_to_map(lit("p=1;q=2"), ";", "=").alias("sm"),
                map_contains_key(create_map([lit("a"), lit(1)]), lit("a")).alias("has"),
                try_element_at(create_map([lit("a"), lit(1)]), lit("zz")).alias("miss"),
                map_entries(create_map([lit("a"), lit(1)])).alias("e"),
                get_json_object(lit(r#"{"a":{"b":[1,2]}}"#), "$.a.b[1]").alias("g"),
                schema_of_json(r#"{"a":1,"b":[0.5]}"#).alias("s"),
                to_json(create_map([lit("a"), lit(1)])).alias("tj"),
                from_json_with_options(
                    lit(r#"{"a":1}"#),
                    "MAP<STRING, INT>",
                    &[("mode", "FAILFAST")],
                )
                .alias("fj"),
            ])
            .unwrap();
        let sql = spark
            .sql(
                r#"SELECT map('a', 1, 'b', 2) AS m, map_from_arrays(array('x'), array(3)) AS fa,
                map_from_entries(array(named_struct('k', 'y', 'v', 4))) AS fe,
                str_to_map('p=1;q=2', ';', '=') AS sm, map_contains_key(map('a', 1), 'a') AS has,
                try_element_at(map('a', 1), 'zz') AS miss, map_entries(map('a', 1)) AS e,
                get_json_object('{"a":{"b":[1,2]}}', '$.a.b[1]') AS g,
                schema_of_json('{"a":1,"b":[0.5]}') AS s, to_json(map('a', 1)) AS tj,
                from_json('{"a":1}', 'MAP<STRING, INT>', map('mode', 'FAILFAST')) AS fj"#,
            )
            .unwrap();
        let want = json!({
            "m": {"a": 1, "b": 2}, "fa": {"x": 3}, "fe": {"y": 4}, "sm": {"p": "1", "q": "2"},
            "has": true, "miss": null, "e": [{"key": "a", "value": 1}], "g": "2",
            "s": "STRUCT<a: BIGINT, b: ARRAY<DOUBLE>>", "tj": r#"{"a":1}"#, "fj": {"a": 1}
        });
        assert_eq!(rows(&api), vec![want.clone()], "{mode:?}");
        assert_eq!(rows(&sql), vec![want], "{mode:?}");

        let tuples = one
            .select([json_tuple(lit(r#"{"a":1,"b":"x"}"#), &["a", "b", "c"])])
            .unwrap();
        assert_eq!(tuples.columns(), ["c0", "c1", "c2"]);
        assert_eq!(
            rows(&tuples),
            vec![json!({"c0": "1", "c1": "x", "c2": null})],
            "{mode:?}"
        );
        let exploded = one
            .select([explode(create_map([lit("k1"), lit(1), lit("k2"), lit(2)]))])
            .unwrap();
        assert_eq!(exploded.columns(), ["key", "value"]);
        assert_eq!(exploded.count().unwrap(), 2);
        let e = one
            .select([from_json_with_options(
                lit("bad"),
                "a INT",
                &[("mode", "FAILFAST")],
            )])
            .unwrap()
            .collect()
            .unwrap_err();
        assert_eq!(e.class(), "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION");
    }
}

#[test]
fn a_parquet_file_spark_wrote_reads_its_maps() {
    // Written by PySpark 4.3: `SELECT 1 id, map('a', 1, 'b', NULL) m,
    // map(1, array('x')) n UNION ALL SELECT 2, NULL, map()` (its map
    // entries are Parquet's `key_value` groups).
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/parquet_maps");
    for mode in MODES {
        let spark = session(mode);
        let df = spark.read().parquet(&file).unwrap();
        // Spark's printSchema of the file, as read back by Spark.
        assert_eq!(
            df.schema_string(),
            "root\n |-- id: integer (nullable = true)\n |-- m: map (nullable = true)\n |    |-- key: string\n |    |-- value: integer (valueContainsNull = true)\n |-- n: map (nullable = true)\n |    |-- key: integer\n |    |-- value: array (valueContainsNull = true)\n |    |    |-- element: string (containsNull = true)\n"
        );
        let out = df
            .select([col("id"), col("m"), col("n"), map_keys(col("n")).alias("k")])
            .unwrap()
            .order_by([col("id")])
            .unwrap();
        assert_eq!(
            rows(&out),
            vec![
                json!({"id": 1, "m": {"a": 1, "b": null}, "n": {"1": ["x"]}, "k": [1]}),
                json!({"id": 2, "m": null, "n": {}, "k": []}),
            ],
            "{mode:?}"
        );
    }
}

#[test]
fn grouping_by_a_map_is_refused_clearly() {
    // Spark 4.3 groups by maps; sqlc's aggregate table has no map keys yet,
    // so it says so rather than failing deep inside.
    let spark = session(sqlc::ExecMode::Jit);
    let e = spark
        .sql("SELECT m, count(*) FROM (SELECT map('a', 1) AS m) GROUP BY m")
        .err()
        .unwrap();
    assert_eq!(e.class(), "UNSUPPORTED_FEATURE");
    assert!(e.to_string().contains("grouping by a map"), "{e}");
}
