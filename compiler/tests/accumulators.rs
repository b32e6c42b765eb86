//! first/last, variance/stddev, DISTINCT, bit_and/or/xor,
//! skewness/kurtosis, corr/covar and max_by/min_by accumulators, over
//! every fixed-width type compiled code aggregates: the JIT and the
//! interpreter agree (and the JIT compiles them all), and a table built from partial tables merged in input
//! order (as the runtime's workers do) gives the single table's answer.

mod common;

use std::sync::Arc;

use arrow::array::{Array, ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray};
use arrow::record_batch::RecordBatch;
use common::*;
use sqlc_compiler::agg_table::{AggTable, LateRows, TableLayout};
use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, ExecMode};

fn input() -> RecordBatch {
    let n = 1000usize;
    let k: Vec<Option<i64>> = (0..n).map(|i| Some((i % 7) as i64)).collect();
    let s: Vec<Option<String>> = (0..n)
        .map(|i| (i % 5 != 0).then(|| format!("s{}", (i * 37) % 101)))
        .collect();
    let d: Vec<Option<f64>> = (0..n)
        .map(|i| (i % 3 != 0).then(|| ((i * 7919) % 1000) as f64 / 7.0 - 50.0))
        .collect();
    let v: Vec<Option<i64>> = (0..n)
        .map(|i| (i % 4 != 1).then_some(((i * 31) % 17) as i64 - 8))
        .collect();
    let b: Vec<Option<bool>> = (0..n).map(|i| (i % 6 != 2).then_some(i % 4 == 0)).collect();
    batch(vec![
        ("k", Arc::new(Int64Array::from(k)) as ArrayRef),
        ("s", Arc::new(StringArray::from(s))),
        ("d", Arc::new(Float64Array::from(d))),
        ("v", Arc::new(Int64Array::from(v))),
        ("b", Arc::new(BooleanArray::from(b))),
    ])
}

fn spec(b: &RecordBatch, sets: Vec<u64>) -> AggSpec {
    let c = |i: usize| {
        let f = b.schema().field(i).clone();
        let ty = match f.data_type() {
            arrow::datatypes::DataType::Int64 => DataType::Int64,
            arrow::datatypes::DataType::Utf8 => DataType::Utf8,
            arrow::datatypes::DataType::Boolean => DataType::Boolean,
            _ => DataType::Float64,
        };
        col(i, f.name(), ty, true)
    };
    let a = |func: AggFunc, arg: TExpr| AggCall {
        func,
        arg: Some(arg),
    };
    use AggFunc::*;
    AggSpec {
        keys: vec![c(0), c(4)],
        grouping_sets: sets,
        aggs: vec![
            a(
                First {
                    ignore_nulls: false,
                },
                c(1),
            ),
            a(
                Last {
                    ignore_nulls: false,
                },
                c(1),
            ),
            a(First { ignore_nulls: true }, c(1)),
            a(Last { ignore_nulls: true }, c(1)),
            a(
                First {
                    ignore_nulls: false,
                },
                c(2),
            ),
            a(Last { ignore_nulls: true }, c(2)),
            a(
                First {
                    ignore_nulls: false,
                },
                c(4),
            ),
            a(
                Last {
                    ignore_nulls: false,
                },
                c(3),
            ),
            a(VarSamp, c(2)),
            a(VarPop, c(3)),
            a(StddevSamp, c(2)),
            a(StddevPop, c(3)),
            a(CountDistinct, c(1)),
            a(CountDistinct, c(2)),
            a(SumDistinct, c(3)),
            a(SumDistinct, c(2)),
            a(AvgDistinct, c(3)),
            a(BitAnd, c(3)),
            a(BitOr, c(3)),
            a(BitXor, c(0)),
            a(Skewness, c(2)),
            a(Kurtosis, c(3)),
            a(Corr, pack(c(2), c(3))),
            a(CovarPop, pack(c(3), c(2))),
            a(CovarSamp, pack(c(2), c(0))),
            a(MaxBy, pack(c(1), c(3))),
            a(MinBy, pack(c(2), c(1))),
            a(MaxBy, pack(c(3), c(2))),
            a(MinBy, pack(c(4), c(0))),
        ],
        window: None,
        event_time_key: None,
    }
}

