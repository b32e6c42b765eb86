//! Projection in the other file formats: a Parquet scan reads only the
//! column chunks a query reads and gives the same values for them (nulls
//! for the rest); a CSV scan does not convert fields it does not read, so a
//! bad value there no longer makes a record malformed (Spark's CSV column
//! pruning), while the fields it reads are the full decode's.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, Float64Array, Int64Array, RecordBatch, StringArray};
use sqlc_compiler::scan_spec::ScanSpec;
use sqlc_compiler::types::{DataType, Field, Schema};
use sqlc_runtime::source::csv::CsvReader;
use sqlc_runtime::source::parquet::ParquetReader;
use sqlc_runtime::source::{FileLines, Options};

fn schema() -> Schema {
    Schema::new(vec![
        Field::new("a", DataType::Int64, true),
        Field::new("gt", DataType::Utf8, true),
        Field::new("x", DataType::Float64, true),
    ])
}

fn spec(columns: [bool; 3]) -> ScanSpec {
    ScanSpec {
        columns: columns.to_vec(),
        filters: vec![],
    }
}

#[test]
fn parquet_projection_gives_the_same_values() {
    let batch = RecordBatch::try_new(
        schema().to_arrow(),
        vec![
            Arc::new(Int64Array::from(vec![Some(1), None, Some(3)])),
            Arc::new(StringArray::from(vec![Some("walk"), Some("bike"), None])),
            Arc::new(Float64Array::from(vec![0.5, 1.5, 2.5])),
        ],
    )
    .unwrap();
    let mut bytes = Vec::new();
    let mut w = parquet::arrow::ArrowWriter::try_new(&mut bytes, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let bytes = bytes::Bytes::from(bytes);
    let full = ParquetReader::new(&schema())
        .decode_file(Path::new("t.parquet"), bytes.clone())
        .unwrap();
    assert_eq!(full, vec![batch.clone()]);
    for columns in [
        [true, false, false],
        [false, true, true],
        [false, false, false],
    ] {
        let got = ParquetReader::reading(&schema(), Some(&spec(columns)))
            .decode_file(Path::new("t.parquet"), bytes.clone())
            .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].num_rows(), 3);
        for (i, read) in columns.iter().enumerate() {
            if *read {
                assert_eq!(got[0].column(i), batch.column(i), "column {i}");
            } else {
                assert_eq!(got[0].column(i).null_count(), 3, "column {i} not read");
            }
        }
    }
}

#[test]
fn csv_does_not_convert_what_it_does_not_read() {
    let data = b"1,walk,0.5\nnot-a-number,bike,1.5\n3,run,oops\n";
    let options = Options::new().with("mode", "DROPMALFORMED");
    let full = CsvReader::new(&schema(), &options)
        .unwrap()
        .decode_block(FileLines::whole(Path::new("t.csv"), data), 0..data.len())
        .unwrap();
    assert_eq!(
        full.iter().map(|b| b.num_rows()).sum::<usize>(),
        1,
        "two bad records dropped"
    );
    let got = CsvReader::reading(&schema(), &options, Some(&spec([false, true, false])))
        .unwrap()
        .decode_block(FileLines::whole(Path::new("t.csv"), data), 0..data.len())
        .unwrap();
    let gt: Vec<Option<&str>> = got
        .iter()
        .flat_map(|b| {
            let c = b.column(1).as_any().downcast_ref::<StringArray>().unwrap();
            (0..c.len())
                .map(|i| c.is_valid(i).then(|| c.value(i)))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(gt, [Some("walk"), Some("bike"), Some("run")]);
    assert!(got.iter().all(|b| b.column(0).null_count() == b.num_rows()));
    let short = b"1,walk\n";
    let got = CsvReader::reading(&schema(), &options, Some(&spec([false, true, false])))
        .unwrap()
        .decode_block(FileLines::whole(Path::new("t.csv"), short), 0..short.len())
        .unwrap();
    assert_eq!(
        got.iter().map(|b| b.num_rows()).sum::<usize>(),
        0,
        "a record with too few fields is still malformed"
    );
}

#[test]
fn a_batch_file_table_decodes_what_each_read_asks() {
    use sqlc_runtime::source::{FileFormat, FileTable};
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("part-0.json"),
        "{\"a\":1,\"gt\":\"walk\",\"x\":0.5}\n{\"a\":2,\"gt\":\"bike\",\"x\":1.5}\n",
    )
    .unwrap();
    let table = FileTable::open(
        FileFormat::Json,
        dir.path(),
        Some(&schema()),
        &Options::new(),
        Default::default(),
    )
    .unwrap();
    let (full, partitions) = table.read(None).unwrap();
    let (only_gt, _) = table.read(Some(&spec([false, true, false]))).unwrap();
    assert_eq!(partitions.len(), full.len(), "a partition per batch");
    assert_eq!(full[0].column(0).null_count(), 0);
    assert_eq!(only_gt[0].num_rows(), 2);
    assert_eq!(only_gt[0].column(0).null_count(), 2, "a not read: nulls");
    assert_eq!(only_gt[0].column(2).null_count(), 2, "x not read: nulls");
    assert_eq!(
        only_gt[0].column(1),
        full[0].column(1),
        "gt read as the full decode reads it"
    );
}
