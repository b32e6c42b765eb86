//! Equi-joins by hashing: the right side is built into a hash table keyed by
//! its join keys (Arrow's row format), the left side probes it. Rows with a
//! null key never match, as in SQL.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{new_null_array, Array, ArrayRef, UInt32Array};
use arrow::compute::{concat_batches, take};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use arrow::row::{RowConverter, Rows, SortField};
use sqlc_compiler::plan::JoinType;
use sqlc_compiler::Kernel;

use crate::error::Result;

/// The right side of a join, built once: its rows and a map from key to rows.
pub struct HashedSide {
    batch: RecordBatch,
    map: HashMap<Box<[u8]>, Vec<u32>>,
    converter: RowConverter,
}

fn key_rows(
    kernel: &Arc<dyn Kernel>,
    batch: &RecordBatch,
    converter: &RowConverter,
) -> Result<(Rows, Vec<bool>)> {
    let keys = kernel.collect(batch)?;
    let valid: Vec<bool> = (0..batch.num_rows())
        .map(|i| keys.columns().iter().all(|c| c.is_valid(i)))
        .collect();
    Ok((converter.convert_columns(keys.columns())?, valid))
}

fn converter_for(kernel: &Arc<dyn Kernel>) -> Result<RowConverter> {
    let fields = kernel
        .output_schema()
        .fields()
        .iter()
        .map(|f| SortField::new(f.data_type().clone()))
        .collect();
    Ok(RowConverter::new(fields)?)
}

impl HashedSide {
    pub fn build(
        schema: &SchemaRef,
        batches: &[RecordBatch],
        keys: &Arc<dyn Kernel>,
    ) -> Result<Self> {
        let batch = concat_batches(schema, batches)?;
        let converter = converter_for(keys)?;
        let (rows, valid) = key_rows(keys, &batch, &converter)?;
        let mut map: HashMap<Box<[u8]>, Vec<u32>> = HashMap::new();
        for i in 0..batch.num_rows() {
            if valid[i] {
                map.entry(rows.row(i).as_ref().into())
                    .or_default()
                    .push(i as u32);
            }
        }
        Ok(HashedSide {
            batch,
            map,
            converter,
        })
    }

    /// Joins `left` batches against this side.
    pub fn probe(
        &self,
        left_schema: &SchemaRef,
        left: &[RecordBatch],
        left_keys: &Arc<dyn Kernel>,
        how: JoinType,
        out: &SchemaRef,
    ) -> Result<Vec<RecordBatch>> {
        let left = concat_batches(left_schema, left)?;
        let (rows, valid) = key_rows(left_keys, &left, &self.converter)?;
        let (mut li, mut ri): (Vec<Option<u32>>, Vec<Option<u32>>) = (Vec::new(), Vec::new());
        let mut right_matched = vec![false; self.batch.num_rows()];
        for i in 0..left.num_rows() {
            let hits = if valid[i] {
                self.map.get(rows.row(i).as_ref())
            } else {
                None
            };
            match (how, hits) {
                (JoinType::LeftSemi, Some(_)) => li.push(Some(i as u32)),
                (JoinType::LeftAnti, None) => li.push(Some(i as u32)),
                (JoinType::LeftSemi | JoinType::LeftAnti, _) => {}
                (_, Some(rs)) => {
                    for &r in rs {
                        li.push(Some(i as u32));
                        ri.push(Some(r));
                        right_matched[r as usize] = true;
                    }
                }
                (JoinType::LeftOuter | JoinType::FullOuter, None) => {
                    li.push(Some(i as u32));
                    ri.push(None);
                }
                _ => {}
            }
        }
        if matches!(how, JoinType::RightOuter | JoinType::FullOuter) {
            for (r, m) in right_matched.iter().enumerate() {
                if !m {
                    li.push(None);
                    ri.push(Some(r as u32));
                }
            }
        }
        let gather = |b: &RecordBatch, idx: &[Option<u32>]| -> Result<Vec<ArrayRef>> {
            let idx = UInt32Array::from(idx.to_vec());
            b.columns()
                .iter()
                .map(|c| {
                    if b.num_rows() == 0 {
                        Ok(new_null_array(c.data_type(), idx.len()))
                    } else {
                        Ok(take(c.as_ref(), &idx, None)?)
                    }
                })
                .collect()
        };
        let mut cols = gather(&left, &li)?;
        if !matches!(how, JoinType::LeftSemi | JoinType::LeftAnti) {
            cols.extend(gather(&self.batch, &ri)?);
        }
        if li.is_empty() {
            return Ok(vec![]);
        }
        // Outer joins make columns nullable that the inputs declared not null.
        let cols = cols
            .into_iter()
            .zip(out.fields())
            .map(|(c, f)| {
                if c.data_type() == f.data_type() {
                    c
                } else {
                    arrow::compute::cast(&c, f.data_type()).unwrap_or(c)
                }
            })
            .collect();
        Ok(vec![RecordBatch::try_new(out.clone(), cols)?])
    }
}
