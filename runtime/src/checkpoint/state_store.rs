//! The state store's files: `state/<operator>/<partition>/<batch>.snapshot`,
//! the bytes of one partition of one stateful operator after batch
//! `<batch>`, and `state/<operator>/_metadata/schema`, what the operator is
//! and the layout of its state (checked at restart).
//!
//! A partition's snapshot is written only when its bytes changed since the
//! last one written, so a restart reads, per partition, the newest snapshot
//! not newer than the last committed batch. A snapshot file is a header
//! (magic, payload length, payload checksum) and the payload; it is read
//! back through memmap2 and checked before the executor sees it.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde_json::json;
use sqlc_compiler::agg_table::hash;

use super::files::{numbered_files, parse_json_line, remove, write_atomic};
use crate::error::{Error, Result};
use crate::exec::{StateSchema, StateSnapshot};

const MAGIC: &[u8; 8] = b"SQLCSNP1";
const HEADER: usize = 24;
const SUFFIX: &str = ".snapshot";

fn checksum(bytes: &[u8]) -> u64 {
    hash::finish(hash::combine_bytes(hash::SEED, bytes))
}

/// A snapshot file mapped into memory, checked.
pub struct MappedSnapshot {
    pub op: usize,
    pub partition: usize,
    map: Option<Mmap>,
}

impl MappedSnapshot {
    pub fn payload(&self) -> &[u8] {
        self.map.as_ref().map_or(&[], |m| &m[HEADER..])
    }
}

pub struct StateStore {
    root: PathBuf,
    /// Per (operator, partition): the checksum of the last snapshot written
    /// or loaded, to skip writing unchanged partitions.
    last: HashMap<(usize, usize), u64>,
}

impl StateStore {
    pub fn new(root: PathBuf) -> Self {
        StateStore {
            root,
            last: HashMap::new(),
        }
    }

    fn partition_dir(&self, op: usize, partition: usize) -> PathBuf {
        self.root.join(op.to_string()).join(partition.to_string())
    }

    fn schema_path(&self, op: usize) -> PathBuf {
        self.root
            .join(op.to_string())
            .join("_metadata")
            .join("schema")
    }

