//! Shared by the differential tests: random input batches (proptest
//! strategies), running a pipeline in a mode, and comparing outcomes.

#![allow(dead_code)]

pub mod gen;
pub mod gen_expr;
pub mod oracle;
pub mod oracle_sink;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

use arrow::array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int32Array, Int64Array, StringArray,
    TimestampMicrosecondArray,
};
use arrow::datatypes::{Field, Schema, SchemaRef};
use arrow::record_batch::RecordBatch;
use proptest::prelude::*;
use sqlc_compiler::agg_table::{AggTable, LateRows, TableLayout};
use sqlc_compiler::ir::{ColumnType, PipelineSink, PipelineSpec, Step};
use sqlc_compiler::{compile, ExecMode};

/// One input row: int, bigint, double, boolean, string, timestamp.
pub type Row = (
    Option<i32>,
    Option<i64>,
    Option<f64>,
    Option<bool>,
    Option<String>,
    Option<i64>,
);

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![1 => Just(None), 6 => s.prop_map(Some)].boxed()
}

pub fn row() -> impl Strategy<Value = Row> {
    let i32s = prop_oneof![
        3 => -20i32..20,
        1 => prop::sample::select(vec![i32::MAX, i32::MIN, i32::MAX - 1, 65536, 46341]),
        1 => any::<i32>(),
    ];
    let i64s = prop_oneof![
        3 => -20i64..20,
        1 => prop::sample::select(vec![i64::MAX, i64::MIN, 1i64 << 40, 3_037_000_500, 4_000_000_000]),
        1 => any::<i64>(),
    ];
    let f64s = prop_oneof![
        3 => prop::sample::select(vec![0.0, -0.0, 1.0, -1.5, 0.1, 2.5, 1e-5, 1e7, 1e300, -1e300, 3e9, 0.5, 1e-320]),
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -f64::NAN, f64::MIN_POSITIVE]),
        2 => -100.0f64..100.0,
        1 => any::<f64>(),
    ];
    let strs = prop_oneof![
        3 => prop::sample::select(gen::STRINGS.to_vec()).prop_map(String::from),
        1 => "[a-cé%_ 0-9]{0,5}",
    ];
    let ts = prop_oneof![
        2 => prop::sample::select(vec![0i64, -1, 1_709_209_845_123_456, 86_400_000_000, -62_135_596_800_000_000]),
        2 => -4_000_000_000_000_000i64..4_000_000_000_000_000,
    ];
    (
        opt(i32s),
        opt(i64s),
        opt(f64s),
        opt(any::<bool>()),
        opt(strs),
        opt(ts),
    )
}

/// Rows and which columns are declared nullable (a non-nullable column's
/// nulls are replaced by a value).
pub fn batch_strategy(max_rows: usize) -> impl Strategy<Value = (Vec<Row>, [bool; 6])> {
    (
        prop::collection::vec(row(), 0..max_rows),
        prop::array::uniform6(prop::bool::weighted(0.8)),
    )
}

pub fn input_types(nullable: [bool; 6]) -> Vec<ColumnType> {
    gen::INPUT_TYPES
        .iter()
        .zip(nullable)
        .map(|(t, n)| ColumnType {
            ty: t.clone(),
            nullable: n,
        })
        .collect()
}

pub fn make_batch(rows: &[Row], nullable: [bool; 6]) -> RecordBatch {
    let nn = |i: usize| !nullable[i];
    let c0: Int32Array = rows.iter().map(|r| r.0.or(nn(0).then_some(0))).collect();
    let c1: Int64Array = rows.iter().map(|r| r.1.or(nn(1).then_some(1))).collect();
    let c2: Float64Array = rows.iter().map(|r| r.2.or(nn(2).then_some(2.0))).collect();
    let c3: BooleanArray = rows.iter().map(|r| r.3.or(nn(3).then_some(true))).collect();
    let c4: StringArray = rows
        .iter()
        .map(|r| r.4.clone().or(nn(4).then(|| "s".to_string())))
        .collect();
    let c5: TimestampMicrosecondArray = rows.iter().map(|r| r.5.or(nn(5).then_some(5))).collect();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(c0),
        Arc::new(c1),
        Arc::new(c2),
        Arc::new(c3),
        Arc::new(c4),
        Arc::new(c5.with_timezone("UTC")),
    ];
    let fields: Vec<Field> = gen::INPUT_TYPES
        .iter()
        .enumerate()
        .map(|(i, t)| Field::new(format!("c{i}"), t.to_arrow(), nullable[i]))
        .collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).expect("valid batch")
}

/// The schema of a collect pipeline's output (every field nullable).
pub fn output_schema(spec: &PipelineSpec) -> SchemaRef {
    let exprs = spec.steps.iter().rev().find_map(|s| match s {
        Step::Project(es) => Some(es.clone()),
        Step::Filter(_) => None,
    });
    let fields: Vec<Field> = match exprs {
        Some(es) => es
            .iter()
            .enumerate()
            .map(|(i, e)| Field::new(format!("o{i}"), e.ty.to_arrow(), true))
            .collect(),
        None => spec
            .input
            .iter()
            .enumerate()
            .map(|(i, c)| Field::new(format!("o{i}"), c.ty.to_arrow(), true))
            .collect(),
    };
    Arc::new(Schema::new(fields))
}

