//! Reading CSV with Spark's defaults and options (`header`, `sep` or
//! `delimiter`, `quote`, `escape`, `nullValue`, `inferSchema`, `mode`,
//! `maxColumns`: a record of more fields fails the read in every mode).
//! As Spark without `multiLine`, a record is a line, and blank lines are
//! skipped; the header is the first line of each file.
//!
//! Fast path: Arrow's CSV decoder splits a block into string columns, which
//! are then converted with Spark's rules. If the decoder fails, a line is not
//! a record, or a value does not convert, the block is read line by line
//! with the malformed-record modes (partial results kept in PERMISSIVE).

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, AsArray, BooleanArray, PrimitiveArray, StringArray};
use arrow::datatypes::{
    ArrowPrimitiveType, DataType as ArrowType, Date32Type, Field as ArrowField, Float64Type,
    Int32Type, Int64Type, Schema as ArrowSchema, TimestampMicrosecondType,
};
use arrow::record_batch::RecordBatch;
use sqlc_compiler::types::{DataType, Field, Schema};

use super::infer::CsvType;
use super::json::{batch_rows, corrupt_column_index, malformed};
use super::lines::{first_line_start, lines, FileLines};
use super::options::{Options, ParseMode};
use super::parse::{
    parse_bool, parse_byte, parse_date, parse_double, parse_int, parse_long, parse_short,
    parse_timestamp,
};
use super::rows::{Cell, RowsBuilder};
use crate::error::{Error, Result};
use crate::format::null_column::null_column;
use sqlc_compiler::scan_spec::ScanSpec;

/// The CSV dialect options.
#[derive(Clone, Debug)]
pub struct CsvFormat {
    pub header: bool,
    pub sep: u8,
    pub quote: u8,
    pub escape: u8,
    pub null_value: String,
    pub infer_schema: bool,
    /// The most fields a record may have (Spark's `maxColumns`).
    pub max_columns: usize,
}

/// Spark's default `maxColumns`.
const MAX_COLUMNS: usize = 20_480;

impl CsvFormat {
    /// Reads the options, with Spark's defaults.
    pub fn from_options(options: &Options) -> Result<Self> {
        let sep_key = if options.contains("sep") {
            "sep"
        } else {
            "delimiter"
        };
        Ok(CsvFormat {
            header: options.get_bool("header", false)?,
            sep: options.get_char(sep_key, b',')?,
            quote: options.get_char("quote", b'"')?,
            escape: options.get_char("escape", b'\\')?,
            null_value: options.get_str("nullValue", "").to_string(),
            infer_schema: options.get_bool("inferSchema", false)?,
            max_columns: options
                .get_positive_int("maxColumns")?
                .unwrap_or(MAX_COLUMNS),
        })
    }

    /// Fails the read if a record has more fields than `maxColumns`, as
    /// Spark's parser does in every mode. `line` gives its 1-based number.
    pub fn check_width(
        &self,
        fields: usize,
        path: &Path,
        line: impl FnOnce() -> u64,
    ) -> Result<()> {
        if fields <= self.max_columns {
            return Ok(());
        }
        Err(Error::bad_file(
            path,
            format!(
                "the record at line {} has {fields} fields, more than maxColumns ({}); set the option maxColumns to read it",
                line(),
                self.max_columns
            ),
        ))
    }

    /// Splits one line into its fields, unquoting them; an empty field that
    /// was not quoted is `None` (always null, while `""` is an empty string
    /// unless `nullValue` is empty, as in Spark).
    pub fn split(&self, line: &[u8]) -> Vec<Option<String>> {
        let mut out = Vec::new();
        let mut cur = Vec::new();
        let (mut in_quotes, mut field_start, mut quoted) = (false, true, false);
        let finish = |cur: &mut Vec<u8>, quoted: bool| {
            (quoted || !cur.is_empty())
                .then(|| String::from_utf8_lossy(&std::mem::take(cur)).into_owned())
        };
        let mut i = 0;
        while i < line.len() {
            let c = line[i];
            let next = line.get(i + 1).copied();
            i += 1;
            if in_quotes {
                if c == self.escape
                    && self.escape != self.quote
                    && (next == Some(self.quote) || next == Some(c))
                {
                    cur.push(next.unwrap_or(c));
                    i += 1;
                } else if c == self.quote && next == Some(self.quote) {
                    cur.push(c);
                    i += 1;
                } else if c == self.quote {
                    in_quotes = false;
                } else {
                    cur.push(c);
                }
            } else if c == self.sep {
                out.push(finish(&mut cur, quoted));
                (field_start, quoted) = (true, false);
            } else if c == self.quote && field_start {
                (in_quotes, quoted, field_start) = (true, true, false);
            } else {
                cur.push(c);
                field_start = false;
            }
        }
        out.push(finish(&mut cur, quoted));
        out
    }

