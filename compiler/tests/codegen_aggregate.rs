//! JIT kernels with an aggregate sink, checked against straightforward Rust.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, Float64Array, Int32Array, Int64Array, StringArray};
use common::*;
use sqlc_compiler::agg_table::{
    compare_encoded, encode_f64, hash, AggTable, LateRows, TableLayout,
};
use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, Error, Scalar};

fn agg(func: AggFunc, arg: Option<TExpr>) -> AggCall {
    AggCall { func, arg }
}

/// Compiles an aggregate pipeline and runs it over `batches` into a new table.
fn run(
    input: &arrow::array::RecordBatch,
    steps: Vec<Step>,
    spec: AggSpec,
    batches: &[arrow::array::RecordBatch],
) -> sqlc_compiler::Result<AggTable> {
    let layout = Arc::new(TableLayout::new(&spec).unwrap());
    let p = PipelineSpec {
        input: input_of(input),
        steps,
        sink: PipelineSink::Aggregate(spec),
    };
    let k = compile(&p, input.schema());
    let mut t = AggTable::new(layout);
    for b in batches {
        k.aggregate(b, &mut t, &mut LateRows::default())?;
    }
    Ok(t)
}

/// `agg_table::hash` of a key, computed from its values.
fn rust_hash(keys: &[Scalar]) -> u64 {
    let mut h = hash::SEED;
    for k in keys {
        h = match k {
            Scalar::Null => hash::combine(h, hash::NULL_MARK),
            Scalar::Utf8(s) => hash::combine_bytes(h, s.as_bytes()),
            Scalar::Binary(b) => hash::combine_bytes(h, b),
            Scalar::Boolean(b) => hash::combine(h, *b as u64),
            Scalar::Int8(v) => hash::combine(h, *v as i64 as u64),
            Scalar::Int16(v) => hash::combine(h, *v as i64 as u64),
            Scalar::Int32(v) | Scalar::Date(v) | Scalar::YearMonthInterval(v, ..) => {
                hash::combine(h, *v as i64 as u64)
            }
            Scalar::Int64(v)
            | Scalar::Timestamp(v)
            | Scalar::TimestampNtz(v)
            | Scalar::DayTimeInterval(v, ..) => hash::combine(h, *v as u64),
            Scalar::Float64(f) => hash::combine(h, encode_f64(*f)),
            Scalar::Float32(f) => hash::combine(h, encode_f64(f64::from(*f))),
            Scalar::Decimal(v, ..) => {
                hash::combine_bytes(h, &sqlc_compiler::agg_table::encode_decimal(*v))
            }
        };
    }
    hash::finish(h)
}

/// A key row in stored form, its strings in `arena`.
fn stored_row(layout: &TableLayout, keys: &[Scalar], arena: &mut Vec<u8>) -> Vec<u8> {
    let mut row = vec![0u8; layout.key_width];
    for (k, v) in keys.iter().enumerate() {
        let o = layout.key_offsets[k];
        let mut put = |o: usize, x: u64| row[o..o + 8].copy_from_slice(&x.to_le_bytes());
        match v {
            Scalar::Null => {
                row[k] = 1;
                continue;
            }
            Scalar::Utf8(s) => {
                put(o, arena.len() as u64);
                put(o + 8, s.len() as u64);
                arena.extend_from_slice(s.as_bytes());
            }
            Scalar::Int32(v) => put(o, *v as i64 as u64),
            Scalar::Int64(v) => put(o, *v as u64),
            Scalar::Float64(f) => put(o, encode_f64(*f)),
            Scalar::Boolean(b) => put(o, *b as u64),
            _ => unreachable!(),
        }
    }
    row
}

type Key = (Option<String>, Option<i32>, Option<u64>);

#[derive(Default, Debug, PartialEq, Clone)]
struct Acc {
    rows: i64,
    count: i64,
    sum: Option<i64>,
    min: Option<i64>,
    max: Option<i64>,
    avg_sum: f64,
    ysum: Option<u64>,
    ymin: Option<u64>,
    ymax: Option<u64>,
    smin: Option<String>,
    smax: Option<String>,
}

