//! Reading JSON lines with a known schema, with Spark's malformed-record
//! modes. A reader made for a scan decodes only the columns the query
//! reads (the others come out null; a wrong value in a field not read does
//! not make a record malformed, as with Spark's pruned JSON schema), and
//! may rule out lines by the scan's pushed filters. Each block of lines goes
//! through up to four paths:
//!
//! 0. specialized: the decoder made for the read columns' types
//!    ([`super::decode`]) over the whole block, pre-filtering lines in
//!    PERMISSIVE mode; taken when every line is one good record;
//! 1. fast (when the specialized decoder does not handle a read column's
//!    type): Arrow's JSON decoder over the whole block, with Spark's strict
//!    value rules ([`super::tape`]); taken when every line is one good
//!    record (the decoder's row count equals the non-blank line count);
//! 2. careful: each line is checked to be well-formed JSON first; good lines
//!    still go through Arrow's decoder, malformed ones are handled by mode
//!    (a PERMISSIVE row is all nulls but the corrupt-record column);
//! 3. by value: if a well-formed line still fails to decode (a value of the
//!    wrong type), the block is converted record by record
//!    ([`super::value`]), keeping Spark's partial results.
//!
//! A record that uses a leniency of the reader's JSON syntax (single
//! quotes, `NaN`, …: Spark's JSON options, [`Syntax`]) is read by the exact
//! paths, which rewrite it as strict JSON first ([`super::strict`]).

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, StringArray};
use arrow::datatypes::{DataType as ArrowType, SchemaRef};
use arrow::json::reader::Decoder;
use arrow::json::ReaderBuilder;
use arrow::record_batch::RecordBatch;
use sqlc_compiler::json::Syntax;
use sqlc_compiler::scan_spec::ScanSpec;
use sqlc_compiler::types::{DataType, Schema};

use super::decode::SpecializedDecoder;
use super::prefilter::Prefilter;
use super::tape::SparkJsonDecoders;
use super::value::{convert_line, BadRecord};
use crate::error::{Error, Result};
use crate::format::null_column::null_column;
use crate::source::lines::{is_blank, lines, lines_at, FileLines};
use crate::source::options::{Options, ParseMode};
use crate::source::rows::{Cell, RowsBuilder};

/// Rows per batch a reader emits (at most).
pub const BATCH_ROWS: usize = 8192;

/// Values (rows × columns) a batch being built holds room for, at most.
const BATCH_CELLS: usize = 1 << 20;

/// Rows per batch for `columns` columns: [`BATCH_ROWS`], fewer for very
/// wide records, so that buffers sized for a batch stay small per column
/// (a record of 40,000 fields does not reserve 8,192 rows of each).
pub fn batch_rows(columns: usize) -> usize {
    BATCH_ROWS.min(BATCH_CELLS / columns.max(1)).max(1)
}

/// A JSON-lines reader for one schema and set of options.
#[derive(Debug, Clone)]
pub struct JsonReader {
    /// The schema of the batches, with the corrupt-record column if any.
    schema: Schema,
    arrow_schema: SchemaRef,
    /// The schema without the corrupt-record column: what the data holds.
    data_schema: Schema,
    data_arrow: SchemaRef,
    corrupt_index: Option<usize>,
    mode: ParseMode,
    /// The JSON the reader accepts (Spark's `allow…` options).
    syntax: Syntax,
    /// Path 0's decoder, if it handles every read column's type.
    specialized: Option<SpecializedDecoder>,
    /// With a projection: the full schema and, per its column, the column
    /// of `schema` it is (`None`: not read, all null).
    full: Option<(SchemaRef, Vec<Option<usize>>)>,
}

impl JsonReader {
    /// A reader producing batches of `schema`. If `schema` has a field named
    /// as `columnNameOfCorruptRecord`, it receives malformed lines.
    pub fn new(schema: &Schema, options: &Options) -> Result<Self> {
        Self::reading(schema, options, None)
    }

