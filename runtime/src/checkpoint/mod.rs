//! Checkpoints (a query's `checkpointLocation`), in Spark's layout:
//!
//! - `metadata`: `{"id": …}`, the query id, which survives restarts;
//! - `offsets/N`: written and synced before batch N runs — each source's
//!   end offset, the watermark, the batch timestamp and the settings that
//!   must not change ([`offset_log`]);
//! - `commits/N`: written after batch N's output is in the sink and its
//!   state is saved ([`commit_log`]);
//! - `state/<operator>/<partition>/N.delta` and `N.snapshot`: what batch N
//!   changed in the state, and the whole state every few batches
//!   ([`state_store`]);
//! - `sources/<i>/`: a source's own log, such as the files a file source
//!   took ([`compact_log`]).
//!
//! Every file is written under a temporary name and renamed into place
//! ([`files::write_atomic`]). A restart ([`Checkpoint::recover`]) finds the
//! last committed batch, restores the state of that version, and runs the
//! logged-but-uncommitted batch again with exactly the same offsets.

pub mod commit_log;
pub mod compact_log;
pub mod files;
pub mod metadata;
pub mod offset_log;
pub mod state_store;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use compact_log::{CompactLog, DEFAULT_COMPACT_INTERVAL};
pub use offset_log::{OffsetSeq, SHUFFLE_PARTITIONS};
pub use state_store::{MappedSnapshot, DEFAULT_MIN_DELTAS_FOR_SNAPSHOT};

use crate::error::{Error, Result};
use crate::exec::{StateSchema, StateSnapshot};
use commit_log::CommitLog;
use files::BatchLog;
use offset_log::OffsetLog;
use state_store::StateStore;

/// Spark's default `spark.sql.streaming.minBatchesToRetain`.
pub const DEFAULT_MIN_BATCHES_TO_RETAIN: u64 = 100;

/// An open checkpoint directory.
pub struct Checkpoint {
    root: PathBuf,
    offsets: OffsetLog,
    commits: CommitLog,
    state: StateStore,
    retain: u64,
}

/// Where a restarted query carries on.
pub struct Recovery {
    /// The id of the next batch to run.
    pub next_batch: u64,
    /// The offsets of the last committed batch: where the next batch starts.
    pub committed: Option<OffsetSeq>,
    /// A batch logged but not committed, to run again with its offsets.
    pub rerun: Option<OffsetSeq>,
    /// The state of the last committed batch.
    pub state: Vec<MappedSnapshot>,
    /// Each source's log lines ([`Checkpoint::source_log`]).
    pub source_logs: Vec<Vec<Value>>,
}

