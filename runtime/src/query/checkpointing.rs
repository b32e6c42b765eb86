//! What the micro-batch loop does with a checkpoint: resume from it at
//! start, log a batch's offsets before it runs, save its state and commit
//! it after the sink. The order of writes is the recovery contract:
//! `sources/` and `offsets/N` before batch N reads anything, the state of
//! version N and the sink's output before `commits/N`.

use std::collections::BTreeMap;

use crate::checkpoint::{Checkpoint, OffsetSeq, SHUFFLE_PARTITIONS};
use crate::error::{Error, Result};
use crate::exec::Executor;
use crate::source::Offset;

use super::micro_batch::SourceState;

/// Where the loop carries on after [`resume`].
pub(super) struct Resume {
    pub next_batch: u64,
    /// The watermark of the last batch run.
    pub watermark: Option<i64>,
    /// A logged batch that did not commit: run it again with these offsets.
    pub rerun: Option<OffsetSeq>,
}

/// Restores the executor's state, the shuffle partitions and the sources
/// from the checkpoint.
pub(super) fn resume(
    ck: &mut Checkpoint,
    exec: &mut Executor,
    sources: &mut [SourceState],
) -> Result<Resume> {
    let schemas = exec.state_schemas();
    let rec = ck.recover(&schemas, sources.len())?;
    // As Spark, the number of state partitions is the checkpoint's.
    if let Some(seq) = rec.committed.as_ref().or(rec.rerun.as_ref()) {
        if let Some(p) = seq.conf.get(SHUFFLE_PARTITIONS) {
            let n = p.parse::<usize>().map_err(|_| {
                Error::damaged(
                    ck.root().join("offsets"),
                    format!("{SHUFFLE_PARTITIONS} = {p}"),
                )
            })?;
            exec.set_state_partitions(n);
        }
    }
    // The files passed their checksums; bytes that still do not fit the
    // operators are a damaged (or foreign) state store.
    exec.track_state_changes();
    exec.restore_state(rec.state.iter().map(|m| m.stored()))
        .map_err(|e| Error::damaged(ck.root().join("state"), e.to_string()))?;
    for (i, (s, log)) in sources.iter_mut().zip(rec.source_logs).enumerate() {
        let committed: Option<Offset> = rec.committed.as_ref().and_then(|c| c.offsets[i].clone());
        let planned = rec
            .rerun
            .as_ref()
            .map_or(committed.clone(), |r| r.offsets[i].clone());
        // A source's own log entries it cannot take are its log's damage:
        // the error names that log, not the source.
        s.source
            .restore_checkpoint(planned.as_ref(), log)
            .map_err(|e| match e {
                Error::DamagedCheckpoint { reason, .. } => {
                    Error::damaged(ck.source_log(i).dir(), reason)
                }
                e => e,
            })?;
        s.committed = committed;
    }
    Ok(Resume {
        next_batch: rec.next_batch,
        watermark: rec.committed.as_ref().and_then(|c| c.watermark_us),
        rerun: rec.rerun,
    })
}

/// Logs batch `batch_id` before it runs: each source's own log entry for
/// a new end offset, then the offsets.
pub(super) fn log_batch(
    ck: &Checkpoint,
    batch_id: u64,
    sources: &[SourceState],
    ends: &[Option<Offset>],
    watermark_us: Option<i64>,
    timestamp_ms: i64,
    partitions: usize,
) -> Result<()> {
    let mut entries = Vec::new();
    for (i, (s, end)) in sources.iter().zip(ends).enumerate() {
        let Some(end) = end else { continue };
        if Some(end) == s.committed.as_ref() {
            continue;
        }
        if let Some((entry, lines)) = s.source.checkpoint_entry(end) {
            entries.push((i, entry, lines));
        }
    }
    let conf: BTreeMap<String, String> =
        [(SHUFFLE_PARTITIONS.to_string(), partitions.to_string())].into();
    ck.log_batch(
        batch_id,
        &entries,
        &OffsetSeq {
            watermark_us,
            timestamp_ms,
            conf,
            offsets: ends.to_vec(),
        },
    )
}
