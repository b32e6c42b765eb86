//! The JSON-lines decoder specialized for one scan, made once per query: it
//! reads a block of lines in one pass, checking every byte as the
//! well-formedness check does (the [`Scanner`] of [`super::scan`]), but
//! builds values only for the columns the query reads — other fields are
//! skipped where they lie. Field names are matched against the read
//! columns' names (case-sensitive, as Spark's JSON reader; filtered first
//! by length; the names of earlier lines are remembered by place,
//! [`super::known_names`]), numbers are parsed straight into the column's type, strings
//! appended to the Arrow buffer as they are (unescaped only when they have
//! escapes). A duplicate key's last value wins, as in Arrow's decoder.
//!
//! It is the reader's fast path: anything it does not handle the way the
//! exact paths do — a malformed line, a value of the wrong type, a
//! top-level array, a record that uses a leniency of the JSON syntax
//! (single quotes, `NaN`, …) — makes it give the block back (`None`), and the reader
//! decodes the block with its exact paths instead. So its rows are the exact
//! paths' rows whenever it returns some. Specialized Rust rather than
//! Cranelift: the per-column work is one `match` on a type fixed per query,
//! which the branch predictor resolves; there was nothing left to compile.
//! Compact flat lines, the commonest, are walked by vector bit masks
//! instead of byte by byte ([`super::flat`]); the scanner reads the rest.

use std::collections::HashMap;
use std::sync::Arc;

use arrow::array::{ArrayRef, BinaryBuilder, BooleanBuilder, PrimitiveBuilder, StringArray};
use arrow::datatypes::{
    Date32Type, Float64Type, Int32Type, Int64Type, SchemaRef, TimestampMicrosecondType,
};
use arrow::record_batch::{RecordBatch, RecordBatchOptions};
use sqlc_compiler::json::syntax::special_double;
use sqlc_compiler::json::Syntax;
use sqlc_compiler::types::{DataType, Schema};

use super::flat;
use super::known_names::KnownNames;
use super::line_masks::{LineMasks, Simd};
use super::prefilter::Prefilter;
use super::scan::Scanner;
use crate::source::lines::{is_blank, lines};
use crate::source::parse::{decode_base64, parse_date, parse_timestamp};

/// Where a decoded field's value lies in its line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Absent,
    Null,
    True,
    False,
    Number,
    Str {
        escaped: bool,
    },
    /// An object or an array.
    Nested,
}

#[derive(Clone, Copy)]
pub(super) struct Val {
    pub kind: Kind,
    pub start: u32,
    pub end: u32,
}

pub(super) const ABSENT: Val = Val {
    kind: Kind::Absent,
    start: 0,
    end: 0,
};

/// Read columns from which names are looked up by a hash index.
const INDEX_FROM: usize = 16;

/// A column's type, as the decoder builds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Bool,
    I32,
    I64,
    F64,
    Str,
    Bin,
    Ts,
    Date,
}

/// The decoder for the data columns of one schema.
#[derive(Debug, Clone)]
pub struct SpecializedDecoder {
    names: Vec<Box<[u8]>>,
    types: Vec<Ty>,
    /// Bit `n` set when some column's name is `n` bytes long (`n` < 64).
    lengths: u64,
    /// The columns by name, when there are too many to compare in turn.
    index: Option<HashMap<Box<[u8]>, usize>>,
    arrow: SchemaRef,
    prefilter: Option<Prefilter>,
    syntax: Syntax,
    /// The vector instructions lines are classified with, if any (see
    /// [`flat`]).
    simd: Option<Simd>,
}

/// A batch being built.
enum Builder {
    Bool(BooleanBuilder),
    I32(PrimitiveBuilder<Int32Type>),
    I64(PrimitiveBuilder<Int64Type>),
    F64(PrimitiveBuilder<Float64Type>),
    /// A string column, built as bytes (see [`Builder::finish`]).
    Str(BinaryBuilder),
    Bin(BinaryBuilder),
    Ts(PrimitiveBuilder<TimestampMicrosecondType>),
    Date(PrimitiveBuilder<Date32Type>),
}

