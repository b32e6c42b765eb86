//! Lines of a mapped file, as Hadoop's line reader (Spark's, for JSON, CSV
//! and text) splits them: a line ends at `\n`, `\r` or `\r\n`, and a UTF-8
//! byte-order mark at the start of a file is not part of its first line.
//! Splitting a file into blocks of whole lines (the unit of parallel
//! decoding), iterating lines, and numbering them for errors.

use std::ops::Range;
use std::path::Path;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// The index just after the line end that starts at `at` (a `\n`, `\r`,
/// or `\r\n`), in `data`.
#[inline]
fn after_line_end(data: &[u8], at: usize) -> usize {
    if data[at] == b'\r' && data.get(at + 1) == Some(&b'\n') {
        at + 2
    } else {
        at + 1
    }
}

/// Where the first line of `data` (a whole file) starts: after a
/// byte-order mark.
pub fn first_line_start(data: &[u8]) -> usize {
    if data.starts_with(BOM) {
        BOM.len()
    } else {
        0
    }
}

/// Splits `data` (a whole file) into consecutive ranges of about `target`
/// bytes, each ending just after a line end (or at the end of the data);
/// the first starts after a byte-order mark.
pub fn split_blocks(data: &[u8], target: usize) -> Vec<Range<usize>> {
    split_range(data, first_line_start(data)..data.len(), target)
}

/// [`split_blocks`] of the lines of `data[range]` (`range` starts at a
/// line and ends at a line end or at the end of `data`).
pub fn split_range(data: &[u8], range: Range<usize>, target: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    while start < range.end {
        let probe = (start + target.max(1)).min(range.end);
        let end = if probe == range.end {
            probe
        } else {
            // A `\n` right after the probe may end a `\r\n` before it: the
            // block then ends after it, the line end is whole either way.
            memchr::memchr2(b'\n', b'\r', &data[probe..range.end]).map_or(range.end, |i| {
                after_line_end(data, probe + i).min(range.end)
            })
        };
        out.push(start..end);
        start = end;
    }
    out
}

/// The lines of `block`, without their line ends. A final line without a
/// line end is included if it is not empty.
pub fn lines(block: &[u8]) -> impl Iterator<Item = &[u8]> {
    lines_at(block).map(|(_, line)| line)
}

/// The lines of `block` with the offset where each starts.
pub fn lines_at(block: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= block.len() {
            return None;
        }
        let start = at;
        match memchr::memchr2(b'\n', b'\r', &block[start..]) {
            Some(i) => {
                at = after_line_end(block, start + i);
                Some((start, &block[start..start + i]))
            }
            None => {
                at = block.len();
                Some((start, &block[start..]))
            }
        }
    })
}

/// Lines read from a file: `data` holds the file's bytes from byte
/// `offset` on (the whole file when `offset` is 0, else a window of its
/// lines, [`super::read::MappedFile::open_lines`]).
#[derive(Clone, Copy, Debug)]
pub struct FileLines<'a> {
    pub path: &'a Path,
    pub data: &'a [u8],
    pub offset: u64,
}

impl<'a> FileLines<'a> {
    /// A whole file's bytes.
    pub fn whole(path: &'a Path, data: &'a [u8]) -> Self {
        FileLines {
            path,
            data,
            offset: 0,
        }
    }

    /// Whether a block starting at `block_start` of `data` starts the file
    /// (its first line, after a byte-order mark): a CSV header's place.
    pub fn starts_file(&self, block_start: usize) -> bool {
        self.offset == 0 && block_start == first_line_start(self.data)
    }

    /// The 1-based line number in the file of line `index` of the block
    /// that starts at `block_start` of `data` (after a line end). For a
    /// window, the lines before it are counted by reading the file up to
    /// the block: that is an error's path only. Should the file be gone by
    /// then, the count starts at the window.
    pub fn line_number(&self, block_start: usize, index: usize) -> u64 {
        if self.offset == 0 {
            return line_number(self.data, block_start, index);
        }
        let upto = self.offset as usize + block_start;
        match read_prefix(self.path, upto) {
            Some(prefix) => line_number(&prefix, prefix.len(), index),
            None => line_number(self.data, block_start, index),
        }
    }
}

/// The first `n` bytes of the file at `path`, if it still has them.
fn read_prefix(path: &Path, n: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(n);
    std::fs::File::open(path)
        .ok()?
        .take(n as u64)
        .read_to_end(&mut buf)
        .ok()?;
    (buf.len() == n).then_some(buf)
}

/// Whether a line holds only JSON whitespace.
pub fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// The 1-based line number in the file of line `index` of the block that
/// starts at byte `block_start` of `data` (a block starts after a line end).
pub fn line_number(data: &[u8], block_start: usize, index: usize) -> u64 {
    let before = &data[..block_start];
    let ends = memchr::memchr2_iter(b'\n', b'\r', before)
        .filter(|&i| !(before[i] == b'\r' && before.get(i + 1) == Some(&b'\n')))
        .count();
    (ends + index + 1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_end_at_newlines() {
        let data = b"aaaa\nbb\ncccccc\nd";
        let blocks = split_blocks(data, 3);
        assert_eq!(blocks, vec![0..5, 5..15, 15..16]);
        assert!(split_blocks(b"", 3).is_empty());
        let all: Vec<&[u8]> = blocks
            .iter()
            .flat_map(|r| lines(&data[r.clone()]))
            .collect();
        assert_eq!(all, vec![&b"aaaa"[..], b"bb", b"cccccc", b"d"]);
        assert_eq!(line_number(data, 5, 1), 3);
        let at: Vec<usize> = lines_at(b"ab\r\n\ncd").map(|(i, _)| i).collect();
        assert_eq!(at, [0, 4, 5]);
    }

    #[test]
    fn crlf_and_blank_lines() {
        let l: Vec<&[u8]> = lines(b"a\r\n\r\n b\n").collect();
        assert_eq!(l, vec![&b"a"[..], b"", b" b"]);
        assert!(is_blank(b" \t"));
        assert!(!is_blank(b" {"));
    }

    #[test]
    fn a_lone_cr_ends_a_line_as_in_hadoop() {
        let data = b"a\rb\r\nc\n\rd\r";
        let l: Vec<&[u8]> = lines(data).collect();
        assert_eq!(l, vec![&b"a"[..], b"b", b"c", b"", b"d"]);
        // Blocks never split a `\r\n`, wherever the probe falls.
        for target in 1..data.len() {
            let blocks = split_blocks(data, target);
            let all: Vec<&[u8]> = blocks
                .iter()
                .flat_map(|r| lines(&data[r.clone()]))
                .collect();
            assert_eq!(all, l, "target {target}");
            for r in &blocks {
                let index = lines(&data[r.clone()]).count();
                assert_eq!(
                    line_number(data, r.end, 0) - line_number(data, r.start, 0),
                    index as u64
                );
            }
        }
        assert_eq!(line_number(data, 5, 0), 3, "`c` is line 3");
        assert_eq!(line_number(data, 8, 0), 5, "`d` is line 5");
    }

    #[test]
    fn a_bom_at_the_start_of_a_file_is_skipped() {
        let data = b"\xef\xbb\xbfa\nb";
        let blocks = split_blocks(data, 100);
        assert_eq!(blocks, vec![3..6]);
        assert_eq!(split_blocks(BOM, 100), Vec::<Range<usize>>::new());
        assert_eq!(line_number(data, 3, 1), 2);
    }
}
