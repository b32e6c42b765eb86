//! Lines of a mapped file: splitting a file into blocks of whole lines (the
//! unit of parallel decoding), iterating lines, and numbering them for errors.

use std::ops::Range;

/// Splits `data` into consecutive ranges of about `target` bytes, each ending
/// just after a newline (or at the end of the data).
pub fn split_blocks(data: &[u8], target: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < data.len() {
        let probe = (start + target.max(1)).min(data.len());
        let end = if probe == data.len() {
            probe
        } else {
            memchr::memchr(b'\n', &data[probe..]).map_or(data.len(), |i| probe + i + 1)
        };
        out.push(start..end);
        start = end;
    }
    out
}

/// The lines of `block`, without their `\n` or `\r\n`. A final line without a
/// newline is included if it is not empty.
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
        let end = memchr::memchr(b'\n', &block[start..]).map_or(block.len(), |i| start + i);
        at = end + 1;
        let line = &block[start..end];
        Some((start, line.strip_suffix(b"\r").unwrap_or(line)))
    })
}

/// Whether a line holds only JSON whitespace.
pub fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// The 1-based line number in the file of line `index` of the block that
/// starts at byte `block_start` of `data`.
pub fn line_number(data: &[u8], block_start: usize, index: usize) -> u64 {
    (memchr::memchr_iter(b'\n', &data[..block_start]).count() + index + 1) as u64
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
}