    fn is_null(&self, v: Option<&str>) -> bool {
        v.is_none_or(|s| s == self.null_value)
    }

    /// Converts one field to `t` with Spark's CSV rules.
    fn cell(&self, v: Option<&str>, t: &DataType) -> Option<Cell> {
        let Some(s) = v.filter(|_| !self.is_null(v)) else {
            return Some(Cell::Null);
        };
        Some(match t {
            DataType::Null => Cell::Null,
            DataType::Boolean => Cell::Bool(parse_bool(s)?),
            DataType::Int32 => Cell::I32(parse_int(s)?),
            DataType::Int16 => Cell::I32(parse_short(s)?.into()),
            DataType::Int8 => Cell::I32(parse_byte(s)?.into()),
            DataType::Int64 => Cell::I64(parse_long(s)?),
            DataType::Float64 | DataType::Float32 => Cell::F64(parse_double(s)?),
            DataType::Decimal(p, sc) => {
                Cell::Dec(crate::source::parse::parse_decimal(s, (*p, *sc))?)
            }
            DataType::Utf8 => Cell::Str(s.to_string()),
            DataType::Binary => Cell::Bin(s.as_bytes().to_vec()),
            DataType::Timestamp => Cell::Ts(parse_timestamp(s)?),
            DataType::TimestampNtz => Cell::Ts(sqlc_compiler::scalar_fns::parse_timestamp_ntz(s)?),
            DataType::Date => Cell::Date(parse_date(s)?),
            DataType::YearMonthInterval(..) | DataType::DayTimeInterval(..) => {
                crate::source::parse::parse_interval(s, t)?
            }
            DataType::Struct(_) | DataType::Array(..) | DataType::Map(..) => return None,
        })
    }
}

/// Whether a line is skipped: empty after trimming, as Spark's CSV reader.
fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| b <= b' ')
}

/// The column names of a header line, made safe as Spark does: empty names
/// become `_c<i>`, and repeated names get their index appended.
pub fn header_names(fields: &[String]) -> Vec<String> {
    let mut counts = std::collections::HashMap::with_capacity(fields.len());
    for f in fields {
        *counts.entry(f.to_ascii_lowercase()).or_insert(0usize) += 1;
    }
    fields
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let dup = counts[&name.to_ascii_lowercase()] > 1;
            if name.is_empty() {
                format!("_c{i}")
            } else if dup {
                format!("{name}{i}")
            } else {
                name.clone()
            }
        })
        .collect()
}

/// The first non-blank line of `data` (a whole file), split into fields.
pub fn first_record(data: &[u8], format: &CsvFormat) -> Option<Vec<String>> {
    let line = lines(&data[first_line_start(data)..]).find(|l| !is_blank(l))?;
    Some(
        format
            .split(line)
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect(),
    )
}

/// Infers the types of the first `width` columns from the lines of
/// `data[block]` of the file at `path`; `skip_header` drops the block's
/// first non-blank line.
pub fn infer_block(
    src: FileLines<'_>,
    block: Range<usize>,
    format: &CsvFormat,
    width: usize,
    skip_header: bool,
) -> Result<Vec<CsvType>> {
    let (path, data) = (src.path, src.data);
    let mut types = vec![CsvType::Null; width];
    let mut skip = skip_header;
    for (index, line) in lines(&data[block.clone()]).enumerate() {
        if is_blank(line) || std::mem::take(&mut skip) {
            continue;
        }
        let fields = format.split(line);
        format.check_width(fields.len(), path, || src.line_number(block.start, index))?;
        for (t, v) in types.iter_mut().zip(fields) {
            if let Some(v) = v.filter(|v| *t != CsvType::Str && !format.is_null(Some(v))) {
                *t = t.merge(CsvType::of(&v));
            }
        }
    }
    Ok(types)
}

