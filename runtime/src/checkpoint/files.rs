//! Writing checkpoint files so that a crash never leaves half a file in
//! place (temporary name, fsync, rename, fsync of the directory), and
//! numbered logs of such files (Spark's `HDFSMetadataLog`: one file per
//! batch, named by the batch id, starting with a version line).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// The first line of every log file, as Spark writes it.
pub const VERSION_LINE: &str = "v1";

static TMP_SEQ: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically: a hidden temporary file in the same
/// directory, synced, then renamed over `path`, and the directory synced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = stage(path, bytes)?;
    publish(&tmp, path)
}

/// Writes `files` (paths and bytes) atomically, each in place (renamed and
/// its directory synced) before the next is renamed, as [`write_atomic`]s
/// in turn would; but their data is synced all at once, which saves a
/// round of syncs per file after the first.
pub fn write_atomic_in_order(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    // Syncs block without using a core, and the file system commits
    // concurrent ones together.
    let staged: Vec<Result<PathBuf>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .iter()
            .map(|(path, bytes)| scope.spawn(move || stage(path, bytes)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::internal("a checkpoint writer panicked")))
            })
            .collect()
    });
    let mut tmps = Vec::new();
    let mut failed = None;
    for s in staged {
        match s {
            Ok(tmp) => tmps.push(tmp),
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    let discard = |tmps: &[PathBuf]| {
        for tmp in tmps {
            let _ = fs::remove_file(tmp);
        }
    };
    if let Some(e) = failed {
        discard(&tmps);
        return Err(e);
    }
    for (i, ((path, _), tmp)) in files.iter().zip(&tmps).enumerate() {
        if let Err(e) = publish(tmp, path) {
            discard(&tmps[i + 1..]);
            return Err(e);
        }
    }
    Ok(())
}

/// Writes `bytes` to a hidden temporary file beside `path` and syncs its
/// data; returns the temporary file's path.
fn stage(path: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        TMP_SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let write = || -> std::io::Result<()> {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_data()
    };
    if let Err(e) = write() {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(&tmp, e));
    }
    Ok(tmp)
}

/// Renames the staged `tmp` over `path` and makes the rename durable.
fn publish(tmp: &Path, path: &Path) -> Result<()> {
    if let Err(e) = fs::rename(tmp, path) {
        let _ = fs::remove_file(tmp);
        return Err(Error::io(path, e));
    }
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// Makes a rename or removal in `dir` durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    // Directories cannot be opened for syncing on every platform; where they
    // can, a failure to sync is an error.
    match File::open(dir) {
        Ok(d) => d.sync_all().or_else(|e| match e.kind() {
            std::io::ErrorKind::InvalidInput | std::io::ErrorKind::PermissionDenied => Ok(()),
            _ => Err(Error::io(dir, e)),
        }),
        Err(_) => Ok(()),
    }
}

/// Removes a file that may already be gone.
pub fn remove(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(path, e)),
        _ => Ok(()),
    }
}

/// The text of a log file: the version line, then one line each.
pub fn log_text<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> String {
    let mut out = String::from(VERSION_LINE);
    for l in lines {
        out.push('\n');
        out.push_str(l.as_ref());
    }
    out
}

/// Reads a log file's lines after its version line. A file that is not
/// UTF-8, lacks the version line or is empty is damaged.
pub fn read_log_lines(path: &Path) -> Result<Vec<String>> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::damaged(path, "not UTF-8 text"))?;
    let mut lines = text.split('\n');
    match lines.next() {
        Some(VERSION_LINE) => Ok(lines.map(str::to_string).collect()),
        Some(v) if v.starts_with('v') && v[1..].parse::<u32>().is_ok() => Err(Error::damaged(
            path,
            format!("log version {v} is not supported (sqlc writes {VERSION_LINE})"),
        )),
        _ => Err(Error::damaged(
            path,
            format!("does not start with '{VERSION_LINE}'"),
        )),
    }
}

