//! The file sink's manifest, `_spark_metadata/` in its output directory
//! (Spark's `FileStreamSinkLog`): batch N's file lists the files batch N
//! wrote, one JSON object per file, and is written only once the files are
//! complete, so readers that honour it never see a partial file. It
//! compacts every 10 batches (Spark's
//! `spark.sql.streaming.fileSink.log.compactInterval`).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use super::listing::FileStatus;
use crate::checkpoint::{CompactLog, DEFAULT_COMPACT_INTERVAL};
use crate::error::{Error, Result};

pub const METADATA_DIR: &str = "_spark_metadata";

/// Spark's default block size, recorded as Spark records it.
const BLOCK_SIZE: u64 = 32 << 20;

/// The manifest of the sink writing to `dir`.
pub fn manifest_log(dir: &Path) -> CompactLog {
    CompactLog::new(dir.join(METADATA_DIR), DEFAULT_COMPACT_INTERVAL)
}

/// A manifest entry for a file just written (`{"path":"file:///…",
/// "size":…,"isDir":false,"modificationTime":…,"blockReplication":1,
/// "blockSize":…,"action":"add"}`).
pub fn entry(f: &FileStatus) -> Value {
    json!({
        "path": format!("file://{}", f.path.display()),
        "size": f.size,
        "isDir": false,
        "modificationTime": f.modified_ms,
        "blockReplication": 1,
        "blockSize": BLOCK_SIZE,
        "action": "add",
    })
}

/// The files the manifest under `dir` lists, sorted by path, if `dir` has
/// one (`None` otherwise). Entries deleted by a later `"delete"` action are
/// left out.
pub fn committed_files(dir: &Path) -> Result<Option<Vec<FileStatus>>> {
    let log = manifest_log(dir);
    if !log.dir().is_dir() {
        return Ok(None);
    }
    let mut files: Vec<FileStatus> = Vec::new();
    let mut deleted = std::collections::HashSet::new();
    for (_, v) in log.entries()? {
        let bad = || Error::damaged(log.dir(), format!("not a manifest entry: {v}"));
        let path = v.get("path").and_then(Value::as_str).ok_or_else(bad)?;
        let path = PathBuf::from(path.strip_prefix("file://").unwrap_or(path));
        if v.get("action").and_then(Value::as_str) == Some("delete") {
            deleted.insert(path);
            continue;
        }
        files.push(FileStatus {
            path,
            size: v.get("size").and_then(Value::as_u64).ok_or_else(bad)?,
            modified_ms: v
                .get("modificationTime")
                .and_then(Value::as_i64)
                .unwrap_or(0),
        });
    }
    files.retain(|f| !deleted.contains(&f.path));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    Ok(Some(files))
}