    /// A reader producing batches of `schema` of which only what `read`
    /// says is decoded (`None`: everything).
    pub fn reading(schema: &Schema, options: &Options, read: Option<&ScanSpec>) -> Result<Self> {
        let mode = options.parse_mode()?;
        let syntax = options.json_syntax()?;
        let full_corrupt = corrupt_column_index(schema, options)?;
        let read = read.filter(|r| r.columns.len() == schema.len());
        let keep = |i: usize| read.is_none_or(|r| r.columns[i]) || Some(i) == full_corrupt;
        let full = (!(0..schema.len()).all(keep)).then(|| {
            let mut next = 0;
            let map = (0..schema.len())
                .map(|i| {
                    keep(i).then(|| {
                        next += 1;
                        next - 1
                    })
                })
                .collect();
            (schema.to_arrow(), map)
        });
        let names: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
        let prefilter =
            read.and_then(|r| Prefilter::new(&r.filters, &names, full_corrupt, &syntax));
        let schema = Schema::new(
            (0..schema.len())
                .filter(|&i| keep(i))
                .map(|i| schema.fields[i].clone())
                .collect(),
        );
        let corrupt_index = corrupt_column_index(&schema, options)?;
        let mut data_schema = schema.clone();
        if let Some(i) = corrupt_index {
            data_schema.fields.remove(i);
        }
        Ok(JsonReader {
            arrow_schema: schema.to_arrow(),
            specialized: SpecializedDecoder::new(&data_schema, prefilter, &syntax),
            schema,
            data_arrow: data_schema.to_arrow(),
            data_schema,
            corrupt_index,
            mode,
            syntax,
            full,
        })
    }

    fn decoder(&self) -> Result<Decoder> {
        Ok(ReaderBuilder::new(self.data_arrow.clone())
            .with_batch_size(batch_rows(self.data_schema.len()))
            .with_coerce_primitive(true)
            .with_decoder_factory(Arc::new(SparkJsonDecoders {
                specials: self.syntax.non_numeric_numbers,
            }))
            .build_decoder()?)
    }

    /// Decodes the lines in `data[block]`, part of the file at `path`.
    pub fn decode_block(
        &self,
        src: FileLines<'_>,
        block: std::ops::Range<usize>,
    ) -> Result<Vec<RecordBatch>> {
        let data = src.data;
        let bytes = &data[block.clone()];
        let quick = match &self.specialized {
            Some(d) => d.decode(
                bytes,
                batch_rows(self.data_schema.len()),
                self.mode == ParseMode::Permissive,
            ),
            None => self.fast(bytes),
        };
        let batches = match quick {
            Some(batches) => batches
                .into_iter()
                .map(|b| self.with_corrupt(b, &[]))
                .collect::<Result<Vec<_>>>()?,
            None => match self.careful(src, block.clone())? {
                Some(batches) => batches,
                None => self.by_value(src, block)?,
            },
        };
        batches.into_iter().map(|b| self.widen(b)).collect()
    }

    /// Decodes the lines in `data[block]` by the exact paths only (careful,
    /// then record by record), as a batch of the read columns: what the
    /// faster paths must agree with (their tests' oracle).
    pub fn decode_block_exact(
        &self,
        src: FileLines<'_>,
        block: std::ops::Range<usize>,
    ) -> Result<Vec<RecordBatch>> {
        match self.careful(src, block.clone())? {
            Some(batches) => Ok(batches),
            None => self.by_value(src, block),
        }
    }

    /// A batch of the read columns as a batch of the full schema.
    fn widen(&self, batch: RecordBatch) -> Result<RecordBatch> {
        let Some((arrow, map)) = &self.full else {
            return Ok(batch);
        };
        let n = batch.num_rows();
        let columns = map
            .iter()
            .zip(arrow.fields())
            .map(|(m, f)| match m {
                Some(i) => batch.column(*i).clone(),
                None => null_column(f.data_type(), n),
            })
            .collect();
        Ok(RecordBatch::try_new(arrow.clone(), columns)?)
    }

