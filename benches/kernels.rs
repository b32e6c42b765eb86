//! Kernel benchmarks on 1M in-memory rows of the activity schema, each run
//! compiled (JIT) and interpreted, plus compile time per kernel:
//! (a) filter `gt LIKE '%stairs%' AND gt IS NOT NULL`, (b) projection
//! `x*x + y*y + z*z`, (c) `GROUP BY gt` count, (d) `GROUP BY gt, model` avg
//! of x, y, z, (e) the fused pipeline filter → project → aggregate, (f)
//! `CUBE(gt, model)` avg of x, y, z, (g) `GROUP BY gt` with stddev,
//! variance, first and last; (h) a join probe: 1M rows looked up by
//! `(gt, model)` in the hash table of a small table's keys; (i) a
//! string-heavy projection (`lower`, `upper`, `substring`, `length`,
//! `concat`, `trim`, LIKE) and (j) a date-heavy one (`year`, `month`,
//! `dayofmonth`, `hour`, `minute`, `date_trunc`, `t + INTERVAL`) of a
//! timestamp made from `Arrival_Time`; (k) `GROUP BY gt` with bit_and,
//! bit_or, bit_xor, skewness and kurtosis; (l) a FLOAT projection (casts,
//! single-precision arithmetic, comparisons) and (m) an interval one
//! (interval × number, interval + interval, date + interval, comparisons);
//! (n) `GROUP BY gt` with corr, covar_samp, max_by and min_by, and (o) a
//! TINYINT/SMALLINT projection (arithmetic at the width, casts, compare).
//!
//!     cargo bench --bench kernels [-- FILTER]
//!
//! After criterion's report it prints each case's JIT/interpreter ratio (of
//! the cases FILTER selects).

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use sqlc::arrow::record_batch::RecordBatch;
use sqlc::datagen::ActivityGen;
use sqlc::{functions, DataFrame, ExecMode, Session};
use sqlc_compiler::agg_table::{AggTable, LateRows};
use sqlc_compiler::physical::{plan_physical, PhysPlan};
use sqlc_compiler::Kernel;

const ROWS: usize = 1_000_000;

