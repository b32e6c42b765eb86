//! LIMIT and OFFSET over a plan's batches, in their order: the first `n`
//! rows after `offset`, of the whole input or — for a correlated
//! subquery's LIMIT, Spark's `DecorrelateInnerQuery` rewriting it to a
//! `row_number()` filter — of each value of the `per` columns (compared
//! as Arrow rows, so NULL is a value like any other).

use std::collections::HashMap;

use arrow::array::UInt32Array;
use arrow::compute::take;
use arrow::record_batch::RecordBatch;
use arrow::row::{RowConverter, SortField};

use crate::error::Result;

pub fn limit(
    batches: Vec<RecordBatch>,
    n: usize,
    offset: usize,
    per: &[usize],
) -> Result<Vec<RecordBatch>> {
    if per.is_empty() {
        return Ok(whole(batches, n, offset));
    }
    let Some(first) = batches.first() else {
        return Ok(batches);
    };
    let fields = per
        .iter()
        .map(|&k| SortField::new(first.schema().field(k).data_type().clone()))
        .collect();
    let converter = RowConverter::new(fields)?;
    let mut seen: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut out = Vec::with_capacity(batches.len());
    for b in batches {
        let cols: Vec<_> = per.iter().map(|&k| b.column(k).clone()).collect();
        let rows = converter.convert_columns(&cols)?;
        let mut keep = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let count = seen.entry(row.as_ref().to_vec()).or_insert(0);
            if *count >= offset && *count - offset < n {
                keep.push(i as u32);
            }
            *count += 1;
        }
        if keep.len() == b.num_rows() {
            out.push(b);
        } else if !keep.is_empty() {
            let idx = UInt32Array::from(keep);
            let cols = b
                .columns()
                .iter()
                .map(|c| take(c.as_ref(), &idx, None))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            out.push(RecordBatch::try_new(b.schema(), cols)?);
        }
    }
    Ok(out)
}

/// The first `n` rows after `offset`, slicing the batches.
fn whole(batches: Vec<RecordBatch>, n: usize, offset: usize) -> Vec<RecordBatch> {
    let (mut skip, mut left) = (offset, n);
    let mut out = Vec::new();
    for b in batches {
        if left == 0 {
            break;
        }
        let rows = b.num_rows();
        if skip >= rows {
            skip -= rows;
            continue;
        }
        let take_n = left.min(rows - skip);
        out.push(b.slice(skip, take_n));
        left -= take_n;
        skip = 0;
    }
    out
}
