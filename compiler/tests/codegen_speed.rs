//! Throughput of JIT kernels against the interpreted twin (run with
//! `cargo test --release --test codegen_speed -- --ignored --nocapture`).

mod common;

use std::sync::Arc;
use std::time::Instant;

use arrow::array::{ArrayRef, Float64Array, Int64Array, StringArray};
use common::*;
use sqlc_compiler::agg_table::{AggTable, LateRows, TableLayout};
use sqlc_compiler::ir::*;
use sqlc_compiler::{DataType, ExecMode};

fn data(n: usize) -> arrow::array::RecordBatch {
    let gts = ["stand", "sit", "walk", "bike", "stairsup", "stairsdown"];
    let models = ["nexus4", "s3", "s3mini", "samsungold"];
    let gt: StringArray = (0..n)
        .map(|i| {
            if i % 17 == 0 {
                None
            } else {
                Some(gts[i * 7 % 6])
            }
        })
        .collect();
    let model: StringArray = (0..n).map(|i| Some(models[i * 13 % 4])).collect();
    let x: Float64Array = (0..n)
        .map(|i| Some((i % 1000) as f64 / 1000.0 - 0.5))
        .collect();
    let t: Int64Array = (0..n)
        .map(|i| Some(1_424_686_735_000_000_000 + i as i64 * 1_000_000))
        .collect();
    batch(vec![
        ("gt", Arc::new(gt) as ArrayRef),
        ("model", Arc::new(model)),
        ("x", Arc::new(x)),
        ("t", Arc::new(t)),
    ])
}

fn time<T>(label: &str, rows: usize, f: impl Fn() -> T) -> f64 {
    f();
    let reps = 5;
    let t0 = Instant::now();
    for _ in 0..reps {
        std::hint::black_box(f());
    }
    let s = t0.elapsed().as_secs_f64() / reps as f64;
    println!(
        "{label:<40} {:>8.2} ms  {:>8.1} Mrows/s",
        s * 1e3,
        rows as f64 / s / 1e6
    );
    s
}

#[test]
#[ignore]
fn jit_vs_interpreter() {
    let n = 2_000_000;
    let b = data(n);
    let gt = col(0, "gt", DataType::Utf8, true);
    let model = col(1, "model", DataType::Utf8, true);
    let x = col(2, "x", DataType::Float64, true);
    let t = col(3, "t", DataType::Int64, true);
    let like = TExpr::new(
        TExprKind::Like {
            arg: Box::new(gt.clone()),
            pattern: "%stairs%".into(),
            negated: false,
            case_insensitive: false,
        },
        DataType::Boolean,
        true,
    );
    let filter = PipelineSpec {
        input: input_of(&b),
        steps: vec![
            Step::Filter(bin(BinaryOp::Gt, x.clone(), f64l(0.0))),
            Step::Project(vec![
                gt.clone(),
                model.clone(),
                bin(BinaryOp::Mul, x.clone(), f64l(2.0)),
                t.clone(),
            ]),
        ],
        sink: PipelineSink::Collect,
    };
    let stairs = PipelineSpec {
        input: input_of(&b),
        steps: vec![
            Step::Filter(like),
            Step::Project(vec![gt.clone(), model.clone(), t.clone()]),
        ],
        sink: PipelineSink::Collect,
    };
    let secs = cast(
        bin(BinaryOp::Div, cast(t.clone(), DataType::Float64), f64l(1e9)),
        DataType::Timestamp,
    );
    let agg = |keys: Vec<TExpr>, sets: Vec<u64>| PipelineSpec {
        input: input_of(&b),
        steps: vec![],
        sink: PipelineSink::Aggregate(AggSpec {
            keys,
            grouping_sets: sets,
            aggs: vec![
                AggCall {
                    func: AggFunc::CountStar,
                    arg: None,
                },
                AggCall {
                    func: AggFunc::Avg,
                    arg: Some(x.clone()),
                },
                AggCall {
                    func: AggFunc::Max,
                    arg: Some(t.clone()),
                },
            ],
            window: None,
            event_time_key: None,
        }),
    };
    let cases = [
        ("filter x > 0 + project", filter),
        ("filter gt LIKE '%stairs%'", stairs),
        ("group by gt", agg(vec![gt.clone()], vec![1])),
        (
            "cube(gt, model)",
            agg(vec![gt.clone(), model.clone()], vec![3, 2, 1, 0]),
        ),
        (
            "group by cast(t/1e9 as timestamp)",
            agg(vec![secs], vec![1]),
        ),
    ];
    for (label, spec) in cases {
        let mut ratio = vec![];
        for mode in [ExecMode::Jit, ExecMode::Interpret] {
            let out = match &spec.sink {
                PipelineSink::Collect => match &spec.steps.last() {
                    Some(Step::Project(es)) => schema_of(es),
                    _ => b.schema(),
                },
                _ => b.schema(),
            };
            let t0 = Instant::now();
            let k = sqlc_compiler::compile(&spec, out, mode).unwrap();
            let ct = t0.elapsed();
            let lines = k.explain().clif.lines().count();
            let l = format!(
                "{label} [{}] (compile {:.2} ms, {lines} clif lines)",
                mode.name(),
                ct.as_secs_f64() * 1e3
            );
            let s = match &spec.sink {
                PipelineSink::Collect => time(&l, n, || k.collect(&b).unwrap().num_rows()),
                PipelineSink::Aggregate(a) => {
                    let layout = Arc::new(TableLayout::new(a).unwrap());
                    time(&l, n, || {
                        let mut t = AggTable::new(layout.clone());
                        k.aggregate(&b, &mut t, &mut LateRows::default()).unwrap();
                        t.len()
                    })
                }
                PipelineSink::Probe(_) => unreachable!("no probe cases here"),
            };
            ratio.push(s);
        }
        println!("  -> JIT {:.1}x faster", ratio[1] / ratio[0]);
    }
}

