//! The reference sinks: collected rows and hash aggregates computed a row at
//! a time in plain Rust, rendered like the kernels' outputs.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::*;
use sqlc_compiler::ir::{AggFunc, PipelineSink, PipelineSpec, Step};
use sqlc_compiler::{DataType, Scalar};

use super::oracle::{eval, order, run_steps, Class};
use super::{rows_of, Outcome};

/// A column of scalars as an Arrow array of `ty`.
pub fn to_array(ty: &DataType, vals: &[Scalar]) -> ArrayRef {
    macro_rules! build {
        ($arr:ty, $pat:path) => {
            Arc::new(
                vals.iter()
                    .map(|v| {
                        if let $pat(x) = v {
                            Some(x.clone())
                        } else {
                            None
                        }
                    })
                    .collect::<$arr>(),
            )
        };
    }
    match ty {
        DataType::Boolean => build!(BooleanArray, Scalar::Boolean),
        DataType::Int32 => build!(Int32Array, Scalar::Int32),
        DataType::Int64 => build!(Int64Array, Scalar::Int64),
        DataType::Float64 => build!(Float64Array, Scalar::Float64),
        DataType::Utf8 => build!(StringArray, Scalar::Utf8),
        DataType::Date => build!(Date32Array, Scalar::Date),
        DataType::Timestamp => {
            let a: TimestampMicrosecondArray = vals
                .iter()
                .map(|v| {
                    if let Scalar::Timestamp(x) = v {
                        Some(*x)
                    } else {
                        None
                    }
                })
                .collect();
            Arc::new(a.with_timezone("UTC"))
        }
        _ => new_null_array(&ty.to_arrow(), vals.len()),
    }
}

/// The batch's rows as scalars.
pub fn scalar_rows(batch: &RecordBatch) -> Vec<Vec<Scalar>> {
    (0..batch.num_rows())
        .map(|i| {
            batch
                .columns()
                .iter()
                .map(|c| {
                    if c.is_null(i) {
                        return Scalar::Null;
                    }
                    if let Some(a) = c.as_any().downcast_ref::<Int32Array>() {
                        Scalar::Int32(a.value(i))
                    } else if let Some(a) = c.as_any().downcast_ref::<Int64Array>() {
                        Scalar::Int64(a.value(i))
                    } else if let Some(a) = c.as_any().downcast_ref::<Float64Array>() {
                        Scalar::Float64(a.value(i))
                    } else if let Some(a) = c.as_any().downcast_ref::<BooleanArray>() {
                        Scalar::Boolean(a.value(i))
                    } else if let Some(a) = c.as_any().downcast_ref::<StringArray>() {
                        Scalar::Utf8(a.value(i).to_string())
                    } else if let Some(a) = c.as_any().downcast_ref::<TimestampMicrosecondArray>() {
                        Scalar::Timestamp(a.value(i))
                    } else {
                        Scalar::Null
                    }
                })
                .collect()
        })
        .collect()
}

use arrow::record_batch::RecordBatch;

/// A stored key or min/max value: -0.0 as 0.0 and one NaN, as the table does.
fn canonical(v: Scalar) -> Scalar {
    match v {
        Scalar::Float64(x) if x.is_nan() => Scalar::Float64(f64::NAN),
        Scalar::Float64(0.0) => Scalar::Float64(0.0),
        v => v,
    }
}

enum Acc {
    Count(i64),
    Sum(Option<i64>),
    Float(f64, i64),
    Best(Option<Scalar>),
}

/// What the spec computes over `batches`, a row at a time.
pub fn run(spec: &PipelineSpec, batches: &[RecordBatch]) -> Outcome {
    match run_inner(spec, batches) {
        Ok(o) => o,
        Err(class) => Outcome::Error(class),
    }
}

