//! Finding data files: listing a path as Hadoop's `InMemoryFileIndex` does
//! (hidden and temporary files skipped, `pathGlobFilter`,
//! `recursiveFileLookup`), and remembering which files a stream has already
//! taken (Spark's `SeenFilesMap`, with `maxFileAge`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::glob::Glob;
use super::options::Options;
use crate::error::{Error, Result};

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
/// that file. Without `recursive`, subdirectories are not read (sqlc does not
/// discover partition directories). A missing path is
/// [`Error::PathNotFound`].
pub fn list_files(path: &Path, options: &ListingOptions) -> Result<Vec<FileStatus>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::PathNotFound(path.into()))
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut out = Vec::new();
    if meta.is_file() {
        out.push(status(path, &meta));
    } else {
        walk(path, options, &mut out)?;
        out.sort_by(|a, b| a.path.cmp(&b.path));
    }
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

fn walk(dir: &Path, options: &ListingOptions, out: &mut Vec<FileStatus>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if is_hidden(&name) {
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
            if options.recursive {
                walk(&path, options, out)?;
            }
        } else if options.glob.as_ref().is_none_or(|g| g.matches(&name)) {
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