#[test]
#[ignore]
fn collect_breakdown() {
    let n = 2_000_000;
    let b = data(n);
    let x = col(2, "x", DataType::Float64, true);
    let filter_only = PipelineSpec {
        input: input_of(&b),
        steps: vec![Step::Filter(bin(BinaryOp::Gt, x.clone(), f64l(0.0)))],
        sink: PipelineSink::Collect,
    };
    let computed_only = PipelineSpec {
        input: input_of(&b),
        steps: vec![
            Step::Filter(bin(BinaryOp::Gt, x.clone(), f64l(0.0))),
            Step::Project(vec![bin(BinaryOp::Mul, x.clone(), f64l(2.0))]),
        ],
        sink: PipelineSink::Collect,
    };
    for (label, spec, out) in [
        ("filter only (4 pass-through)", filter_only, b.schema()),
        (
            "filter + x*2 (computed)",
            computed_only.clone(),
            schema_of(&[bin(BinaryOp::Mul, x.clone(), f64l(2.0))]),
        ),
    ] {
        for mode in [ExecMode::Jit, ExecMode::Interpret] {
            let k = sqlc_compiler::compile(&spec, out.clone(), mode).unwrap();
            time(&format!("{label} [{}]", mode.name()), n, || {
                k.collect(&b).unwrap().num_rows()
            });
        }
    }
    let idx: arrow::array::UInt32Array = (0..n as u32).filter(|i| i % 1000 >= 500).collect();
    for c in 0..4 {
        time(&format!("take column {c}"), n, || {
            arrow::compute::take(b.column(c).as_ref(), &idx, None)
                .unwrap()
                .len()
        });
    }
    let mask: arrow::array::BooleanArray = (0..n).map(|i| Some(i % 1000 >= 500)).collect();
    for c in 0..4 {
        time(&format!("filter column {c}"), n, || {
            arrow::compute::filter(b.column(c).as_ref(), &mask)
                .unwrap()
                .len()
        });
    }
}

