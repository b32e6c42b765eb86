//! Drawing `show()`'s table: the columns' widths measured in a first pass
//! over the cells, the table drawn in a second, each pass over the batches
//! in parallel. Integers and strings are measured without being rendered
//! (their width is their digits' or characters' count) and written straight
//! into the table; other values are rendered into one scratch string per
//! worker. A table of many rows costs no allocation per cell.

use arrow::array::{Array, ArrayRef, AsArray, Int32Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Int32Type, Int64Type};
use rayon::prelude::*;

use super::{half_width, java_len, needs_escape, pretty, truncate_cell, MIN_COL_WIDTH};

/// A batch's first `rows` rows, by column.
pub(super) struct Part {
    pub columns: Vec<Column>,
    pub rows: usize,
}

/// A column, read by the kind of its values.
pub(super) enum Column {
    /// A column the batch lacks: `NULL` throughout.
    Missing,
    Int32(Int32Array),
    Int64(Int64Array),
    Utf8(StringArray),
    Other(ArrayRef),
}

impl Column {
    pub fn new(a: Option<ArrayRef>) -> Column {
        match a {
            None => Column::Missing,
            Some(a) => match a.data_type() {
                DataType::Int32 => Column::Int32(a.as_primitive::<Int32Type>().clone()),
                DataType::Int64 => Column::Int64(a.as_primitive::<Int64Type>().clone()),
                DataType::Utf8 => Column::Utf8(a.as_string::<i32>().clone()),
                _ => Column::Other(a),
            },
        }
    }

    /// The text of row `r` as `show` draws it (escaped, cut to `truncate`
    /// characters when that is not 0) and its width: borrowed where it
    /// can be, else rendered into `scratch`.
    #[inline]
    fn cell<'a>(
        &'a self,
        r: usize,
        truncate: usize,
        scratch: &'a mut String,
        digits: &'a mut itoa::Buffer,
    ) -> (&'a str, usize) {
        let direct: Option<&'a str> = match self {
            Column::Missing => Some("NULL"),
            Column::Int32(a) if a.is_valid(r) => Some(digits.format(a.value(r))),
            Column::Int64(a) if a.is_valid(r) => Some(digits.format(a.value(r))),
            Column::Utf8(a) if a.is_valid(r) => Some(a.value(r)),
            Column::Int32(_) | Column::Int64(_) | Column::Utf8(_) => Some("NULL"),
            Column::Other(_) => None,
        };
        if let Some(s) = direct {
            // ASCII without control characters (digits, most strings): its
            // width is its length.
            let plain = s.is_ascii() && !needs_escape(s);
            if plain && (truncate == 0 || s.len() <= truncate) {
                return (s, s.len());
            }
            if !needs_escape(s) && (truncate == 0 || java_len(s) <= truncate) {
                return (s, half_width(s));
            }
            scratch.clear();
            scratch.push_str(s);
        } else {
            scratch.clear();
            if let Column::Other(a) = self {
                pretty::write_pretty(scratch, a.as_ref(), r);
            }
        }
        finish(scratch, truncate);
        let width = half_width(scratch);
        (scratch.as_str(), width)
    }
}

/// Escapes and cuts a rendered cell as Spark draws it.
fn finish(cell: &mut String, truncate: usize) {
    if needs_escape(cell) || (truncate > 0 && java_len(cell) > truncate) {
        *cell = truncate_cell(super::escape_meta(std::mem::take(cell)), truncate);
    }
}

/// The table of `parts` under a header of `names` (escaped, never cut),
/// without a footer: right-aligned cells when `truncate > 0`, else
/// left-aligned.
pub(super) fn draw(names: &[&str], parts: &[Part], truncate: usize) -> String {
    let ncols = names.len();
    let header: Vec<String> = names
        .iter()
        .map(|n| {
            let mut s = n.to_string();
            finish(&mut s, 0);
            s
        })
        .collect();
    // Pass 1: each part's widths and bytes.
    let measured: Vec<(Vec<usize>, usize)> = parts
        .par_iter()
        .map(|p| {
            let (mut scratch, mut digits) = (String::new(), itoa::Buffer::new());
            let mut widths = vec![0; ncols];
            let mut bytes = 0;
            for r in 0..p.rows {
                for (w, col) in widths.iter_mut().zip(&p.columns) {
                    let (text, width) = col.cell(r, truncate, &mut scratch, &mut digits);
                    *w = (*w).max(width);
                    bytes += text.len();
                }
            }
            (widths, bytes)
        })
        .collect();
    let mut widths: Vec<usize> = header
        .iter()
        .map(|h| half_width(h).max(MIN_COL_WIDTH))
        .collect();
    for (ws, _) in &measured {
        for (w, m) in widths.iter_mut().zip(ws) {
            *w = (*w).max(*m);
        }
    }
    let mut sep = String::from("+");
    for w in &widths {
        sep.push_str(&"-".repeat(*w));
        sep.push('+');
    }
    sep.push('\n');
    // Padding and bars: at most the widths and the bars per line (a cell's
    // bytes are at least its width less its full-width characters, which
    // `bytes` counts).
    let line = widths.iter().sum::<usize>() + ncols + 2;
    // Pass 2: each part's lines.
    let lines: Vec<String> = parts
        .par_iter()
        .zip(&measured)
        .map(|(p, (_, bytes))| {
            let (mut scratch, mut digits) = (String::new(), itoa::Buffer::new());
            let mut out = String::with_capacity(bytes + p.rows * line);
            for r in 0..p.rows {
                out.push('|');
                for (col, &w) in p.columns.iter().zip(&widths) {
                    let (text, width) = col.cell(r, truncate, &mut scratch, &mut digits);
                    pad(&mut out, text, w - width, truncate > 0);
                }
                out.push('\n');
            }
            out
        })
        .collect();
    let size = 3 * sep.len() + line + lines.iter().map(String::len).sum::<usize>() + 64;
    let mut out = String::with_capacity(size);
    out.push_str(&sep);
    out.push('|');
    for (h, &w) in header.iter().zip(&widths) {
        pad(&mut out, h, w - half_width(h), truncate > 0);
    }
    out.push('\n');
    out.push_str(&sep);
    lines.iter().for_each(|l| out.push_str(l));
    out.push_str(&sep);
    out
}

/// Writes `text` padded with `spaces` (before it when `right`), then a bar.
#[inline]
fn pad(out: &mut String, text: &str, spaces: usize, right: bool) {
    const SPACES: &str = "                                                                ";
    let push_spaces = |out: &mut String| {
        let mut n = spaces;
        while n > 0 {
            let k = n.min(SPACES.len());
            out.push_str(&SPACES[..k]);
            n -= k;
        }
    };
    if right {
        push_spaces(out);
        out.push_str(text);
    } else {
        out.push_str(text);
        push_spaces(out);
    }
    out.push('|');
}