#[test]
fn group_by_mixed_keys_matches_rust() {
    let n = 300;
    let words = [
        "",
        "a",
        "stairs_up",
        "stairs_down_long_name",
        "walk",
        "bike",
    ];
    let mut s = Vec::new();
    let mut i = Vec::new();
    let mut d = Vec::new();
    let mut x = Vec::new();
    let mut y = Vec::new();
    let doubles = [
        0.0,
        -0.0,
        f64::NAN,
        f64::from_bits(0x7ff8_0000_0000_0042),
        1.5,
        -2.25,
    ];
    for r in 0..n {
        s.push(if r % 7 == 3 {
            None
        } else {
            Some(words[r % words.len()].to_string())
        });
        i.push(if r % 5 == 1 {
            None
        } else {
            Some((r % 3) as i32 - 1)
        });
        d.push(if r % 11 == 2 {
            None
        } else {
            Some(doubles[r % doubles.len()])
        });
        x.push(if r % 4 == 0 {
            None
        } else if r % 13 == 0 {
            Some(1000)
        } else {
            Some(r as i64 * 37 % 101 - 50)
        });
        y.push(if r % 9 == 0 {
            None
        } else {
            Some(doubles[(r / 2) % doubles.len()] * r as f64)
        });
    }
    let b = batch(vec![
        ("s", Arc::new(StringArray::from(s.clone())) as ArrayRef),
        ("i", Arc::new(Int32Array::from(i.clone()))),
        ("d", Arc::new(Float64Array::from(d.clone()))),
        ("x", Arc::new(Int64Array::from(x.clone()))),
        ("y", Arc::new(Float64Array::from(y.clone()))),
    ]);
    let sc = col(0, "s", DataType::Utf8, true);
    let xc = col(3, "x", DataType::Int64, true);
    let yc = col(4, "y", DataType::Float64, true);
    // Drop the rows where x is 1000 (keeping nulls).
    let steps = vec![Step::Filter(not(bin(
        BinaryOp::EqNullSafe,
        xc.clone(),
        i64l(1000),
    )))];
    let spec = AggSpec {
        keys: vec![
            sc.clone(),
            col(1, "i", DataType::Int32, true),
            col(2, "d", DataType::Float64, true),
        ],
        grouping_sets: vec![0b111],
        aggs: vec![
            agg(AggFunc::CountStar, None),
            agg(AggFunc::Count, Some(xc.clone())),
            agg(AggFunc::Sum, Some(xc.clone())),
            agg(AggFunc::Min, Some(xc.clone())),
            agg(AggFunc::Max, Some(xc.clone())),
            agg(AggFunc::Avg, Some(xc.clone())),
            agg(AggFunc::Sum, Some(yc.clone())),
            agg(AggFunc::Min, Some(yc.clone())),
            agg(AggFunc::Max, Some(yc.clone())),
            agg(AggFunc::Min, Some(sc.clone())),
            agg(AggFunc::Max, Some(sc)),
        ],
        window: None,
        event_time_key: None,
    };
    // Two batches, the second a slice: the same table accumulates both.
    let t = run(&b, steps, spec, &[b.clone(), b.slice(17, 200)]).unwrap();

    let mut want: BTreeMap<Key, Acc> = BTreeMap::new();
    for r in (0..n).chain(17..217) {
        if x[r] == Some(1000) {
            continue;
        }
        let key = (s[r].clone(), i[r], d[r].map(encode_f64));
        let a = want.entry(key).or_default();
        a.rows += 1;
        if let Some(v) = x[r] {
            a.count += 1;
            a.sum = Some(a.sum.unwrap_or(0) + v);
            a.min = Some(a.min.map_or(v, |m| m.min(v)));
            a.max = Some(a.max.map_or(v, |m| m.max(v)));
            a.avg_sum += v as f64;
        }
        if let Some(v) = y[r] {
            a.ysum = Some((a.ysum.map_or(0.0, f64::from_bits) + v).to_bits());
            let e = encode_f64(v);
            let lt = |p: u64, q: u64| compare_encoded(&DataType::Float64, p, q).is_lt();
            a.ymin = Some(a.ymin.map_or(e, |m| if lt(e, m) { e } else { m }));
            a.ymax = Some(a.ymax.map_or(e, |m| if lt(m, e) { e } else { m }));
        }
        if let Some(v) = &s[r] {
            a.smin = Some(a.smin.clone().map_or(v.clone(), |m| m.min(v.clone())));
            a.smax = Some(a.smax.clone().map_or(v.clone(), |m| m.max(v.clone())));
        }
    }

    assert_eq!(t.len(), want.len());
    let groups: Vec<usize> = (0..t.len()).collect();
    let cols = t.to_arrow(&groups);
    let mut got: BTreeMap<Key, Acc> = BTreeMap::new();
    for g in 0..t.len() {
        let key = (
            strs(&cols[0])[g].clone(),
            ints(&cols[1])[g].map(|v| v as i32),
            floats(&cols[2])[g].map(encode_f64),
        );
        let avg = floats(&cols[8])[g];
        let acc = Acc {
            rows: ints(&cols[3])[g].unwrap(),
            count: ints(&cols[4])[g].unwrap(),
            sum: ints(&cols[5])[g],
            min: ints(&cols[6])[g],
            max: ints(&cols[7])[g],
            avg_sum: 0.0,
            ysum: floats(&cols[9])[g].map(f64::to_bits),
            ymin: floats(&cols[10])[g].map(f64::to_bits),
            ymax: floats(&cols[11])[g].map(f64::to_bits),
            smin: strs(&cols[12])[g].clone(),
            smax: strs(&cols[13])[g].clone(),
        };
        let w = &want[&key];
        assert_eq!(
            avg,
            (w.count > 0).then(|| w.avg_sum / w.count as f64),
            "avg of {key:?}"
        );
        // Hash and stored key agree with the Rust side.
        let scalars: Vec<Scalar> = (0..3).map(|k| t.key_scalar(g, k)).collect();
        assert_eq!(t.hash_of(g), rust_hash(&scalars), "hash of {scalars:?}");
        assert!(got.insert(key, acc).is_none(), "one group per key");
    }
    for (k, w) in &mut want {
        w.avg_sum = 0.0;
        assert_eq!(got.get(k), Some(&*w), "group {k:?}");
    }
    // NaN payloads and -0.0 fold into one group each.
    assert!(!got.keys().any(|k| k.2 == Some((-0.0f64).to_bits())));
    assert!(!got.keys().any(|k| k.2 == Some(0x7ff8_0000_0000_0042)));

    // Rust finds each group the kernel inserted.
    let mut t = t;
    let layout = t.layout().clone();
    for g in 0..t.len() {
        let scalars: Vec<Scalar> = (0..3).map(|k| t.key_scalar(g, k)).collect();
        let mut arena = Vec::new();
        let row = stored_row(&layout, &scalars, &mut arena);
        assert_eq!(
            t.find_or_insert_stored(rust_hash(&scalars), &row, &arena),
            (g, false)
        );
    }
}

