//! Projected and pre-filtered JSON scans against the exact decode: over
//! random JSON lines (escapes, unicode, nested values, duplicate keys,
//! values of the wrong type, malformed lines, top-level arrays, blank
//! lines), in PERMISSIVE, DROPMALFORMED and FAILFAST modes, a reader made
//! for a scan (only some columns read, a filter's conjuncts pushed) gives
//! the rows the exact paths give for those columns — the rows a filter
//! keeps, when a filter is pushed — and nulls in the columns not read.

use std::path::Path;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::compute::concat_batches;
use proptest::prelude::*;
use sqlc_compiler::scan_spec::{PushedFilter, ScanSpec};
use sqlc_compiler::types::{DataType, Field, Schema};
use sqlc_runtime::format::json::JsonReader;
use sqlc_runtime::source::{FileLines, Options};

fn schema() -> Schema {
    Schema::new(vec![
        Field::new("a", DataType::Int64, true),
        Field::new("gt", DataType::Utf8, true),
        Field::new("x", DataType::Float64, true),
        Field::new("ok", DataType::Boolean, true),
        Field::new("t", DataType::Timestamp, true),
        Field::new("n", DataType::Int32, true),
        Field::new("_corrupt_record", DataType::Utf8, true),
    ])
}

const KEYS: &[&str] = &["a", "gt", "x", "ok", "t", "n", "other", "G\\u0074", "gt"];

fn string() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "walk", "stairs", "stairsup", "st", "airs", "é", "日本", "\\n", "\\\"", "\\u0073",
            "\\\\", " ", "1", "{", "}",
        ]),
        0..4,
    )
    .prop_map(|parts| format!("\"{}\"", parts.concat()))
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        string(),
        (-3_000_000_000i64..3_000_000_000).prop_map(|v| v.to_string()),
        prop::sample::select(vec![
            "1.5",
            "-0.0",
            "1e3",
            "2E-2",
            "true",
            "false",
            "null",
            "\"NaN\"",
            "\"-Infinity\"",
            "\"2020-01-01T00:00:00Z\"",
            "\"2020-02-30\"",
            "12345678901234567890",
        ])
        .prop_map(str::to_string),
    ]
}

fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..3).prop_map(|kv| {
                let f: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\" : {v}")).collect();
                format!("{{{}}}", f.join(","))
            }),
        ]
    })
}

fn object() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(KEYS), value()), 0..7).prop_map(|kv| {
        let f: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", f.join(","))
    })
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => object(),
        1 => object().prop_map(|o| format!("  {o} ")),
        1 => (object(), 1usize..20).prop_map(|(o, cut)| {
            let mut end = o.len().saturating_sub(cut);
            while !o.is_char_boundary(end) {
                end -= 1;
            }
            o[..end].to_string()
        }),
        1 => prop::sample::select(vec![
            "{\"a\":01}", "{\"gt\":\"x\\q\"}", "{\"a\":1} x", "17", "[1]", "{\"gt\":\"walk\",}",
            "", "   ", "{\"gt\":\"stairs\" \"a\":1}", "[{\"gt\":\"stairs\"},{\"a\":2}]", "[]",
        ])
        .prop_map(str::to_string),
    ]
}

/// A value of the type the schema gives `key` (or null), so that blocks of
/// such records take the specialized path; other keys get any value.
fn typed(key: &'static str) -> BoxedStrategy<String> {
    let v: BoxedStrategy<String> = match key {
        "a" => any::<i64>().prop_map(|v| v.to_string()).boxed(),
        "n" => any::<i32>().prop_map(|v| v.to_string()).boxed(),
        "gt" | "G\\u0074" => {
            prop_oneof![string(), any::<i16>().prop_map(|v| v.to_string())].boxed()
        }
        "x" => prop_oneof![
            any::<f64>()
                .prop_filter("finite", |v| v.is_finite())
                .prop_map(|v| format!("{v:e}")),
            any::<i32>().prop_map(|v| v.to_string()),
            Just("\"NaN\"".to_string()),
        ]
        .boxed(),
        "ok" => any::<bool>().prop_map(|v| v.to_string()).boxed(),
        "t" => prop_oneof![
            Just("\"2020-01-01T00:00:00Z\"".to_string()),
            Just("\"2021-06-30 12:00:00.5\"".to_string()),
            (0i64..2_000_000_000).prop_map(|v| v.to_string()),
        ]
        .boxed(),
        _ => value().boxed(),
    };
    prop_oneof![9 => v, 1 => Just("null".to_string())].boxed()
}

fn good_object() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(KEYS).prop_flat_map(|k| (Just(k), typed(k))),
        0..8,
    )
    .prop_map(|kv| {
        let f: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
        format!("{{{}}}", f.join(" ,"))
    })
}

fn mode() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["PERMISSIVE", "DROPMALFORMED", "FAILFAST"])
}

fn one(schema: &Schema, batches: Vec<RecordBatch>) -> RecordBatch {
    concat_batches(&schema.to_arrow(), &batches).unwrap()
}

