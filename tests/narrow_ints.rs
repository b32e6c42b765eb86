//! TINYINT and SMALLINT columns from files and into sinks, as Spark 4.3
//! reads and writes them: a declared `b TINYINT, s SMALLINT` schema over
//! JSON and CSV in each reader mode (out-of-range values are malformed,
//! except that Spark's JSON reader, Jackson's `getByteValue`, takes a
//! TINYINT up to 255 and wraps it: 200 is -56), and the rows through the
//! JSON, CSV and Parquet sinks and back with their types. Both exec modes.
//! The answers are PySpark's for the same files (`spark.read.schema(..)
//! .option("mode", ..)`).

mod common;

use common::*;
use sqlc::{DataFrame, DataType};

const SCHEMA: &str = "b TINYINT, s SMALLINT";

/// `(b, s)` of each row, in file order.
fn pairs(df: &DataFrame) -> Vec<(Option<i64>, Option<i64>)> {
    to_json_rows(&df.collect().unwrap())
        .into_iter()
        .map(|r| (r["b"].as_i64(), r["s"].as_i64()))
        .collect()
}

fn read(format: &str, mode: &str, m: sqlc::ExecMode) -> Result<DataFrame, sqlc::Error> {
    let dir = if format == "json" {
        "narrow_ints"
    } else {
        "narrow_ints_csv"
    };
    session(m)
        .read()
        .schema(SCHEMA)
        .option("mode", mode)
        .format(format)
        .load(root().join("tests/data").join(dir))
}

#[test]
fn narrow_columns_are_read_in_every_mode_as_spark() {
    let both = [(Some(1), Some(2)), (Some(-128), Some(-32768))];
    for m in MODES {
        let json = read("json", "PERMISSIVE", m).unwrap();
        assert_eq!(json.schema().fields[0].data_type, DataType::Int8);
        assert_eq!(json.schema().fields[1].data_type, DataType::Int16);
        assert_eq!(
            pairs(&json),
            [
                (Some(1), Some(2)),
                (Some(-56), None),
                (Some(-128), Some(-32768)),
                (Some(-1), None),
                (None, None)
            ]
        );
        assert_eq!(pairs(&read("json", "DROPMALFORMED", m).unwrap()), both);
        assert_eq!(
            pairs(&read("csv", "PERMISSIVE", m).unwrap()),
            [
                (Some(1), Some(2)),
                (None, None),
                (Some(-128), Some(-32768)),
                (None, None),
                (None, None)
            ]
        );
        assert_eq!(pairs(&read("csv", "DROPMALFORMED", m).unwrap()), both);
        for format in ["json", "csv"] {
            let err = read(format, "FAILFAST", m)
                .and_then(|df| df.collect().map(|_| ()))
                .unwrap_err();
            assert!(
                err.to_string().contains("MALFORMED_RECORD_IN_PARSING"),
                "{format}: {err}"
            );
        }
    }
}

#[test]
fn narrow_columns_go_through_every_file_sink_and_back() {
    let data = root().join("tests/data/narrow_ints");
    through_every_file_sink(SCHEMA, &data, |spark, back, what| {
        let types: Vec<_> = back
            .schema()
            .fields
            .iter()
            .map(|f| f.data_type.clone())
            .collect();
        assert_eq!(types, [DataType::Int8, DataType::Int16], "{what}");
        back.create_or_replace_temp_view("t").unwrap();
        let df = spark
            .sql("SELECT b, s FROM t ORDER BY b NULLS FIRST, s NULLS FIRST")
            .unwrap();
        assert_eq!(
            pairs(&df),
            [
                (None, None),
                (Some(-128), Some(-32768)),
                (Some(-56), None),
                (Some(-1), None),
                (Some(1), Some(2))
            ],
            "{what}"
        );
    });
}