#[test]
fn cube_and_rollup_grouping_ids() {
    let a = vec![Some("p"), Some("p"), Some("q"), None, Some("q")];
    let bv = vec![Some(1i64), Some(2), Some(1), Some(1), None];
    let b = batch(vec![
        ("a", Arc::new(StringArray::from(a.clone())) as ArrayRef),
        ("b", Arc::new(Int64Array::from(bv.clone()))),
    ]);
    let keys = vec![
        col(0, "a", DataType::Utf8, true),
        col(1, "b", DataType::Int64, true),
    ];
    // ROLLUP(a, b): (a, b), (a), ().
    let spec = AggSpec {
        keys: keys.clone(),
        grouping_sets: vec![0b11, 0b01, 0b00],
        aggs: vec![agg(AggFunc::CountStar, None)],
        window: None,
        event_time_key: None,
    };
    assert_eq!(
        (
            spec.grouping_id(0b11),
            spec.grouping_id(0b01),
            spec.grouping_id(0b00)
        ),
        (0, 1, 3)
    );
    let t = run(&b, vec![], spec, std::slice::from_ref(&b)).unwrap();
    let groups: Vec<usize> = (0..t.len()).collect();
    let cols = t.to_arrow(&groups);
    let mut got: Vec<(Option<String>, Option<i64>, i64, i64)> = (0..t.len())
        .map(|g| {
            (
                strs(&cols[0])[g].clone(),
                ints(&cols[1])[g],
                ints(&cols[2])[g].unwrap(),
                ints(&cols[3])[g].unwrap(),
            )
        })
        .collect();
    got.sort();
    let s = |x: &str| Some(x.to_string());
    let mut want = vec![
        (s("p"), Some(1), 0, 1),
        (s("p"), Some(2), 0, 1),
        (s("q"), Some(1), 0, 1),
        (s("q"), None, 0, 1),
        (None, Some(1), 0, 1),
        (s("p"), None, 1, 2),
        (s("q"), None, 1, 2),
        (None, None, 1, 1),
        (None, None, 3, 5),
    ];
    want.sort();
    assert_eq!(got, want);

    // CUBE(a, b): four sets; the hidden id tells the two all-null keys apart.
    let spec = AggSpec {
        keys,
        grouping_sets: vec![0b11, 0b10, 0b01, 0b00],
        aggs: vec![agg(AggFunc::CountStar, None)],
        window: None,
        event_time_key: None,
    };
    let t = run(&b, vec![], spec, std::slice::from_ref(&b)).unwrap();
    let groups: Vec<usize> = (0..t.len()).collect();
    let cols = t.to_arrow(&groups);
    let ids: Vec<i64> = ints(&cols[2]).into_iter().map(Option::unwrap).collect();
    assert_eq!(ids.iter().filter(|&&i| i == 2).count(), 3); // by b: 1, 2, null
    assert_eq!(ids.iter().filter(|&&i| i == 3).count(), 1);
    let total: i64 = (0..t.len())
        .filter(|&g| ids[g] == 3)
        .map(|g| ints(&cols[3])[g].unwrap())
        .sum();
    assert_eq!(total, 5);
    for g in 0..t.len() {
        let scalars: Vec<Scalar> = (0..3).map(|k| t.key_scalar(g, k)).collect();
        assert_eq!(t.hash_of(g), rust_hash(&scalars));
    }
}