#[test]
#[ignore]
fn like_only() {
    let n = 2_000_000;
    let b = data(n);
    let gt = col(0, "gt", DataType::Utf8, true);
    let like = TExpr::new(
        TExprKind::Like {
            arg: Box::new(gt.clone()),
            pattern: "%stairs%".into(),
            negated: false,
            case_insensitive: false,
        },
        DataType::Boolean,
        true,
    );
    let spec = PipelineSpec {
        input: input_of(&b),
        steps: vec![Step::Project(vec![like.clone()])],
        sink: PipelineSink::Collect,
    };
    for mode in [ExecMode::Jit, ExecMode::Interpret] {
        let k =
            sqlc_compiler::compile(&spec, schema_of(std::slice::from_ref(&like)), mode).unwrap();
        time(&format!("like [{}]", mode.name()), n, || {
            k.collect(&b).unwrap().num_rows()
        });
    }
}

#[test]
#[ignore]
fn print_like_code() {
    let b = data(10);
    let gt = col(0, "gt", DataType::Utf8, true);
    let like = TExpr::new(
        TExprKind::Like {
            arg: Box::new(gt.clone()),
            pattern: "%stairs%".into(),
            negated: false,
            case_insensitive: false,
        },
        DataType::Boolean,
        true,
    );
    let spec = PipelineSpec {
        input: input_of(&b),
        steps: vec![Step::Project(vec![like.clone()])],
        sink: PipelineSink::Collect,
    };
    let k = sqlc_compiler::compile(&spec, schema_of(std::slice::from_ref(&like)), ExecMode::Jit)
        .unwrap();
    println!("{}\n{}", k.explain().clif, k.explain().asm);
}

#[test]
#[ignore]
fn filter_project_only() {
    let n = 2_000_000;
    let b = data(n);
    let gt = col(0, "gt", DataType::Utf8, true);
    let model = col(1, "model", DataType::Utf8, true);
    let x = col(2, "x", DataType::Float64, true);
    let t = col(3, "t", DataType::Int64, true);
    let es = vec![gt, model, bin(BinaryOp::Mul, x.clone(), f64l(2.0)), t];
    let spec = PipelineSpec {
        input: input_of(&b),
        steps: vec![
            Step::Filter(bin(BinaryOp::Gt, x, f64l(0.0))),
            Step::Project(es.clone()),
        ],
        sink: PipelineSink::Collect,
    };
    let mode = if std::env::var("MODE").is_ok() {
        ExecMode::Interpret
    } else {
        ExecMode::Jit
    };
    let k = sqlc_compiler::compile(&spec, schema_of(&es), mode).unwrap();
    for _ in 0..3 {
        time(&format!("filter+project [{}]", mode.name()), n, || {
            k.collect(&b).unwrap().num_rows()
        });
    }
}

#[test]
#[ignore]
fn project_arith_only() {
    let n = 1_000_000;
    let f = |k: f64| -> ArrayRef {
        Arc::new((0..n).map(|i| Some(i as f64 * k)).collect::<Float64Array>())
    };
    let b = batch(vec![("x", f(0.5)), ("y", f(0.25)), ("z", f(2.0))]);
    let c = |i: usize, nm: &str| col(i, nm, DataType::Float64, true);
    let sq = |e: TExpr| bin(BinaryOp::Mul, e.clone(), e);
    let m = bin(
        BinaryOp::Add,
        bin(BinaryOp::Add, sq(c(0, "x")), sq(c(1, "y"))),
        sq(c(2, "z")),
    );
    let spec = PipelineSpec {
        input: input_of(&b),
        steps: vec![Step::Project(vec![m.clone()])],
        sink: PipelineSink::Collect,
    };
    for mode in [ExecMode::Jit, ExecMode::Interpret] {
        let k = sqlc_compiler::compile(&spec, schema_of(std::slice::from_ref(&m)), mode).unwrap();
        for _ in 0..3 {
            time(&format!("x*x+y*y+z*z [{}]", mode.name()), n, || {
                k.collect(&b).unwrap().num_rows()
            });
        }
        let parts: Vec<_> = (0..n)
            .step_by(65536)
            .map(|o| b.slice(o, 65536.min(n - o)))
            .collect();
        for _ in 0..3 {
            time(
                &format!("x*x+y*y+z*z 64K batches [{}]", mode.name()),
                n,
                || {
                    parts
                        .iter()
                        .map(|p| k.collect(p).unwrap().num_rows())
                        .sum::<usize>()
                },
            );
        }
    }
}
