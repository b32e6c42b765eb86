//! ANSI interval columns from JSON and CSV files and into sinks, as Spark
//! 4.3 reads and writes them: a declared `INTERVAL DAY TO SECOND` /
//! `INTERVAL YEAR TO MONTH` (or a narrower range) column is read from its
//! cast from a string, so both Spark's own text (`INTERVAL '1-2' YEAR TO
//! MONTH`) and the bare body (`1-2`) are read; another range's text, a
//! JSON number or anything else is a malformed record. The answers are
//! PySpark's for the same files (the values shown as `CAST(.. AS STRING)`).

mod common;

use common::*;
use sqlc::DataFrame;

const WIDE: &str = "dt INTERVAL DAY TO SECOND, ym INTERVAL YEAR TO MONTH";
const NARROW: &str = "dt INTERVAL HOUR, ym INTERVAL YEAR";

/// Each row's values as strings (`None` for null), in file order.
fn texts(df: &DataFrame) -> Vec<(Option<String>, Option<String>)> {
    let df = df
        .select_expr(["CAST(dt AS STRING) AS dt", "CAST(ym AS STRING) AS ym"])
        .unwrap();
    let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
    to_json_rows(&df.collect().unwrap())
        .into_iter()
        .map(|r| (s(&r["dt"]), s(&r["ym"])))
        .collect()
}

fn read(format: &str, schema: &str, mode: &str, m: sqlc::ExecMode) -> DataFrame {
    let dir = if format == "json" {
        "interval_sources"
    } else {
        "interval_sources_csv"
    };
    session(m)
        .read()
        .schema(schema)
        .option("mode", mode)
        .format(format)
        .load(root().join("tests/data").join(dir))
        .unwrap()
}

fn row(dt: &str, ym: &str) -> (Option<String>, Option<String>) {
    (Some(dt.to_string()), Some(ym.to_string()))
}

#[test]
fn interval_columns_are_read_as_spark_reads_them() {
    let one = row(
        "INTERVAL '1 02:03:04.5' DAY TO SECOND",
        "INTERVAL '1-2' YEAR TO MONTH",
    );
    let neg = row(
        "INTERVAL '-1 02:03:04' DAY TO SECOND",
        "INTERVAL '-1-2' YEAR TO MONTH",
    );
    let hour = row("INTERVAL '03' HOUR", "INTERVAL '3' YEAR");
    let null = (None, None);
    for m in MODES {
        for format in ["json", "csv"] {
            let wide = vec![
                one.clone(),
                one.clone(),
                null.clone(),
                neg.clone(),
                null.clone(),
                null.clone(),
            ];
            assert_eq!(
                texts(&read(format, WIDE, "PERMISSIVE", m)),
                wide,
                "{format}"
            );
            assert_eq!(
                texts(&read(format, WIDE, "DROPMALFORMED", m)),
                [one.clone(), one.clone(), neg.clone()],
                "{format}"
            );
            let err = read(format, WIDE, "FAILFAST", m).collect().unwrap_err();
            assert!(
                err.to_string().contains("MALFORMED_RECORD_IN_PARSING"),
                "{err}"
            );
        }
        // A bare `5` is an INTERVAL HOUR in CSV; JSON takes only strings.
        assert_eq!(
            texts(&read("json", NARROW, "DROPMALFORMED", m)),
            vec![hour.clone()]
        );
        assert_eq!(
            texts(&read("csv", NARROW, "DROPMALFORMED", m)),
            [row("INTERVAL '05' HOUR", "INTERVAL '3' YEAR"), hour.clone()]
        );
    }
}

#[test]
fn interval_columns_go_through_every_file_sink_and_back() {
    let data = root().join("tests/data/interval_sources");
    through_every_file_sink(WIDE, &data, |_, back, what| {
        let mut got = texts(back);
        got.sort();
        let mut want = texts(&read("json", WIDE, "PERMISSIVE", sqlc::ExecMode::Interpret));
        want.sort();
        assert_eq!(got, want, "{what}");
    });
}