/// The rows `gt LIKE '%stairs%' AND gt IS NOT NULL` keeps.
fn keep_stairs(b: &RecordBatch, gt: usize) -> RecordBatch {
    let col = b.column(gt).as_string::<i32>();
    let mask: arrow::array::BooleanArray = (0..b.num_rows())
        .map(|i| Some(col.is_valid(i) && col.value(i).contains("stairs")))
        .collect();
    arrow::compute::filter_record_batch(b, &mask).unwrap()
}

fn check(lines: &[String], mode: &str, columns: Vec<bool>, filter: bool) {
    let data = lines.join("\n");
    let bytes = data.as_bytes();
    let full = schema();
    let options = Options::new().with("mode", mode);
    let filters = if filter {
        vec![
            PushedFilter::NotNull { column: 1 },
            PushedFilter::Contains {
                column: 1,
                fragments: vec!["stairs".into()],
            },
        ]
    } else {
        vec![]
    };
    let spec = ScanSpec {
        columns: columns.clone(),
        filters,
    };
    // The oracle: the exact paths over the read columns (and the
    // corrupt-record column, which every read keeps).
    let kept: Vec<usize> = (0..full.len())
        .filter(|&i| columns[i] || i == full.len() - 1)
        .collect();
    let sub = Schema::new(kept.iter().map(|&i| full.fields[i].clone()).collect());
    let exact = JsonReader::new(&sub, &options)
        .unwrap()
        .decode_block_exact(FileLines::whole(Path::new("t"), bytes), 0..bytes.len());
    let scanned = JsonReader::reading(&full, &options, Some(&spec))
        .unwrap()
        .decode_block(FileLines::whole(Path::new("t"), bytes), 0..bytes.len());
    let (exact, scanned) = match (exact, scanned) {
        (Err(e), Err(s)) => {
            assert_eq!(e.to_string(), s.to_string());
            return;
        }
        (Ok(e), Ok(s)) => (one(&sub, e), one(&full, s)),
        (e, s) => panic!("exact {e:?} but scanned {s:?}\n{data}"),
    };
    // The scanned batch's read columns, in the oracle's shape.
    let projected = RecordBatch::try_new(
        sub.to_arrow(),
        kept.iter().map(|&i| scanned.column(i).clone()).collect(),
    )
    .unwrap();
    for i in 0..full.len() {
        if !kept.contains(&i) {
            assert_eq!(
                scanned.column(i).null_count(),
                scanned.num_rows(),
                "column {i} not read"
            );
        }
    }
    if filter && columns[1] {
        let gt = kept.iter().position(|&i| i == 1).unwrap();
        assert_eq!(
            projected.num_rows(),
            exact.num_rows(),
            "one row per record\n{data}"
        );
        assert_eq!(
            keep_stairs(&projected, gt),
            keep_stairs(&exact, gt),
            "\n{data}"
        );
    } else {
        assert_eq!(projected, exact, "\n{data}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn projected_scans_give_the_exact_rows(
        lines in prop::collection::vec(line(), 0..30),
        mode in mode(),
        columns in prop::collection::vec(any::<bool>(), 7),
    ) {
        check(&lines, mode, columns, false);
    }

    #[test]
    fn pre_filtered_scans_keep_every_matching_row(
        lines in prop::collection::vec(line(), 0..30),
        mode in mode(),
        mut columns in prop::collection::vec(any::<bool>(), 7),
    ) {
        columns[1] = true;
        check(&lines, mode, columns, true);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Mostly good records: blocks the specialized decoder takes whole.
    #[test]
    fn specialized_decodes_give_the_exact_rows(
        lines in prop::collection::vec(prop_oneof![30 => good_object(), 1 => line()], 0..40),
        mode in mode(),
        columns in prop::collection::vec(any::<bool>(), 7),
        filter in any::<bool>(),
    ) {
        let mut columns = columns;
        columns[1] |= filter;
        check(&lines, mode, columns, filter);
    }
}

#[test]
fn every_column_read_is_the_exact_decode() {
    let lines: Vec<String> = [
        r#"{"a":1,"gt":"stairs","x":2.5,"ok":true,"t":"2020-01-01T00:00:00Z","n":3}"#,
        r#"{"gt":"w\"alk","gt":"dup","x":"NaN","a":null}"#,
        r#"{"a":"wrong"}"#,
        r#"not json"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for mode in ["PERMISSIVE", "DROPMALFORMED"] {
        check(&lines, mode, vec![true; 7], false);
        check(&lines, mode, vec![true; 7], true);
    }
}

/// Found by the property test above: a projected, pre-filtered read of a
/// line with a space before its comma and a huge exponent, beside a line
/// whose string column holds an array.
#[test]
fn space_before_a_comma_and_an_array_in_a_string_column() {
    let lines: Vec<String> = [
        r#"{"gt": "stairs" ,"x": -9.051295489407071e154}"#,
        r#"{"gt":[]}"#,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut columns = vec![false; 7];
    columns[1] = true;
    columns[2] = true;
    for mode in ["PERMISSIVE", "DROPMALFORMED"] {
        check(&lines, mode, columns.clone(), true);
        check(&lines, mode, columns.clone(), false);
    }
}