struct Case {
    name: &'static str,
    build: fn(&DataFrame) -> DataFrame,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "a_filter_like",
            build: |df| df.filter("gt LIKE '%stairs%' AND gt IS NOT NULL").unwrap(),
        },
        Case {
            name: "b_project_arith",
            build: |df| df.select_expr(["x*x + y*y + z*z AS m"]).unwrap(),
        },
        Case {
            name: "c_group_by_gt_count",
            build: |df| df.group_by(["gt"]).count().unwrap(),
        },
        Case {
            name: "d_group_by_gt_model_avg",
            build: |df| df.group_by(["gt", "model"]).avg(["x", "y", "z"]).unwrap(),
        },
        Case {
            name: "e_fused_filter_project_agg",
            build: |df| {
                df.filter("gt IS NOT NULL AND x > 0")
                    .unwrap()
                    .select_expr(["gt", "x*x + y*y + z*z AS m"])
                    .unwrap()
                    .group_by(["gt"])
                    .avg(["m"])
                    .unwrap()
            },
        },
        Case {
            name: "f_cube_gt_model_avg",
            build: |df| df.cube(["gt", "model"]).avg(["x", "y", "z"]).unwrap(),
        },
        Case {
            name: "g_group_by_gt_stddev_first_last",
            build: |df| {
                df.group_by(["gt"])
                    .agg([
                        functions::stddev("x"),
                        functions::var_pop("y"),
                        functions::first("model", false),
                        functions::last("z", true),
                    ])
                    .unwrap()
            },
        },
        Case {
            name: "i_project_strings",
            build: |df| {
                df.select_expr([
                    "lower(gt) AS lo",
                    "upper(model) AS up",
                    "substring(device, 2, 5) AS sub",
                    "length(gt) + length(device) AS len",
                    "concat(gt, '-', model) AS cat",
                    "trim(concat(' ', user, ' ')) AS tr",
                    "gt LIKE 'stairs%' AS st",
                ])
                .unwrap()
            },
        },
        Case {
            name: "j_project_dates",
            build: |df| {
                df.select_expr(["CAST(Arrival_Time / 1000 AS TIMESTAMP) AS t"])
                    .unwrap()
                    .select_expr([
                        "year(t) AS y",
                        "month(t) AS mo",
                        "dayofmonth(t) AS d",
                        "hour(t) * 60 + minute(t) AS hm",
                        "date_trunc('hour', t) AS th",
                        "t + INTERVAL 90 MINUTES AS later",
                    ])
                    .unwrap()
            },
        },
        Case {
            name: "k_group_by_gt_bits_moments4",
            build: |df| {
                df.group_by(["gt"])
                    .agg([
                        functions::bit_and("Index"),
                        functions::bit_or("Index"),
                        functions::bit_xor("Arrival_Time"),
                        functions::skewness("x"),
                        functions::kurtosis("y"),
                    ])
                    .unwrap()
            },
        },
        Case {
            name: "l_project_floats",
            build: |df| {
                df.select_expr(["CAST(x AS FLOAT) AS fx", "CAST(y AS FLOAT) AS fy"])
                    .unwrap()
                    .select_expr([
                        "fx * fy + fx AS p",
                        "fx - fy * 2.0F AS q",
                        "fx > fy AS gt",
                        "CAST(fx * 100.0F AS BIGINT) AS b",
                    ])
                    .unwrap()
            },
        },
        Case {
            name: "m_project_intervals",
            build: |df| {
                df.select_expr([
                    "INTERVAL '1' SECOND * Index AS s",
                    "INTERVAL '1' DAY * (Index % 1000) + INTERVAL '3' HOUR AS dh",
                    "DATE '2020-01-01' + CAST(INTERVAL '1' DAY * (Index % 1000) AS INTERVAL DAY) AS day",
                    "INTERVAL '1' MINUTE * Index > INTERVAL '10' DAY AS big",
                ])
                .unwrap()
            },
        },
        Case {
            name: "n_group_by_gt_corr_max_by",
            build: |df| {
                df.group_by(["gt"])
                    .agg([
                        functions::corr("x", "y"),
                        functions::covar_samp("x", "Index"),
                        functions::max_by("Device", "Index"),
                        functions::min_by("x", "Arrival_Time"),
                    ])
                    .unwrap()
            },
        },
        Case {
            name: "o_narrow_ints",
            build: |df| {
                df.select_expr([
                    "CAST(Index % 50 AS TINYINT) AS b",
                    "CAST(Index % 30000 AS SMALLINT) AS s",
                ])
                .unwrap()
                .select_expr([
                    "b * 2Y + 3Y AS b2",
                    "s - CAST(b AS SMALLINT) AS d",
                    "b < 50Y AS small",
                    "CAST(s AS BIGINT) * 3 AS w",
                ])
                .unwrap()
            },
        },
    ]
}

/// The plan's first kernel (the one that reads the scan).
fn leaf_kernel(p: &PhysPlan) -> (Arc<dyn Kernel>, bool) {
    match p {
        PhysPlan::HashAggregate { kernel, input, .. }
            if matches!(**input, PhysPlan::Scan { .. }) =>
        {
            (kernel.clone(), true)
        }
        PhysPlan::Pipeline { kernel, input } if matches!(**input, PhysPlan::Scan { .. }) => {
            (kernel.clone(), false)
        }
        p => leaf_kernel(p.children()[0]),
    }
}

fn run(
    kernel: &Arc<dyn Kernel>,
    is_agg: bool,
    batches: &[RecordBatch],
    layout: Option<&PhysPlan>,
) -> usize {
    if is_agg {
        let PhysPlan::HashAggregate { layout, .. } = find_agg(layout.unwrap()) else {
            unreachable!()
        };
        let mut t = AggTable::new(layout.clone());
        for b in batches {
            kernel
                .aggregate(b, &mut t, &mut LateRows::default())
                .unwrap();
        }
        t.len()
    } else {
        batches
            .iter()
            .map(|b| kernel.collect(b).unwrap().num_rows())
            .sum()
    }
}

fn find_agg(p: &PhysPlan) -> &PhysPlan {
    match p {
        PhysPlan::HashAggregate { .. } => p,
        p => find_agg(p.children()[0]),
    }
}