/// Parses one JSON line of a log file.
pub fn parse_json_line(path: &Path, line: &str) -> Result<serde_json::Value> {
    serde_json::from_str(line)
        .map_err(|e| Error::damaged(path, format!("bad JSON line '{}': {e}", truncate(line))))
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(60) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A directory of files named by batch id (`offsets/`, `commits/`).
#[derive(Clone, Debug)]
pub struct BatchLog {
    dir: PathBuf,
}

impl BatchLog {
    pub fn new(dir: PathBuf) -> Self {
        BatchLog { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self, id: u64) -> PathBuf {
        self.dir.join(id.to_string())
    }

    /// Writes batch `id`'s lines (after the version line), atomically.
    pub fn write<S: AsRef<str>>(&self, id: u64, lines: impl IntoIterator<Item = S>) -> Result<()> {
        let (path, bytes) = self.file(id, lines);
        write_atomic(&path, &bytes)
    }

    /// The file [`Self::write`] writes: its path and bytes.
    pub fn file<S: AsRef<str>>(
        &self,
        id: u64,
        lines: impl IntoIterator<Item = S>,
    ) -> (PathBuf, Vec<u8>) {
        (self.path(id), log_text(lines).into_bytes())
    }

    /// The batch ids present, ascending.
    pub fn ids(&self) -> Result<Vec<u64>> {
        let mut ids = numbered_files(&self.dir, "")?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Removes the files of batches before `id`.
    pub fn purge_before(&self, id: u64) -> Result<()> {
        for old in self.ids()?.into_iter().take_while(|&i| i < id) {
            remove(&self.path(old))?;
        }
        Ok(())
    }
}

/// The numbers `N` of the files `N{suffix}` in `dir` (none if it is missing).
pub fn numbered_files(dir: &Path, suffix: &str) -> Result<Vec<u64>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(vec![]),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| Error::io(dir, e))?;
        let name = e.file_name();
        let Some(name) = name.to_str() else { continue };
        if let Some(n) = name
            .strip_suffix(suffix)
            .and_then(|n| n.parse::<u64>().ok())
        {
            if suffix.is_empty() || name.ends_with(suffix) {
                out.push(n);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_written_in_order_all_or_none_when_one_cannot_be_staged() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("sources/0/7"), dir.path().join("offsets/7"));
        write_atomic_in_order(&[
            (a.clone(), b"v1\na".to_vec()),
            (b.clone(), b"v1\nb".to_vec()),
        ])
        .unwrap();
        assert_eq!(fs::read(&a).unwrap(), b"v1\na");
        assert_eq!(fs::read(&b).unwrap(), b"v1\nb");
        // A file where the second's directory should be: neither is
        // written, and no temporary file stays.
        fs::write(dir.path().join("blocked"), "").unwrap();
        let c = dir.path().join("sources/0/8");
        let e = write_atomic_in_order(&[
            (c.clone(), b"v1\nc".to_vec()),
            (dir.path().join("blocked/8"), b"v1\nd".to_vec()),
        ]);
        assert!(e.is_err());
        assert!(!c.exists());
        assert_eq!(fs::read_dir(a.parent().unwrap()).unwrap().count(), 1);
    }

    #[test]
    fn atomic_write_and_log_lines() {
        let dir = tempfile::tempdir().unwrap();
        let log = BatchLog::new(dir.path().join("offsets"));
        log.write(0, ["{\"a\":1}"]).unwrap();
        log.write(3, ["{\"a\":2}", "x"]).unwrap();
        assert_eq!(log.ids().unwrap(), vec![0, 3]);
        assert_eq!(
            read_log_lines(&log.path(3)).unwrap(),
            vec!["{\"a\":2}", "x"]
        );
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(log.dir())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2);
        log.purge_before(3).unwrap();
        assert_eq!(log.ids().unwrap(), vec![3]);
        fs::write(log.path(4), "garbage").unwrap();
        let e = read_log_lines(&log.path(4)).unwrap_err().to_string();
        assert!(e.contains("offsets/4") && e.contains("damaged"), "{e}");
    }
}