impl SpecializedDecoder {
    /// A decoder for `data` (the columns a scan reads), or `None` if a
    /// column's type is one only the exact paths read (structs, …).
    pub fn new(data: &Schema, prefilter: Option<Prefilter>, syntax: &Syntax) -> Option<Self> {
        let mut types = Vec::new();
        let mut lengths = 0u64;
        for f in &data.fields {
            types.push(match f.data_type {
                DataType::Boolean => Ty::Bool,
                DataType::Int32 => Ty::I32,
                DataType::Int64 => Ty::I64,
                DataType::Float64 => Ty::F64,
                DataType::Utf8 => Ty::Str,
                DataType::Binary => Ty::Bin,
                DataType::Timestamp => Ty::Ts,
                DataType::Date => Ty::Date,
                _ => return None,
            });
            if f.name.len() < 64 {
                lengths |= 1 << f.name.len();
            }
        }
        let names: Vec<Box<[u8]>> = data
            .fields
            .iter()
            .map(|f| f.name.as_bytes().into())
            .collect();
        Some(SpecializedDecoder {
            index: (names.len() > INDEX_FROM).then(|| {
                names
                    .iter()
                    .cloned()
                    .enumerate()
                    .map(|(i, n)| (n, i))
                    .collect()
            }),
            names,
            types,
            lengths,
            arrow: data.to_arrow(),
            prefilter,
            syntax: *syntax,
            simd: Simd::detect(),
        })
    }

    fn builders(&self, rows: usize) -> Vec<Builder> {
        self.types
            .iter()
            .zip(self.arrow.fields())
            .map(|(t, f)| {
                let dt = f.data_type().clone();
                match t {
                    Ty::Bool => Builder::Bool(BooleanBuilder::with_capacity(rows)),
                    Ty::I32 => Builder::I32(PrimitiveBuilder::with_capacity(rows)),
                    Ty::I64 => Builder::I64(PrimitiveBuilder::with_capacity(rows)),
                    Ty::F64 => Builder::F64(PrimitiveBuilder::with_capacity(rows)),
                    Ty::Str => Builder::Str(BinaryBuilder::with_capacity(rows, rows * 8)),
                    Ty::Bin => Builder::Bin(BinaryBuilder::with_capacity(rows, rows * 8)),
                    Ty::Ts => Builder::Ts(PrimitiveBuilder::with_capacity(rows).with_data_type(dt)),
                    Ty::Date => Builder::Date(PrimitiveBuilder::with_capacity(rows)),
                }
            })
            .collect()
    }

