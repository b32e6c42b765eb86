//! The generate operator: each input row becomes the rows its generator
//! makes (`explode`, `posexplode` of arrays and maps, `inline`, `stack`,
//! `json_tuple`, row replication),
//! with the row's first `keep` columns repeated beside them. Stateless, so
//! it runs per batch on streams as on tables; a batch is expanded with one
//! `take` per kept column and one per generated column.

use std::sync::Arc;

use arrow::array::{
    new_null_array, Array, ArrayRef, AsArray, Int32Array, Int64Array, ListArray, UInt32Array,
};
use arrow::compute::{concat, take};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use sqlc_compiler::generator::{stack_columns, Generator};
use sqlc_compiler::types::conform_array;

use crate::error::{Error, Result};

/// What one input batch generates.
pub fn generate(
    batch: &RecordBatch,
    generator: Generator,
    args: &[usize],
    keep: usize,
    outer: bool,
    schema: &SchemaRef,
) -> Result<RecordBatch> {
    let arg = |i: usize| -> Result<&ArrayRef> {
        args.get(i)
            .and_then(|&c| batch.columns().get(c))
            .ok_or_else(|| Error::internal(format!("generate: argument {i} is not a column")))
    };
    // Per output row, the input row it came from; then the generated columns.
    let (rows, generated): (Vec<u32>, Vec<ArrayRef>) = match generator {
        Generator::Explode { position } => explode(arg(0)?, position, outer)?,
        Generator::Inline => inline(arg(0)?, outer)?,
        Generator::Stack { rows } => {
            let values = (0..args.len()).map(arg).collect::<Result<Vec<_>>>()?;
            stack(&values, rows, batch.num_rows())?
        }
        Generator::JsonTuple { .. } => {
            let values = (0..args.len()).map(arg).collect::<Result<Vec<_>>>()?;
            json_tuple(&values, batch.num_rows())?
        }
        Generator::Replicate => (replicate(arg(0)?)?, vec![]),
    };
    let idx = UInt32Array::from(rows);
    let mut cols: Vec<ArrayRef> = batch.columns()[..keep]
        .iter()
        .map(|c| take(c.as_ref(), &idx, None))
        .collect::<std::result::Result<_, _>>()?;
    cols.extend(generated);
    let cols = cols
        .into_iter()
        .zip(schema.fields())
        .map(|(c, f)| Ok(conform_array(c, f.data_type())?))
        .collect::<Result<Vec<_>>>()?;
    let options = RecordBatchOptions::new().with_row_count(Some(idx.len()));
    Ok(RecordBatch::try_new_with_options(
        schema.clone(),
        cols,
        &options,
    )?)
}

fn list(a: &ArrayRef) -> Result<&ListArray> {
    a.as_list_opt::<i32>()
        .ok_or_else(|| Error::internal(format!("generate: expected a list, got {}", a.data_type())))
}

/// `explode` / `posexplode`: a row per element of an array (or entry of a
/// map: its key and value); `outer` keeps a row with nulls for a null or
/// empty one.
fn explode(a: &ArrayRef, position: bool, outer: bool) -> Result<(Vec<u32>, Vec<ArrayRef>)> {
    // The offsets and the flat columns an element or entry is taken from.
    let (offsets, parts): (&[i32], Vec<&ArrayRef>) = match a.as_map_opt() {
        Some(m) => (m.value_offsets(), vec![m.keys(), m.values()]),
        None => {
            let l = list(a)?;
            (l.value_offsets(), vec![l.values()])
        }
    };
    let mut rows = Vec::new();
    let mut pos: Vec<Option<i32>> = Vec::new();
    // Indexes into the flat values; None for an outer row's null element.
    let mut elems: Vec<Option<u32>> = Vec::new();
    for r in 0..a.len() {
        let (s, e) = (offsets[r] as usize, offsets[r + 1] as usize);
        if a.is_null(r) || s == e {
            if outer {
                rows.push(r as u32);
                pos.push(None);
                elems.push(None);
            }
            continue;
        }
        for (p, v) in (s..e).enumerate() {
            rows.push(r as u32);
            pos.push(Some(p as i32));
            elems.push(Some(v as u32));
        }
    }
    let elems = UInt32Array::from(elems);
    let mut out: Vec<ArrayRef> = Vec::new();
    if position {
        out.push(Arc::new(Int32Array::from(pos)));
    }
    for p in parts {
        out.push(take(p.as_ref(), &elems, None)?);
    }
    Ok((rows, out))
}

