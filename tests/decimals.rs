//! DECIMAL columns from files and into sinks, as Spark reads and writes
//! them (`tests/spark/decimals.py` keeps its answers): a JSON source with a
//! `DECIMAL(10,2)` column (numbers and strings, rounded HALF_UP to the
//! scale), exact arithmetic and aggregates over it, and the same rows
//! through the JSON, CSV and Parquet file sinks and back. Both exec modes.

mod common;

use std::path::PathBuf;

use common::*;

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
    through_every_file_sink(SCHEMA, &data(), |spark, back, what| {
        assert_eq!(
            back.schema().fields[2].data_type,
            sqlc::DataType::Decimal(10, 2),
            "{what}"
        );
        back.create_or_replace_temp_view("t").unwrap();
        assert_df_matches(what, &spark.sql(ROWS).unwrap(), &want);
    });
}

/// Exact decimal sums and averages kept in streaming state survive a
/// restart from the checkpoint: half the rows before it, half after, the
/// answer Spark gives over all of them.
#[test]
fn decimal_aggregates_survive_a_restart_from_the_checkpoint() {
    let want = expected("decimals_aggregates.jsonl");
    let lines: Vec<String> = std::fs::read_to_string(data().join("part-0.json"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    for mode in MODES {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("in");
        std::fs::create_dir(&input).unwrap();
        let (first, second) = lines.split_at(lines.len() / 2);
        std::fs::write(input.join("part-0.json"), first.join("\n") + "\n").unwrap();
        let run = |name: &str| {
            let spark = session(mode);
            spark
                .read_stream()
                .schema(SCHEMA)
                .json(&input)
                .unwrap()
                .create_or_replace_temp_view("t")
                .unwrap();
            let q = spark
                .sql(AGGS)
                .unwrap()
                .write_stream()
                .query_name(name)
                .format("memory")
                .output_mode("complete")
                .option("checkpointLocation", tmp.path().join("ck").display())
                .start()
                .unwrap();
            q.process_all_available().unwrap();
            let out = spark.sql(&format!("SELECT * FROM {name}")).unwrap();
            (spark, q, out)
        };
        let (_s, q, _) = run("dec_before");
        q.stop().unwrap();
        std::fs::write(input.join("part-1.json"), second.join("\n") + "\n").unwrap();
        let (_s, q, out) = run("dec_after");
        assert_df_matches(&format!("after the restart ({mode:?})"), &out, &want);
        q.stop().unwrap();
    }
}

/// Integers beyond bigint in JSON without a schema are inferred as Spark
/// infers them (PySpark 4.3 gave these types and values): a decimal of
/// their digits up to 38, widened to decimal(20,0) beside bigints; a
/// double past 38 digits or beside a fraction.
#[test]
fn integers_beyond_bigint_are_inferred_as_decimals() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("t.json"),
        concat!(
            r#"{"a":12345678901234567890,"b":1,"c":123456789012345678901234567890123456789012,"d":-9223372036854775808,"e":9223372036854775808}"#,
            "\n",
            r#"{"a":1,"b":2.5,"c":1,"d":1,"e":1}"#,
            "\n"
        ),
    )
    .unwrap();
    for mode in MODES {
        let spark = session(mode);
        let df = spark.read().json(tmp.path()).unwrap();
        let types: Vec<String> = df
            .schema()
            .fields
            .iter()
            .map(|f| f.data_type.to_string())
            .collect();
        assert_eq!(
            types,
            [
                "decimal(20,0)",
                "double",
                "double",
                "bigint",
                "decimal(20,0)"
            ]
        );
        let rows = to_json_rows(&df.collect().unwrap());
        let text = |r: usize, c: &str| rows[r][c].to_string();
        assert_eq!(text(0, "a"), "\"12345678901234567890\"", "{mode:?}");
        assert_eq!(text(0, "e"), "\"9223372036854775808\"", "{mode:?}");
        assert_eq!(text(0, "c"), "1.2345678901234568e+41", "{mode:?}");
        assert_eq!(text(1, "a"), "\"1\"", "{mode:?}");
    }
}