    /// Path 1, or `None` if the block needs more care.
    fn fast(&self, bytes: &[u8]) -> Option<Vec<RecordBatch>> {
        let expected = lines(bytes).filter(|l| !is_blank(l)).count();
        let mut decoder = self.decoder().ok()?;
        let mut out = Vec::new();
        let mut rows = 0;
        let mut rest = bytes;
        while !rest.is_empty() {
            let n = decoder.decode(rest).ok()?;
            rest = &rest[n..];
            if !rest.is_empty() {
                // The decoder stopped because a batch is full.
                let batch = decoder.flush().ok()??;
                rows += batch.num_rows();
                out.push(batch);
            }
        }
        if decoder.has_partial_record() {
            return None;
        }
        if let Some(batch) = decoder.flush().ok()? {
            rows += batch.num_rows();
            out.push(batch);
        }
        (rows == expected).then_some(out)
    }

    /// Path 2: `None` if a well-formed line did not decode. Runs of good
    /// lines go to the decoder in one piece; a malformed line in PERMISSIVE
    /// mode becomes an empty object, whose row gets the raw line.
    fn careful(
        &self,
        src: FileLines<'_>,
        block: std::ops::Range<usize>,
    ) -> Result<Option<Vec<RecordBatch>>> {
        let (path, data) = (src.path, src.data);
        let bytes = &data[block.clone()];
        let mut st = Pending {
            decoder: self.decoder()?,
            out: Vec::new(),
            corrupt: Vec::new(),
        };
        let mut run: Option<usize> = None;
        for (index, (offset, line)) in lines_at(bytes).enumerate() {
            if is_blank(line) {
                continue;
            }
            let reason = match self.check_line(line) {
                Ok(c)
                    if c.object
                        && c.strict.is_none()
                        && is_blank(&line[..c.range.start])
                        && is_blank(&line[c.range.end..]) =>
                {
                    run.get_or_insert(offset);
                    continue;
                }
                Ok(c) if c.object => {
                    // Text around the record (a byte-order mark, what
                    // follows it) or a lenient record: the decoder gets
                    // the record alone, as strict JSON.
                    if let Some(start) = run.take() {
                        if !self.feed(&mut st, &bytes[start..offset])? {
                            return Ok(None);
                        }
                    }
                    if !self.feed(&mut st, c.text(line))? {
                        return Ok(None);
                    }
                    continue;
                }
                Ok(_) => return Ok(None),
                Err(reason) => reason,
            };
            if let Some(start) = run.take() {
                if !self.feed(&mut st, &bytes[start..offset])? {
                    return Ok(None);
                }
            }
            match self.mode {
                ParseMode::FailFast => {
                    return Err(malformed(path, src.line_number(block.start, index), reason))
                }
                ParseMode::DropMalformed => {}
                ParseMode::Permissive => {
                    if !self.feed(&mut st, b"{}")? {
                        return Ok(None);
                    }
                    st.corrupt.push((
                        st.decoder.len() - 1,
                        String::from_utf8_lossy(line).into_owned(),
                    ));
                }
            }
        }
        if let Some(start) = run {
            if !self.feed(&mut st, &bytes[start..])? {
                return Ok(None);
            }
        }
        match st.decoder.flush() {
            Ok(Some(batch)) => st.out.push(self.with_corrupt(batch, &st.corrupt)?),
            Ok(None) => {}
            Err(_) => return Ok(None),
        }
        Ok(Some(st.out))
    }

    /// Feeds whole records to the pending decoder, flushing full batches;
    /// `false` if they do not decode.
    fn feed(&self, st: &mut Pending, mut bytes: &[u8]) -> Result<bool> {
        while !bytes.is_empty() {
            let Ok(n) = st.decoder.decode(bytes) else {
                return Ok(false);
            };
            bytes = &bytes[n..];
            if !bytes.is_empty() {
                // The batch is full.
                let Ok(Some(batch)) = st.decoder.flush() else {
                    return Ok(false);
                };
                st.out.push(self.with_corrupt(batch, &st.corrupt)?);
                st.corrupt.clear();
            }
        }
        Ok(!st.decoder.has_partial_record())
    }