/// What running a pipeline gave: its rows rendered (sorted for
/// aggregates), or an error class.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Rows(Vec<Vec<String>>),
    Error(&'static str),
    Panic(String),
}

/// A value as text, NaN equal to NaN, -0.0 distinct from 0.0.
fn cell(a: &ArrayRef, i: usize) -> String {
    if a.is_null(i) {
        return "NULL".into();
    }
    if let Some(t) = a.as_any().downcast_ref::<TimestampMicrosecondArray>() {
        // Arrow's display cannot resolve the "UTC" zone without chrono-tz.
        return t.value(i).to_string();
    }
    if let Some(f) = a.as_any().downcast_ref::<Float64Array>() {
        let v = f.value(i);
        return if v.is_nan() {
            "NaN".into()
        } else {
            format!("{v:?}")
        };
    }
    arrow::util::display::array_value_to_string(a, i).unwrap_or_else(|e| format!("<{e}>"))
}

pub fn rows_of(cols: &[ArrayRef], len: usize) -> Vec<Vec<String>> {
    (0..len)
        .map(|i| {
            cols.iter()
                .map(|c| format!("{}:{}", c.data_type(), cell(c, i)))
                .collect()
        })
        .collect()
}

/// Runs `spec` over `batches` (an aggregate updates one table with each).
pub fn run(spec: &PipelineSpec, batches: &[RecordBatch], mode: ExecMode) -> Outcome {
    let result = catch_unwind(AssertUnwindSafe(|| run_inner(spec, batches, mode)));
    match result {
        Ok(o) => o,
        Err(p) => Outcome::Panic(
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default(),
        ),
    }
}

fn run_inner(spec: &PipelineSpec, batches: &[RecordBatch], mode: ExecMode) -> Outcome {
    let kernel = match compile(spec, output_schema(spec), mode) {
        Ok(k) => k,
        Err(e) => return Outcome::Error(e.class()),
    };
    match &spec.sink {
        PipelineSink::Collect => {
            let mut rows = Vec::new();
            for b in batches {
                match kernel.collect(b) {
                    Ok(out) => rows.extend(rows_of(out.columns(), out.num_rows())),
                    Err(e) => return Outcome::Error(e.class()),
                }
            }
            Outcome::Rows(rows)
        }
        PipelineSink::Aggregate(agg) => {
            let layout = match TableLayout::new(agg) {
                Ok(l) => Arc::new(l),
                Err(e) => return Outcome::Error(e.class()),
            };
            let mut table = AggTable::new(layout);
            for b in batches {
                if let Err(e) = kernel.aggregate(b, &mut table, &mut LateRows::default()) {
                    return Outcome::Error(e.class());
                }
            }
            let groups: Vec<usize> = (0..table.len()).collect();
            let mut rows = rows_of(&table.to_arrow(&groups), groups.len());
            rows.sort();
            Outcome::Rows(rows)
        }
        PipelineSink::Probe(_) => unreachable!("the generator makes no probes"),
    }
}

/// Whether the JIT back end is available (it may still be a stub).
pub fn jit_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        let spec = PipelineSpec { input: vec![], steps: vec![], sink: PipelineSink::Collect };
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let ok = catch_unwind(|| compile(&spec, Arc::new(Schema::empty()), ExecMode::Jit)).is_ok();
        std::panic::set_hook(hook);
        if !ok {
            eprintln!("differential: the JIT is not implemented yet; comparing the interpreter with itself");
        }
        ok
    })
}

/// The back end the interpreter is compared with.
pub fn other_mode() -> ExecMode {
    if jit_available() {
        ExecMode::Jit
    } else {
        ExecMode::Interpret
    }
}

/// `batch` split into single-row batches.
pub fn per_row(batch: &RecordBatch) -> Vec<RecordBatch> {
    (0..batch.num_rows()).map(|i| batch.slice(i, 1)).collect()
}

/// A pipeline as SQL-like text, for failure messages.
pub fn show_spec(spec: &PipelineSpec) -> String {
    let mut out = String::new();
    let input: Vec<String> = spec
        .input
        .iter()
        .enumerate()
        .map(|(i, c)| format!("c{i} {}{}", c.ty, if c.nullable { "" } else { " NOT NULL" }))
        .collect();
    out.push_str(&format!("INPUT {}\n", input.join(", ")));
    for s in &spec.steps {
        match s {
            Step::Filter(e) => out.push_str(&format!("FILTER {e}\n")),
            Step::Project(es) => {
                let items: Vec<String> = es
                    .iter()
                    .map(|e| format!("{e} (nullable: {})", e.nullable))
                    .collect();
                out.push_str(&format!("PROJECT {}\n", items.join(", ")))
            }
        }
    }
    if let PipelineSink::Aggregate(a) = &spec.sink {
        let keys: Vec<String> = a.keys.iter().map(|k| k.to_string()).collect();
        let aggs: Vec<String> = a.aggs.iter().map(|c| c.to_string()).collect();
        out.push_str(&format!(
            "GROUP BY {} SETS {:?} AGG {}\n",
            keys.join(", "),
            a.grouping_sets,
            aggs.join(", ")
        ));
    }
    out
}
