//! A log of entries that compacts itself (Spark's
//! `CompactibleFileStreamLog`): batch N's entries go to file `N`, except
//! every `interval`-th batch (`(N + 1) % interval == 0`), which writes
//! `N.compact` holding every entry so far. Readers take the newest compact
//! file and the batch files after it, so the log does not grow a file per
//! batch forever. Used by the file sink's `_spark_metadata/` manifest and
//! by the file source's log of taken files (`sources/i/`).

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::files::{
    log_text, numbered_files, parse_json_line, read_log_lines, remove, write_atomic,
};
use crate::error::{Error, Result};

/// Spark's default `spark.sql.streaming.fileSink.log.compactInterval` and
/// `fileSource.log.compactInterval`.
pub const DEFAULT_COMPACT_INTERVAL: u64 = 10;

const COMPACT: &str = ".compact";

#[derive(Clone, Debug)]
pub struct CompactLog {
    dir: PathBuf,
    interval: u64,
}

impl CompactLog {
    pub fn new(dir: PathBuf, interval: u64) -> Self {
        CompactLog {
            dir,
            interval: interval.max(1),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn is_compaction(&self, id: u64) -> bool {
        (id + 1).is_multiple_of(self.interval)
    }

    fn path(&self, id: u64, compact: bool) -> PathBuf {
        self.dir.join(if compact {
            format!("{id}{COMPACT}")
        } else {
            id.to_string()
        })
    }

    /// The newest batch id in the log.
    pub fn latest_id(&self) -> Result<Option<u64>> {
        let plain = numbered_files(&self.dir, "")?.into_iter().max();
        let compact = numbered_files(&self.dir, COMPACT)?.into_iter().max();
        Ok(plain.max(compact))
    }

    /// Records batch `id`'s entries (replacing them if `id` was written
    /// before), compacting on compaction batches.
    pub fn add(&self, id: u64, entries: &[Value]) -> Result<()> {
        if let Some((path, bytes)) = self.plain_file(id, entries) {
            return write_atomic(&path, &bytes);
        }
        let mut all: Vec<Value> = self
            .entries_before(id)?
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        all.extend(entries.iter().cloned());
        let n = all.len();
        let all: Vec<String> = all.iter().map(|v| sealed(v, n).to_string()).collect();
        write_atomic(&self.path(id, true), log_text(&all).as_bytes())?;
        self.purge_before_previous_compaction(id)
    }

    /// The file [`Self::add`] writes for batch `id`, its path and bytes,
    /// where that is all it does (`id` is not a compaction batch).
    pub fn plain_file(&self, id: u64, entries: &[Value]) -> Option<(PathBuf, Vec<u8>)> {
        if self.is_compaction(id) {
            return None;
        }
        let n = entries.len();
        let lines = entries.iter().map(|v| sealed(v, n).to_string());
        Some((self.path(id, false), log_text(lines).into_bytes()))
    }

    /// Checks that the log holds every batch up to `last`, as a log written
    /// once per batch must (the file sink's manifest, a file source's log
    /// of taken files): the newest compaction at or before `last`, then a
    /// file per batch after it. A missing file is a damaged checkpoint
    /// naming it — never entries silently lost (files read twice, output
    /// rows forgotten).
    pub fn check_complete(&self, last: u64) -> Result<()> {
        let missing = |path: PathBuf| {
            Err(Error::damaged(
                path,
                format!("missing, though batch {last} of this log is committed"),
            ))
        };
        let compaction = (last + 1) / self.interval * self.interval;
        let from = match compaction.checked_sub(1) {
            Some(c) => {
                if !self.path(c, true).exists() {
                    return missing(self.path(c, true));
                }
                c + 1
            }
            None => 0,
        };
        let plain: std::collections::HashSet<u64> =
            numbered_files(&self.dir, "")?.into_iter().collect();
        match (from..=last).find(|id| !plain.contains(id)) {
            Some(id) => missing(self.path(id, false)),
            None => Ok(()),
        }
    }

    /// Every entry with the batch id that recorded it (a compact file's
    /// entries carry the compact file's id), oldest first.
    pub fn entries(&self) -> Result<Vec<(u64, Value)>> {
        self.entries_before(u64::MAX)
    }

    fn entries_before(&self, end: u64) -> Result<Vec<(u64, Value)>> {
        let compact = numbered_files(&self.dir, COMPACT)?
            .into_iter()
            .filter(|&c| c < end)
            .max();
        let mut out = Vec::new();
        if let Some(c) = compact {
            out.extend(self.read(&self.path(c, true))?.into_iter().map(|v| (c, v)));
        }
        let mut ids: Vec<u64> = numbered_files(&self.dir, "")?
            .into_iter()
            .filter(|&i| compact.is_none_or(|c| i > c) && i < end)
            .collect();
        ids.sort_unstable();
        for id in ids {
            out.extend(
                self.read(&self.path(id, false))?
                    .into_iter()
                    .map(|v| (id, v)),
            );
        }
        Ok(out)
    }

    fn read(&self, path: &Path) -> Result<Vec<Value>> {
        let lines = read_log_lines(path)?;
        let lines: Vec<&String> = lines.iter().filter(|l| !l.is_empty()).collect();
        lines
            .iter()
            .map(|l| unsealed(path, parse_json_line(path, l)?, lines.len()))
            .collect()
    }

    /// The file holding batch `id`'s entries: the newest compaction at or
    /// after it that exists, else its own file.
    pub fn file_holding(&self, id: u64) -> Result<PathBuf> {
        let compact = numbered_files(&self.dir, COMPACT)?
            .into_iter()
            .filter(|&c| c >= id)
            .min();
        Ok(match compact {
            Some(c) => self.path(c, true),
            None => self.path(id, false),
        })
    }

    /// Removes the files a compaction at `id` made redundant, keeping one
    /// interval of slack for readers that listed the log just before.
    fn purge_before_previous_compaction(&self, id: u64) -> Result<()> {
        let Some(previous) = id.checked_sub(self.interval) else {
            return Ok(());
        };
        for c in numbered_files(&self.dir, COMPACT)? {
            if c < previous {
                remove(&self.path(c, true))?;
            }
        }
        for i in numbered_files(&self.dir, "")? {
            if i < previous {
                remove(&self.path(i, false))?;
            }
        }
        Ok(())
    }
}

/// The fields holding an entry's checksum and the number of entries its
/// file holds (a file cut short at a line end loses entries silently
/// otherwise). Spark's readers ignore fields they do not know, so the log
/// stays Spark's; entries without them (written by Spark) are read as they
/// are.
const CHECKSUM: &str = "sqlcChecksum";
const ENTRIES: &str = "sqlcEntries";

fn checksum(v: &Value) -> u64 {
    use sqlc_compiler::agg_table::hash;
    hash::finish(hash::combine_bytes(hash::SEED, v.to_string().as_bytes()))
}

/// `v` (a JSON object) with the checksum of its other fields: a byte flipped
/// in a path or a batch id is a damaged log, not a file read twice.
fn sealed(v: &Value, entries: usize) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove(CHECKSUM);
        o.insert(ENTRIES.into(), Value::from(entries));
        let sum = checksum(&Value::Object(o.clone()));
        o.insert(CHECKSUM.into(), Value::from(sum.to_string()));
    }
    v
}