    /// The column named `key`, if the decoder reads it; `hint` is tried
    /// first (fields usually come in the same order on every line).
    #[inline]
    fn column(&self, key: &[u8], hint: usize) -> Option<usize> {
        if key.len() < 64 && self.lengths & (1 << key.len()) == 0 {
            return None;
        }
        if self.names.get(hint).is_some_and(|n| **n == *key) {
            return Some(hint);
        }
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.names.iter().position(|n| **n == *key),
        }
    }

    /// Decodes the lines of `bytes` into batches of at most `batch_rows`
    /// rows of the data columns; `None` if a line needs the exact paths.
    /// `reject`: whether lines the pre-filter rules out may become rows of
    /// nulls (PERMISSIVE mode: they are rows either way, and no row of nulls
    /// passes the filter the pre-filter's conjuncts come from).
    pub fn decode(
        &self,
        bytes: &[u8],
        batch_rows: usize,
        reject: bool,
    ) -> Option<Vec<RecordBatch>> {
        let mut out = Vec::new();
        let mut vals = vec![ABSENT; self.names.len()];
        let mut b = self.builders(batch_rows);
        let mut rows = 0;
        let mut text = String::new();
        let mut known = KnownNames::default();
        let mut masks = LineMasks::new();
        let prefilter = self.prefilter.as_ref().filter(|_| reject);
        for line in lines(bytes) {
            if is_blank(line) {
                continue;
            }
            if prefilter.is_some_and(|p| p.rejects(line)) {
                b.iter_mut().for_each(Builder::null);
            } else {
                vals.fill(ABSENT);
                if self
                    .flat(bytes, line, &mut masks, &mut vals, &mut known)
                    .is_none()
                {
                    vals.fill(ABSENT);
                    self.scan_line(line, &mut vals, &mut known)?;
                }
                let specials = self.syntax.non_numeric_numbers;
                for (builder, v) in b.iter_mut().zip(&vals) {
                    builder.push(line, *v, &mut text, specials)?;
                }
            }
            rows += 1;
            if rows == batch_rows {
                out.push(self.finish(&mut b, rows)?);
                b = self.builders(batch_rows);
                rows = 0;
            }
        }
        if rows > 0 {
            out.push(self.finish(&mut b, rows)?);
        }
        Some(out)
    }

    fn finish(&self, b: &mut [Builder], rows: usize) -> Option<RecordBatch> {
        let columns: Vec<ArrayRef> = b.iter_mut().map(Builder::finish).collect::<Option<_>>()?;
        // With no column read, the batch still has its rows.
        let options = RecordBatchOptions::new().with_row_count(Some(rows));
        RecordBatch::try_new_with_options(self.arrow.clone(), columns, &options).ok()
    }

    /// The fast path of [`flat`] for `line`, a line of `block`: `None`
    /// where the line is the scanner's to read.
    #[inline]
    fn flat(
        &self,
        block: &[u8],
        line: &[u8],
        masks: &mut LineMasks,
        vals: &mut [Val],
        known: &mut KnownNames,
    ) -> Option<()> {
        let start = line.as_ptr() as usize - block.as_ptr() as usize;
        masks
            .classify(self.simd?, block, start, line.len())
            .then_some(())?;
        flat::scan(line, masks, known, vals, &self.syntax, |raw, hint| {
            self.column(raw, hint)
        })
    }

    /// Scans the record of one line (an object), noting where each read
    /// field's value is; what follows the record is not read, as in Spark.
    /// `None` also for a record that used a leniency of the syntax.
    fn scan_line(&self, line: &[u8], vals: &mut [Val], known: &mut KnownNames) -> Option<()> {
        let mut s = Scanner::check(line, &self.syntax);
        s.bom();
        s.ws().ok()?;
        if s.peek() != Some(b'{') {
            return None;
        }
        s.i += 1;
        s.ws().ok()?;
        if s.peek() != Some(b'}') {
            let mut hint = 0;
            for k in 0.. {
                s.ws().ok()?;
                if s.peek() != Some(b'"') {
                    return None;
                }
                let column = match known.matches(k, &line[s.i + 1..]) {
                    Some((len, column)) => {
                        s.i += 1 + len;
                        column
                    }
                    None => {
                        let (raw, escaped) = s.raw_key().ok()?;
                        let column = if escaped {
                            let key = sqlc_compiler::json::syntax::unescape(raw).ok()?;
                            self.column(key.as_bytes(), hint)
                        } else {
                            self.column(raw, hint)
                        };
                        known.learn(k, (!escaped).then_some(raw), column);
                        column
                    }
                };
                s.ws().ok()?;
                if s.peek() != Some(b':') {
                    return None;
                }
                s.i += 1;
                s.ws().ok()?;
                match column {
                    // Numbers and strings, most skipped values, directly.
                    None => match s.peek() {
                        Some(b'-' | b'0'..=b'9') => {
                            s.raw_number().ok()?;
                        }
                        Some(b'"') => {
                            s.raw_string().ok()?;
                        }
                        _ => s.skip_value(0).ok()?,
                    },
                    Some(c) => {
                        hint = c + 1;
                        vals[c] = value(&mut s)?;
                    }
                }
                if !s.list_next(b'}').ok()? {
                    break;
                }
            }
        }
        (!s.odd).then_some(())
    }
}

/// Scans the value at the scanner's position, noting its kind and span.
#[inline]
fn value(s: &mut Scanner<'_>) -> Option<Val> {
    let start = s.i;
    let kind = match s.peek()? {
        b'"' => {
            let (raw, escaped) = s.raw_string().ok()?;
            let end = s.i - 1;
            return Some(Val {
                kind: Kind::Str { escaped },
                start: (end - raw.len()) as u32,
                end: end as u32,
            });
        }
        b'-' | b'0'..=b'9' => {
            s.raw_number().ok()?;
            Kind::Number
        }
        b't' => {
            s.raw_literal(b"true").ok()?;
            Kind::True
        }
        b'f' => {
            s.raw_literal(b"false").ok()?;
            Kind::False
        }
        b'n' => {
            s.raw_literal(b"null").ok()?;
            Kind::Null
        }
        b'{' | b'[' => {
            s.skip_value(0).ok()?;
            Kind::Nested
        }
        _ => return None,
    };
    Some(Val {
        kind,
        start: start as u32,
        end: s.i as u32,
    })
}

/// A string value's text: borrowed when it has no escapes.
fn string<'a>(line: &'a [u8], v: Val, scratch: &'a mut String) -> Option<&'a str> {
    std::str::from_utf8(string_bytes(line, v, scratch)?).ok()
}

/// A string value's UTF-8 bytes (the scanner checked them): borrowed when
/// it has no escapes.
#[inline]
fn string_bytes<'a>(line: &'a [u8], v: Val, scratch: &'a mut String) -> Option<&'a [u8]> {
    let raw = &line[v.start as usize..v.end as usize];
    match v.kind {
        Kind::Str { escaped: false } => Some(raw),
        Kind::Str { escaped: true } => {
            *scratch = sqlc_compiler::json::syntax::unescape(raw).ok()?;
            Some(scratch.as_bytes())
        }
        _ => None,
    }
}

