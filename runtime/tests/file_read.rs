//! Static reads of file sources: JSON inference and malformed-record modes,
//! CSV, text and Parquet, listing options, and decode throughput.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{Float64Type, Int32Type, TimestampMicrosecondType};
use common::*;
use sqlc_compiler::types::{DataType, Field, Schema};
use sqlc_runtime::source::{read_files, FileFormat, Options};
use sqlc_runtime::Error;

#[test]
fn static_json_infers_the_activity_schema() {
    let dir = tempfile::tempdir().unwrap();
    let mut nulls = 0;
    for f in 0..3 {
        let (lines, n) = activity(1000, f * 1000, 0);
        nulls += n;
        write(
            &dir.path().join(format!("part-{f:05}.json")),
            &(lines.join("\n") + "\n"),
        );
    }
    write(&dir.path().join("_SUCCESS"), "not json");
    write(&dir.path().join(".part-00009.json.crc"), "not json");
    let (schema, batches) =
        read_files(FileFormat::Json, dir.path(), None, &Options::new()).unwrap();
    assert_eq!(schema, activity_schema());
    assert_eq!(rows(&batches), 3000);
    assert!(
        batches.iter().all(|b| b.schema() == schema.to_arrow()),
        "canonical Arrow types"
    );
    assert_eq!(
        strings(&batches, "gt")
            .iter()
            .filter(|g| g.is_none())
            .count(),
        nulls
    );
    assert!(nulls > 0);
    let index = int64s(&batches, "Index");
    assert_eq!(
        index,
        (0..3000).map(Some).collect::<Vec<_>>(),
        "file order, then line order"
    );
    // A single file path reads just that file.
    let (_, one) = read_files(
        FileFormat::Json,
        dir.path().join("part-00001.json"),
        None,
        &Options::new(),
    )
    .unwrap();
    assert_eq!(rows(&one), 1000);
}

#[test]
fn malformed_json_lines_in_the_three_modes() {
    let dir = tempfile::tempdir().unwrap();
    let (lines, _) = activity(200, 0, 10); // lines 10, 20, ... 200 are cut short
    let bad: Vec<String> = lines.iter().skip(9).step_by(10).cloned().collect();
    let mut text = lines.join("\n");
    text.push_str("\n\n   \n"); // blank lines are skipped
    let file = write(&dir.path().join("part-0.json"), &text);

    let (schema, batches) =
        read_files(FileFormat::Json, dir.path(), None, &json_opts("PERMISSIVE")).unwrap();
    let names: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Arrival_Time",
            "Creation_Time",
            "Device",
            "Index",
            "Model",
            "User",
            "_corrupt_record",
            "gt",
            "x",
            "y",
            "z"
        ]
    );
    assert_eq!(rows(&batches), 200);
    let corrupt = strings(&batches, "_corrupt_record");
    let found: Vec<String> = corrupt.iter().flatten().cloned().collect();
    assert_eq!(found, bad);
    let index = int64s(&batches, "Index");
    for (i, c) in corrupt.iter().enumerate() {
        assert_eq!(
            c.is_some(),
            index[i].is_none(),
            "row {i}: a corrupt row is null but for _corrupt_record"
        );
    }

    let (schema, batches) = read_files(
        FileFormat::Json,
        dir.path(),
        None,
        &json_opts("dropmalformed"),
    )
    .unwrap();
    assert_eq!(schema, activity_schema());
    assert_eq!(rows(&batches), 180);

    // FAILFAST with a schema: the error names the file and the 1-based line.
    let err = read_files(
        FileFormat::Json,
        dir.path(),
        Some(&activity_schema()),
        &json_opts("FAILFAST"),
    )
    .unwrap_err();
    match &err {
        Error::MalformedRecord { path, line, .. } => {
            assert_eq!(path, &file);
            assert_eq!(*line, 10);
        }
        other => panic!("expected MalformedRecord, got {other:?}"),
    }
    assert!(err.to_string().contains("part-0.json:10"), "{err}");
    // ... and in inference.
    let err = read_files(FileFormat::Json, dir.path(), None, &json_opts("FAILFAST")).unwrap_err();
    assert!(
        matches!(err, Error::MalformedRecord { line: 10, .. }),
        "{err:?}"
    );
}

