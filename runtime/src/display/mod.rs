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
mod table;
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
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    // The rows drawn: the first `num_rows`, batch by batch.
    let mut left = num_rows;
    let mut parts = Vec::new();
    for batch in batches {
        let n = batch.num_rows().min(left);
        if n > 0 {
            let columns = (0..names.len())
                .map(|c| {
                    let a = batch.columns().get(c).map(plain);
                    let a = a.map(|a| interval_text(&a, schema.fields().get(c)).unwrap_or(a));
                    table::Column::new(a)
                })
                .collect();
            parts.push(table::Part { columns, rows: n });
        }
        left -= n;
    }
    let total: usize = batches.iter().map(|b| b.num_rows()).sum();
    let mut out = table::draw(&names, &parts, truncate);
    if total > num_rows {
        let noun = if num_rows == 1 { "row" } else { "rows" };
        out.push_str(&format!("only showing top {num_rows} {noun}"));
    }
    out
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
