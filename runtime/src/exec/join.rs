//! Equi-joins by hashing: the right side (a table) is built once into an
//! [`AggTable`] keyed by its join keys — by an aggregate kernel, so the JIT
//! hashes and probes exactly as for aggregation — with its rows listed per
//! group (each right row's group found by a probe kernel); the left side's
//! rows are probed by a compiled kernel. Rows with a null key never match,
//! as in SQL.

use std::sync::Arc;

use arrow::array::{new_null_array, Array, ArrayRef, UInt32Array};
use arrow::compute::{concat_batches, take};
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use sqlc_compiler::agg_table::{AggTable, LateRows, TableLayout};
use sqlc_compiler::ir::PipelineSink;
use sqlc_compiler::plan::JoinType;
use sqlc_compiler::Kernel;

use crate::error::{Error, Result};

/// The right side of a join, built once: its rows, the hash table of its
/// keys, and per group the rows that have that key (`rows[offsets[g]..
/// offsets[g + 1]]`).
pub struct HashedSide {
    batch: RecordBatch,
    table: AggTable,
    offsets: Vec<u32>,
    rows: Vec<u32>,
}

impl HashedSide {
    pub fn build(
        schema: &SchemaRef,
        batches: &[RecordBatch],
        build: &Arc<dyn Kernel>,
        probe: &Arc<dyn Kernel>,
    ) -> Result<Self> {
        let batch = concat_batches(schema, batches)?;
        let spec = match &build.spec().sink {
            PipelineSink::Aggregate(a) => a,
            _ => return Err(Error::internal("a join build kernel aggregates")),
        };
        let mut table = AggTable::new(Arc::new(TableLayout::new(spec)?));
        if batch.num_rows() > 0 {
            // The build side has no watermark: no row is late.
            build.aggregate(&batch, &mut table, &mut LateRows::default())?;
        }
        let groups = if batch.num_rows() > 0 {
            probe.probe(&batch, &table)?
        } else {
            Vec::new()
        };
        // Rows per group, in row order (a counting sort).
        let mut offsets = vec![0u32; table.len() + 1];
        for &g in &groups {
            if g >= 0 {
                offsets[g as usize + 1] += 1;
            }
        }
        for g in 0..table.len() {
            offsets[g + 1] += offsets[g];
        }
        let mut next = offsets.clone();
        let mut rows = vec![0u32; offsets[table.len()] as usize];
        for (r, &g) in groups.iter().enumerate() {
            if g >= 0 {
                let at = &mut next[g as usize];
                rows[*at as usize] = r as u32;
                *at += 1;
            }
        }
        Ok(HashedSide {
            batch,
            table,
            offsets,
            rows,
        })
    }

    fn matches(&self, group: i64) -> &[u32] {
        if group < 0 {
            return &[];
        }
        let g = group as usize;
        &self.rows[self.offsets[g] as usize..self.offsets[g + 1] as usize]
    }

    /// Joins `left` batches against this side.
    pub fn probe(
        &self,
        left_schema: &SchemaRef,
        left: &[RecordBatch],
        left_probe: &Arc<dyn Kernel>,
        how: JoinType,
        out: &SchemaRef,
    ) -> Result<Vec<RecordBatch>> {
        let left = concat_batches(left_schema, left)?;
        let groups = if left.num_rows() > 0 {
            left_probe.probe(&left, &self.table)?
        } else {
            Vec::new()
        };
        let (mut li, mut ri): (Vec<Option<u32>>, Vec<Option<u32>>) = (Vec::new(), Vec::new());
        let mut right_matched = vec![false; self.batch.num_rows()];
        for (i, &g) in groups.iter().enumerate() {
            let hits = self.matches(g);
            match how {
                JoinType::LeftSemi if !hits.is_empty() => li.push(Some(i as u32)),
                JoinType::LeftAnti if hits.is_empty() => li.push(Some(i as u32)),
                JoinType::LeftSemi | JoinType::LeftAnti => {}
                _ if !hits.is_empty() => {
                    for &r in hits {
                        li.push(Some(i as u32));
                        ri.push(Some(r));
                        right_matched[r as usize] = true;
                    }
                }
                JoinType::LeftOuter | JoinType::FullOuter => {
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
