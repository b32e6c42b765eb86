//! The state store's files: `state/<operator>/<partition>/<batch>.snapshot`,
//! the bytes of one partition of one stateful operator after batch
//! `<batch>`, and `state/<operator>/_metadata/schema`, what the operator is
//! and the layout of its state (checked at restart).
//!
//! A partition's snapshot is written only when its bytes changed since the
//! last one written, so the state after batch N is, per partition, some
//! older snapshot: `state/_versions/<N>` lists which (operator, partition,
//! version) triples make it up. A restart loads exactly those, and a
//! listed snapshot that is missing is a damaged checkpoint naming the file
//! — never a silent fall-back to an older snapshot (wrong answers).
//! (A checkpoint written before `_versions/` existed falls back to the
//! newest snapshot not newer than the last committed batch.) A snapshot file is a header
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
    /// Per (operator, partition): the batch whose snapshot holds its state.
    versions: BTreeMap<(usize, usize), u64>,
    /// The number of state partitions `state/_versions/<batch>` recorded, as
    /// loaded (a restart checks it against the offset log's setting).
    recorded_partitions: Option<usize>,
}

const VERSIONS: &str = "_versions";

impl StateStore {
    pub fn new(root: PathBuf) -> Self {
        StateStore {
            root,
            last: HashMap::new(),
            versions: BTreeMap::new(),
            recorded_partitions: None,
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
    pub fn save(&mut self, batch: u64, parts: &[StateSnapshot], partitions: usize) -> Result<()> {
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
            self.versions.insert((p.op, p.partition), batch);
        }
        if parts.is_empty() && self.versions.is_empty() {
            return Ok(()); // no stateful operator
        }
        let listed: Vec<[u64; 3]> = self
            .versions
            .iter()
            .map(|(&(op, part), &v)| [op as u64, part as u64, v])
            .collect();
        let v = json!({"partitions": partitions, "snapshots": listed});
        write_atomic(&self.versions_path(batch), format!("{v}\n").as_bytes())
    }

    fn versions_path(&self, batch: u64) -> PathBuf {
        self.root.join(VERSIONS).join(batch.to_string())
    }

    /// The snapshots `state/_versions/<batch>` says make up the state after
    /// `batch`: `None` for a checkpoint that never wrote the list.
    fn listed_versions(&mut self, batch: u64) -> Result<Option<BTreeMap<(usize, usize), u64>>> {
        let path = self.versions_path(batch);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let dir = self.root.join(VERSIONS);
                if numbered_files(&dir, "")?.is_empty() {
                    return Ok(None);
                }
                return Err(Error::damaged(
                    &path,
                    format!("missing, though batch {batch} is committed"),
                ));
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        let v = parse_json_line(&path, text.trim())?;
        let bad = || {
            Error::damaged(
                &path,
                "not {\"partitions\": n, \"snapshots\": [[operator, partition, version], …]}",
            )
        };
        self.recorded_partitions = Some(
            v.get("partitions")
                .and_then(|p| p.as_u64())
                .ok_or_else(bad)? as usize,
        );
        let mut out = BTreeMap::new();
        let snapshots = v.get("snapshots").and_then(|s| s.as_array());
        for t in snapshots.ok_or_else(bad)? {
            match t
                .as_array()
                .map(|a| a.iter().map(|x| x.as_u64()).collect::<Vec<_>>())
            {
                Some(a) if a.len() == 3 && a.iter().all(Option::is_some) => {
                    let [op, part, ver] = [a[0], a[1], a[2]].map(Option::unwrap);
                    out.insert((op as usize, part as usize), ver);
                }
                _ => return Err(bad()),
            }
        }
        Ok(Some(out))
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
        let listed = self.listed_versions(batch)?;
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
                let v = match &listed {
                    Some(l) => l.get(&(op, partition as usize)).copied(),
                    None => versions.iter().rev().find(|&&v| v <= batch).copied(),
                };
                let Some(v) = v else { continue };
                let path = dir.join(format!("{v}{SUFFIX}"));
                if !path.exists() {
                    return Err(Error::damaged(
                        &path,
                        format!("missing, though the state of committed batch {batch} is in it"),
                    ));
                }
                let (map, sum) = map_checked(&path)?;
                self.last.insert((op, partition as usize), sum);
                self.versions.insert((op, partition as usize), v);
                out.push(MappedSnapshot {
                    op,
                    partition: partition as usize,
                    map,
                });
            }
        }
        // A partition listed whose directory is gone altogether.
        for (&(op, partition), &v) in listed.iter().flatten() {
            if ops.contains(&op) && !out.iter().any(|m| (m.op, m.partition) == (op, partition)) {
                return Err(Error::damaged(
                    self.partition_dir(op, partition)
                        .join(format!("{v}{SUFFIX}")),
                    format!("missing, though the state of committed batch {batch} is in it"),
                ));
            }
        }
        Ok(out)
    }

    /// The number of state partitions the loaded state was written with, if
    /// the checkpoint recorded it.
    pub fn recorded_partitions(&self) -> Option<usize> {
        self.recorded_partitions
    }

    /// Removes snapshots older than `batch`, keeping for each partition the
    /// newest one not newer than `batch` (still needed to restore it).
    pub fn purge_before(&self, batch: u64) -> Result<()> {
        let versions = self.root.join(VERSIONS);
        for v in numbered_files(&versions, "")? {
            if v < batch {
                remove(&versions.join(v.to_string()))?;
            }
        }
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
