//! FLOAT columns from files and into sinks, as Spark reads and writes them
//! (`tests/spark/floats.py` keeps its answers): a JSON source with a
//! `FLOAT` column (numbers, NaN and infinities as strings, values rounded
//! to 32 bits), arithmetic and aggregates over it, and the same rows
//! through the JSON, CSV and Parquet file sinks and back. Both exec modes.

mod common;

use std::path::PathBuf;

use common::*;

const SCHEMA: &str = "id INT, cat STRING, f FLOAT, b INT";
const ROWS: &str = "SELECT id, f, typeof(f) AS t, CAST(f AS STRING) AS text, f * 2 AS doubled, \
                    f + b AS plus, f / 2 AS half FROM t";
const AGGS: &str = "SELECT cat, sum(f) AS s, avg(f) AS a, min(f) AS mn, max(f) AS mx, \
                    count(f) AS n, typeof(max(f)) AS tmx FROM t GROUP BY cat";

fn data() -> PathBuf {
    root().join("tests/data/floats")
}

#[test]
fn float_columns_are_read_and_computed_as_spark() {
    let kept = |name: &str| load_expected(&root().join("tests/data/expected").join(name));
    let (rows, aggs) = (kept("floats_rows.jsonl"), kept("floats_aggregates.jsonl"));
    for mode in MODES {
        let spark = session(mode);
        let df = spark.read().schema(SCHEMA).json(data()).unwrap();
        assert_eq!(df.schema().fields[2].data_type, sqlc::DataType::Float32);
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
fn floats_go_through_every_file_sink_and_back() {
    let want = load_expected(&root().join("tests/data/expected/floats_rows.jsonl"));
    through_every_file_sink(SCHEMA, &data(), |spark, back, what| {
        assert_eq!(
            back.schema().fields[2].data_type,
            sqlc::DataType::Float32,
            "{what}"
        );
        back.create_or_replace_temp_view("t").unwrap();
        assert_df_matches(what, &spark.sql(ROWS).unwrap(), &want);
    });
}