fn run_inner(spec: &PipelineSpec, batches: &[RecordBatch]) -> Result<Outcome, Class> {
    let agg = match &spec.sink {
        PipelineSink::Collect => {
            let types: Vec<DataType> = match spec.steps.iter().rev().find_map(|s| match s {
                Step::Project(es) => Some(es.iter().map(|e| e.ty.clone()).collect()),
                Step::Filter(_) => None,
            }) {
                Some(t) => t,
                None => spec.input.iter().map(|c| c.ty.clone()).collect(),
            };
            let mut out = Vec::new();
            for b in batches {
                let rows = run_steps(&spec.steps, scalar_rows(b))?;
                let cols: Vec<ArrayRef> = types
                    .iter()
                    .enumerate()
                    .map(|(j, t)| {
                        to_array(t, &rows.iter().map(|r| r[j].clone()).collect::<Vec<_>>())
                    })
                    .collect();
                out.extend(rows_of(&cols, rows.len()));
            }
            return Ok(Outcome::Rows(out));
        }
        PipelineSink::Aggregate(a) => a,
        PipelineSink::Probe(_) => unreachable!("the generator makes no probes"),
    };
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<(Vec<Scalar>, Vec<Acc>)> = Vec::new();
    for b in batches {
        for row in scalar_rows(b) {
            // Each row: steps, keys, arguments, then the table updates.
            let Some(row) = run_steps(&spec.steps, vec![row])?.pop() else {
                continue;
            };
            let keys = agg
                .keys
                .iter()
                .map(|k| eval(k, &row))
                .collect::<Result<Vec<_>, _>>()?;
            let args = agg
                .aggs
                .iter()
                .map(|c| c.arg.as_ref().map(|a| eval(a, &row)).transpose())
                .collect::<Result<Vec<_>, _>>()?;
            for &set in &agg.grouping_sets {
                let mut key: Vec<Scalar> = keys
                    .iter()
                    .enumerate()
                    .map(|(k, v)| {
                        if set & (1 << k) != 0 {
                            canonical(v.clone())
                        } else {
                            Scalar::Null
                        }
                    })
                    .collect();
                if agg.has_grouping_id() {
                    key.push(Scalar::Int64(agg.grouping_id(set)));
                }
                let id = format!("{key:?}");
                let g = *index.entry(id).or_insert_with(|| {
                    let accs = agg
                        .aggs
                        .iter()
                        .map(
                            |c| match (c.func, c.arg.as_ref().map(|a| a.ty.is_integer())) {
                                (AggFunc::CountStar | AggFunc::Count, _) => Acc::Count(0),
                                (AggFunc::Sum, Some(true)) => Acc::Sum(None),
                                (AggFunc::Sum | AggFunc::Avg, _) => Acc::Float(0.0, 0),
                                _ => Acc::Best(None),
                            },
                        )
                        .collect();
                    groups.push((key, accs));
                    groups.len() - 1
                });
                for (i, acc) in groups[g].1.iter_mut().enumerate() {
                    let v = args[i].clone();
                    if v.as_ref().is_some_and(Scalar::is_null) {
                        continue;
                    }
                    match (acc, v) {
                        (Acc::Count(n), _) => *n += 1,
                        (Acc::Sum(s), Some(Scalar::Int32(x))) => {
                            *s = Some(
                                s.unwrap_or(0)
                                    .checked_add(x as i64)
                                    .ok_or("ARITHMETIC_OVERFLOW")?,
                            )
                        }
                        (Acc::Sum(s), Some(Scalar::Int64(x))) => {
                            *s = Some(s.unwrap_or(0).checked_add(x).ok_or("ARITHMETIC_OVERFLOW")?)
                        }
                        (Acc::Float(s, n), Some(x)) => {
                            *s += match x {
                                Scalar::Int32(x) => x as f64,
                                Scalar::Int64(x) => x as f64,
                                Scalar::Float64(x) => x,
                                _ => 0.0,
                            };
                            *n += 1;
                        }
                        (Acc::Best(best), Some(x)) => {
                            let x = canonical(x);
                            let better = match best {
                                None => true,
                                Some(b) if agg.aggs[i].func == AggFunc::Min => order(&x, b).is_lt(),
                                Some(b) => order(&x, b).is_gt(),
                            };
                            if better {
                                *best = Some(x);
                            }
                        }
                        _ => return Err("ORACLE_BUG"),
                    }
                }
            }
        }
    }
    let mut cols: Vec<ArrayRef> = Vec::new();
    let mut key_types: Vec<DataType> = agg.keys.iter().map(|k| k.ty.clone()).collect();
    if agg.has_grouping_id() {
        key_types.push(DataType::Int64);
    }
    for (k, t) in key_types.iter().enumerate() {
        cols.push(to_array(
            t,
            &groups.iter().map(|g| g.0[k].clone()).collect::<Vec<_>>(),
        ));
    }
    for (i, call) in agg.aggs.iter().enumerate() {
        let ty = call.func.result_type(call.arg.as_ref().map(|a| &a.ty));
        let vals: Vec<Scalar> = groups
            .iter()
            .map(|g| match &g.1[i] {
                Acc::Count(n) => Scalar::Int64(*n),
                Acc::Sum(s) => s.map(Scalar::Int64).unwrap_or(Scalar::Null),
                Acc::Float(_, 0) => Scalar::Null,
                Acc::Float(s, n) if call.func == AggFunc::Avg => Scalar::Float64(s / *n as f64),
                Acc::Float(s, _) => Scalar::Float64(*s),
                Acc::Best(b) => b.clone().unwrap_or(Scalar::Null),
            })
            .collect();
        cols.push(to_array(&ty, &vals));
    }
    let mut rows = rows_of(&cols, groups.len());
    rows.sort();
    Ok(Outcome::Rows(rows))
}