/// A CSV reader for one schema and set of options.
#[derive(Debug, Clone)]
pub struct CsvReader {
    format: CsvFormat,
    schema: Schema,
    arrow_schema: arrow::datatypes::SchemaRef,
    data_fields: Vec<Field>,
    /// Per data field: whether the query reads it (a field not read is not
    /// converted, so it is null and never makes a record malformed, as
    /// with Spark's CSV column pruning).
    read: Vec<bool>,
    corrupt_index: Option<usize>,
    mode: ParseMode,
}

impl CsvReader {
    /// A reader producing batches of `schema`; fields match CSV columns by
    /// position, except the corrupt-record column.
    pub fn new(schema: &Schema, options: &Options) -> Result<Self> {
        Self::reading(schema, options, None)
    }

    /// A reader converting only the fields `read` says a query reads
    /// (`None`: all).
    pub fn reading(schema: &Schema, options: &Options, read: Option<&ScanSpec>) -> Result<Self> {
        let corrupt_index = corrupt_column_index(schema, options)?;
        let mut read: Vec<bool> = match read.filter(|r| r.columns.len() == schema.len()) {
            Some(r) => r.columns.clone(),
            None => vec![true; schema.len()],
        };
        if let Some(i) = corrupt_index {
            read.remove(i);
        }
        let mut data_fields = schema.fields.clone();
        if let Some(i) = corrupt_index {
            data_fields.remove(i);
        }
        if let Some(f) = data_fields
            .iter()
            .find(|f| matches!(f.data_type, DataType::Struct(_)))
        {
            return Err(Error::analysis(
                "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE",
                format!(
                    "CSV data source does not support {} data type (column `{}`)",
                    f.data_type, f.name
                ),
            ));
        }
        Ok(CsvReader {
            format: CsvFormat::from_options(options)?,
            arrow_schema: schema.to_arrow(),
            schema: schema.clone(),
            data_fields,
            read,
            corrupt_index,
            mode: options.parse_mode()?,
        })
    }

    /// Decodes the lines of `data[block]`, part of the file at `path`; the
    /// file's first block starts with the header if there is one.
    pub fn decode_block(
        &self,
        src: FileLines<'_>,
        block: Range<usize>,
    ) -> Result<Vec<RecordBatch>> {
        let data = src.data;
        let header = self.format.header && src.starts_file(block.start);
        if let Some(batches) = self.fast(&data[block.clone()], header) {
            return Ok(batches);
        }
        self.careful(src, block, header)
    }

    fn fast(&self, bytes: &[u8], header: bool) -> Option<Vec<RecordBatch>> {
        let width = self.data_fields.len();
        // Arrow reads `""` as null; with a `nullValue`, Spark as "".
        let quote_pair = [self.format.quote; 2];
        if width == 0
            || (!self.format.null_value.is_empty()
                && memchr::memmem::find(bytes, &quote_pair).is_some())
        {
            return None;
        }
        let strings: Vec<ArrowField> = (0..width)
            .map(|i| ArrowField::new(format!("c{i}"), ArrowType::Utf8, true))
            .collect();
        let mut decoder = arrow::csv::ReaderBuilder::new(Arc::new(ArrowSchema::new(strings)))
            .with_header(header)
            .with_delimiter(self.format.sep)
            .with_quote(self.format.quote)
            .with_escape(self.format.escape)
            .with_batch_size(batch_rows(width))
            .build_decoder();
        let expected = lines(bytes)
            .filter(|l| !is_blank(l))
            .count()
            .saturating_sub(usize::from(header));
        let (mut out, mut rows, mut rest) = (Vec::new(), 0, bytes);
        loop {
            let n = decoder.decode(rest).ok()?;
            rest = &rest[n..];
            if n == 0 || decoder.capacity() == 0 {
                let Some(batch) = decoder.flush().ok()? else {
                    break;
                };
                rows += batch.num_rows();
                out.push(self.convert(&batch)?);
            }
        }
        (rows == expected).then_some(out)
    }