/// A number's text (checked JSON number grammar, so ASCII).
#[inline]
fn number(line: &[u8], v: Val) -> &[u8] {
    &line[v.start as usize..v.end as usize]
}

/// A JSON number as a double, correctly rounded (as `str::parse`).
#[inline]
fn double(text: &[u8]) -> Option<f64> {
    lexical_core::parse(text).ok()
}

/// Jackson's VALUE_NUMBER_INT read as a long: an integer token that fits.
#[inline]
fn long(b: &[u8]) -> Option<i64> {
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 18 {
        return lexical_core::parse(b).ok();
    }
    let mut v: i64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (d - b'0') as i64;
    }
    Some(if neg { -v } else { v })
}

impl Builder {
    fn null(&mut self) {
        match self {
            Builder::Bool(b) => b.append_null(),
            Builder::I32(b) => b.append_null(),
            Builder::I64(b) => b.append_null(),
            Builder::F64(b) => b.append_null(),
            Builder::Str(b) => b.append_null(),
            Builder::Bin(b) => b.append_null(),
            Builder::Ts(b) => b.append_null(),
            Builder::Date(b) => b.append_null(),
        }
    }

    /// Appends the value `v` of `line`, by the rules of the fast path's
    /// Arrow decoders (`super::tape`); `None` where those fail.
    #[inline]
    fn push(&mut self, line: &[u8], v: Val, scratch: &mut String, specials: bool) -> Option<()> {
        if matches!(v.kind, Kind::Absent | Kind::Null) {
            self.null();
            return Some(());
        }
        match self {
            // Bytes the scanner checked as UTF-8, checked again once a batch.
            Builder::Str(b) => match v.kind {
                Kind::Str { .. } => b.append_value(string_bytes(line, v, scratch)?),
                Kind::Number => b.append_value(number(line, v)),
                Kind::True => b.append_value("true"),
                Kind::False => b.append_value("false"),
                _ => return None,
            },
            Builder::I64(b) => match v.kind {
                Kind::Number => b.append_value(long(number(line, v))?),
                _ => return None,
            },
            Builder::I32(b) => match v.kind {
                Kind::Number => b.append_value(i32::try_from(long(number(line, v))?).ok()?),
                _ => return None,
            },
            Builder::F64(b) => match v.kind {
                Kind::Number => b.append_value(double(number(line, v))?),
                Kind::Str { .. } if specials => {
                    b.append_value(special_double(string(line, v, scratch)?)?)
                }
                _ => return None,
            },
            Builder::Bool(b) => match v.kind {
                Kind::True => b.append_value(true),
                Kind::False => b.append_value(false),
                _ => return None,
            },
            Builder::Ts(b) => match v.kind {
                Kind::Str { .. } => b.append_value(parse_timestamp(string(line, v, scratch)?)?),
                // A JSON integer is seconds since the epoch, as in Spark.
                Kind::Number => b.append_value(
                    lexical_core::parse::<i64>(number(line, v))
                        .ok()?
                        .checked_mul(1_000_000)?,
                ),
                _ => return None,
            },
            Builder::Date(b) => match v.kind {
                Kind::Str { .. } => b.append_value(parse_date(string(line, v, scratch)?)?),
                _ => return None,
            },
            Builder::Bin(b) => match v.kind {
                Kind::Str { .. } => b.append_value(decode_base64(string(line, v, scratch)?)?),
                _ => return None,
            },
        }
        Some(())
    }