/// `struct(x, y)`, as the builder packs two-argument aggregates.
fn pack(x: TExpr, y: TExpr) -> TExpr {
    let fields = vec![
        sqlc_compiler::Field::new("col1", x.ty.clone(), x.nullable),
        sqlc_compiler::Field::new("col2", y.ty.clone(), y.nullable),
    ];
    TExpr::new(
        TExprKind::Call {
            func: ScalarFunc::Struct,
            args: vec![x, y],
        },
        DataType::Struct(fields.into()),
        false,
    )
}

/// The table's rows as text, sorted by key; doubles rounded to 10
/// significant digits, and those within 1e-12 of 0 as 0 (a merge adds in
/// another order: a skewness of 0 comes out as ±1e-16).
fn rows(t: &AggTable) -> Vec<String> {
    let groups: Vec<usize> = (0..t.len()).collect();
    let cols = t.to_arrow(&groups);
    let mut out: Vec<String> = groups
        .iter()
        .map(|&g| {
            cols.iter()
                .map(|c| match c.as_any().downcast_ref::<Float64Array>() {
                    Some(f) if f.is_valid(g) && f.value(g).abs() < 1e-12 => "0".to_string(),
                    Some(f) if f.is_valid(g) => format!("{:.10e}", f.value(g)),
                    _ => arrow::util::display::array_value_to_string(c, g).unwrap(),
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    out.sort();
    out
}

/// Runs the spec over `b` in `mode`: in one table, or over slices of
/// `chunk` rows each into its own table, merged in order.
fn run(b: &RecordBatch, spec: &AggSpec, mode: ExecMode, chunk: Option<usize>) -> AggTable {
    let layout = Arc::new(TableLayout::new(spec).unwrap());
    let p = PipelineSpec {
        input: input_of(b),
        steps: vec![],
        sink: PipelineSink::Aggregate(spec.clone()),
    };
    let k = sqlc_compiler::compile(&p, b.schema(), mode).unwrap();
    if mode == ExecMode::Jit {
        assert_eq!(k.explain().fallbacks, Vec::<String>::new(), "compiled");
    }
    let mut t = AggTable::new(layout.clone());
    match chunk {
        None => k.aggregate(b, &mut t, &mut LateRows::default()).unwrap(),
        Some(n) => {
            let mut off = 0;
            while off < b.num_rows() {
                let len = n.min(b.num_rows() - off);
                let mut part = AggTable::new(layout.clone());
                k.aggregate(&b.slice(off, len), &mut part, &mut LateRows::default())
                    .unwrap();
                t.merge(&part).unwrap();
                off += len;
            }
        }
    }
    t
}

#[test]
fn jit_interpreter_and_merged_partials_agree() {
    let b = input();
    for sets in [vec![0b11], vec![0b11, 0b01, 0b10, 0b00]] {
        let spec = spec(&b, sets);
        let jit = rows(&run(&b, &spec, ExecMode::Jit, None));
        assert_eq!(
            jit.len(),
            if spec.grouping_sets.len() == 1 {
                21
            } else {
                32
            }
        );
        assert_eq!(jit, rows(&run(&b, &spec, ExecMode::Interpret, None)));
        for chunk in [1, 97, 400] {
            assert_eq!(
                jit,
                rows(&run(&b, &spec, ExecMode::Jit, Some(chunk))),
                "chunk {chunk}"
            );
            assert_eq!(jit, rows(&run(&b, &spec, ExecMode::Interpret, Some(chunk))));
        }
    }
}

/// first/last against a straightforward scan, variance against a two-pass
/// formula, distinct counts against a set.
#[test]
fn answers_match_a_direct_computation() {
    let b = input();
    let spec = spec(&b, vec![0b01]); // group by k only
    let t = run(&b, &spec, ExecMode::Jit, Some(128));
    let cols = t.to_arrow(&(0..t.len()).collect::<Vec<_>>());
    let k = cols[0].as_any().downcast_ref::<Int64Array>().unwrap();
    let s = b.column(1).as_any().downcast_ref::<StringArray>().unwrap();
    let d = b.column(2).as_any().downcast_ref::<Float64Array>().unwrap();
    let str_at = |c: usize, g: usize| {
        let a = cols[c].as_any().downcast_ref::<StringArray>().unwrap();
        a.is_valid(g).then(|| a.value(g).to_string())
    };
    let f64_at = |c: usize, g: usize| {
        let a = cols[c].as_any().downcast_ref::<Float64Array>().unwrap();
        a.is_valid(g).then(|| a.value(g))
    };
    for g in 0..t.len() {
        let key = k.value(g);
        let rows: Vec<usize> = (0..b.num_rows()).filter(|&i| i as i64 % 7 == key).collect();
        let sv = |i: usize| s.is_valid(i).then(|| s.value(i).to_string());
        // Keys (k, b rolled up) then: first(s), last(s), first(s, true), last(s, true).
        assert_eq!(str_at(2, g), sv(rows[0]));
        assert_eq!(str_at(3, g), sv(*rows.last().unwrap()));
        let non_null: Vec<usize> = rows.iter().copied().filter(|&i| s.is_valid(i)).collect();
        assert_eq!(str_at(4, g), sv(non_null[0]));
        assert_eq!(str_at(5, g), sv(*non_null.last().unwrap()));
        let xs: Vec<f64> = rows
            .iter()
            .filter(|&&i| d.is_valid(i))
            .map(|&i| d.value(i))
            .collect();
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let m2: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
        let var = f64_at(10, g).unwrap();
        assert!(
            (var - m2 / (n - 1.0)).abs() <= 1e-9 * var.abs(),
            "{var} vs {}",
            m2 / (n - 1.0)
        );
        let distinct: std::collections::HashSet<String> =
            non_null.iter().map(|&i| s.value(i).to_string()).collect();
        let cd = cols[14].as_any().downcast_ref::<Int64Array>().unwrap();
        assert_eq!(cd.value(g), distinct.len() as i64);
    }
}

/// FLOAT, interval and TIMESTAMP_NTZ keys and arguments: min/max,
/// first/last, sum/avg, DISTINCT, moments, corr and max_by.
fn typed_input() -> RecordBatch {
    use arrow::array::{
        DurationMicrosecondArray, Float32Array, IntervalYearMonthArray, TimestampMicrosecondArray,
    };
    let n = 600usize;
    let f: Vec<Option<f32>> = (0..n)
        .map(|i| match i % 11 {
            0 => None,
            1 => Some(-0.0),
            2 => Some(f32::NAN),
            _ => Some(((i * 7919) % 997) as f32 / 3.0 - 100.0),
        })
        .collect();
    let ym: Vec<Option<i32>> = (0..n)
        .map(|i| (i % 7 != 3).then_some(((i * 31) % 50) as i32 - 25))
        .collect();
    let dt: Vec<Option<i64>> = (0..n)
        .map(|i| (i % 5 != 4).then_some(((i * 104_729) % 86_400_000_000) as i64 - 1_000_000))
        .collect();
    let ntz: Vec<Option<i64>> = (0..n)
        .map(|i| {
            (i % 9 != 8)
                .then_some(1_700_000_000_000_000 + ((i * 6007) % 1000) as i64 * 3_600_000_000)
        })
        .collect();
    let k: Vec<Option<f32>> = (0..n)
        .map(|i| (i % 13 != 0).then_some((i % 4) as f32 * 0.5))
        .collect();
    batch(vec![
        ("k", Arc::new(Float32Array::from(k)) as ArrayRef),
        ("f", Arc::new(Float32Array::from(f))),
        ("ym", Arc::new(IntervalYearMonthArray::from(ym))),
        ("dt", Arc::new(DurationMicrosecondArray::from(dt))),
        ("ntz", Arc::new(TimestampMicrosecondArray::from(ntz))),
    ])
}

#[test]
fn float_interval_and_ntz_keys_and_arguments_compile_and_agree() {
    let b = typed_input();
    let input = input_of(&b);
    let c = |i: usize| col(i, b.schema().field(i).name(), input[i].ty.clone(), true);
    let a = |func: AggFunc, arg: TExpr| AggCall {
        func,
        arg: Some(arg),
    };
    use AggFunc::*;
    let first = First {
        ignore_nulls: false,
    };
    let last = Last { ignore_nulls: true };
    for (keys, sets) in [
        (vec![c(0)], vec![0b1]),
        (vec![c(2), c(4)], vec![0b11, 0b01, 0b00]),
        (vec![c(3)], vec![0b1]),
    ] {
        let spec = AggSpec {
            keys,
            grouping_sets: sets,
            aggs: vec![
                a(Min, c(1)),
                a(Max, c(1)),
                a(Min, c(2)),
                a(Max, c(3)),
                a(Min, c(4)),
                a(Sum, c(1)),
                a(Avg, c(1)),
                a(Sum, c(2)),
                a(Avg, c(2)),
                a(Sum, c(3)),
                a(Avg, c(3)),
                a(first, c(1)),
                a(last, c(2)),
                a(first, c(4)),
                a(CountDistinct, c(1)),
                a(SumDistinct, c(1)),
                a(VarSamp, c(1)),
                a(Skewness, c(1)),
                a(Corr, pack(c(1), c(0))),
                a(MaxBy, pack(c(2), c(1))),
                a(MinBy, pack(c(1), c(4))),
                a(MaxBy, pack(c(4), c(3))),
            ],
            window: None,
            event_time_key: None,
        };
        let jit = rows(&run(&b, &spec, ExecMode::Jit, None));
        assert!(jit.len() > 3, "{jit:?}");
        assert_eq!(jit, rows(&run(&b, &spec, ExecMode::Interpret, None)));
        for chunk in [1, 77] {
            assert_eq!(jit, rows(&run(&b, &spec, ExecMode::Jit, Some(chunk))));
        }
    }
}

/// A year-month sum past an `int` is Spark's interval overflow in both
/// back ends.
#[test]
fn year_month_sum_overflow_is_an_interval_error() {
    use arrow::array::IntervalYearMonthArray;
    let b = batch(vec![(
        "ym",
        Arc::new(IntervalYearMonthArray::from(vec![Some(i32::MAX), Some(1)])) as ArrayRef,
    )]);
    let spec = AggSpec {
        keys: vec![],
        grouping_sets: vec![0],
        aggs: vec![AggCall {
            func: AggFunc::Sum,
            arg: Some(col(0, "ym", input_of(&b)[0].ty.clone(), true)),
        }],
        window: None,
        event_time_key: None,
    };
    for mode in [ExecMode::Jit, ExecMode::Interpret] {
        let layout = Arc::new(TableLayout::new(&spec).unwrap());
        let p = PipelineSpec {
            input: input_of(&b),
            steps: vec![],
            sink: PipelineSink::Aggregate(spec.clone()),
        };
        let k = sqlc_compiler::compile(&p, b.schema(), mode).unwrap();
        let mut t = AggTable::new(layout);
        let e = k
            .aggregate(&b, &mut t, &mut LateRows::default())
            .unwrap_err();
        assert_eq!(
            e.class(),
            "INTERVAL_ARITHMETIC_OVERFLOW.WITH_SUGGESTION",
            "{mode:?}"
        );
    }
}