    /// Path 3: record by record.
    fn by_value(
        &self,
        src: FileLines<'_>,
        block: std::ops::Range<usize>,
    ) -> Result<Vec<RecordBatch>> {
        let (path, data) = (src.path, src.data);
        let mut rows = RowsBuilder::new(&self.schema);
        let mut out = Vec::new();
        let width = self.data_schema.len();
        for (index, line) in lines(&data[block.clone()]).enumerate() {
            if is_blank(line) {
                continue;
            }
            let record = self.check_line(line).map_err(|reason| BadRecord {
                partial: None,
                reason,
            });
            let specials = self.syntax.non_numeric_numbers;
            match record
                .and_then(|c| convert_line(c.text(line), &self.data_schema.fields, specials))
            {
                Ok(records) => {
                    for cells in records {
                        rows.push(self.row(cells, Cell::Null));
                    }
                }
                Err(bad) => match self.mode {
                    ParseMode::FailFast => {
                        return Err(malformed(
                            path,
                            src.line_number(block.start, index),
                            bad.reason,
                        ));
                    }
                    ParseMode::DropMalformed => {}
                    ParseMode::Permissive => {
                        let cells = bad.partial.unwrap_or_else(|| vec![Cell::Null; width]);
                        rows.push(
                            self.row(cells, Cell::Str(String::from_utf8_lossy(line).into_owned())),
                        );
                    }
                },
            }
            if rows.len() >= batch_rows(width) {
                out.push(rows.finish()?);
            }
        }
        if !rows.is_empty() {
            out.push(rows.finish()?);
        }
        Ok(out)
    }

    /// A full row from the data cells and the corrupt-record cell.
    fn row(&self, mut cells: Vec<Cell>, corrupt: Cell) -> Vec<Cell> {
        if let Some(i) = self.corrupt_index {
            cells.insert(i, corrupt);
        }
        cells
    }

    /// Adds the corrupt-record column to a decoded batch: the raw lines at
    /// the given rows, null elsewhere.
    fn with_corrupt(&self, batch: RecordBatch, corrupt: &[(usize, String)]) -> Result<RecordBatch> {
        let Some(index) = self.corrupt_index else {
            return Ok(batch);
        };
        let n = batch.num_rows();
        let column: ArrayRef = if corrupt.is_empty() {
            null_column(&ArrowType::Utf8, n)
        } else {
            let mut values: Vec<Option<&str>> = vec![None; n];
            for (row, text) in corrupt {
                values[*row] = Some(text);
            }
            Arc::new(StringArray::from(values))
        };
        let mut columns = batch.columns().to_vec();
        columns.insert(index, column);
        debug_assert!(columns.iter().all(|c| c.len() == n));
        Ok(RecordBatch::try_new(self.arrow_schema.clone(), columns)?)
    }
}

/// The careful path's decoder and what it has produced.
struct Pending {
    decoder: Decoder,
    out: Vec<RecordBatch>,
    /// (row in the pending batch, raw line) of malformed lines.
    corrupt: Vec<(usize, String)>,
}

/// The position of the corrupt-record column in `schema`, checking its type
/// as Spark does.
pub fn corrupt_column_index(schema: &Schema, options: &Options) -> Result<Option<usize>> {
    let name = options.corrupt_column();
    match schema.fields.iter().position(|f| f.name == name) {
        Some(i) if schema.fields[i].data_type != DataType::Utf8 => Err(Error::analysis(
            "INVALID_CORRUPT_RECORD_TYPE",
            format!(
                "The field for corrupt records must be string type and nullable: `{name}` is {}",
                schema.fields[i].data_type
            ),
        )),
        found => Ok(found),
    }
}

