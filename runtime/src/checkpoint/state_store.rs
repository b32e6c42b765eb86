//! The state store's files: `state/<operator>/<partition>/<batch>.snapshot`,
//! the whole state of one partition of one stateful operator after batch
//! `<batch>`; `<batch>.delta`, what batch `<batch>` changed in it (upserted
//! and removed keys, as Spark's HDFS-backed store writes `N.delta`); and
//! `state/<operator>/_metadata/schema`, what the operator is and the layout
//! of its state (checked at restart).
//!
//! A partition's state after batch N is a chain: a snapshot (or the
//! operator's initial state) and the deltas written after it, oldest first.
//! A batch writes a delta for each partition it changed, and snapshots of
//! an operator's partitions once one of them has gathered
//! `spark.sql.streaming.stateStore.minDeltasForSnapshot` deltas (Spark's
//! default 10), so a batch's cost follows the keys it changed and a restart
//! reads at most that many deltas. A partition that did not change writes
//! nothing; operators that record no changes write snapshots of the
//! partitions whose bytes changed. `state/_versions/<N>` lists the chain of
//! every partition after batch N; a restart loads exactly those files, and
//! a listed file that is missing is a damaged checkpoint naming it — never
//! a silent fall-back to older state (wrong answers). (A checkpoint written
//! before `_versions/` existed falls back to the newest snapshot not newer
//! than the last committed batch.) Every file is a header (magic, payload
//! length, payload checksum) and the payload; it is read back through
//! memmap2 and checked before the executor sees it.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use serde_json::json;
use sqlc_compiler::agg_table::hash;

use super::files::{numbered_files, parse_json_line, remove, write_atomic};
use crate::error::{Error, Result};
use crate::exec::{StateSchema, StateSnapshot, StoredState};

const MAGIC: &[u8; 8] = b"SQLCSNP1";
const DELTA_MAGIC: &[u8; 8] = b"SQLCDLT1";
const HEADER: usize = 24;
const SUFFIX: &str = ".snapshot";
const DELTA: &str = ".delta";

/// Spark's default `spark.sql.streaming.stateStore.minDeltasForSnapshot`.
pub const DEFAULT_MIN_DELTAS_FOR_SNAPSHOT: usize = 10;

/// The files one partition's state is in: a snapshot (`None`: the
/// operator's initial state) and the deltas after it, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Chain {
    snapshot: Option<u64>,
    deltas: Vec<u64>,
}

fn checksum(bytes: &[u8]) -> u64 {
    hash::finish(hash::combine_bytes(hash::SEED, bytes))
}

/// One partition's stored state mapped into memory, checked: its snapshot
/// and deltas.
pub struct MappedSnapshot {
    pub op: usize,
    pub partition: usize,
    snapshot: Option<Mmap>,
    deltas: Vec<Mmap>,
}

impl MappedSnapshot {
    /// The files' payloads, as the executor restores them.
    pub fn stored(&self) -> StoredState<'_> {
        StoredState {
            op: self.op,
            partition: self.partition,
            snapshot: self.snapshot.as_ref().map(|m| &m[HEADER..]),
            deltas: self.deltas.iter().map(|m| &m[HEADER..]).collect(),
        }
    }
}

pub struct StateStore {
    root: PathBuf,
    /// Per (operator, partition): the checksum of the snapshot its chain
    /// starts from, to skip writing a snapshot of an unchanged partition.
    last: HashMap<(usize, usize), u64>,
    /// Per (operator, partition): the files its state is in.
    chains: BTreeMap<(usize, usize), Chain>,
    /// The number of state partitions `state/_versions/<batch>` recorded, as
    /// loaded (a restart checks it against the offset log's setting).
    recorded_partitions: Option<usize>,
    /// How many deltas a partition gathers before its operator snapshots.
    min_deltas: usize,
}

const VERSIONS: &str = "_versions";