#[test]
fn many_groups_grow_the_table_and_global_aggregates() {
    let n = 20_000i64;
    let v: Vec<Option<i64>> = (0..n).map(|r| Some(r % 5000)).collect();
    let b = batch(vec![("k", Arc::new(Int64Array::from(v)) as ArrayRef)]);
    let k = col(0, "k", DataType::Int64, false);
    let spec = AggSpec {
        keys: vec![k.clone()],
        grouping_sets: vec![1],
        aggs: vec![agg(AggFunc::Sum, Some(k.clone()))],
        window: None,
        event_time_key: None,
    };
    let t = run(&b, vec![], spec, std::slice::from_ref(&b)).unwrap();
    assert_eq!(t.len(), 5000);
    let cols = t.to_arrow(&(0..t.len()).collect::<Vec<_>>());
    for g in 0..t.len() {
        assert_eq!(ints(&cols[1])[g], Some(ints(&cols[0])[g].unwrap() * 4));
    }
    // No keys: one group; an empty batch changes nothing.
    let spec = AggSpec {
        keys: vec![],
        grouping_sets: vec![0],
        aggs: vec![agg(AggFunc::CountStar, None), agg(AggFunc::Max, Some(k))],
        window: None,
        event_time_key: None,
    };
    let t = run(
        &b,
        vec![],
        spec,
        &[b.clone(), b.slice(0, 0), b.slice(5, 10)],
    )
    .unwrap();
    assert_eq!(t.len(), 1);
    let cols = t.to_arrow(&[0]);
    assert_eq!(
        (ints(&cols[0]), ints(&cols[1])),
        (vec![Some(n + 10)], vec![Some(4999)])
    );
}

#[test]
fn sum_overflow_is_an_error() {
    let b = batch(vec![(
        "x",
        Arc::new(Int64Array::from(vec![Some(i64::MAX), None, Some(1)])) as ArrayRef,
    )]);
    let x = col(0, "x", DataType::Int64, true);
    let spec = AggSpec {
        keys: vec![],
        grouping_sets: vec![0],
        aggs: vec![agg(AggFunc::Sum, Some(x))],
        window: None,
        event_time_key: None,
    };
    let err = run(&b, vec![], spec, std::slice::from_ref(&b)).unwrap_err();
    assert_eq!(
        err,
        Error::Overflow {
            expr: "sum(x)".into(),
            detail: "long overflow".into()
        }
    );
}

