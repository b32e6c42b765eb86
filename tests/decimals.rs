//! DECIMAL columns from files and into sinks, as Spark reads and writes
//! them (`tests/spark/decimals.py` keeps its answers): a JSON source with a
//! `DECIMAL(10,2)` column (numbers and strings, rounded HALF_UP to the
//! scale), exact arithmetic and aggregates over it, and the same rows
//! through the JSON, CSV and Parquet file sinks and back. Both exec modes.

mod common;

use std::path::PathBuf;

use common::*;
use sqlc::Trigger;

const SCHEMA: &str = "id INT, cat STRING, price DECIMAL(10,2), qty INT";
const ROWS: &str = "SELECT id, price, price * qty AS value, price / 3 AS third, \
                    CAST(price AS STRING) AS text FROM t";
const AGGS: &str = "SELECT cat, sum(price) AS s, avg(price) AS a, min(price) AS mn, \
                    max(price) AS mx, sum(price * qty) AS v, count(price) AS n FROM t GROUP BY cat";

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/decimals")
}

fn expected(name: &str) -> Expected {
    load_expected(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/expected")
            .join(name),
    )
}

#[test]
fn decimal_columns_are_read_and_computed_exactly() {
    let (rows, aggs) = (
        expected("decimals_rows.jsonl"),
        expected("decimals_aggregates.jsonl"),
    );
    for mode in MODES {
        let spark = session(mode);
        let df = spark.read().schema(SCHEMA).json(data()).unwrap();
        assert_eq!(
            df.schema().fields[2].data_type,
            sqlc::DataType::Decimal(10, 2)
        );
        df.create_or_replace_temp_view("t").unwrap();
        assert_df_matches(
            &format!("rows ({mode:?})"),
            &spark.sql(ROWS).unwrap(),
            &rows,
        );
        assert_df_matches(
            &format!("aggregates ({mode:?})"),
            &spark.sql(AGGS).unwrap(),
            &aggs,
        );
    }
}

#[test]
fn decimals_go_through_every_file_sink_and_back() {
    let want = expected("decimals_rows.jsonl");
    let tmp = tempfile::tempdir().unwrap();
    for mode in MODES {
        let spark = session(mode);
        let stream = spark.read_stream().schema(SCHEMA).json(data()).unwrap();
        for format in ["json", "csv", "parquet"] {
            let out = tmp.path().join(format!("{mode:?}_{format}"));
            let q = stream
                .write_stream()
                .format(format)
                .option("path", out.display())
                .option("header", "true")
                .option(
                    "checkpointLocation",
                    tmp.path().join(format!("{mode:?}_{format}_ck")).display(),
                )
                .trigger(Trigger::AvailableNow)
                .start()
                .unwrap();
            q.await_termination(None).unwrap();
            let back = spark
                .read()
                .schema(SCHEMA)
                .option("header", "true")
                .format(format)
                .load(&out)
                .unwrap();
            assert_eq!(
                back.schema().fields[2].data_type,
                sqlc::DataType::Decimal(10, 2),
                "{format}"
            );
            back.create_or_replace_temp_view("t").unwrap();
            assert_df_matches(
                &format!("{format} sink ({mode:?})"),
                &spark.sql(ROWS).unwrap(),
                &want,
            );
        }
    }
}