#[test]
fn corrupt_rows_stay_in_place_across_batches() {
    let dir = tempfile::tempdir().unwrap();
    let (lines, _) = activity(20_000, 0, 97);
    write(&dir.path().join("big.json"), &lines.join("\n"));
    let mut schema = activity_schema();
    schema
        .fields
        .push(Field::new("_corrupt_record", DataType::Utf8, true));
    let (_, batches) =
        read_files(FileFormat::Json, dir.path(), Some(&schema), &Options::new()).unwrap();
    assert!(batches.len() >= 3 && batches.iter().all(|b| b.num_rows() <= 8192));
    let corrupt = strings(&batches, "_corrupt_record");
    let index = int64s(&batches, "Index");
    assert_eq!(corrupt.len(), 20_000);
    for (i, c) in corrupt.iter().enumerate() {
        assert_eq!(
            c.as_deref(),
            (i % 97 == 96).then_some(lines[i].as_str()),
            "row {i}"
        );
        assert_eq!(index[i], (i % 97 != 96).then_some(i as i64), "row {i}");
    }
}

#[test]
fn json_values_of_the_wrong_type_are_malformed_with_partial_results() {
    let dir = tempfile::tempdir().unwrap();
    let text = "{\"a\":1,\"b\":\"x\",\"c\":2}\n{\"a\":\"7\",\"b\":\"y\",\"c\":2.5}\n{\"a\":3,\"B\":\"z\",\"c\":\"NaN\"}\n";
    write(&dir.path().join("t.json"), text);
    let schema = Schema::new(vec![
        Field::new("a", DataType::Int64, false),
        Field::new("b", DataType::Utf8, true),
        Field::new("c", DataType::Float64, true),
        Field::new("_corrupt_record", DataType::Utf8, true),
    ]);
    let (got, batches) =
        read_files(FileFormat::Json, dir.path(), Some(&schema), &Options::new()).unwrap();
    assert!(
        got.fields.iter().all(|f| f.nullable),
        "file sources make every field nullable"
    );
    assert_eq!(int64s(&batches, "a"), [Some(1), None, Some(3)]);
    assert_eq!(
        strings(&batches, "b"),
        [Some("x".into()), Some("y".into()), None],
        "names match exactly"
    );
    let c: Vec<Option<f64>> = column(&batches, "c")[0]
        .as_primitive::<Float64Type>()
        .iter()
        .collect();
    assert_eq!(
        c[..2],
        [Some(2.0), Some(2.5)],
        "a JSON int reads as a double"
    );
    assert!(c[2].unwrap().is_nan());
    assert_eq!(
        strings(&batches, "_corrupt_record"),
        [None, Some(text.lines().nth(1).unwrap().into()), None]
    );

    let (_, dropped) = read_files(
        FileFormat::Json,
        dir.path(),
        Some(&schema),
        &json_opts("DROPMALFORMED"),
    )
    .unwrap();
    assert_eq!(int64s(&dropped, "a"), [Some(1), Some(3)]);
    let err = read_files(
        FileFormat::Json,
        dir.path(),
        Some(&schema),
        &json_opts("FAILFAST"),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::MalformedRecord { line: 2, .. }),
        "{err:?}"
    );
}

#[test]
fn json_arrays_are_inferred_as_arrays() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("t.json"),
        "{\"a\":1}\n{\"a\":2,\"tags\":[\"x\"]}\n",
    );
    let (schema, batches) =
        read_files(FileFormat::Json, dir.path(), None, &Options::new()).unwrap();
    assert_eq!(
        schema.fields[1],
        Field::new("tags", DataType::array_of(DataType::Utf8), true)
    );
    let tags = batches[0].column_by_name("tags").unwrap();
    assert_eq!(tags.null_count(), 1);
    assert_eq!(sqlc_runtime::display::pretty_value(tags.as_ref(), 1), "[x]");
    // With a schema that leaves the field out, the file reads.
    let schema = Schema::new(vec![Field::new("a", DataType::Int64, true)]);
    let (_, batches) =
        read_files(FileFormat::Json, dir.path(), Some(&schema), &Options::new()).unwrap();
    assert_eq!(int64s(&batches, "a"), [Some(1), Some(2)]);
    // Arrays and other values in one field make a string column holding
    // the arrays' JSON text, as in Spark.
    write(&dir.path().join("u.json"), "{\"a\":3,\"tags\":\"y\"}\n");
    let (schema, batches) =
        read_files(FileFormat::Json, dir.path(), None, &Options::new()).unwrap();
    assert_eq!(schema.fields[1], Field::new("tags", DataType::Utf8, true));
    assert_eq!(
        strings(&batches, "tags"),
        [None, Some("[\"x\"]".into()), Some("y".into())]
    );
}

