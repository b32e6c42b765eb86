//! Struct values as Spark users handle JSON payloads: from_json into a
//! struct, its fields by `data.gt`, `data.*` and `get_field`, struct(),
//! named_struct() and to_json(); in SQL and the DataFrame API, both modes.

mod common;

use std::sync::Arc;

use common::*;
use serde_json::json;
use sqlc::arrow::array::{ArrayRef, BinaryArray};
use sqlc::arrow::datatypes::{DataType, Field, Schema};
use sqlc::arrow::record_batch::RecordBatch;
use sqlc::functions::{col, from_json, struct_, to_json};
use sqlc::{ExecMode, Session};

fn payloads(spark: &Session) {
    let schema = Arc::new(Schema::new(vec![
        Field::new("id", DataType::Int64, false),
        Field::new("value", DataType::Binary, true),
    ]));
    let values = BinaryArray::from(vec![
        Some(br#"{"gt":"walk","x":1.5,"extra":true}"#.as_slice()),
        Some(br#"{"gt":"sit"}"#.as_slice()),
        Some(b"{broken".as_slice()),
        None,
    ]);
    let ids: ArrayRef = Arc::new(sqlc::arrow::array::Int64Array::from(vec![1, 2, 3, 4]));
    let b = RecordBatch::try_new(schema, vec![ids, Arc::new(values)]).unwrap();
    spark
        .create_data_frame(vec![b])
        .unwrap()
        .create_or_replace_temp_view("payloads")
        .unwrap();
}

fn rows(df: &sqlc::DataFrame) -> Vec<serde_json::Value> {
    to_json_rows(&df.collect().unwrap())
        .into_iter()
        .map(serde_json::Value::Object)
        .collect()
}

#[test]
fn from_json_fields_in_sql() {
    for mode in MODES {
        let spark = session(mode);
        payloads(&spark);
        let df = spark
            .sql(
                "SELECT id, data.gt, data.x FROM (SELECT id, from_json(CAST(value AS STRING), 'gt STRING, x DOUBLE') AS data FROM payloads) ORDER BY id",
            )
            .unwrap();
        assert_eq!(df.columns(), ["id", "gt", "x"]);
        assert_eq!(
            rows(&df),
            vec![
                json!({"id": 1, "gt": "walk", "x": 1.5}),
                json!({"id": 2, "gt": "sit", "x": null}),
                json!({"id": 3, "gt": null, "x": null}),
                json!({"id": 4, "gt": null, "x": null}),
            ],
            "{mode:?}"
        );
        let star = spark
            .sql("SELECT data.* FROM (SELECT from_json(CAST(value AS STRING), 'gt STRING, x DOUBLE') AS data FROM payloads) WHERE data.gt IS NOT NULL")
            .unwrap();
        assert_eq!(star.columns(), ["gt", "x"]);
        assert_eq!(star.count().unwrap(), 2);
        let plan = star.explain().unwrap();
        if mode == ExecMode::Jit {
            assert!(plan.contains("not compiled (struct values)"), "{plan}");
        }
    }
}

#[test]
fn struct_and_to_json_in_the_dataframe_api() {
    for mode in MODES {
        let spark = session(mode);
        payloads(&spark);
        let parsed = spark
            .table("payloads")
            .unwrap()
            .select([
                col("id"),
                from_json(col("value").cast("string").unwrap(), "gt STRING, x DOUBLE")
                    .alias("data"),
            ])
            .unwrap();
        let fields = parsed
            .select([col("data").get_field("gt"), col("data.x")])
            .unwrap();
        assert_eq!(fields.columns(), ["data.gt", "x"]);
        assert_eq!(fields.count().unwrap(), 4);
        let out = parsed
            .where_("id <= 2")
            .unwrap()
            .select([
                to_json(struct_([col("id"), col("data.gt").alias("activity")])).alias("json"),
                to_json(col("data")).alias("again"),
            ])
            .unwrap();
        assert_eq!(
            rows(&out),
            vec![
                json!({"json": r#"{"id":1,"activity":"walk"}"#, "again": r#"{"gt":"walk","x":1.5}"#}),
                json!({"json": r#"{"id":2,"activity":"sit"}"#, "again": r#"{"gt":"sit"}"#}),
            ],
            "{mode:?}"
        );
        let named = spark
            .sql("SELECT j, s.tag FROM (SELECT to_json(named_struct('n', id, 'twice', id * 2)) AS j, struct(id, 'a' AS tag) AS s FROM payloads WHERE id = 1)")
            .unwrap();
        assert_eq!(
            rows(&named),
            vec![json!({"j": r#"{"n":1,"twice":2}"#, "tag": "a"})],
            "{mode:?}"
        );
    }
}

#[test]
fn field_access_errors_name_the_field_and_the_type() {
    let spark = session(ExecMode::Jit);
    payloads(&spark);
    let e = spark
        .sql("SELECT data.nope FROM (SELECT from_json(CAST(value AS STRING), 'gt STRING') AS data FROM payloads)")
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("nope") && e.contains("`gt`"), "{e}");
    let e = spark
        .sql("SELECT from_json(id, 'gt STRING') FROM payloads")
        .err()
        .unwrap()
        .to_string();
    assert!(
        e.contains("UNEXPECTED_INPUT_TYPE") && e.contains("\"STRING\""),
        "{e}"
    );
    let e = spark
        .sql("SELECT from_json(CAST(value AS STRING), 'gt NOTATYPE') FROM payloads")
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("does not parse"), "{e}");
}