#[test]
fn keys_of_every_fixed_type_and_an_expression_key() {
    let b = batch(vec![
        (
            "f",
            Arc::new(arrow::array::BooleanArray::from(vec![
                Some(true),
                None,
                Some(false),
                Some(true),
            ])) as ArrayRef,
        ),
        (
            "d",
            Arc::new(arrow::array::Date32Array::from(vec![
                Some(-3),
                Some(-3),
                None,
                Some(-3),
            ])),
        ),
        (
            "x",
            Arc::new(Int32Array::from(vec![Some(4), Some(5), Some(6), Some(14)])),
        ),
    ]);
    let x = col(2, "x", DataType::Int32, true);
    let spec = AggSpec {
        keys: vec![
            col(0, "f", DataType::Boolean, true),
            col(1, "d", DataType::Date, true),
            bin(BinaryOp::Mod, x.clone(), i32l(10)),
        ],
        grouping_sets: vec![0b111],
        aggs: vec![
            agg(AggFunc::Min, Some(x.clone())),
            agg(AggFunc::Avg, Some(x)),
        ],
        window: None,
        event_time_key: None,
    };
    let t = run(&b, vec![], spec, std::slice::from_ref(&b)).unwrap();
    assert_eq!(t.len(), 3);
    for g in 0..t.len() {
        let scalars: Vec<Scalar> = (0..3).map(|k| t.key_scalar(g, k)).collect();
        assert_eq!(t.hash_of(g), rust_hash(&scalars));
        if scalars[0] == Scalar::Boolean(true) {
            let cols = t.to_arrow(&[g]);
            assert_eq!(
                (ints(&cols[3]), floats(&cols[4])),
                (vec![Some(4)], vec![Some(9.0)])
            );
        }
    }
}

#[test]
fn string_keys_of_every_length_hash_and_compare_exactly() {
    // For each length, a base string and variants differing in one byte.
    let mut keys: Vec<String> = Vec::new();
    for len in 0..=24usize {
        let base: String = (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
        keys.push(base.clone());
        for pos in 0..len {
            let mut v = base.clone().into_bytes();
            v[pos] = b'Z';
            keys.push(String::from_utf8(v).unwrap());
        }
    }
    // Every key twice, sliced so the string offsets do not start at zero.
    let col_: Vec<Option<&str>> = std::iter::once(Some("pad"))
        .chain(keys.iter().chain(keys.iter()).map(|s| Some(s.as_str())))
        .collect();
    let b = batch(vec![("s", Arc::new(StringArray::from(col_)) as ArrayRef)]);
    let b = b.slice(1, b.num_rows() - 1);
    let s = col(0, "s", DataType::Utf8, true);
    let spec = AggSpec {
        keys: vec![s.clone()],
        grouping_sets: vec![1],
        aggs: vec![agg(AggFunc::CountStar, None)],
        window: None,
        event_time_key: None,
    };
    let t = run(&b, vec![], spec, std::slice::from_ref(&b)).unwrap();
    assert_eq!(t.len(), keys.len());
    let cols = t.to_arrow(&(0..t.len()).collect::<Vec<_>>());
    for g in 0..t.len() {
        let k = t.key_scalar(g, 0);
        assert_eq!(t.hash_of(g), rust_hash(&[k]), "group {g}");
        assert_eq!(ints(&cols[1])[g], Some(2));
    }
    // Equality and ordering against every other key of the same length.
    let l: Vec<Option<&str>> = keys.iter().map(|s| Some(s.as_str())).collect();
    let r: Vec<Option<&str>> = keys.iter().rev().map(|s| Some(s.as_str())).collect();
    let b = batch(vec![
        ("l", Arc::new(StringArray::from(l.clone())) as ArrayRef),
        ("r", Arc::new(StringArray::from(r.clone()))),
    ]);
    let (lc, rc) = (
        col(0, "l", DataType::Utf8, false),
        col(1, "r", DataType::Utf8, false),
    );
    let out = project(
        &b,
        vec![
            bin(BinaryOp::Eq, lc.clone(), rc.clone()),
            bin(BinaryOp::Lt, lc.clone(), rc.clone()),
            bin(BinaryOp::Eq, lc.clone(), lc),
        ],
    )
    .unwrap();
    for i in 0..keys.len() {
        let (a, z) = (l[i].unwrap(), r[i].unwrap());
        assert_eq!(bools(out.column(0))[i], Some(a == z), "{a:?} = {z:?}");
        assert_eq!(bools(out.column(1))[i], Some(a < z), "{a:?} < {z:?}");
        assert_eq!(bools(out.column(2))[i], Some(true));
    }
}
