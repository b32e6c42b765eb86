//! Spark-style display of Arrow batches: the table `Dataset.show()` and the
//! console sink print, plus CSV renderings for the file sink and the CLI
//! (JSON lines are written by [`crate::format::json::to_json_lines`]).
//!
//! [`show_string`] reproduces Spark's `Dataset.showString(numRows, truncate,
//! vertical = false)`: cells rendered as Spark's `ToPrettyString` does
//! (`NULL`, `true`, Java doubles, `yyyy-MM-dd HH:mm:ss[.ffffff]` timestamps,
//! binary as `[01 AB]`, structs as `{a, b}`), control characters escaped,
//! long cells truncated, columns at least 3 wide with East Asian full-width
//! characters counting double, cells right-aligned when truncating and
//! left-aligned when not, and the `only showing top N rows` footer.

mod export;
mod pretty;
mod zone;

use arrow::array::{Array, ArrayRef};
use arrow::compute::cast;
use arrow::datatypes::{DataType, SchemaRef};
use arrow::record_batch::RecordBatch;

pub(crate) use export::scalar_text;
pub use export::to_csv;
pub(crate) use pretty::fallback;
pub use zone::in_zone;

use sqlc_compiler::time_zone::TimeZone;

/// The narrowest a column is drawn, as in Spark.
const MIN_COL_WIDTH: usize = 3;

/// Spark's `showString(num_rows, truncate)`: the table for the first
/// `num_rows` rows of `batches` (whose columns follow `schema`), without a
/// trailing newline after the footer; `show()` prints it with `println`.
/// `truncate > 0` cuts longer cells to `truncate` characters (the last three
/// being `...` when `truncate >= 4`) and right-aligns; 0 keeps whole cells,
/// left-aligned. An empty input still prints the header. Timestamps are
/// printed on the wall clock of `tz`, the session time zone.
pub fn show_string(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    num_rows: usize,
    truncate: usize,
    tz: &TimeZone,
) -> String {
    let batches = &in_zone(batches, tz)[..];
    let ncols = schema.fields().len();
    let columns: Vec<Vec<Option<ArrayRef>>> = batches
        .iter()
        .map(|batch| {
            (0..ncols)
                .map(|c| {
                    let a = batch.columns().get(c).map(plain)?;
                    Some(interval_text(&a, schema.fields().get(c)).unwrap_or(a))
                })
                .collect()
        })
        .collect();
    // The rows drawn (the first `num_rows`), as (batch, row) pairs.
    let total: usize = batches.iter().map(|b| b.num_rows()).sum();
    let has_more = total > num_rows;
    let drawn = || {
        batches
            .iter()
            .enumerate()
            .flat_map(|(b, batch)| (0..batch.num_rows()).map(move |r| (b, r)))
            .take(num_rows)
    };
    // Two passes over the cells, each rendered into one scratch string: the
    // first measures the columns' widths and the table's size, the second
    // draws the table into a string of that size. A table of many rows
    // then costs no allocation per cell, nor a copy of every cell kept.
    let mut scratch = String::new();
    let header = |scratch: &mut String, c: usize| {
        scratch.clear();
        // Header names are escaped but never truncated (Spark's getRows).
        scratch.push_str(schema.fields()[c].name());
        finish_cell(scratch, 0)
    };
    let cell = |scratch: &mut String, b: usize, r: usize, c: usize| {
        scratch.clear();
        match &columns[b][c] {
            Some(a) => pretty::write_pretty(scratch, a.as_ref(), r),
            None => scratch.push_str("NULL"),
        }
        finish_cell(scratch, truncate)
    };
    let mut widths = vec![MIN_COL_WIDTH; ncols];
    let mut text_bytes = 0;
    for c in 0..ncols {
        widths[c] = widths[c].max(header(&mut scratch, c));
        text_bytes += scratch.len();
    }
    let mut rows = 1;
    for (b, r) in drawn() {
        for (c, w) in widths.iter_mut().enumerate() {
            *w = (*w).max(cell(&mut scratch, b, r, c));
            text_bytes += scratch.len();
        }
        rows += 1;
    }
    let mut sep = String::from("+");
    for w in &widths {
        sep.push_str(&"-".repeat(*w));
        sep.push('+');
    }
    sep.push('\n');

    // Padding is at most the widths (a cell's bytes are at least its width
    // less its full-width characters, counted in `text_bytes`).
    let line = widths.iter().sum::<usize>() + ncols + 2;
    let mut out = String::with_capacity(text_bytes + rows * line + 3 * sep.len() + 40);
    let draw = |out: &mut String, scratch: &str, width: usize, w: usize| {
        if truncate > 0 {
            push_spaces(out, w - width);
            out.push_str(scratch);
        } else {
            out.push_str(scratch);
            push_spaces(out, w - width);
        }
        out.push('|');
    };
    out.push_str(&sep);
    out.push('|');
    for (c, &w) in widths.iter().enumerate() {
        let width = header(&mut scratch, c);
        draw(&mut out, &scratch, width, w);
    }
    out.push('\n');
    out.push_str(&sep);
    for (b, r) in drawn() {
        out.push('|');
        for (c, &w) in widths.iter().enumerate() {
            let width = cell(&mut scratch, b, r, c);
            draw(&mut out, &scratch, width, w);
        }
        out.push('\n');
    }
    out.push_str(&sep);
    if has_more {
        let noun = if num_rows == 1 { "row" } else { "rows" };
        out.push_str(&format!("only showing top {num_rows} {noun}"));
    }
    out
}