    /// Converts a batch of string columns to the schema, or `None` if a value
    /// does not convert.
    fn convert(&self, strings: &RecordBatch) -> Option<RecordBatch> {
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(self.schema.len());
        for ((f, col), read) in self
            .data_fields
            .iter()
            .zip(strings.columns())
            .zip(&self.read)
        {
            columns.push(if *read {
                self.convert_column(col.as_string::<i32>(), &f.data_type)?
            } else {
                null_column(&f.data_type.to_arrow(), col.len())
            });
        }
        if let Some(i) = self.corrupt_index {
            columns.insert(i, null_column(&ArrowType::Utf8, strings.num_rows()));
        }
        RecordBatch::try_new(self.arrow_schema.clone(), columns).ok()
    }

    fn convert_column(&self, col: &StringArray, t: &DataType) -> Option<ArrayRef> {
        let f = &self.format;
        Some(match t {
            DataType::Utf8 if f.null_value.is_empty() => Arc::new(col.clone()),
            DataType::Utf8 => Arc::new(
                col.iter()
                    .map(|v| v.filter(|s| !f.is_null(Some(s))))
                    .collect::<StringArray>(),
            ),
            DataType::Boolean => Arc::new(
                col.iter()
                    .map(|v| self.value(v, parse_bool))
                    .collect::<Option<BooleanArray>>()?,
            ),
            DataType::Int32 => Arc::new(self.primitive::<Int32Type>(col, parse_int)?),
            DataType::Int16 => {
                Arc::new(self.primitive::<arrow::datatypes::Int16Type>(col, parse_short)?)
            }
            DataType::Int8 => {
                Arc::new(self.primitive::<arrow::datatypes::Int8Type>(col, parse_byte)?)
            }
            DataType::Int64 => Arc::new(self.primitive::<Int64Type>(col, parse_long)?),
            DataType::Float64 => Arc::new(self.primitive::<Float64Type>(col, parse_double)?),
            DataType::Float32 => {
                Arc::new(self.primitive::<arrow::datatypes::Float32Type>(col, |s| {
                    parse_double(s).map(|v| v as f32)
                })?)
            }
            DataType::Timestamp => Arc::new(
                self.primitive::<TimestampMicrosecondType>(col, parse_timestamp)?
                    .with_timezone("UTC"),
            ),
            DataType::Date => Arc::new(self.primitive::<Date32Type>(col, parse_date)?),
            DataType::TimestampNtz => Arc::new(self.primitive::<TimestampMicrosecondType>(
                col,
                sqlc_compiler::scalar_fns::parse_timestamp_ntz,
            )?),
            DataType::Null => Arc::new(arrow::array::NullArray::new(col.len())),
            DataType::Decimal(p, s) => {
                let ps = (*p, *s);
                let vals = col
                    .iter()
                    .map(|v| self.value(v, |t| crate::source::parse::parse_decimal(t, ps)))
                    .collect::<Option<Vec<_>>>()?;
                sqlc_compiler::decimal::array(vals, t)
            }
            DataType::Binary
            | DataType::Struct(_)
            | DataType::Array(..)
            | DataType::Map(..)
            | DataType::YearMonthInterval(..)
            | DataType::DayTimeInterval(..) => return None,
        })
    }

    /// `Some(None)` for a null, `Some(Some(v))` for a value, `None` if the
    /// text does not convert.
    fn value<T>(&self, v: Option<&str>, parse: impl Fn(&str) -> Option<T>) -> Option<Option<T>> {
        match v {
            Some(s) if !self.format.is_null(Some(s)) => parse(s).map(Some),
            _ => Some(None),
        }
    }