/// `inline`: a row per struct of the array, its fields as columns.
fn inline(a: &ArrayRef, outer: bool) -> Result<(Vec<u32>, Vec<ArrayRef>)> {
    let (rows, cols) = explode(a, false, outer)?;
    let values = &cols[0];
    let Some(s) = values.as_struct_opt() else {
        return Err(Error::internal(
            "inline: the array's elements are not structs",
        ));
    };
    // A null struct gives nulls in every field.
    let null_struct = arrow::compute::is_null(s)?;
    let out = s
        .columns()
        .iter()
        .map(|f| arrow::compute::nullif(f.as_ref(), &null_struct))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok((rows, out))
}

/// `stack(n, v…)`: `n` rows per input row; value `r * cols + c` in row `r`,
/// column `c` (null past the last value).
fn stack(values: &[&ArrayRef], rows: usize, len: usize) -> Result<(Vec<u32>, Vec<ArrayRef>)> {
    let cols = stack_columns(rows, values.len());
    let out_rows: Vec<u32> = (0..len as u32)
        .flat_map(|r| std::iter::repeat_n(r, rows))
        .collect();
    let mut out = Vec::with_capacity(cols);
    for c in 0..cols {
        // The column's values, one array per stacked row, interleaved.
        let parts: Vec<ArrayRef> = (0..rows)
            .map(|r| match values.get(r * cols + c) {
                Some(v) => (*v).clone(),
                None => new_null_array(values[c].data_type(), len),
            })
            .collect();
        let refs: Vec<&dyn Array> = parts.iter().map(|p| p.as_ref()).collect();
        let all = concat(&refs)?;
        let idx: UInt32Array = (0..len as u32)
            .flat_map(|i| (0..rows as u32).map(move |r| r * len as u32 + i))
            .map(Some)
            .collect();
        out.push(take(all.as_ref(), &idx, None)?);
    }
    Ok((out_rows, out))
}

/// `json_tuple(json, name…)`: a row per input row, a string column per name.
fn json_tuple(values: &[&ArrayRef], len: usize) -> Result<(Vec<u32>, Vec<ArrayRef>)> {
    let strings = values
        .iter()
        .map(|v| {
            v.as_string_opt::<i32>()
                .ok_or_else(|| Error::internal("json_tuple: an argument is not a string"))
        })
        .collect::<Result<Vec<_>>>()?;
    fn at(s: &arrow::array::StringArray, r: usize) -> Option<&str> {
        s.is_valid(r).then(|| s.value(r))
    }
    let mut cols: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(len); strings.len() - 1];
    for r in 0..len {
        let names: Vec<Option<&str>> = strings[1..].iter().map(|s| at(s, r)).collect();
        let row = sqlc_compiler::json::json_tuple(at(strings[0], r), &names);
        for (c, v) in cols.iter_mut().zip(row) {
            c.push(v);
        }
    }
    let out = cols
        .into_iter()
        .map(|c| Arc::new(arrow::array::StringArray::from(c)) as ArrayRef)
        .collect();
    Ok(((0..len as u32).collect(), out))
}

/// Each row `n` times (`n` ≤ 0 or null: not at all).
fn replicate(a: &ArrayRef) -> Result<Vec<u32>> {
    let n = a
        .as_any()
        .downcast_ref::<Int64Array>()
        .ok_or_else(|| Error::internal("replicate: the count is not a bigint"))?;
    let mut rows = Vec::new();
    for (r, times) in n.iter().enumerate() {
        for _ in 0..times.unwrap_or(0).max(0) {
            rows.push(r as u32);
        }
    }
    Ok(rows)
}