impl Checkpoint {
    /// Opens (creating if needed) the checkpoint at `root`, keeping the
    /// last `retain` batches of logs and state, and snapshotting an
    /// operator's state once a partition has `min_deltas` deltas.
    pub fn open(root: &Path, retain: u64, min_deltas: usize) -> Result<Checkpoint> {
        let root = std::path::absolute(root).map_err(|e| Error::io(root, e))?;
        std::fs::create_dir_all(&root).map_err(|e| Error::io(&root, e))?;
        Ok(Checkpoint {
            offsets: OffsetLog(BatchLog::new(root.join("offsets"))),
            commits: CommitLog(BatchLog::new(root.join("commits"))),
            state: StateStore::new(root.join("state"), min_deltas),
            retain: retain.max(1),
            root,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The query id stored in `metadata` (written with `new_id` at the first start).
    pub fn query_id(&self, new_id: &str) -> Result<String> {
        metadata::query_id(&self.root.join("metadata"), new_id)
    }

    /// Source `i`'s log (Spark's `sources/i/`).
    pub fn source_log(&self, i: usize) -> CompactLog {
        CompactLog::new(
            self.root.join("sources").join(i.to_string()),
            DEFAULT_COMPACT_INTERVAL,
        )
    }

    fn incompatible(&self, reason: String) -> Error {
        Error::IncompatibleCheckpoint {
            location: self.root.clone(),
            reason,
        }
    }

    /// Finds where to carry on, checks that the query's stateful operators
    /// match those the checkpoint has state for, and maps that state.
    /// `sources` is the number of the query's streaming sources.
    pub fn recover(&mut self, schemas: &[StateSchema], sources: usize) -> Result<Recovery> {
        let commit_ids = self.commits.0.ids()?;
        let last_commit = commit_ids.last().copied();
        if let Some(c) = last_commit {
            self.commits.read(c)?;
        }
        // The newest offsets; a damaged file past the last commit is a batch
        // that never ran to its end: plan it again.
        let mut logged = None;
        for id in self.offsets.0.ids()?.into_iter().rev() {
            match self.offsets.read(id) {
                Ok(seq) => {
                    logged = Some((id, seq));
                    break;
                }
                Err(Error::DamagedCheckpoint { .. }) if last_commit.is_none_or(|c| id > c) => {
                    files::remove(&self.offsets.0.path(id))?;
                }
                Err(e) => return Err(e),
            }
        }
        let (committed, rerun, next_batch) = match (logged, last_commit) {
            (None, None) => (None, None, 0),
            (None, Some(c)) => {
                return Err(Error::damaged(
                    self.offsets.0.path(c),
                    "missing, though batch is committed",
                ))
            }
            (Some((id, seq)), Some(c)) if id == c => (Some(seq), None, c + 1),
            (Some((id, seq)), c) if c.map_or(0, |c| c + 1) == id => {
                let committed = c.map(|c| self.offsets.read(c)).transpose()?;
                (committed, Some(seq), id)
            }
            (Some((id, _)), c) => {
                return Err(self.incompatible(format!(
                    "the offset log ends at batch {id} but the last committed batch is {c:?}"
                )))
            }
        };
        for seq in committed.iter().chain(&rerun) {
            if seq.offsets.len() != sources {
                return Err(self.incompatible(format!(
                    "it has offsets of {} sources, the query reads {sources}",
                    seq.offsets.len()
                )));
            }
        }
        let stored = self.state.stored_schemas(last_commit.is_some())?;
        if last_commit.is_some() {
            let describe = |s: &StateSchema| format!("{} {} ({})", s.operator, s.op, s.schema);
            let theirs: Vec<String> = stored.values().map(describe).collect();
            let ours: Vec<String> = schemas.iter().map(describe).collect();
            if theirs != ours {
                return Err(self.incompatible(format!(
                    "its stateful operators are [{}], this query's are [{}]",
                    theirs.join(", "),
                    ours.join(", ")
                )));
            }
        }
        self.state.write_schemas(schemas)?;
        let ops: Vec<usize> = schemas.iter().map(|s| s.op).collect();
        let state = match last_commit {
            Some(c) => self.state.load(&ops, c)?,
            None => vec![],
        };
        // The state is partitioned by the offset log's setting: a different
        // count (a damaged log) would put keys in the wrong partitions.
        if let (Some(c), Some(seq), Some(p)) =
            (last_commit, &committed, self.state.recorded_partitions())
        {
            let logged = seq.conf.get(SHUFFLE_PARTITIONS);
            if logged.is_some_and(|n| n.trim().parse::<usize>().ok() != Some(p)) {
                return Err(Error::damaged(
                    self.offsets.0.path(c),
                    format!(
                        "it logs {SHUFFLE_PARTITIONS} = {}, but the state of batch {c} has {p} partitions",
                        logged.map_or("", |s| s.as_str())
                    ),
                ));
            }
        }
        // A file source's offset is a position in its own log: every entry
        // up to the committed one must be there.
        for (i, offset) in committed.iter().flat_map(|c| c.offsets.iter().enumerate()) {
            if let Some(l) = offset.as_ref().and_then(|o| o.get("logOffset")?.as_u64()) {
                let log = self.source_log(i);
                log.check_complete(l)?;
                // Each logged batch took at least one file: a batch without
                // an entry lost them (a file cut short at a line end).
                let batches: std::collections::HashSet<u64> = log
                    .entries()?
                    .iter()
                    .filter_map(|(_, v)| v.get("batchId")?.as_u64())
                    .collect();
                if let Some(b) = (0..=l).find(|b| !batches.contains(b)) {
                    return Err(Error::damaged(
                        log.file_holding(b)?,
                        format!("has no entry of batch {b}, though batch {l} is committed"),
                    ));
                }
            }
        }
        let source_logs = (0..sources)
            .map(|i| {
                Ok(self
                    .source_log(i)
                    .entries()?
                    .into_iter()
                    .map(|(_, v)| v)
                    .collect())
            })
            .collect::<Result<_>>()?;
        Ok(Recovery {
            next_batch,
            committed,
            rerun,
            state,
            source_logs,
        })
    }

    /// Logs batch `id`: first each source's entry for it (`entries`: the
    /// source's index, its entry id and lines), then its offsets; the
    /// batch may run once this returns. Where the entries are plain files
    /// (not compactions), their data and the offsets' are synced together.
    pub fn log_batch(
        &self,
        id: u64,
        entries: &[(usize, u64, Vec<Value>)],
        seq: &OffsetSeq,
    ) -> Result<()> {
        let mut files = Vec::new();
        for (source, entry, lines) in entries {
            let log = self.source_log(*source);
            match log.plain_file(*entry, lines) {
                Some(file) => files.push(file),
                // A compaction reads and rewrites the log: on its own, first.
                None => log.add(*entry, lines)?,
            }
        }
        files.push(self.offsets.file(id, seq));
        files::write_atomic_in_order(&files)
    }

    /// Whether operator `op`'s state is due for snapshots (else the
    /// executor gives what changed: [`crate::exec::Executor::checkpoint_state`]).
    pub fn snapshot_due(&self, op: usize) -> bool {
        self.state.snapshot_due(op)
    }

    /// Saves the state after batch `id` (before it commits).
    pub fn save_state(
        &mut self,
        id: u64,
        parts: &[StateSnapshot],
        partitions: usize,
    ) -> Result<()> {
        self.state.save(id, parts, partitions)
    }

    /// Marks batch `id` done, then drops what is older than the retained batches.
    pub fn commit(&self, id: u64, next_watermark_us: Option<i64>) -> Result<()> {
        self.commits.write(id, next_watermark_us)?;
        if let Some(oldest) = (id + 1).checked_sub(self.retain) {
            if oldest > 0 {
                self.offsets.0.purge_before(oldest)?;
                self.commits.0.purge_before(oldest)?;
                self.state.purge_before(oldest)?;
            }
        }
        Ok(())
    }
}
