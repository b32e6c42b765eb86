//! The generate operator: each input row becomes the rows its generator
//! makes (`explode`, `posexplode`, `inline`, `stack`, row replication),
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

/// `explode` / `posexplode`: a row per element; `outer` keeps a row with
/// nulls for a null or empty array.
fn explode(a: &ArrayRef, position: bool, outer: bool) -> Result<(Vec<u32>, Vec<ArrayRef>)> {
    let l = list(a)?;
    let offsets = l.value_offsets();
    let mut rows = Vec::new();
    let mut pos: Vec<Option<i32>> = Vec::new();
    // Indexes into the flat values; None for an outer row's null element.
    let mut elems: Vec<Option<u32>> = Vec::new();
    for r in 0..l.len() {
        let (s, e) = (offsets[r] as usize, offsets[r + 1] as usize);
        if l.is_null(r) || s == e {
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
    let values = take(l.values().as_ref(), &UInt32Array::from(elems), None)?;
    let mut out: Vec<ArrayRef> = Vec::new();
    if position {
        out.push(Arc::new(Int32Array::from(pos)));
    }
    out.push(values);
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
