//! Hash aggregates: grouping sets, overflow, NaN ordering; explain.

use super::*;
use crate::agg_table::LateRows;

fn agg_spec(keys: Vec<TExpr>, sets: Vec<u64>, aggs: Vec<AggCall>) -> AggSpec {
    AggSpec {
        keys,
        grouping_sets: sets,
        aggs,
        window: None,
        event_time_key: None,
    }
}

fn run_agg(b: &RecordBatch, agg: AggSpec) -> Result<AggTable, Error> {
    let spec = PipelineSpec {
        input: input_of(b),
        steps: vec![],
        sink: PipelineSink::Aggregate(agg.clone()),
    };
    let k = crate::kernel::compile(&spec, Arc::new(ArrowSchema::empty()), ExecMode::Interpret)?;
    let mut t = AggTable::new(Arc::new(TableLayout::new(&agg)?));
    k.aggregate(b, &mut t, &mut LateRows::default())?;
    Ok(t)
}

/// Rows of a table as strings, sorted.
fn table_rows(t: &AggTable) -> Vec<String> {
    let groups: Vec<usize> = (0..t.len()).collect();
    let cols = t.to_arrow(&groups);
    let mut rows: Vec<String> = (0..t.len())
        .map(|g| {
            cols.iter()
                .map(|c| arrow::util::display::array_value_to_string(c, g).unwrap())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn cube_with_grouping_ids() {
    let b = batch(vec![
        Arc::new(StringArray::from(vec![
            Some("a"),
            Some("a"),
            Some("b"),
            None,
        ])),
        Arc::new(Int32Array::from(vec![Some(1), Some(2), Some(1), Some(1)])),
        Arc::new(Int64Array::from(vec![Some(10), Some(20), None, Some(5)])),
    ]);
    let agg = agg_spec(
        vec![col(0, DataType::Utf8), col(1, DataType::Int32)],
        vec![0b11, 0b01, 0b10, 0b00],
        vec![
            AggCall {
                func: AggFunc::CountStar,
                arg: None,
            },
            AggCall {
                func: AggFunc::Sum,
                arg: Some(col(2, DataType::Int64)),
            },
            AggCall {
                func: AggFunc::Max,
                arg: Some(col(0, DataType::Utf8)),
            },
        ],
    );
    let rows = table_rows(&run_agg(&b, agg).unwrap());
    let expected = vec![
        "|1|0|1|5|",   // (null, 1): the null class
        "|1|2|3|15|b", // (-, 1)
        "|2|2|1|20|a", // (-, 2)
        "||1|1|5|",    // (null, -)
        "||3|4|35|b",  // grand total
        "a|1|0|1|10|a",
        "a|2|0|1|20|a",
        "a||1|2|30|a",
        "b|1|0|1||b",
        "b||1|1||b",
    ];
    let mut expected: Vec<String> = expected.into_iter().map(String::from).collect();
    expected.sort();
    assert_eq!(rows, expected);
}

#[test]
fn sum_overflow_and_nan_max() {
    let b = batch(vec![
        Arc::new(Int64Array::from(vec![i64::MAX, 1])),
        Arc::new(Float64Array::from(vec![f64::NAN, f64::INFINITY])),
    ]);
    let sum = agg_spec(
        vec![],
        vec![0],
        vec![AggCall {
            func: AggFunc::Sum,
            arg: Some(col(0, DataType::Int64)),
        }],
    );
    assert_eq!(run_agg(&b, sum).unwrap_err().class(), "ARITHMETIC_OVERFLOW");
    let mm = agg_spec(
        vec![],
        vec![0],
        vec![
            AggCall {
                func: AggFunc::Max,
                arg: Some(col(1, DataType::Float64)),
            },
            AggCall {
                func: AggFunc::Min,
                arg: Some(col(1, DataType::Float64)),
            },
            AggCall {
                func: AggFunc::Avg,
                arg: Some(col(0, DataType::Int64)),
            },
        ],
    );
    assert_eq!(
        table_rows(&run_agg(&b, mm).unwrap()),
        vec!["NaN|inf|4.611686018427388e18".to_string()]
    );
}

#[test]
fn explain_says_interpreted() {
    let spec = PipelineSpec {
        input: vec![],
        steps: vec![],
        sink: PipelineSink::Collect,
    };
    let k =
        crate::kernel::compile(&spec, Arc::new(ArrowSchema::empty()), ExecMode::Interpret).unwrap();
    let x = k.explain();
    assert_eq!(x.mode, ExecMode::Interpret);
    assert!(x.clif.is_empty());
    let _: &dyn Kernel = k.as_ref();
}