#[test]
fn duplicate_column_names_are_an_error() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("t.json"), "{\"b\":1,\"B\":2}\n");
    let err = read_files(FileFormat::Json, dir.path(), None, &Options::new()).unwrap_err();
    assert!(err.to_string().contains("COLUMN_ALREADY_EXISTS"), "{err}");
}

#[test]
fn csv_empty_values_and_null_value() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a.csv"), "a,b,c\n1,,\"\"\n2,NA,x\n");
    let read = |opts: Options| {
        let (_, b) = read_files(
            FileFormat::Csv,
            dir.path(),
            None,
            &opts.with("header", "true"),
        )
        .unwrap();
        (strings(&b, "b"), strings(&b, "c"))
    };
    // As Spark 4.3: unquoted empty is null; "" is null only when it is the nullValue.
    assert_eq!(
        read(Options::new()),
        (vec![None, Some("NA".into())], vec![None, Some("x".into())])
    );
    assert_eq!(
        read(Options::new().with("nullValue", "NA")),
        (vec![None, None], vec![Some("".into()), Some("x".into())])
    );
}

#[test]
fn csv_with_and_without_header_and_inference() {
    let dir = tempfile::tempdir().unwrap();
    let body = "id,score,name,ok,when,big\n1,2.5,\"Smith, J\",true,2024-01-01 10:00:00,3000000000\n\n2,3,NA,False,2024-01-02T00:00:00Z,4\n";
    write(&dir.path().join("a.csv"), body);
    let opts = Options::new()
        .with("header", "true")
        .with("inferSchema", "true")
        .with("nullValue", "NA");
    let (schema, batches) = read_files(FileFormat::Csv, dir.path(), None, &opts).unwrap();
    let types: Vec<(&str, &DataType)> = schema
        .fields
        .iter()
        .map(|f| (f.name.as_str(), &f.data_type))
        .collect();
    use DataType::*;
    assert_eq!(
        types,
        [
            ("id", &Int32),
            ("score", &Float64),
            ("name", &Utf8),
            ("ok", &Boolean),
            ("when", &Timestamp),
            ("big", &Int64)
        ]
    );
    assert_eq!(rows(&batches), 2);
    assert_eq!(strings(&batches, "name"), [Some("Smith, J".into()), None]);
    let ids: Vec<Option<i32>> = column(&batches, "id")[0]
        .as_primitive::<Int32Type>()
        .iter()
        .collect();
    assert_eq!(ids, [Some(1), Some(2)]);
    let when = column(&batches, "when")[0]
        .as_primitive::<TimestampMicrosecondType>()
        .value(1);
    assert_eq!(when, 1_704_153_600_000_000);
    assert_eq!(batches[0].schema(), schema.to_arrow());

    // Without header nor inferSchema: _c0.. strings, the header line is data.
    let (schema, batches) = read_files(FileFormat::Csv, dir.path(), None, &Options::new()).unwrap();
    assert_eq!(
        schema
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>(),
        ["_c0", "_c1", "_c2", "_c3", "_c4", "_c5"]
    );
    assert!(schema.fields.iter().all(|f| f.data_type == Utf8));
    assert_eq!(
        strings(&batches, "_c0"),
        [Some("id".into()), Some("1".into()), Some("2".into())]
    );
}

