//! Parquet row groups skipped by their statistics: a scan with pushed
//! filters (`x > 5`, `gt = 'walk'`, `a IS NOT NULL`, …) never drops a row
//! the filter keeps, over random data in many small row groups (nulls, NaN,
//! equal bounds), and does skip the groups that cannot match.

use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, AsArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow::datatypes::{Float64Type, Int64Type};
use parquet::file::properties::WriterProperties;
use proptest::prelude::*;
use sqlc_compiler::ir::BinaryOp;
use sqlc_compiler::scan_spec::{Bound, PushedFilter, ScanSpec};
use sqlc_compiler::types::{DataType, Field, Schema};
use sqlc_runtime::source::parquet::ParquetReader;

fn schema() -> Schema {
    Schema::new(vec![
        Field::new("a", DataType::Int64, true),
        Field::new("gt", DataType::Utf8, true),
        Field::new("x", DataType::Float64, true),
    ])
}

type Row = (Option<i64>, Option<String>, Option<f64>);

fn parquet(rows: &[Row], group_rows: usize) -> bytes::Bytes {
    let batch = RecordBatch::try_new(
        schema().to_arrow(),
        vec![
            Arc::new(Int64Array::from_iter(rows.iter().map(|r| r.0))),
            Arc::new(StringArray::from_iter(rows.iter().map(|r| r.1.clone()))),
            Arc::new(Float64Array::from_iter(rows.iter().map(|r| r.2))),
        ],
    )
    .unwrap();
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group_rows))
        .build();
    let mut bytes = Vec::new();
    let mut w =
        parquet::arrow::ArrowWriter::try_new(&mut bytes, batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    bytes.into()
}

fn rows_of(batches: &[RecordBatch]) -> Vec<Row> {
    let mut out = Vec::new();
    for b in batches {
        let a = b.column(0).as_primitive::<Int64Type>();
        let gt = b.column(1).as_string::<i32>();
        let x = b.column(2).as_primitive::<Float64Type>();
        for i in 0..b.num_rows() {
            out.push((
                a.is_valid(i).then(|| a.value(i)),
                gt.is_valid(i).then(|| gt.value(i).to_string()),
                x.is_valid(i).then(|| x.value(i)),
            ));
        }
    }
    out
}

/// Whether `row` meets `filter`, with Spark's semantics (null: no; NaN is
/// above every double and equal to itself).
fn keeps(filter: &PushedFilter, row: &Row) -> bool {
    use std::cmp::Ordering;
    let value: Option<Ordering> = match filter {
        PushedFilter::NotNull { column } => {
            return match column {
                0 => row.0.is_some(),
                1 => row.1.is_some(),
                _ => row.2.is_some(),
            }
        }
        PushedFilter::Contains { .. } => unreachable!("not generated"),
        PushedFilter::Compare { column, bound, .. } => match (column, bound) {
            (0, Bound::Long(v)) => row.0.map(|a| a.cmp(v)),
            (1, Bound::Str(v)) => row.1.as_ref().map(|s| s.as_str().cmp(v.as_str())),
            (2, Bound::Double(bits)) => row.2.map(|x| {
                let v = f64::from_bits(*bits);
                if x.is_nan() {
                    Ordering::Greater
                } else {
                    x.partial_cmp(&v).unwrap()
                }
            }),
            _ => unreachable!("bounds match their columns"),
        },
    };
    let PushedFilter::Compare { op, .. } = filter else {
        unreachable!()
    };
    value.is_some_and(|o| match op {
        BinaryOp::Eq => o.is_eq(),
        BinaryOp::Lt => o.is_lt(),
        BinaryOp::LtEq => o.is_le(),
        BinaryOp::Gt => o.is_gt(),
        _ => o.is_ge(),
    })
}

fn scan(bytes: &bytes::Bytes, filters: Vec<PushedFilter>) -> Vec<RecordBatch> {
    let spec = ScanSpec {
        columns: vec![true; 3],
        filters,
    };
    ParquetReader::reading(&schema(), Some(&spec))
        .decode_file(Path::new("t.parquet"), bytes.clone())
        .unwrap()
}

fn row() -> impl Strategy<Value = Row> {
    (
        proptest::option::of(-5i64..5),
        proptest::option::of(prop::sample::select(vec![
            "", "bike", "sit", "stairs", "walk",
        ])),
        proptest::option::of(prop_oneof![
            (-4i32..4).prop_map(|v| v as f64 / 2.0),
            Just(f64::NAN),
            Just(-0.0),
        ]),
    )
        .prop_map(|(a, s, x)| (a, s.map(str::to_string), x))
}

fn filter() -> impl Strategy<Value = PushedFilter> {
    let op = prop::sample::select(vec![
        BinaryOp::Eq,
        BinaryOp::Lt,
        BinaryOp::LtEq,
        BinaryOp::Gt,
        BinaryOp::GtEq,
    ]);
    prop_oneof![
        (0usize..3).prop_map(|column| PushedFilter::NotNull { column }),
        (op.clone(), -6i64..6).prop_map(|(op, v)| PushedFilter::Compare {
            column: 0,
            op,
            bound: Bound::Long(v)
        }),
        (
            op.clone(),
            prop::sample::select(vec!["", "b", "bike", "sit", "t", "walk", "zz"])
        )
            .prop_map(|(op, v)| PushedFilter::Compare {
                column: 1,
                op,
                bound: Bound::Str(v.to_string())
            }),
        (op, -5i32..5).prop_map(|(op, v)| PushedFilter::Compare {
            column: 2,
            op,
            bound: Bound::Double((v as f64 / 2.0).to_bits())
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn skipping_row_groups_never_drops_a_matching_row(
        rows in prop::collection::vec(row(), 0..60),
        group_rows in 1usize..9,
        filters in prop::collection::vec(filter(), 1..3),
    ) {
        let bytes = parquet(&rows, group_rows);
        let got = rows_of(&scan(&bytes, filters.clone()));
        let kept = |rs: &[Row]| -> Vec<String> {
            rs.iter()
                .filter(|r| filters.iter().all(|f| keeps(f, r)))
                .map(|r| format!("{r:?}"))
                .collect()
        };
        prop_assert_eq!(kept(&got), kept(&rows));
    }
}

#[test]
fn row_groups_the_statistics_exclude_are_not_read() {
    let rows: Vec<Row> = (0..100)
        .map(|i| {
            (
                Some(i),
                Some(format!("s{:03}", i)),
                (i % 10 != 0).then_some(i as f64),
            )
        })
        .collect();
    let bytes = parquet(&rows, 10);
    let count = |filters| rows_of(&scan(&bytes, filters)).len();
    assert_eq!(count(vec![]), 100);
    let compare = |column, op, bound| PushedFilter::Compare { column, op, bound };
    assert_eq!(count(vec![compare(0, BinaryOp::GtEq, Bound::Long(95))]), 10);
    assert_eq!(count(vec![compare(0, BinaryOp::Lt, Bound::Long(0))]), 0);
    assert_eq!(
        count(vec![compare(1, BinaryOp::Eq, Bound::Str("s042".into()))]),
        10
    );
    assert_eq!(
        count(vec![compare(
            2,
            BinaryOp::LtEq,
            Bound::Double(15f64.to_bits())
        )]),
        20
    );
}