    /// Writes batch `batch`'s snapshots of the partitions that changed, in
    /// parallel (each file is synced; overlapping the syncs is the gain).
    pub fn save(&mut self, batch: u64, parts: &[StateSnapshot]) -> Result<()> {
        let changed: Vec<(&StateSnapshot, u64)> = parts
            .iter()
            .map(|p| (p, checksum(&p.bytes)))
            .filter(|(p, sum)| self.last.get(&(p.op, p.partition)) != Some(sum))
            .collect();
        // Syncs block without using a core: up to 16 threads write at once.
        let threads = changed.len().clamp(1, 16);
        let write = |(p, sum): &(&StateSnapshot, u64)| -> Result<()> {
            let mut file = Vec::with_capacity(HEADER + p.bytes.len());
            file.extend_from_slice(MAGIC);
            file.extend_from_slice(&(p.bytes.len() as u64).to_le_bytes());
            file.extend_from_slice(&sum.to_le_bytes());
            file.extend_from_slice(&p.bytes);
            let path = self
                .partition_dir(p.op, p.partition)
                .join(format!("{batch}{SUFFIX}"));
            write_atomic(&path, &file)
        };
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let mine: Vec<_> = changed.iter().skip(t).step_by(threads).collect();
                    scope.spawn(move || mine.into_iter().try_for_each(write))
                })
                .collect();
            handles.into_iter().try_for_each(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::internal("a state snapshot writer panicked")))
            })
        })?;
        for (p, sum) in changed {
            self.last.insert((p.op, p.partition), sum);
        }
        Ok(())
    }

    /// The operators that have state in the checkpoint, with their schemas.
    pub fn stored_schemas(&self) -> Result<BTreeMap<usize, StateSchema>> {
        let mut out = BTreeMap::new();
        let entries = match fs::read_dir(&self.root) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(Error::io(&self.root, e)),
        };
        for e in entries {
            let e = e.map_err(|e| Error::io(&self.root, e))?;
            let Some(op) = e.file_name().to_str().and_then(|n| n.parse::<usize>().ok()) else {
                continue;
            };
            let path = self.schema_path(op);
            let text = fs::read_to_string(&path).map_err(|err| match err.kind() {
                std::io::ErrorKind::NotFound => Error::damaged(&path, "missing"),
                _ => Error::io(&path, err),
            })?;
            let v = parse_json_line(&path, text.trim())?;
            let field = |k: &str| {
                v.get(k)
                    .and_then(|x| x.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| Error::damaged(&path, format!("no '{k}'")))
            };
            out.insert(
                op,
                StateSchema {
                    op,
                    operator: field("operator")?,
                    schema: field("schema")?,
                },
            );
        }
        Ok(out)
    }

    /// Records the schema of each operator that has none recorded yet.
    pub fn write_schemas(&self, schemas: &[StateSchema]) -> Result<()> {
        for s in schemas {
            let path = self.schema_path(s.op);
            if !path.exists() {
                let v = json!({"operator": s.operator, "schema": s.schema});
                write_atomic(&path, format!("{v}\n").as_bytes())?;
            }
        }
        Ok(())
    }

    /// Maps, per partition of each operator, the newest snapshot not newer
    /// than `batch`, and removes snapshots newer than it (left by a batch
    /// that never committed).
    pub fn load(&mut self, ops: &[usize], batch: u64) -> Result<Vec<MappedSnapshot>> {
        let mut out = Vec::new();
        for &op in ops {
            let op_dir = self.root.join(op.to_string());
            for partition in numbered_files(&op_dir, "")? {
                let dir = self.partition_dir(op, partition as usize);
                let mut versions = numbered_files(&dir, SUFFIX)?;
                versions.sort_unstable();
                for &v in versions.iter().filter(|&&v| v > batch) {
                    remove(&dir.join(format!("{v}{SUFFIX}")))?;
                }
                let Some(&v) = versions.iter().rev().find(|&&v| v <= batch) else {
                    continue;
                };
                let path = dir.join(format!("{v}{SUFFIX}"));
                let (map, sum) = map_checked(&path)?;
                self.last.insert((op, partition as usize), sum);
                out.push(MappedSnapshot {
                    op,
                    partition: partition as usize,
                    map,
                });
            }
        }
        Ok(out)
    }

    /// Removes snapshots older than `batch`, keeping for each partition the
    /// newest one not newer than `batch` (still needed to restore it).
    pub fn purge_before(&self, batch: u64) -> Result<()> {
        for op in numbered_files(&self.root, "")? {
            let op_dir = self.root.join(op.to_string());
            for partition in numbered_files(&op_dir, "")? {
                let dir = op_dir.join(partition.to_string());
                let versions = numbered_files(&dir, SUFFIX)?;
                let keep = versions.iter().copied().filter(|&v| v <= batch).max();
                for v in versions {
                    if v < batch && Some(v) != keep {
                        remove(&dir.join(format!("{v}{SUFFIX}")))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Maps a snapshot file and checks its header and checksum.
fn map_checked(path: &Path) -> Result<(Option<Mmap>, u64)> {
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = f.metadata().map_err(|e| Error::io(path, e))?.len() as usize;
    if len < HEADER {
        return Err(Error::damaged(
            path,
            format!("{len} bytes, shorter than the header"),
        ));
    }
    // SAFETY: checkpoint files are written once under a temporary name and
    // renamed into place, never modified afterwards; the mapping is read
    // only and dropped once the state is rebuilt from it.
    let map = unsafe { Mmap::map(&f) }.map_err(|e| Error::io(path, e))?;
    if &map[..8] != MAGIC {
        return Err(Error::damaged(path, "not a state snapshot"));
    }
    let n = u64::from_le_bytes(map[8..16].try_into().expect("8 bytes"));
    let sum = u64::from_le_bytes(map[16..24].try_into().expect("8 bytes"));
    if n != (len - HEADER) as u64 {
        return Err(Error::damaged(
            path,
            format!("holds {} bytes of state, its header says {n}", len - HEADER),
        ));
    }
    if checksum(&map[HEADER..]) != sum {
        return Err(Error::damaged(path, "checksum mismatch"));
    }
    Ok((Some(map), sum))
}
