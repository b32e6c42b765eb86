//! The join probe in both back ends: a table built by an aggregate kernel
//! over one side's keys, probed by the other side's rows, must find exactly
//! the groups a direct Rust lookup finds — keys of mixed types (string,
//! bigint, double with NaN and −0.0), nulls never matching.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{Float64Array, Int64Array, RecordBatch, StringArray};
use common::*;
use proptest::prelude::*;
use sqlc_compiler::agg_table::{AggTable, LateRows, TableLayout};
use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, ExecMode};

type Row = (Option<String>, Option<i64>, Option<f64>);

fn row_strategy() -> impl Strategy<Value = Row> {
    (
        prop::option::weighted(
            0.9,
            prop::sample::select(vec!["a", "b", "", "é"]).prop_map(str::to_string),
        ),
        prop::option::weighted(0.9, -3i64..3),
        prop::option::weighted(
            0.9,
            prop::sample::select(vec![0.0, -0.0, 1.5, f64::NAN, f64::INFINITY]),
        ),
    )
}

fn batch_of(rows: &[Row]) -> RecordBatch {
    batch(vec![
        (
            "s",
            Arc::new(StringArray::from(
                rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            )),
        ),
        (
            "i",
            Arc::new(Int64Array::from(
                rows.iter().map(|r| r.1).collect::<Vec<_>>(),
            )),
        ),
        (
            "f",
            Arc::new(Float64Array::from(
                rows.iter().map(|r| r.2).collect::<Vec<_>>(),
            )),
        ),
    ])
}

fn keys_only() -> AggSpec {
    AggSpec {
        keys: vec![
            col(0, "s", DataType::Utf8, true),
            col(1, "i", DataType::Int64, true),
            col(2, "f", DataType::Float64, true),
        ],
        grouping_sets: vec![0b111],
        aggs: vec![],
        window: None,
        event_time_key: None,
    }
}

/// A key as SQL compares join keys: NaN equals NaN, −0.0 equals 0.0.
fn norm(r: &Row) -> Option<(String, i64, u64)> {
    let f = r.2?;
    let f = if f.is_nan() {
        f64::NAN.to_bits()
    } else {
        (f + 0.0).to_bits()
    };
    Some((r.0.clone()?, r.1?, f))
}

/// Per probe row, the build rows it matches, by each back end.
fn matches(build: &[Row], probe: &[Row], mode: ExecMode) -> Vec<Vec<usize>> {
    let (b, p) = (batch_of(build), batch_of(probe));
    let input: Vec<ColumnType> = input_of(&b)
        .into_iter()
        .map(|c| ColumnType {
            nullable: true,
            ..c
        })
        .collect();
    let agg = PipelineSpec {
        input: input.clone(),
        steps: vec![],
        sink: PipelineSink::Aggregate(keys_only()),
    };
    let probe_spec = PipelineSpec {
        input,
        steps: vec![],
        sink: PipelineSink::Probe(keys_only()),
    };
    let build_k = sqlc_compiler::compile(&agg, b.schema(), mode).unwrap();
    let probe_k = sqlc_compiler::compile(&probe_spec, b.schema(), mode).unwrap();
    let mut table = AggTable::new(Arc::new(TableLayout::new(&keys_only()).unwrap()));
    if b.num_rows() > 0 {
        build_k
            .aggregate(&b, &mut table, &mut LateRows::default())
            .unwrap();
    }
    let built = if b.num_rows() > 0 {
        probe_k.probe(&b, &table).unwrap()
    } else {
        vec![]
    };
    let probed = if p.num_rows() > 0 {
        probe_k.probe(&p, &table).unwrap()
    } else {
        vec![]
    };
    probed
        .iter()
        .map(|&g| {
            (0..built.len())
                .filter(|&r| g >= 0 && built[r] == g)
                .collect()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn probes_find_what_rust_finds(
        build in prop::collection::vec(row_strategy(), 0..40),
        probe in prop::collection::vec(row_strategy(), 0..40),
    ) {
        let mut by_key: HashMap<(String, i64, u64), Vec<usize>> = HashMap::new();
        for (i, r) in build.iter().enumerate() {
            if let Some(k) = norm(r) {
                by_key.entry(k).or_default().push(i);
            }
        }
        let want: Vec<Vec<usize>> = probe
            .iter()
            .map(|r| norm(r).and_then(|k| by_key.get(&k).cloned()).unwrap_or_default())
            .collect();
        prop_assert_eq!(&matches(&build, &probe, ExecMode::Interpret), &want, "interpreted");
        prop_assert_eq!(&matches(&build, &probe, ExecMode::Jit), &want, "jit");
    }
}