/// A well-formed record found in a line.
struct Checked {
    /// An object (else a top-level array: rows only the careful path reads).
    object: bool,
    /// Where it lies in the line.
    range: Range<usize>,
    /// Its rewrite as strict JSON, if it used a leniency of the syntax.
    strict: Option<Vec<u8>>,
}

impl Checked {
    /// The record as strict JSON.
    fn text<'a>(&'a self, line: &'a [u8]) -> &'a [u8] {
        self.strict.as_deref().unwrap_or(&line[self.range.clone()])
    }
}

impl JsonReader {
    /// The well-formed record `line` holds, or why it holds none.
    fn check_line(&self, line: &[u8]) -> std::result::Result<Checked, String> {
        let record = super::scan::check_line(line, &self.syntax)?;
        let strict = match record.odd {
            true => Some(super::strict::strict(
                &line[record.range.clone()],
                &self.syntax,
            )?),
            false => None,
        };
        Ok(Checked {
            object: line[record.range.start] == b'{',
            range: record.range,
            strict,
        })
    }
}

/// The FAILFAST error for a record.
pub fn malformed(path: &Path, line: u64, reason: impl Into<String>) -> Error {
    Error::MalformedRecord {
        path: path.to_path_buf(),
        line,
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlc_compiler::types::Field;

    fn schema() -> Schema {
        Schema::new(vec![
            Field::new("a", DataType::Int64, true),
            Field::new("b", DataType::Utf8, true),
            Field::new("c", DataType::Float64, true),
            Field::new("d", DataType::Boolean, true),
            Field::new(
                "s",
                DataType::Struct(vec![Field::new("t", DataType::Timestamp, true)].into()),
                true,
            ),
        ])
    }

    const GOOD: &str =
        "{\"a\":1,\"b\":\"x\",\"c\":1.5,\"d\":true,\"s\":{\"t\":\"2020-01-01T00:00:00Z\"}}\n\
        \n{\"a\":null,\"b\":7,\"c\":2,\"s\":null,\"extra\":[1]}\r\n{}\n";

    #[test]
    fn the_three_paths_agree_on_good_data() {
        let r = JsonReader::new(&schema(), &Options::new()).unwrap();
        let data = GOOD.as_bytes();
        let fast = r.fast(data).expect("good data takes the fast path");
        let careful = r
            .careful(FileLines::whole(Path::new("t"), data), 0..data.len())
            .unwrap()
            .expect("no type errors");
        let by_value = r
            .by_value(FileLines::whole(Path::new("t"), data), 0..data.len())
            .unwrap();
        let fast = arrow::compute::concat_batches(&r.data_arrow, &fast).unwrap();
        assert_eq!(fast.num_rows(), 3);
        assert_eq!(
            fast,
            arrow::compute::concat_batches(&r.arrow_schema, &careful).unwrap()
        );
        assert_eq!(
            fast,
            arrow::compute::concat_batches(&r.arrow_schema, &by_value).unwrap()
        );
    }

    #[test]
    fn lines_that_are_not_one_record_leave_the_fast_path() {
        let r = JsonReader::new(&schema(), &Options::new()).unwrap();
        assert!(r.fast(b"{\"a\":1}\n{\"a\":").is_none());
        assert!(
            r.fast(b"{\"a\":\n1}\n").is_none(),
            "a record over two lines is two bad lines"
        );
        assert!(r.fast(b"[{\"a\":1},{\"a\":2}]\n").is_none());
        assert!(r.fast(b"{\"a\":\"1\"}\n").is_none());
        let rows = r
            .decode_block(
                FileLines::whole(Path::new("t"), b"[{\"a\":1},{\"a\":2}]\n"),
                0..18,
            )
            .unwrap();
        assert_eq!(
            rows[0].num_rows(),
            2,
            "a top-level array is several rows, as in Spark"
        );
    }
}