    fn primitive<T: ArrowPrimitiveType>(
        &self,
        col: &StringArray,
        parse: impl Fn(&str) -> Option<T::Native>,
    ) -> Option<PrimitiveArray<T>> {
        col.iter().map(|v| self.value(v, &parse)).collect()
    }

    fn careful(
        &self,
        src: FileLines<'_>,
        block: Range<usize>,
        header: bool,
    ) -> Result<Vec<RecordBatch>> {
        let (path, data) = (src.path, src.data);
        let mut rows = RowsBuilder::new(&self.schema);
        let mut out = Vec::new();
        let mut skip = header;
        for (index, line) in lines(&data[block.clone()]).enumerate() {
            if is_blank(line) || std::mem::take(&mut skip) {
                continue;
            }
            let tokens = self.format.split(line);
            self.format
                .check_width(tokens.len(), path, || src.line_number(block.start, index))?;
            let mut reason = (tokens.len() != self.data_fields.len()).then(|| {
                format!(
                    "expected {} fields, found {}",
                    self.data_fields.len(),
                    tokens.len()
                )
            });
            let mut cells: Vec<Cell> = self
                .data_fields
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    if !self.read[i] {
                        return Cell::Null;
                    }
                    let token = tokens.get(i).and_then(Option::as_deref);
                    self.format.cell(token, &f.data_type).unwrap_or_else(|| {
                        reason.get_or_insert_with(|| {
                            format!(
                                "field `{}`: cannot read '{}' as {}",
                                f.name,
                                token.unwrap_or_default(),
                                f.data_type
                            )
                        });
                        Cell::Null
                    })
                })
                .collect();
            let corrupt = match (reason, self.mode) {
                (None, _) => Cell::Null,
                (Some(reason), ParseMode::FailFast) => {
                    return Err(malformed(path, src.line_number(block.start, index), reason));
                }
                (Some(_), ParseMode::DropMalformed) => continue,
                (Some(_), ParseMode::Permissive) => {
                    Cell::Str(String::from_utf8_lossy(line).into_owned())
                }
            };
            if let Some(i) = self.corrupt_index {
                cells.insert(i, corrupt);
            }
            rows.push(cells);
            if rows.len() >= batch_rows(self.data_fields.len()) {
                out.push(rows.finish()?);
            }
        }
        if !rows.is_empty() {
            out.push(rows.finish()?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_spark() {
        let f = CsvFormat::from_options(&Options::new()).unwrap();
        assert_eq!(
            f.split(b"a,\"b,c\",\"d\"\"e\",\"f\\\"g\","),
            ["a", "b,c", "d\"e", "f\"g"]
                .map(|s| Some(s.to_string()))
                .into_iter()
                .chain([None])
                .collect::<Vec<_>>()
        );
        let tab = CsvFormat::from_options(&Options::new().with("delimiter", "\\t")).unwrap();
        assert_eq!(
            tab.split(b"a\t\t\"\""),
            [Some("a".into()), None, Some("".into())]
        );
        assert_eq!(
            header_names(&["a".into(), "".into(), "A".into()]),
            ["a0", "_c1", "A2"]
        );
    }
}

#[cfg(test)]
mod path_tests {
    use super::*;

    #[test]
    fn fast_and_careful_paths_agree() {
        let schema = Schema::new(vec![
            Field::new("i", DataType::Int32, true),
            Field::new("d", DataType::Float64, true),
            Field::new("s", DataType::Utf8, true),
            Field::new("t", DataType::Timestamp, true),
            Field::new("b", DataType::Boolean, true),
        ]);
        let r = CsvReader::new(&schema, &Options::new().with("header", "true")).unwrap();
        let data =
            b"i,d,s,t,b\n1,2.5,\"a,b\",2020-01-01 00:00:00,true\n,,,,\n-3,NaN,\"q\"\"\",,FALSE\n";
        let fast = r.fast(data, true).expect("clean data takes the fast path");
        let careful = r
            .careful(FileLines::whole(Path::new("t"), data), 0..data.len(), true)
            .unwrap();
        assert_eq!(fast[0].num_rows(), 3);
        assert_eq!(fast, careful);
    }
}
