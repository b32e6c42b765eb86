//! What a stream–stream join's batches change, as a state store delta: per
//! batch and side, the rows it added (after late rows were dropped), the
//! rows whose matched flag it set, and the event time up to which it
//! evicted rows. Replayed in order on restored state — append, flags,
//! evict: eviction is a function of the rows' times and the threshold — it
//! rebuilds the state the batches left, so a delta costs what the batches
//! added, not the buffered rows (`StatefulOperator::take_changes`).

use arrow::record_batch::RecordBatch;
use sqlc_compiler::Kernel;
use std::sync::Arc;

use super::{read_ipc, take_bytes, take_u64, write_ipc, StreamJoinState};
use crate::error::Result;

/// What one batch changed on one side of the join.
pub(super) struct SideChange {
    /// The rows it buffered, appended in order.
    pub appended: RecordBatch,
    /// The rows (by place once those were appended) it found a match for.
    pub flips: Vec<u32>,
    /// The event time up to which it evicted rows, if it evicted any.
    pub expires: Option<i64>,
}

/// What one batch changed: its left side's changes, then its right's.
pub(super) type BatchChange = [SideChange; 2];

/// The changes of batches, in order, as bytes.
pub(super) fn to_bytes(changes: &[BatchChange]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    out.extend_from_slice(&(changes.len() as u64).to_le_bytes());
    for side in changes.iter().flatten() {
        out.extend_from_slice(&(side.flips.len() as u64).to_le_bytes());
        for f in &side.flips {
            out.extend_from_slice(&f.to_le_bytes());
        }
        match side.expires {
            Some(x) => {
                out.push(1);
                out.extend_from_slice(&x.to_le_bytes());
            }
            None => out.push(0),
        }
        write_ipc(&side.appended, &mut out)?;
    }
    Ok(out)
}

/// Reads what [`to_bytes`] wrote.
fn from_bytes(bytes: &[u8]) -> std::result::Result<Vec<BatchChange>, String> {
    let at = &mut 0;
    let batches = take_u64(bytes, at)?;
    let side = |at: &mut usize| -> std::result::Result<SideChange, String> {
        let n = usize::try_from(take_u64(bytes, at)?).map_err(|e| e.to_string())?;
        let raw = take_bytes(
            bytes,
            at,
            n.checked_mul(4).ok_or("a damaged stream-join delta")?,
        )?;
        let flips = raw
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();
        let expires = match take_bytes(bytes, at, 1)?[0] {
            0 => None,
            1 => Some(take_u64(bytes, at)? as i64),
            _ => return Err("a damaged stream-join delta".into()),
        };
        Ok(SideChange {
            appended: read_ipc(bytes, at)?,
            flips,
            expires,
        })
    };
    let mut out = Vec::new();
    for _ in 0..batches {
        let left = side(&mut *at)?;
        out.push([left, side(&mut *at)?]);
    }
    if *at != bytes.len() {
        return Err("bytes after the stream-join delta".into());
    }
    Ok(out)
}

impl StreamJoinState {
    /// Replays the batches' changes [`to_bytes`] wrote on restored state.
    pub fn apply_changes(
        &mut self,
        bytes: &[u8],
        left_keys: &Arc<dyn Kernel>,
        right_keys: &Arc<dyn Kernel>,
    ) -> std::result::Result<(), String> {
        for batch in from_bytes(bytes)? {
            for (left, change) in [true, false].into_iter().zip(batch) {
                let kernel = if left { left_keys } else { right_keys };
                if change.appended.schema().fields() != self.side(left).batch.schema().fields() {
                    return Err("a stream-join delta's rows have another schema".into());
                }
                let keys = self
                    .keys(kernel, &change.appended)
                    .map_err(|e| e.to_string())?;
                let s = self.side_mut(left);
                s.append(&change.appended, keys)
                    .map_err(|e| e.to_string())?;
                for f in change.flips {
                    *s.matched
                        .get_mut(f as usize)
                        .ok_or("a stream-join delta names a row the state lacks")? = true;
                }
                if let Some(x) = change.expires {
                    s.evict(x).map_err(|e| e.to_string())?;
                }
            }
        }
        Ok(())
    }
}