    /// The column built (`None`: a string column that is not UTF-8, which
    /// the scanner's checks rule out; the block would go to the exact paths).
    fn finish(&mut self) -> Option<ArrayRef> {
        Some(match self {
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::I32(b) => Arc::new(b.finish()),
            Builder::I64(b) => Arc::new(b.finish()),
            Builder::F64(b) => Arc::new(b.finish()),
            // One UTF-8 check over the batch, not one call per value.
            Builder::Str(b) => Arc::new(StringArray::try_from_binary(b.finish()).ok()?),
            Builder::Bin(b) => Arc::new(b.finish()),
            Builder::Ts(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::AsArray;
    use sqlc_compiler::types::Field;

    fn decoder() -> SpecializedDecoder {
        let schema = Schema::new(vec![
            Field::new("a", DataType::Int64, true),
            Field::new("gt", DataType::Utf8, true),
            Field::new("x", DataType::Float64, true),
        ]);
        SpecializedDecoder::new(&schema, None, &Syntax::SPARK).unwrap()
    }

    #[test]
    fn reads_good_lines_in_one_pass() {
        let lines = b"{\"a\":1,\"skip\":{\"q\":[1,\"x\"]},\"gt\":\"w\\u0061lk\",\"x\":2}\n\n {\"gt\":7,\"gt\":true,\"x\":\"NaN\"} \n{}";
        let b = decoder().decode(lines, 2, false).expect("good lines");
        assert_eq!(b.iter().map(|b| b.num_rows()).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(b[0].column(0).as_primitive::<Int64Type>().value(0), 1);
        assert_eq!(b[0].column(1).as_string::<i32>().value(0), "walk");
        assert_eq!(
            b[0].column(1).as_string::<i32>().value(1),
            "true",
            "the last duplicate wins"
        );
        assert!(b[0]
            .column(2)
            .as_primitive::<Float64Type>()
            .value(1)
            .is_nan());
        assert_eq!(b[1].column(0).null_count(), 1);
        // A record is read up to its end, after a byte-order mark, and
        // lines end at `\r` too (Spark reads these lines so).
        let b = decoder()
            .decode(b"\xef\xbb\xbf{\"a\":1} x\r{\"a\":2}{\"a\":3}", 10, false)
            .expect("good lines");
        let a = b[0].column(0).as_primitive::<Int64Type>();
        assert_eq!(a.values().to_vec(), [1, 2]);
    }

    #[test]
    fn numbers_parse_as_rust_parses_their_text() {
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "0.1",
            "1e999",
            "-1e999",
            "1e-999",
            "4.9e-324",
            "2.2250738585072014e-308",
            "1.7976931348623157e308",
            "123456789012345678901234567890",
            "9007199254740993",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "1.5E+3",
            "-12.500e-2",
            "4.678311325",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if f.is_finite() {
                texts.push(format!("{f:e}"));
                texts.push(format!("{}", f / 1e300));
            }
            texts.push(format!("{}", x as i64 >> (x % 64)));
        }
        for t in &texts {
            let b = t.as_bytes();
            let want = t.parse::<f64>().unwrap();
            assert_eq!(double(b).map(f64::to_bits), Some(want.to_bits()), "{t}");
            assert_eq!(long(b), t.parse::<i64>().ok(), "{t}");
        }
    }

    #[test]
    fn names_learnt_from_earlier_lines_match_only_themselves() {
        // Same places, other names: a prefix, a longer name, an escaped one,
        // names in another order, fewer and more fields.
        let lines = concat!(
            "{\"a\":1,\"gt\":\"p\",\"x\":1}\n",
            "{\"ab\":2,\"g\":\"q\",\"x\":2}\n",
            "{\"a\":3,\"gt\":\"r\",\"x\":3}\n",
            "{\"\\u0061\":4,\"gt\":\"s\"}\n",
            "{\"x\":5,\"a\":5,\"gt\":\"t\",\"gt\":\"u\"}\n",
            "{\"a\":6}\n",
            "{\"a\":7,\"gt\":\"v\",\"x\":7,\"y\":0}\n",
            "{\"a\":8,\"gt\":\"w\",\"x\":8,\"y\":\"\\q\"}\n",
        );
        let d = decoder();
        assert!(
            d.decode(lines.as_bytes(), 100, false).is_none(),
            "the last line is malformed"
        );
        let good = &lines[..lines.rfind("{\"a\":8").unwrap()];
        let b = d.decode(good.as_bytes(), 100, false).expect("good lines");
        let a = b[0].column(0).as_primitive::<Int64Type>();
        let gt = b[0].column(1).as_string::<i32>();
        let x = b[0].column(2).as_primitive::<Float64Type>();
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            [Some(1), None, Some(3), Some(4), Some(5), Some(6), Some(7)]
        );
        assert_eq!(
            gt.iter().collect::<Vec<_>>(),
            [
                Some("p"),
                None,
                Some("r"),
                Some("s"),
                Some("u"),
                None,
                Some("v")
            ]
        );
        assert_eq!(
            x.iter().collect::<Vec<_>>(),
            [
                Some(1.0),
                Some(2.0),
                Some(3.0),
                None,
                Some(5.0),
                None,
                Some(7.0)
            ]
        );
    }

    #[test]
    fn gives_back_what_the_exact_paths_must_read() {
        let d = decoder();
        for bad in [
            &b"{\"a\":1.5}"[..],
            b"{\"a\":\"1\"}",
            b"{\"gt\":{\"o\":1}}",
            b"{\"skip\":01}",
            b"[{\"a\":1}]",
            b"{\"a\":1",
            b"{\"skip\":\"\\q\"}",
        ] {
            assert!(
                d.decode(bad, 10, false).is_none(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