#[test]
fn csv_malformed_rows_by_mode() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("a.csv"),
        "a;b\n1;x\n2\nthree;y\n4;z;extra\n5;w\n",
    );
    let schema = Schema::new(vec![
        Field::new("a", DataType::Int32, true),
        Field::new("b", DataType::Utf8, true),
        Field::new("_corrupt_record", DataType::Utf8, true),
    ]);
    let base = Options::new().with("header", "true").with("sep", ";");
    let (_, batches) = read_files(FileFormat::Csv, dir.path(), Some(&schema), &base).unwrap();
    let a: Vec<Option<i32>> = column(&batches, "a")
        .into_iter()
        .flat_map(|c| c.as_primitive::<Int32Type>().iter().collect::<Vec<_>>())
        .collect();
    assert_eq!(
        a,
        [Some(1), Some(2), None, Some(4), Some(5)],
        "partial results"
    );
    assert_eq!(
        strings(&batches, "b"),
        [
            Some("x".into()),
            None,
            Some("y".into()),
            Some("z".into()),
            Some("w".into())
        ]
    );
    assert_eq!(
        strings(&batches, "_corrupt_record"),
        [
            None,
            Some("2".into()),
            Some("three;y".into()),
            Some("4;z;extra".into()),
            None
        ]
    );
    let (_, kept) = read_files(
        FileFormat::Csv,
        dir.path(),
        Some(&schema),
        &base.clone().with("mode", "DROPMALFORMED"),
    )
    .unwrap();
    assert_eq!(rows(&kept), 2);
    let err = read_files(
        FileFormat::Csv,
        dir.path(),
        Some(&schema),
        &base.with("mode", "FAILFAST"),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::MalformedRecord { line: 3, .. }),
        "{err:?}"
    );
}

#[test]
fn text_lines_and_whole_text() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a.txt"), "one\r\n\ntwo\nthree");
    write(&dir.path().join("b.txt"), "");
    let (schema, batches) =
        read_files(FileFormat::Text, dir.path(), None, &Options::new()).unwrap();
    assert_eq!(
        schema,
        Schema::new(vec![Field::new("value", DataType::Utf8, true)])
    );
    assert_eq!(
        strings(&batches, "value"),
        [
            Some("one".into()),
            Some("".into()),
            Some("two".into()),
            Some("three".into())
        ]
    );
    let (_, whole) = read_files(
        FileFormat::Text,
        dir.path(),
        None,
        &Options::new().with("wholetext", "true"),
    )
    .unwrap();
    assert_eq!(
        strings(&whole, "value"),
        [Some("one\r\n\ntwo\nthree".into()), Some("".into())]
    );
}

