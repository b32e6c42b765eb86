//! Event-time window aggregation in both back ends: random windows
//! (tumbling, sliding, with start offsets), random watermarks, times with
//! nulls and before the epoch; the JIT and the interpreter must both give
//! what a direct Rust computation gives — the groups, their counts and sums,
//! the window structs, and the number of late row–window pairs dropped.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{Array, AsArray, Int64Array, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{Int64Type, TimestampMicrosecondType};
use common::*;
use proptest::prelude::*;
use sqlc_compiler::agg_table::{AggTable, LateRows, TableLayout};
use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, ExecMode};

type Groups = BTreeMap<(Option<String>, i64, i64), (i64, Option<i64>)>;

#[derive(Debug)]
struct Case {
    times: Vec<Option<i64>>,
    values: Vec<Option<i64>>,
    keys: Vec<Option<String>>,
    window: WindowSpec,
    watermark: Option<i64>,
    /// Whether the window carries the watermark (else no late rows).
    event_time: bool,
}

fn case_strategy() -> impl Strategy<Value = Case> {
    let row = (
        prop::option::weighted(0.9, -50i64..200),
        prop::option::weighted(0.8, -5i64..5),
        prop::option::weighted(0.8, prop::sample::select(vec!["a", "b", "c"])),
    );
    (
        prop::collection::vec(row, 0..60),
        1i64..40,
        1i64..40,
        any::<i64>(),
        prop::option::of(-60i64..220),
        any::<bool>(),
    )
        .prop_map(|(rows, size, slide, start, watermark, event_time)| {
            let slide = slide.min(size);
            let start = start.rem_euclid(2 * slide - 1) - (slide - 1);
            Case {
                times: rows.iter().map(|r| r.0).collect(),
                values: rows.iter().map(|r| r.1).collect(),
                keys: rows.iter().map(|r| r.2.map(str::to_string)).collect(),
                window: WindowSpec {
                    size_us: size,
                    slide_us: slide,
                    start_us: start,
                },
                watermark,
                event_time,
            }
        })
}

/// What the aggregation must give, computed row by row: the groups, the
/// late row–window pairs, and the rows all of whose windows are late.
fn expected(c: &Case) -> (Groups, u64, Vec<u32>) {
    let mut groups = Groups::new();
    let mut late = 0;
    let mut late_rows = Vec::new();
    for i in 0..c.times.len() {
        let Some(t) = c.times[i] else { continue };
        let latest_end =
            t - (t - c.window.start_us).rem_euclid(c.window.slide_us) + c.window.size_us;
        if c.event_time && c.watermark.is_some_and(|w| latest_end <= w) {
            late_rows.push(i as u32);
        }
        // Every window [s, s + size) with s ≡ start (mod slide) covering t.
        let mut s = t - (t - c.window.start_us).rem_euclid(c.window.slide_us);
        while s + c.window.size_us > t {
            let end = s + c.window.size_us;
            if c.event_time && c.watermark.is_some_and(|w| end <= w) {
                late += 1;
            } else {
                let g = groups
                    .entry((c.keys[i].clone(), s, end))
                    .or_insert((0, None));
                g.0 += 1;
                if let Some(v) = c.values[i] {
                    g.1 = Some(g.1.unwrap_or(0) + v);
                }
            }
            s -= c.window.slide_us;
        }
    }
    (groups, late, late_rows)
}

fn run(c: &Case, mode: ExecMode) -> (Groups, u64, Vec<u32>) {
    let b = batch(vec![
        (
            "t",
            Arc::new(TimestampMicrosecondArray::from(c.times.clone()).with_timezone("UTC")),
        ),
        ("v", Arc::new(Int64Array::from(c.values.clone()))),
        ("k", Arc::new(StringArray::from(c.keys.clone()))),
    ]);
    let spec = AggSpec {
        keys: vec![
            col(2, "k", DataType::Utf8, true),
            col(0, "t", DataType::Timestamp, true),
        ],
        grouping_sets: vec![0b11],
        aggs: vec![
            AggCall {
                func: AggFunc::CountStar,
                arg: None,
            },
            AggCall {
                func: AggFunc::Sum,
                arg: Some(col(1, "v", DataType::Int64, true)),
            },
        ],
        window: Some(WindowKey {
            key: 1,
            window: c.window,
        }),
        event_time_key: c.event_time.then_some(1),
    };
    let layout = Arc::new(TableLayout::new(&spec).unwrap());
    let p = PipelineSpec {
        input: input_of(&b),
        steps: vec![],
        sink: PipelineSink::Aggregate(spec),
    };
    let k = sqlc_compiler::compile(&p, b.schema(), mode).unwrap();
    let mut table = AggTable::new(layout);
    let mut late = LateRows::new(c.watermark);
    // Two morsels, as the runtime may split a batch.
    let half = b.num_rows() / 2;
    late.record(0);
    k.aggregate(&b.slice(0, half), &mut table, &mut late)
        .unwrap();
    late.record(1);
    k.aggregate(&b.slice(half, b.num_rows() - half), &mut table, &mut late)
        .unwrap();
    let mut late_rows: Vec<u32> = late
        .take_noted()
        .into_iter()
        .map(|(m, r)| r + m * half as u32)
        .collect();
    late_rows.sort();
    let groups: Vec<usize> = (0..table.len()).collect();
    let cols = table.to_arrow(&groups);
    let keys = cols[0].as_string::<i32>();
    let window = cols[1].as_struct();
    let starts = window.column(0).as_primitive::<TimestampMicrosecondType>();
    let ends = window.column(1).as_primitive::<TimestampMicrosecondType>();
    let counts = cols[2].as_primitive::<Int64Type>();
    let sums = cols[3].as_primitive::<Int64Type>();
    let mut out = Groups::new();
    for g in 0..groups.len() {
        let key = keys.is_valid(g).then(|| keys.value(g).to_string());
        let sum = sums.is_valid(g).then(|| sums.value(g));
        out.insert(
            (key, starts.value(g), ends.value(g)),
            (counts.value(g), sum),
        );
    }
    (out, late.count(), late_rows)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(800))]

    #[test]
    fn windows_match_rust(c in case_strategy()) {
        let want = expected(&c);
        prop_assert_eq!(&run(&c, ExecMode::Interpret), &want, "interpreted");
        prop_assert_eq!(&run(&c, ExecMode::Jit), &want, "jit");
    }
}