fn bench(c: &mut Criterion) {
    let batches = ActivityGen {
        rows: ROWS as u64,
        ..ActivityGen::default()
    }
    .batches(64 * 1024)
    .unwrap();
    let spark = Session::builder().create();
    let df = spark.create_data_frame(batches.clone()).unwrap();
    let mut ratios = Vec::new();
    // Criterion's name filter, applied to the ratio runs too.
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    for case in cases().into_iter().filter(|c| c.name.contains(&filter)) {
        let q = (case.build)(&df);
        let mut per_mode = Vec::new();
        for mode in [ExecMode::Jit, ExecMode::Interpret] {
            let t = Instant::now();
            let phys = plan_physical(q.plan(), mode).unwrap();
            let planned = t.elapsed();
            let (kernel, is_agg) = leaf_kernel(&phys);
            let compile = kernel.explain().compile_time;
            let mut g = c.benchmark_group(case.name);
            g.sample_size(10)
                .measurement_time(Duration::from_secs(3))
                .throughput(criterion::Throughput::Elements(ROWS as u64));
            g.bench_function(mode.name(), |b| {
                b.iter(|| run(&kernel, is_agg, &batches, Some(&phys)))
            });
            g.finish();
            // One timed run outside criterion for the ratio.
            let t = Instant::now();
            for _ in 0..3 {
                run(&kernel, is_agg, &batches, Some(&phys));
            }
            per_mode.push(t.elapsed() / 3);
            if mode == ExecMode::Jit {
                println!(
                    "{}: compile {:.3} ms (planning incl. compile {:.3} ms)",
                    case.name,
                    compile.as_secs_f64() * 1e3,
                    planned.as_secs_f64() * 1e3
                );
            }
        }
        ratios.push((case.name, per_mode[0], per_mode[1]));
    }
    if "h_join_probe_gt_model".contains(&filter) {
        ratios.push(join_probe(c, &df, &batches));
    }
    println!(
        "\n{:<30} {:>12} {:>12} {:>8}",
        "case (1M rows)", "jit", "interpreted", "speedup"
    );
    for (name, jit, interp) in ratios {
        println!(
            "{:<30} {:>9.2} ms {:>9.2} ms {:>7.1}x",
            name,
            jit.as_secs_f64() * 1e3,
            interp.as_secs_f64() * 1e3,
            interp.as_secs_f64() / jit.as_secs_f64()
        );
    }
}

/// (h): the probe side of a stream–static join, JIT and interpreted: the
/// table side (counts by gt, model) is built once, then every row of the
/// 1M is probed.
fn join_probe(
    c: &mut Criterion,
    df: &DataFrame,
    batches: &[RecordBatch],
) -> (&'static str, Duration, Duration) {
    const NAME: &str = "h_join_probe_gt_model";
    let right = df.group_by(["gt", "model"]).count().unwrap();
    let q = df.join(&right, ["gt", "model"], "inner").unwrap();
    let right_rows = right.collect().unwrap();
    let mut per_mode = Vec::new();
    for mode in [ExecMode::Jit, ExecMode::Interpret] {
        let phys = plan_physical(q.plan(), mode).unwrap();
        let (left_probe, build) = find_join(&phys);
        let sqlc_compiler::ir::PipelineSink::Aggregate(spec) = &build.spec().sink else {
            unreachable!("the build kernel aggregates")
        };
        let layout = Arc::new(sqlc_compiler::agg_table::TableLayout::new(spec).unwrap());
        let mut table = AggTable::new(layout);
        for b in &right_rows {
            build
                .aggregate(b, &mut table, &mut LateRows::default())
                .unwrap();
        }
        let probe_all = || -> usize {
            batches
                .iter()
                .map(|b| {
                    left_probe
                        .probe(b, &table)
                        .unwrap()
                        .iter()
                        .filter(|g| **g >= 0)
                        .count()
                })
                .sum()
        };
        let mut g = c.benchmark_group(NAME);
        g.sample_size(10)
            .measurement_time(Duration::from_secs(3))
            .throughput(criterion::Throughput::Elements(ROWS as u64));
        g.bench_function(mode.name(), |b| b.iter(probe_all));
        g.finish();
        let t = Instant::now();
        for _ in 0..3 {
            probe_all();
        }
        per_mode.push(t.elapsed() / 3);
        if mode == ExecMode::Jit {
            println!(
                "{NAME}: compile {:.3} ms",
                left_probe.explain().compile_time.as_secs_f64() * 1e3
            );
        }
    }
    (NAME, per_mode[0], per_mode[1])
}

/// The left probe and build kernels of the plan's hash join.
fn find_join(p: &PhysPlan) -> (Arc<dyn Kernel>, Arc<dyn Kernel>) {
    match p {
        PhysPlan::HashJoin {
            left_probe,
            right_build,
            ..
        } => (left_probe.clone(), right_build.clone()),
        p => find_join(p.children()[0]),
    }
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