/// Finishes the cell rendered into `cell`: escaped, then cut to `truncate`
/// characters (0: whole), as Spark draws it. Returns its width.
fn finish_cell(cell: &mut String, truncate: usize) -> usize {
    if needs_escape(cell) || (truncate > 0 && java_len(cell) > truncate) {
        *cell = truncate_cell(escape_meta(std::mem::take(cell)), truncate);
    }
    half_width(cell)
}

fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    let mut n = n;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// The three lines Spark's console sink prints before each micro-batch.
pub fn console_batch_header(batch_id: u64) -> String {
    let rule = "-------------------------------------------";
    format!("{rule}\nBatch: {batch_id}\n{rule}\n")
}

/// Everything the console sink prints for one micro-batch: the header, then
/// `show(num_rows, truncate)` (the table and a final newline).
pub fn console_output(
    batch_id: u64,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    num_rows: usize,
    truncate: usize,
    tz: &TimeZone,
) -> String {
    let mut s = console_batch_header(batch_id);
    s.push_str(&show_string(schema, batches, num_rows, truncate, tz));
    s.push('\n');
    s
}

/// One cell as `show` renders it before escaping and truncation
/// (Spark's `ToPrettyString`): `NULL` for null.
pub fn pretty_value(array: &dyn Array, row: usize) -> String {
    pretty::pretty_value(array, row)
}

/// `batch`'s columns with each interval column as the text Spark shows
/// and writes (`INTERVAL '10:20' HOUR TO MINUTE`), its range from
/// `schema`'s field: what the CSV and JSON writers write.
pub(crate) fn intervals_as_text(schema: &SchemaRef, batch: &RecordBatch) -> Vec<ArrayRef> {
    batch
        .columns()
        .iter()
        .enumerate()
        .map(|(c, a)| interval_text(a, schema.fields().get(c)).unwrap_or_else(|| a.clone()))
        .collect()
}

/// Dictionary and run-end-encoded columns decoded to their values.
/// An interval column as the strings Spark shows, its range read from the
/// field's metadata (`INTERVAL '1' DAY`); `None` for other columns.
fn interval_text(a: &ArrayRef, field: Option<&arrow::datatypes::FieldRef>) -> Option<ArrayRef> {
    let ty = match field {
        Some(f) if f.data_type() == a.data_type() => sqlc_compiler::Field::from_arrow(f)?.data_type,
        _ => sqlc_compiler::DataType::from_arrow(a.data_type())?,
    };
    if !ty.is_interval() {
        return None;
    }
    sqlc_compiler::ansi_interval::to_strings(a.as_ref(), &ty).ok()
}

fn plain(a: &ArrayRef) -> ArrayRef {
    let target = match a.data_type() {
        DataType::Dictionary(_, v) => v.as_ref().clone(),
        DataType::RunEndEncoded(_, v) => v.data_type().clone(),
        _ => return a.clone(),
    };
    cast(a, &target).unwrap_or_else(|_| a.clone())
}

/// Spark's `escapeMetaCharacters`: control characters that would break the
/// table drawn as backslash escapes.
fn escape_meta(s: String) -> String {
    if !needs_escape(&s) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0C' => out.push_str("\\f"),
            '\x08' => out.push_str("\\b"),
            '\x0B' => out.push_str("\\v"),
            '\x07' => out.push_str("\\a"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `s` has a character [`escape_meta`] escapes.
fn needs_escape(s: &str) -> bool {
    // All ASCII, so a byte test (no byte of a multi-byte character is ASCII).
    s.bytes().any(|b| {
        matches!(
            b,
            b'\n' | b'\r' | b'\t' | b'\x0C' | b'\x08' | b'\x0B' | b'\x07'
        )
    })
}

/// Java's `String.length`: UTF-16 code units.
fn java_len(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    s.chars().map(char::len_utf16).sum()
}

/// The first `n` UTF-16 units of `s` (a pair that would be split is dropped).
fn java_prefix(s: &str, n: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > n {
            return &s[..i];
        }
    }
    s
}

fn truncate_cell(s: String, truncate: usize) -> String {
    if truncate == 0 || java_len(&s) <= truncate {
        s
    } else if truncate < 4 {
        java_prefix(&s, truncate).to_string()
    } else {
        format!("{}...", java_prefix(&s, truncate - 3))
    }
}

/// Spark's `stringHalfWidth`: UTF-16 length plus one for each full-width
/// character (the ranges Spark lists).
fn half_width(s: &str) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    let full = s
        .chars()
        .filter(|&c| {
            matches!(c as u32,
                0x1100..=0x115F
                | 0x2E80..=0xA4CF
                | 0xAC00..=0xD7A3
                | 0xF900..=0xFAFF
                | 0xFE10..=0xFE19
                | 0xFE30..=0xFE6F
                | 0xFF00..=0xFF60
                | 0xFFE0..=0xFFE6)
        })
        .count();
    java_len(s) + full
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(escape_meta("a\tb\nc".into()), "a\\tb\\nc");
        assert_eq!(
            truncate_cell("abcdefghijklmnopqrstuvwxyz".into(), 20),
            "abcdefghijklmnopq..."
        );
        assert_eq!(truncate_cell("abcdef".into(), 3), "abc");
        assert_eq!(truncate_cell("abcdef".into(), 6), "abcdef");
        assert_eq!(truncate_cell("abcdef".into(), 0), "abcdef");
        assert_eq!(half_width("中文ab"), 6);
        assert_eq!(half_width("a\tb"), 3);
        assert_eq!(java_len("abc"), 3);
        assert_eq!(escape_meta("é\u{7}".into()), "é\\a");
        assert_eq!(java_len("😀"), 2);
        assert_eq!(java_prefix("a😀b", 2), "a");
    }
}