impl StateStore {
    pub fn new(root: PathBuf, min_deltas: usize) -> Self {
        StateStore {
            root,
            last: HashMap::new(),
            chains: BTreeMap::new(),
            recorded_partitions: None,
            min_deltas: min_deltas.max(1),
        }
    }

    /// Whether operator `op`'s next save should be snapshots: it would be
    /// the `minDeltasForSnapshot`-th delta of one of its partitions (so a
    /// chain holds fewer deltas than that; with 1, every batch snapshots).
    pub fn snapshot_due(&self, op: usize) -> bool {
        self.min_deltas <= 1
            || self
                .chains
                .range((op, 0)..=(op, usize::MAX))
                .any(|(_, c)| c.deltas.len() + 1 >= self.min_deltas)
    }

    fn file(&self, op: usize, partition: usize, version: u64, delta: bool) -> PathBuf {
        let suffix = if delta { DELTA } else { SUFFIX };
        self.partition_dir(op, partition)
            .join(format!("{version}{suffix}"))
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

    /// Writes batch `batch`'s deltas, its snapshots of the partitions whose
    /// bytes changed, and `state/_versions/<batch>`, all at once (each file
    /// is synced; overlapping the syncs is the gain). `_versions/<batch>`
    /// need not wait for the files it lists: a restart reads only the
    /// committed batch's, and `commits/<batch>` is written after `save`
    /// returns, when every file is durable.
    pub fn save(&mut self, batch: u64, parts: &[StateSnapshot], partitions: usize) -> Result<()> {
        let writes: Vec<(&StateSnapshot, u64)> = parts
            .iter()
            .map(|p| (p, checksum(&p.bytes)))
            .filter(|(p, sum)| p.delta || self.last.get(&(p.op, p.partition)) != Some(sum))
            .collect();
        // The chains after this batch, adopted once every file is written.
        let mut chains = self.chains.clone();
        for p in parts.iter().filter(|p| !p.delta) {
            // A snapshot, written or equal to the one the chain starts from.
            chains
                .entry((p.op, p.partition))
                .or_default()
                .deltas
                .clear();
        }
        for (p, _) in &writes {
            let chain = chains.entry((p.op, p.partition)).or_default();
            if p.delta {
                chain.deltas.push(batch);
            } else {
                *chain = Chain {
                    snapshot: Some(batch),
                    deltas: vec![],
                };
            }
        }
        let mut files: Vec<(PathBuf, Vec<u8>)> = writes
            .iter()
            .map(|(p, sum)| {
                let magic = if p.delta { DELTA_MAGIC } else { MAGIC };
                let mut file = Vec::with_capacity(HEADER + p.bytes.len());
                file.extend_from_slice(magic);
                file.extend_from_slice(&(p.bytes.len() as u64).to_le_bytes());
                file.extend_from_slice(&sum.to_le_bytes());
                file.extend_from_slice(&p.bytes);
                (self.file(p.op, p.partition, batch, p.delta), file)
            })
            .collect();
        // With no stateful operator there is nothing to list.
        if !(parts.is_empty() && chains.is_empty()) {
            files.push((
                self.versions_path(batch),
                versions_text(&chains, partitions),
            ));
        }
        write_all_atomic(&files)?;
        for (p, sum) in writes {
            if !p.delta {
                self.last.insert((p.op, p.partition), sum);
            }
        }
        self.chains = chains;
        Ok(())
    }

    fn versions_path(&self, batch: u64) -> PathBuf {
        self.root.join(VERSIONS).join(batch.to_string())
    }

    /// The snapshots `state/_versions/<batch>` says make up the state after
    /// `batch`: `None` for a checkpoint that never wrote the list.
    fn listed_versions(&mut self, batch: u64) -> Result<Option<BTreeMap<(usize, usize), Chain>>> {
        let path = self.versions_path(batch);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let dir = self.root.join(VERSIONS);
                // Only a checkpoint from before `_versions/` (snapshots
                // alone) may lack it; deltas are always listed there.
                if numbered_files(&dir, "")?.is_empty() && !self.has_deltas()? {
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
                "not {\"partitions\": n, \"snapshots\": [[operator, partition, snapshot, [delta, …]], …]}",
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
            let a = t.as_array().ok_or_else(bad)?;
            let num = |i: usize| a.get(i).and_then(|x| x.as_u64()).ok_or_else(bad);
            let (op, part) = (num(0)? as usize, num(1)? as usize);
            let chain = match a.len() {
                3 => Chain {
                    snapshot: Some(num(2)?),
                    deltas: vec![],
                },
                4 => Chain {
                    snapshot: if a[2].is_null() { None } else { Some(num(2)?) },
                    deltas: a[3]
                        .as_array()
                        .ok_or_else(bad)?
                        .iter()
                        .map(|d| d.as_u64().ok_or_else(bad))
                        .collect::<Result<_>>()?,
                },
                _ => return Err(bad()),
            };
            out.insert((op, part), chain);
        }
        Ok(Some(out))
    }

    /// Whether any partition has a delta file.
    fn has_deltas(&self) -> Result<bool> {
        for op in numbered_files(&self.root, "")? {
            let op_dir = self.root.join(op.to_string());
            for partition in numbered_files(&op_dir, "")? {
                if !numbered_files(&op_dir.join(partition.to_string()), DELTA)?.is_empty() {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The operators that have state in the checkpoint, with their schemas.
    /// Before any batch committed (`committed` false), an operator whose
    /// schema is missing is a first start killed while it wrote the schema
    /// (its directory made, the file not yet renamed into place): it is
    /// skipped, and written again. After a commit it is damage.
    pub fn stored_schemas(&self, committed: bool) -> Result<BTreeMap<usize, StateSchema>> {
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
            let text = match fs::read_to_string(&path) {
                Ok(t) => t,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound && !committed => continue,
                Err(err) => {
                    return Err(match err.kind() {
                        std::io::ErrorKind::NotFound => Error::damaged(&path, "missing"),
                        _ => Error::io(&path, err),
                    })
                }
            };
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

    /// Maps, per partition of each operator, the files its state after
    /// `batch` is in, and removes files newer than it (left by a batch that
    /// never committed).
    pub fn load(&mut self, ops: &[usize], batch: u64) -> Result<Vec<MappedSnapshot>> {
        let listed = self.listed_versions(batch)?;
        let missing = |path: PathBuf| {
            Error::damaged(
                path,
                format!("missing, though the state of committed batch {batch} is in it"),
            )
        };
        let mut out = Vec::new();
        for &op in ops {
            let op_dir = self.root.join(op.to_string());
            for partition in numbered_files(&op_dir, "")? {
                let partition = partition as usize;
                let dir = self.partition_dir(op, partition);
                let mut snapshots = numbered_files(&dir, SUFFIX)?;
                snapshots.sort_unstable();
                for (suffix, v) in [
                    (SUFFIX, snapshots.clone()),
                    (DELTA, numbered_files(&dir, DELTA)?),
                ]
                .into_iter()
                .flat_map(|(s, vs)| vs.into_iter().map(move |v| (s, v)))
                {
                    if v > batch {
                        remove(&dir.join(format!("{v}{suffix}")))?;
                    }
                }
                let chain = match &listed {
                    Some(l) => l.get(&(op, partition)).cloned(),
                    None => snapshots
                        .iter()
                        .rev()
                        .find(|&&v| v <= batch)
                        .map(|&v| Chain {
                            snapshot: Some(v),
                            deltas: vec![],
                        }),
                };
                let Some(chain) = chain else { continue };
                let mut snapshot = None;
                if let Some(v) = chain.snapshot {
                    let path = self.file(op, partition, v, false);
                    if !path.exists() {
                        return Err(missing(path));
                    }
                    let (map, sum) = map_checked(&path, MAGIC)?;
                    self.last.insert((op, partition), sum);
                    snapshot = Some(map);
                }
                let mut deltas = Vec::new();
                for &d in &chain.deltas {
                    let path = self.file(op, partition, d, true);
                    if !path.exists() {
                        return Err(missing(path));
                    }
                    deltas.push(map_checked(&path, DELTA_MAGIC)?.0);
                }
                self.chains.insert((op, partition), chain);
                out.push(MappedSnapshot {
                    op,
                    partition,
                    snapshot,
                    deltas,
                });
            }
        }
        // A partition listed whose directory is gone altogether.
        for (&(op, partition), c) in listed.iter().flatten() {
            if ops.contains(&op) && !out.iter().any(|m| (m.op, m.partition) == (op, partition)) {
                let path = match c.snapshot {
                    Some(v) => self.file(op, partition, v, false),
                    None => self.file(op, partition, c.deltas.first().copied().unwrap_or(0), true),
                };
                return Err(missing(path));
            }
        }
        Ok(out)
    }

    /// The number of state partitions the loaded state was written with, if
    /// the checkpoint recorded it.
    pub fn recorded_partitions(&self) -> Option<usize> {
        self.recorded_partitions
    }

    /// Removes what no state from batch `batch` on needs: per partition,
    /// the files older than the snapshot its state after `batch` starts
    /// from (the newest snapshot not newer than `batch`).
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
                let snapshots = numbered_files(&dir, SUFFIX)?;
                let Some(base) = snapshots.iter().copied().filter(|&v| v <= batch).max() else {
                    continue;
                };
                for (suffix, vs) in [(SUFFIX, snapshots), (DELTA, numbered_files(&dir, DELTA)?)] {
                    for v in vs.into_iter().filter(|&v| v < base) {
                        remove(&dir.join(format!("{v}{suffix}")))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// `state/_versions/<batch>`'s text: `[op, partition, snapshot]`, or with
/// deltas (or no snapshot) `[op, partition, snapshot or null, [delta, …]]`.
fn versions_text(chains: &BTreeMap<(usize, usize), Chain>, partitions: usize) -> Vec<u8> {
    let listed: Vec<serde_json::Value> = chains
        .iter()
        .map(|(&(op, part), c)| match (c.snapshot, c.deltas.is_empty()) {
            (Some(v), true) => json!([op, part, v]),
            (v, _) => json!([op, part, v, c.deltas]),
        })
        .collect();
    let v = json!({"partitions": partitions, "snapshots": listed});
    format!("{v}\n").into_bytes()
}

/// Writes each file atomically, on up to 16 threads at once: syncs block
/// without using a core, and the file system commits concurrent syncs
/// together.
fn write_all_atomic(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let threads = files.len().clamp(1, 16);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let mine: Vec<_> = files.iter().skip(t).step_by(threads).collect();
                scope.spawn(move || {
                    mine.into_iter()
                        .try_for_each(|(path, bytes)| write_atomic(path, bytes))
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(Error::internal("a state file writer panicked")))
        })
    })
}

/// Maps a snapshot or delta file and checks its header and checksum.
fn map_checked(path: &Path, magic: &[u8; 8]) -> Result<(Mmap, u64)> {
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
    if &map[..8] != magic {
        let what = if magic == MAGIC { "snapshot" } else { "delta" };
        return Err(Error::damaged(path, format!("not a state {what}")));
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
    Ok((map, sum))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A first start killed while it wrote an operator's schema leaves the
    /// operator's directory without it: harmless before any commit (the
    /// start writes it again), damage after one.
    #[test]
    fn a_schema_missing_before_the_first_commit_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path().to_path_buf(), 10);
        fs::create_dir_all(dir.path().join("0").join("_metadata")).unwrap();
        assert!(store.stored_schemas(false).unwrap().is_empty());
        let err = store.stored_schemas(true).unwrap_err();
        assert!(err.to_string().contains("missing"), "{err}");
        let schema = StateSchema {
            op: 0,
            operator: "join".into(),
            schema: "k".into(),
        };
        store.write_schemas(std::slice::from_ref(&schema)).unwrap();
        assert_eq!(store.stored_schemas(true).unwrap().len(), 1);
    }
}