#[test]
fn parquet_round_trip_to_canonical_types() {
    use arrow::array::{Float32Array, Int16Array, LargeStringArray, TimestampNanosecondArray};
    use arrow::datatypes::{DataType as A, Field as AF, Schema as AS, TimeUnit};
    let dir = tempfile::tempdir().unwrap();
    let schema = Arc::new(AS::new(vec![
        AF::new("small", A::Int16, false),
        AF::new("ratio", A::Float32, true),
        AF::new("Name", A::LargeUtf8, true),
        AF::new("at", A::Timestamp(TimeUnit::Nanosecond, None), true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(Int16Array::from(vec![1, -2, 3])),
            Arc::new(Float32Array::from(vec![Some(0.5), None, Some(2.0)])),
            Arc::new(LargeStringArray::from(vec![Some("a"), Some("b"), None])),
            Arc::new(TimestampNanosecondArray::from(vec![
                Some(1_000_000_999),
                None,
                Some(-1),
            ])),
        ],
    )
    .unwrap();
    let file = std::fs::File::create(dir.path().join("part-0.parquet")).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, schema, None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();

    let (schema, batches) =
        read_files(FileFormat::Parquet, dir.path(), None, &Options::new()).unwrap();
    use DataType::*;
    let types: Vec<&DataType> = schema.fields.iter().map(|f| &f.data_type).collect();
    // A Parquet INT16 is a SMALLINT and a FLOAT stays a FLOAT, as Spark
    // reads them.
    assert_eq!(types, [&Int16, &Float32, &Utf8, &Timestamp]);
    assert_eq!(batches[0].schema(), schema.to_arrow());
    let at: Vec<Option<i64>> = batches[0]
        .column(3)
        .as_primitive::<TimestampMicrosecondType>()
        .iter()
        .collect();
    assert_eq!(
        at,
        [Some(1_000_000), None, Some(-1)],
        "nanoseconds floor to microseconds"
    );
    let small: Vec<Option<i16>> = batches[0]
        .column(0)
        .as_primitive::<arrow::datatypes::Int16Type>()
        .iter()
        .collect();
    assert_eq!(small, [Some(1), Some(-2), Some(3)]);

    // A user schema: names match ignoring case, absent columns are null,
    // and narrower numbers widen.
    let wanted = Schema::new(vec![
        Field::new("name", Utf8, true),
        Field::new("missing", Int64, true),
        Field::new("small", Int64, true),
    ]);
    let (_, batches) = read_files(
        FileFormat::Parquet,
        dir.path(),
        Some(&wanted),
        &Options::new(),
    )
    .unwrap();
    assert_eq!(
        strings(&batches, "name"),
        [Some("a".into()), Some("b".into()), None]
    );
    assert_eq!(batches[0].column(1).null_count(), 3);
    assert_eq!(int64s(&batches, "small"), [Some(1), Some(-2), Some(3)]);
    let wrong = Schema::new(vec![Field::new("Name", Int64, true)]);
    let err = read_files(
        FileFormat::Parquet,
        dir.path(),
        Some(&wrong),
        &Options::new(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("`Name`"), "{err}");
}

#[test]
fn glob_filter_and_recursive_lookup() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("a.json"), "{\"v\":1}\n");
    write(&dir.path().join("b.txt"), "{\"v\":2}\n");
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    write(&dir.path().join("sub/c.json"), "{\"v\":3}\n");
    let read = |opts: Options| {
        let (_, b) = read_files(FileFormat::Json, dir.path(), None, &opts).unwrap();
        int64s(&b, "v")
            .into_iter()
            .map(Option::unwrap)
            .collect::<Vec<_>>()
    };
    assert_eq!(read(Options::new()), [1, 2]);
    assert_eq!(read(Options::new().with("pathGlobFilter", "*.json")), [1]);
    assert_eq!(
        read(
            Options::new()
                .with("recursiveFileLookup", "true")
                .with("pathGlobFilter", "*.json")
        ),
        [1, 3]
    );
    // A glob in the last path component, as spark.read.json("dir/*.json").
    let (_, b) = read_files(
        FileFormat::Json,
        dir.path().join("*.json"),
        None,
        &Options::new(),
    )
    .unwrap();
    assert_eq!(int64s(&b, "v"), [Some(1)]);
    let (_, b) = read_files(
        FileFormat::Json,
        dir.path().join("{a.json,s*}"),
        None,
        &Options::new(),
    )
    .unwrap();
    assert_eq!(
        int64s(&b, "v"),
        [Some(1), Some(3)],
        "a matching directory is read"
    );
    let err = read_files(
        FileFormat::Json,
        dir.path().join("*.csv"),
        None,
        &Options::new(),
    )
    .unwrap_err();
    assert!(matches!(err, Error::PathNotFound(_)), "{err:?}");
}

/// Decode throughput on the example data: 1M rows in 80 files (about 190
/// MB). Run with `cargo test --release -p sqlc-runtime --test file_read
/// -- --ignored --nocapture`.
#[test]
#[ignore]
fn decode_throughput() {
    let dir = std::env::var("SQLC_ACTIVITY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            let out = std::env::temp_dir().join("sqlc-datagen-1m");
            if !out.exists() {
                let tmp =
                    std::env::temp_dir().join(format!(".sqlc-datagen-1m.{}", std::process::id()));
                sqlc_runtime::datagen::ActivityGen::default()
                    .rows(1_000_000)
                    .files(80)
                    .write_dir(&tmp)
                    .unwrap();
                // Another process may have made it first.
                if std::fs::rename(&tmp, &out).is_err() {
                    let _ = std::fs::remove_dir_all(&tmp);
                }
            }
            out
        });
    let bytes: u64 = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let mb = bytes as f64 / 1e6;
    for round in 0..3 {
        let (t, cpu) = (std::time::Instant::now(), cpu_seconds());
        let (_, batches) = read_files(
            FileFormat::Json,
            &dir,
            Some(&activity_schema()),
            &Options::new(),
        )
        .unwrap();
        let (wall, used) = (t.elapsed().as_secs_f64(), cpu_seconds() - cpu);
        println!("round {round}: {} rows, {mb:.0} MB, with schema: {wall:.3}s wall, {used:.2} CPU-s ({:.0} MB per CPU-s)", rows(&batches), mb / used);
        let (t, cpu) = (std::time::Instant::now(), cpu_seconds());
        let (schema, inferred) = read_files(FileFormat::Json, &dir, None, &Options::new()).unwrap();
        let (wall, used) = (t.elapsed().as_secs_f64(), cpu_seconds() - cpu);
        println!("round {round}: inferring the schema too: {wall:.3}s wall, {used:.2} CPU-s");
        let corrupt = schema.fields.iter().any(|f| f.name == "_corrupt_record");
        assert_eq!(schema.len(), activity_schema().len() + usize::from(corrupt));
        assert_eq!(rows(&batches), rows(&inferred));
    }
}

