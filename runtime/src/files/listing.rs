//! Finding data files: listing a path as Hadoop's `InMemoryFileIndex` does
//! (hidden and temporary files skipped, `pathGlobFilter`,
//! `recursiveFileLookup`), and remembering which files a stream has already
//! taken (Spark's `SeenFilesMap`, with `maxFileAge`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::glob::Glob;
use crate::error::{Error, Result};
use crate::source::options::Options;

/// A data file found by listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStatus {
    pub path: PathBuf,
    /// Length in bytes.
    pub size: u64,
    /// Modification time, milliseconds since the epoch.
    pub modified_ms: i64,
}

/// The listing options of a file source.
#[derive(Clone, Debug, Default)]
pub struct ListingOptions {
    /// `pathGlobFilter`: only file names matching it are read.
    pub glob: Option<Glob>,
    /// `recursiveFileLookup`: descend into subdirectories.
    pub recursive: bool,
}

impl ListingOptions {
    /// Reads `pathGlobFilter` and `recursiveFileLookup`.
    pub fn from_options(options: &Options) -> Result<Self> {
        let glob = match options.get("pathGlobFilter") {
            Some(p) => Some(Glob::new(p, "pathGlobFilter")?),
            None => None,
        };
        Ok(ListingOptions {
            glob,
            recursive: options.get_bool("recursiveFileLookup", false)?,
        })
    }
}

/// Whether Hadoop and Spark treat a file or directory name as hidden:
/// names starting with `.` or `_` (except `_`-names holding `=`, which are
/// partition directories), and in-progress copies ending in `._COPYING_`.
pub fn is_hidden(name: &str) -> bool {
    (name.starts_with('_') && !name.contains('='))
        || name.starts_with('.')
        || name.ends_with("._COPYING_")
}

/// Lists the data files under `path`, sorted by path. A file path lists just
/// that file. A glob in the last component (`data/*.json`) lists the
/// matching entries of its directory (files, and the files in matching
/// directories). Without `recursive`, subdirectories are not read (sqlc
/// does not discover partition directories). A directory written by a file
/// sink lists the files of its manifest (`_spark_metadata/`), as Spark
/// reads it, so files of uncommitted batches are never seen. A missing path is
/// [`Error::PathNotFound`].
pub fn list_files(path: &Path, options: &ListingOptions) -> Result<Vec<FileStatus>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return list_glob(path, options),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut out = Vec::new();
    if meta.is_file() {
        out.push(status(path, &meta));
    } else if !meta.is_dir() {
        return Err(crate::source::read::not_regular(path));
    } else if let Some(files) = super::manifest::committed_files(path)? {
        // A file sink's output: only the files its manifest lists.
        return Ok(files
            .into_iter()
            .filter(|f| {
                let name = f
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                options.glob.as_ref().is_none_or(|g| g.matches(&name))
            })
            .collect());
    } else {
        walk(path, options, None, &mut out)?;
        out.sort_by(|a, b| a.path.cmp(&b.path));
    }
    Ok(out)
}

/// Lists a path whose last component is a glob, or fails as not found.
fn list_glob(path: &Path, options: &ListingOptions) -> Result<Vec<FileStatus>> {
    let not_found = || Error::PathNotFound(path.into());
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(not_found)?;
    if !name.contains(['*', '?', '[', '{']) {
        return Err(not_found());
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(not_found());
    }
    let glob = Glob::new(name, "path")?;
    let mut out = Vec::new();
    walk(parent, options, Some(&glob), &mut out)?;
    if out.is_empty() {
        return Err(not_found());
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn status(path: &Path, meta: &std::fs::Metadata) -> FileStatus {
    let modified_ms = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as i64);
    FileStatus {
        path: path.to_path_buf(),
        size: meta.len(),
        modified_ms,
    }
}

/// Adds the files under `dir`; `only`, at the top level, keeps the entries
/// whose names match it (a path glob).
fn walk(
    dir: &Path,
    options: &ListingOptions,
    only: Option<&Glob>,
    out: &mut Vec<FileStatus>,
) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if is_hidden(&name) || only.is_some_and(|g| !g.matches(&name)) {
            continue;
        }
        let path = entry.path();
        // Follows symlinks; a file that vanished since read_dir is skipped.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io(&path, e)),
        };
        if meta.is_dir() {
            if options.recursive || only.is_some() {
                walk(&path, options, None, out)?;
            }
        } else if meta.is_file() && options.glob.as_ref().is_none_or(|g| g.matches(&name)) {
            // Only regular files: a named pipe would block the read forever.
            out.push(status(&path, &meta));
        }
    }
    Ok(())
}

/// The files a stream has taken, with their modification times, so that each
/// is taken once; entries older than `max_age_ms` before the newest taken
/// file are forgotten, and files that old are no longer considered new
/// (Spark's `SeenFilesMap`).
#[derive(Clone, Debug)]
pub struct SeenFiles {
    max_age_ms: i64,
    file_name_only: bool,
    map: HashMap<String, i64>,
    latest_ms: i64,
    last_purge_ms: i64,
}

impl SeenFiles {
    /// An empty map. `file_name_only` keys files by name instead of full path.
    pub fn new(max_age_ms: i64, file_name_only: bool) -> Self {
        SeenFiles {
            max_age_ms,
            file_name_only,
            map: HashMap::new(),
            latest_ms: 0,
            last_purge_ms: 0,
        }
    }

    fn key(&self, path: &Path) -> String {
        if self.file_name_only {
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        } else {
            path.to_string_lossy().into_owned()
        }
    }

    /// Records that `path`, modified at `modified_ms`, was taken.
    pub fn add(&mut self, path: &Path, modified_ms: i64) {
        let key = self.key(path);
        self.map.insert(key, modified_ms);
        self.latest_ms = self.latest_ms.max(modified_ms);
    }

    /// Whether a file is new: not taken before, and not older than the purge
    /// horizon.
    pub fn is_new(&self, path: &Path, modified_ms: i64) -> bool {
        modified_ms >= self.last_purge_ms && !self.map.contains_key(&self.key(path))
    }

    /// Forgets files older than `max_age_ms` before the newest; returns how many.
    pub fn purge(&mut self) -> usize {
        self.last_purge_ms = self.latest_ms.saturating_sub(self.max_age_ms);
        let before = self.map.len();
        let horizon = self.last_purge_ms;
        self.map.retain(|_, t| *t >= horizon);
        before - self.map.len()
    }

    /// How many files are remembered.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no file is remembered.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_names() {
        assert!(is_hidden(".part-0.json.tmp"));
        assert!(is_hidden("_SUCCESS"));
        assert!(is_hidden("part-0.json._COPYING_"));
        assert!(!is_hidden("_year=2020"));
        assert!(!is_hidden("part-0.json"));
    }

    #[test]
    fn seen_files_age_out() {
        let mut s = SeenFiles::new(1000, false);
        assert!(s.is_new(Path::new("/a"), 0));
        s.add(Path::new("/a"), 5000);
        s.purge();
        assert!(!s.is_new(Path::new("/a"), 5000));
        assert!(!s.is_new(Path::new("/old"), 3999), "older than the horizon");
        assert!(s.is_new(Path::new("/b"), 4000));
        s.add(Path::new("/b"), 7000);
        assert_eq!(s.purge(), 1, "/a is now older than 7000 - 1000");
        assert_eq!(s.len(), 1);
    }
}
