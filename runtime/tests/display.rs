//! Spark-style display: exact `showString` tables, the console sink header,
//! JSON lines and CSV.
//!
//! Tests marked "needs scalar_fns" render doubles, timestamps or dates through
//! `sqlc_compiler::scalar_fns::{format_f64, format_timestamp, format_date}`
//! and fail until those bodies are merged.

use std::sync::Arc;

use arrow::array::*;
use arrow::datatypes::{DataType, Field, Fields, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use sqlc_compiler::time_zone::TimeZone;
use sqlc_runtime::display::{console_batch_header, console_output, show_string, to_csv};
use sqlc_runtime::format::json::to_json_lines;

fn batch(cols: Vec<(&str, ArrayRef)>) -> RecordBatch {
    let fields: Vec<Field> = cols
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        cols.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap()
}

fn people() -> RecordBatch {
    batch(vec![
        (
            "name",
            Arc::new(StringArray::from(vec![Some("Alice"), Some("Bob"), None])),
        ),
        (
            "age",
            Arc::new(Int64Array::from(vec![Some(30), None, Some(7)])),
        ),
    ])
}

fn show(b: &RecordBatch, n: usize, truncate: usize) -> String {
    show_string(
        &b.schema(),
        std::slice::from_ref(b),
        n,
        truncate,
        &TimeZone::Utc,
    )
}

#[test]
fn two_columns_with_nulls() {
    let want = "\
+-----+----+
| name| age|
+-----+----+
|Alice|  30|
|  Bob|NULL|
| NULL|   7|
+-----+----+
";
    assert_eq!(show(&people(), 20, 20), want);
}

#[test]
fn untruncated_is_left_aligned() {
    let want = "\
+-----+----+
|name |age |
+-----+----+
|Alice|30  |
|Bob  |NULL|
|NULL |7   |
+-----+----+
";
    assert_eq!(show(&people(), 20, 0), want);
}

#[test]
fn footer_singular_and_plural() {
    let b = people();
    let two = "\
+-----+----+
| name| age|
+-----+----+
|Alice|  30|
|  Bob|NULL|
+-----+----+
only showing top 2 rows";
    assert_eq!(show(&b, 2, 20), two);
    let one = "\
+-----+---+
| name|age|
+-----+---+
|Alice| 30|
+-----+---+
only showing top 1 row";
    assert_eq!(show(&b, 1, 20), one);
    // Exactly as many rows as asked for: no footer.
    assert!(!show(&b, 3, 20).contains("only showing"));
    // Zero rows asked for, data present.
    assert_eq!(
        show(&b, 0, 20),
        "+----+---+\n|name|age|\n+----+---+\n+----+---+\nonly showing top 0 rows"
    );
}

#[test]
fn long_strings_truncated() {
    let b = batch(vec![
        (
            "s",
            Arc::new(StringArray::from(vec![
                "abcdefghijklmnopqrstuvwxyz",
                "short",
            ])),
        ),
        (
            "t",
            Arc::new(StringArray::from(vec!["abcdefghijklmnopqrst", "x"])),
        ),
    ]);
    let want = "\
+--------------------+--------------------+
|                   s|                   t|
+--------------------+--------------------+
|abcdefghijklmnopq...|abcdefghijklmnopqrst|
|               short|                   x|
+--------------------+--------------------+
";
    assert_eq!(show(&b, 20, 20), want);
    // truncate < 4: no ellipsis. Header names are never truncated.
    let want3 = "\
+---+---+
|  s|  t|
+---+---+
|abc|abc|
|sho|  x|
+---+---+
";
    assert_eq!(show(&b, 20, 3), want3);
    let full = show(&b, 20, 0);
    assert!(
        full.contains("|abcdefghijklmnopqrstuvwxyz|abcdefghijklmnopqrst|\n"),
        "{full}"
    );
}

#[test]
fn empty_result_prints_header() {
    let schema: SchemaRef = Arc::new(Schema::new(vec![
        Field::new("a", DataType::Int64, true),
        Field::new("longer_name", DataType::Utf8, true),
    ]));
    let want = "\
+---+-----------+
|  a|longer_name|
+---+-----------+
+---+-----------+
";
    assert_eq!(show_string(&schema, &[], 20, 20, &TimeZone::Utc), want);
    let empty = RecordBatch::new_empty(schema.clone());
    assert_eq!(show_string(&schema, &[empty], 20, 20, &TimeZone::Utc), want);
}

#[test]
fn rows_across_batches() {
    let b = people();
    let out = show_string(
        &b.schema(),
        &[b.slice(0, 1), b.slice(1, 0), b.slice(1, 2)],
        2,
        20,
        &TimeZone::Utc,
    );
    assert_eq!(out, show(&b, 2, 20));
}

#[test]
fn booleans_binary_escapes_and_wide_chars() {
    let b = batch(vec![
        ("b", Arc::new(BooleanArray::from(vec![true, false]))),
        (
            "bin",
            Arc::new(BinaryArray::from(vec![&[0x01u8, 0xAB][..], &[][..]])),
        ),
        ("s", Arc::new(StringArray::from(vec!["a\nb", "中文"]))),
        ("i", Arc::new(Int32Array::from(vec![-5, 1234]))),
    ]);
    let want = "\
+-----+-------+----+----+
|    b|    bin|   s|   i|
+-----+-------+----+----+
| true|[01 AB]|a\\nb|  -5|
|false|     []|中文|1234|
+-----+-------+----+----+
";
    assert_eq!(show(&b, 20, 20), want);
}

#[test]
fn console_header() {
    assert_eq!(
        console_batch_header(3),
        "-------------------------------------------\nBatch: 3\n-------------------------------------------\n"
    );
    let b = people();
    let out = console_output(
        0,
        &b.schema(),
        std::slice::from_ref(&b),
        20,
        20,
        &TimeZone::Utc,
    );
    assert_eq!(
        out,
        format!("{}{}\n", console_batch_header(0), show(&b, 20, 20))
    );
}

fn window_batch() -> RecordBatch {
    let ts = |v: i64| -> ArrayRef {
        Arc::new(TimestampMicrosecondArray::from(vec![v * 1_000_000]).with_timezone("UTC"))
    };
    let fields = Fields::from(vec![
        Field::new(
            "start",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            true,
        ),
        Field::new(
            "end",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            true,
        ),
    ]);
    let window = StructArray::new(fields, vec![ts(1_424_686_200), ts(1_424_686_800)], None);
    batch(vec![
        ("window", Arc::new(window)),
        ("count", Arc::new(Int64Array::from(vec![3]))),
    ])
}

/// Needs scalar_fns (format_timestamp).
#[test]
fn window_struct() {
    let b = window_batch();
    let full = "\
+------------------------------------------+-----+
|window                                    |count|
+------------------------------------------+-----+
|{2015-02-23 10:10:00, 2015-02-23 10:20:00}|3    |
+------------------------------------------+-----+
";
    assert_eq!(show(&b, 20, 0), full);
    let cut = "\
+--------------------+-----+
|              window|count|
+--------------------+-----+
|{2015-02-23 10:10...|    3|
+--------------------+-----+
";
    assert_eq!(show(&b, 20, 20), cut);
}

/// Needs scalar_fns (format_f64, format_timestamp, format_date).
#[test]
fn doubles_timestamps_dates() {
    let b = batch(vec![
        (
            "d",
            Arc::new(Float64Array::from(vec![
                1.0,
                1e10,
                f64::NAN,
                -0.0,
                0.001,
                1e-5,
            ])),
        ),
        (
            "ts",
            Arc::new(
                TimestampMicrosecondArray::from(vec![
                    Some(1_424_686_733_176_178),
                    Some(1_424_686_200_000_000),
                    Some(1_424_686_733_100_000),
                    None,
                    Some(0),
                    Some(-1),
                ])
                .with_timezone("UTC"),
            ),
        ),
        (
            "day",
            Arc::new(Date32Array::from(vec![16_489, 0, -1, 11_016, 1, 2])),
        ),
    ]);
    let want = "\
+------+--------------------------+----------+
|     d|                        ts|       day|
+------+--------------------------+----------+
|   1.0|2015-02-23 10:18:53.176178|2015-02-23|
|1.0E10|       2015-02-23 10:10:00|1970-01-01|
|   NaN|     2015-02-23 10:18:53.1|1969-12-31|
|  -0.0|                      NULL|2000-02-29|
| 0.001|       1970-01-01 00:00:00|1970-01-02|
|1.0E-5|1969-12-31 23:59:59.999999|1970-01-03|
+------+--------------------------+----------+
";
    assert_eq!(show(&b, 20, 30), want);
}

#[test]
fn json_lines() {
    let b = people();
    assert_eq!(
        to_json_lines(std::slice::from_ref(&b)),
        "{\"name\":\"Alice\",\"age\":30}\n{\"name\":\"Bob\",\"age\":null}\n{\"name\":null,\"age\":7}\n"
    );
    let w = window_batch();
    assert_eq!(
        to_json_lines(&[w]),
        "{\"window\":{\"start\":\"2015-02-23T10:10:00.000Z\",\"end\":\"2015-02-23T10:20:00.000Z\"},\"count\":3}\n"
    );
    let s = batch(vec![
        ("q", Arc::new(StringArray::from(vec!["say \"hi\"\n"]))),
        ("bin", Arc::new(BinaryArray::from(vec![&b"foo"[..]]))),
        ("ok", Arc::new(BooleanArray::from(vec![false]))),
    ]);
    assert_eq!(
        to_json_lines(&[s]),
        "{\"q\":\"say \\\"hi\\\"\\n\",\"bin\":\"Zm9v\",\"ok\":false}\n"
    );
}

/// Needs scalar_fns (format_f64).
#[test]
fn json_doubles() {
    let b = batch(vec![(
        "x",
        Arc::new(Float64Array::from(vec![
            1.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ])),
    )]);
    assert_eq!(
        to_json_lines(&[b]),
        "{\"x\":1.5}\n{\"x\":\"NaN\"}\n{\"x\":\"Infinity\"}\n{\"x\":\"-Infinity\"}\n"
    );
}

#[test]
fn csv() {
    let b = batch(vec![
        (
            "name",
            Arc::new(StringArray::from(vec![
                Some("Alice"),
                Some("a,b"),
                Some(""),
                None,
                Some("q\"x"),
            ])),
        ),
        (
            "age",
            Arc::new(Int64Array::from(vec![
                Some(30),
                None,
                Some(1),
                Some(2),
                Some(3),
            ])),
        ),
    ]);
    assert_eq!(
        to_csv(&b.schema(), &[b]),
        "name,age\nAlice,30\n\"a,b\",\n\"\",1\n,2\n\"q\"\"x\",3\n"
    );
    let w = window_batch();
    assert_eq!(to_csv(&w.schema(), &[]), "window,count\n");
}