/// CPU time used by this process so far (Linux), to measure on a busy machine.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<f64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 Hz).
    fields
        .get(11)
        .zip(fields.get(12))
        .map_or(0.0, |(u, s)| (u + s) / 100.0)
}

/// A file larger than a read window: its lines are read a window at a
/// time, each once, in order; a malformed line far into it is reported
/// with its line number in the file, in the read and in inference, and
/// CSV's header is the first line of the file alone.
#[test]
fn large_files_are_read_a_window_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.json");
    // ~2.4 MB: several windows (a window is at most 4 MB and at least
    // 256 KB, and a read of one file on two cores takes at least eight).
    let n = 40_000;
    let mut text = String::new();
    for i in 0..n {
        // Line ends of every kind, and lines of varying length.
        let end = ["\n", "\r\n", "\r"][i % 3];
        text.push_str(&format!(
            "{{\"i\":{i},\"s\":\"{}\"}}{end}",
            "x".repeat(i % 97)
        ));
    }
    std::fs::write(&file, &text).unwrap();
    let (_, batches) = read_files(FileFormat::Json, dir.path(), None, &Options::new()).unwrap();
    let got: Vec<Option<i64>> = int64s(&batches, "i");
    let want: Vec<Option<i64>> = (0..n as i64).map(Some).collect();
    assert_eq!(got, want);

    // A malformed line near the end: its number, counted from the file's
    // start (both `\r` and `\r\n` end a line once).
    let bad = 37_123;
    let lines: Vec<&str> = text.split_inclusive(['\n', '\r']).collect();
    let mut broken = String::new();
    let mut line = 0;
    let mut k = 0;
    while k < lines.len() {
        // A `\r\n` is one line end: its `\n` comes as a piece of its own.
        let mut piece = lines[k].to_string();
        if piece.ends_with('\r') && lines.get(k + 1) == Some(&"\n") {
            piece.push('\n');
            k += 1;
        }
        line += 1;
        if line == bad {
            piece = piece.replacen('{', "{oops", 1);
        }
        broken.push_str(&piece);
        k += 1;
    }
    std::fs::write(&file, &broken).unwrap();
    let schema = Schema::new(vec![
        Field::new("i", DataType::Int64, true),
        Field::new("s", DataType::Utf8, true),
    ]);
    let err = read_files(
        FileFormat::Json,
        dir.path(),
        Some(&schema),
        &json_opts("FAILFAST"),
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::MalformedRecord { line, .. } if line == bad as u64),
        "{err:?}"
    );
    let err = read_files(FileFormat::Json, dir.path(), None, &json_opts("FAILFAST")).unwrap_err();
    assert!(
        matches!(err, Error::MalformedRecord { line, .. } if line == bad as u64),
        "{err:?}"
    );

    // CSV: the header is the file's first line, not each window's.
    let csv = dir.path().join("csv");
    std::fs::create_dir(&csv).unwrap();
    let mut text = String::from("i,s\n");
    for i in 0..n {
        text.push_str(&format!("{i},{}\n", "y".repeat(i % 89)));
    }
    std::fs::write(csv.join("big.csv"), &text).unwrap();
    let mut opts = Options::new();
    opts.set("header", "true");
    opts.set("inferSchema", "true");
    let (schema, batches) = read_files(FileFormat::Csv, &csv, None, &opts).unwrap();
    assert_eq!(schema.fields[0].data_type, DataType::Int32);
    let got: Vec<i32> = batches
        .iter()
        .flat_map(|b| {
            let c = b.column(0).as_primitive::<Int32Type>();
            (0..c.len()).map(|r| c.value(r)).collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(got, (0..n as i32).collect::<Vec<_>>());
}