/// An entry read back from a file of `entries` entries, its checksum and
/// count checked and removed.
fn unsealed(path: &Path, mut v: Value, entries: usize) -> Result<Value> {
    if let Some(o) = v.as_object_mut() {
        if let Some(sum) = o.remove(CHECKSUM) {
            if sum.as_str() != Some(&checksum(&Value::Object(o.clone())).to_string()) {
                return Err(Error::damaged(path, "an entry fails its checksum"));
            }
            let written = o.remove(ENTRIES).and_then(|n| n.as_u64());
            if written != Some(entries as u64) {
                return Err(Error::damaged(
                    path,
                    format!("holds {entries} entries of the {written:?} written (cut short?)"),
                ));
            }
        }
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn compacts_every_interval_and_keeps_all_entries() {
        let dir = tempfile::tempdir().unwrap();
        let log = CompactLog::new(dir.path().join("_spark_metadata"), 3);
        for id in 0..10u64 {
            log.add(
                id,
                &[
                    json!({"path": format!("f{id}a")}),
                    json!({"path": format!("f{id}b")}),
                ],
            )
            .unwrap();
        }
        assert_eq!(log.latest_id().unwrap(), Some(9));
        let all: Vec<String> = log
            .entries()
            .unwrap()
            .into_iter()
            .map(|(_, v)| v["path"].as_str().unwrap().to_string())
            .collect();
        let want: Vec<String> = (0..10)
            .flat_map(|i| [format!("f{i}a"), format!("f{i}b")])
            .collect();
        assert_eq!(all, want);
        // 2, 5, 8 are compactions; files before 5 are gone.
        let mut names: Vec<String> = std::fs::read_dir(log.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["5.compact", "6", "7", "8.compact", "9"]);
        // Rewriting a batch replaces its entries.
        log.add(9, &[json!({"path": "g"})]).unwrap();
        assert_eq!(log.entries().unwrap().len(), 19);
    }
}
