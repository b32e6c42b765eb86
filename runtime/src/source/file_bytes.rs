//! A data file's bytes read into memory: the whole file, or a window of
//! its lines ([`MappedFile::open_lines`]), so that a file of any size is
//! decoded a few megabytes at a time, each window read just before it is
//! decoded.
//!
//! Files are read, not memory-mapped: a producer that truncates or
//! rewrites a file in place while a mapping is read kills the process with
//! SIGBUS, and no error handling can catch that. Read, a file that shrinks
//! gives the bytes that were there (its last record may be cut, and is
//! then malformed). Only regular files are read: a named pipe or a device
//! would block or never end.

use std::fs::File;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use bytes::Bytes;

use super::file_partitions::line_after;
use super::lines::{first_line_start, FileLines};
use crate::error::{Error, Result};

/// Bytes read past a window's end at a time, looking for the end of the
/// line that straddles it.
const OVERHANG: usize = 64 << 10;

/// A file's bytes, from byte `offset` on: the whole file when that is 0
/// and it was read whole.
pub struct MappedFile {
    pub path: PathBuf,
    bytes: Bytes,
    offset: u64,
}

impl MappedFile {
    /// Reads the file at `path`, whole.
    pub fn open(path: &Path) -> Result<MappedFile> {
        let file = open_regular(path)?;
        let mut data = Vec::new();
        read_from(&file, path, 0, None, &mut data)?;
        Ok(MappedFile {
            path: path.to_path_buf(),
            bytes: Bytes::from(data),
            offset: 0,
        })
    }

    /// Reads the lines of the file at `path` that Hadoop's line reader (so
    /// Spark) gives the split `range` of it: those starting after
    /// `range.start` (or the file's first line, when it is 0) and at most at
    /// `range.end`, read whole. With `to_end`, the split runs to the end of
    /// the file, however long it is now. Returns the window and where its
    /// lines lie in it. Consecutive splits of a file get each line once.
    pub fn open_lines(
        path: &Path,
        range: Range<u64>,
        to_end: bool,
    ) -> Result<(MappedFile, Range<usize>)> {
        let file = open_regular(path)?;
        let want = (range.end - range.start) as usize;
        let mut data = Vec::new();
        read_from(
            &file,
            path,
            range.start,
            (!to_end).then_some(want),
            &mut data,
        )?;
        // The line straddling the end is read whole: up to its line end,
        // and the byte after a `\r` (a `\r\n` ends a line once).
        if !to_end {
            loop {
                let ends = memchr::memchr2(b'\n', b'\r', data.get(want..).unwrap_or_default());
                let complete = match ends {
                    Some(i) => data[want + i] == b'\n' || want + i + 1 < data.len(),
                    None => false,
                };
                if complete {
                    break;
                }
                let before = data.len();
                let at = range.start + before as u64;
                read_from(&file, path, at, Some(OVERHANG), &mut data)?;
                if data.len() == before {
                    break; // the end of the file
                }
            }
        }
        let from = if range.start == 0 {
            first_line_start(&data)
        } else {
            line_after(&data, 0)
        };
        let to = if to_end || want >= data.len() {
            data.len()
        } else {
            line_after(&data, want)
        };
        let window = MappedFile {
            path: path.to_path_buf(),
            bytes: Bytes::from(data),
            offset: range.start,
        };
        Ok((window, from.min(to)..to))
    }

    /// The bytes read (the whole file's, or a window's).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes as `Bytes`, sharing them.
    pub fn shared_bytes(&self) -> Bytes {
        self.bytes.clone()
    }

    /// The bytes as lines of the file, for the decoders.
    pub fn lines(&self) -> FileLines<'_> {
        FileLines {
            path: &self.path,
            data: &self.bytes,
            offset: self.offset,
        }
    }
}

/// Opens the file at `path` for reading, if it is a regular file.
fn open_regular(path: &Path) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking, so that opening a named pipe that took the place of a
    // listed file returns at once (and is then refused as not regular).
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::PathNotFound(path.into()),
            _ => Error::io(path, e),
        })?;
    let meta = file.metadata().map_err(|e| Error::io(path, e))?;
    if !meta.is_file() {
        return Err(not_regular(path));
    }
    Ok(file)
}

/// Appends to `out` the file's bytes from `at`: `n` of them (fewer at the
/// end of the file), or all that are there.
fn read_from(file: &File, path: &Path, at: u64, n: Option<usize>, out: &mut Vec<u8>) -> Result<()> {
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let there = len.saturating_sub(at) as usize;
    let want = n.map_or(there, |n| n.min(there));
    let start = out.len();
    out.resize(start + want, 0);
    let mut done = 0;
    while done < want {
        match file.read_at(&mut out[start + done..], at + done as u64) {
            Ok(0) => break, // the file shrank
            Ok(k) => done += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    out.truncate(start + done);
    // A file that grew since its length was read: the rest too, when all
    // of it is asked for.
    if n.is_none() && done == want {
        let mut more = [0u8; 8192];
        loop {
            match file.read_at(&mut more, at + (out.len() - start) as u64) {
                Ok(0) => break,
                Ok(k) => out.extend_from_slice(&more[..k]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(path, e)),
            }
        }
    }
    Ok(())
}

/// The error for a path that is neither a regular file nor a directory.
pub fn not_regular(path: &Path) -> Error {
    Error::io(
        path,
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a named pipe, socket or device is never read)",
        ),
    )
}

/// Reads each of `paths` whole (in parallel).
pub fn map_files(paths: &[PathBuf]) -> Result<Vec<MappedFile>> {
    // Read in parallel: reading is a copy out of the page cache, as costly
    // as the decoding that follows, and a batch's files are independent.
    use rayon::prelude::*;
    paths.par_iter().map(|p| MappedFile::open(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::super::file_partitions::lines_of;
    use super::*;

    /// Every cut of a file into consecutive windows gives each line once,
    /// as the whole file's splits do, whatever its line ends.
    #[test]
    fn windows_hold_the_lines_of_their_splits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        let text: &[u8] = b"\xef\xbb\xbfab\ncd\r\nef\rgh\n\nij\r\r\nkl";
        std::fs::write(&path, text).unwrap();
        let n = text.len() as u64;
        for cut in 1..=n {
            let mut whole = Vec::new();
            let mut windowed = Vec::new();
            let mut start = 0;
            while start < n {
                let end = (start + cut).min(n);
                let r = lines_of(text, start, end - start);
                whole.extend_from_slice(&text[r]);
                let (w, r) = MappedFile::open_lines(&path, start..end, end == n).unwrap();
                windowed.extend_from_slice(&w.bytes()[r]);
                start = end;
            }
            assert_eq!(windowed, whole, "cut every {cut} bytes");
            assert_eq!(whole, &text[3..], "cut every {cut} bytes");
        }
    }
}
