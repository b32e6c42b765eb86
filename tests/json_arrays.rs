//! JSON arrays read with an inferred schema, as Spark infers and reads them
//! (`tests/spark/json_arrays.py` keeps its answers): `[1, 2.5]` is an
//! `array<double>`, arrays nest, an array of objects is an array of structs,
//! and a field that holds an array in one record and a string in another is
//! a string holding the array's text. Both exec modes, batch and stream.

mod common;

use std::path::PathBuf;

use common::*;
use sqlc::functions::{col, explode_outer, size};
use sqlc::DataFrame;

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/json_arrays")
}

fn expected(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/expected")
        .join(name)
}

fn query(df: &DataFrame) -> DataFrame {
    df.select([
        col("id"),
        col("tags"),
        size(col("nums")).alias("n"),
        col("nums"),
        col("nested"),
        explode_outer(col("nums")).alias("num"),
    ])
    .unwrap()
}

#[test]
fn json_arrays_are_inferred_and_read_as_spark_reads_them() {
    let want = load_expected(&expected("json_arrays.jsonl"));
    let schema = std::fs::read_to_string(expected("json_arrays.schema.txt")).unwrap();
    for mode in MODES {
        let spark = session(mode);
        let df = spark.read().json(data()).unwrap();
        assert_eq!(df.schema_string().trim_end(), schema.trim_end(), "{mode:?}");
        assert_df_matches(&format!("json arrays ({mode:?})"), &query(&df), &want);

        let stream = spark
            .read_stream()
            .schema(df.schema())
            .option("maxFilesPerTrigger", 1)
            .json(data())
            .unwrap();
        let (q, out) = drain(&spark, &query(&stream), "json_arrays", "append");
        q.stop().unwrap();
        assert_df_matches(&format!("json arrays, streamed ({mode:?})"), &out, &want);
    }
}
