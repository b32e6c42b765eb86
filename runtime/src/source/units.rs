//! The units of parallel work of a file read: windows of a file's lines,
//! each read just before it is decoded (so a file of any size is never in
//! memory whole, and each window is decoded while its bytes are still in
//! the processor's caches), or whole files for the formats that are not
//! cut (Parquet, whole-text reads).

use std::ops::Range;
use std::path::PathBuf;

use arrow::record_batch::RecordBatch;
use rayon::prelude::*;
use sqlc_compiler::scan_spec::ScanSpec;
use sqlc_compiler::time_zone::{with_session, TimeZone};
use sqlc_compiler::types::Schema;

use super::csv::CsvReader;
use super::file_bytes::MappedFile;
use super::file_partitions::Split;
use super::lines::FileLines;
use super::options::Options;
use super::parquet::ParquetReader;
use super::read::{splittable, FileFormat};
use super::text::TextReader;
use crate::error::{Error, Result};
use crate::format::json::JsonReader;

/// Bytes of a file decoded as one unit of parallel work, at most.
const BLOCK_BYTES: u64 = 4 << 20;

/// Bytes of a unit of work, at least (smaller units cost more than they
/// spread).
const MIN_BLOCK_BYTES: u64 = 256 << 10;

/// The block size for `total` bytes: small enough that every worker gets
/// several blocks (so one file, or a few, still use every core), large
/// enough that a block amortizes its batches.
pub(crate) fn block_bytes(total: u64) -> u64 {
    let units = rayon::current_num_threads().max(1) as u64 * 4;
    (total / units).clamp(MIN_BLOCK_BYTES, BLOCK_BYTES)
}

/// Lines of one file: those Hadoop's line reader gives the split `range`
/// of it ([`MappedFile::open_lines`]); `to_end` when the range reaches
/// the file's end (as long as the file is when it is read).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unit {
    pub file: usize,
    pub range: Range<u64>,
    pub to_end: bool,
}

/// The units of reading whole files of `lengths`: each cut into ranges of
/// about `block` bytes.
pub(crate) fn whole_files(lengths: &[u64], block: u64) -> Vec<Unit> {
    let mut units = Vec::new();
    for (file, &len) in lengths.iter().enumerate() {
        cut(file, 0..len, true, block, &mut units);
    }
    units
}

/// The units of `splits` of files of `lengths`, each split cut into ranges
/// of about `block` bytes; with the index of each unit's split.
pub(crate) fn of_splits(splits: &[Split], lengths: &[u64], block: u64) -> (Vec<Unit>, Vec<usize>) {
    let mut units = Vec::new();
    let mut split_of = Vec::new();
    for (k, s) in splits.iter().enumerate() {
        let end = s.start + s.length;
        let to_end = end >= lengths[s.file];
        let before = units.len();
        cut(s.file, s.start..end, to_end, block, &mut units);
        split_of.extend(std::iter::repeat_n(k, units.len() - before));
    }
    (units, split_of)
}

/// Cuts `range` of `file` into units of about `block` bytes (one, if it
/// is empty: an empty file is still read, and a file may have grown).
fn cut(file: usize, range: Range<u64>, to_end: bool, block: u64, out: &mut Vec<Unit>) {
    let mut start = range.start;
    loop {
        let end = (start + block.max(1)).min(range.end);
        let last = end == range.end;
        out.push(Unit {
            file,
            range: start..end,
            to_end: to_end && last,
        });
        if last {
            return;
        }
        start = end;
    }
}

/// What decodes a format: its lines a block at a time, or whole files.
pub(crate) enum Decoder {
    Json(JsonReader, TimeZone),
    Csv(CsvReader, TimeZone),
    Text(TextReader),
    Parquet(ParquetReader),
}

impl Decoder {
    /// The decoder of `format` for batches of `schema`, decoding only what
    /// `read` says a query reads (`None`: everything).
    pub fn new(
        format: FileFormat,
        schema: &Schema,
        options: &Options,
        read: Option<&ScanSpec>,
    ) -> Result<Decoder> {
        // Times without an offset are read on the wall clock of this zone.
        let tz = || super::parse::reader_zone(options);
        Ok(match format {
            FileFormat::Json => Decoder::Json(JsonReader::reading(schema, options, read)?, tz()?),
            FileFormat::Csv => Decoder::Csv(CsvReader::reading(schema, options, read)?, tz()?),
            FileFormat::Text => Decoder::Text(TextReader::new(schema, options)?),
            FileFormat::Parquet => Decoder::Parquet(ParquetReader::reading(schema, read)),
        })
    }

    /// The lines `block` of `src`.
    pub fn lines(&self, src: FileLines<'_>, block: Range<usize>) -> Result<Vec<RecordBatch>> {
        match self {
            Decoder::Json(r, tz) => with_session(tz, || r.decode_block(src, block.clone())),
            Decoder::Csv(r, tz) => with_session(tz, || r.decode_block(src, block.clone())),
            Decoder::Text(r) => r.decode_lines(&src.data[block]),
            Decoder::Parquet(_) => Err(Error::internal("Parquet files are decoded whole")),
        }
    }

    /// A whole file (of a format not cut into lines).
    pub fn whole(&self, file: &MappedFile) -> Result<Vec<RecordBatch>> {
        match self {
            Decoder::Text(r) if r.whole_text => Ok(vec![r.decode_whole(file.bytes())?]),
            Decoder::Parquet(r) => r.decode_file(&file.path, file.shared_bytes()),
            _ => {
                let lines = file.lines();
                let all = super::lines::first_line_start(file.bytes())..file.bytes().len();
                self.lines(lines, all)
            }
        }
    }
}

/// Reads and decodes `units` of the files at `paths` in parallel (or, for
/// a format that is not cut, each file whole: `units` are then ignored);
/// the batches in unit (or file) order, each with the index of its unit
/// (or file), or the first error in that order.
pub(crate) fn decode(
    format: FileFormat,
    decoder: &Decoder,
    paths: &[PathBuf],
    options: &Options,
    units: &[Unit],
) -> Result<Vec<(usize, RecordBatch)>> {
    let parts: Vec<Result<Vec<RecordBatch>>> = if splittable(format, options)? {
        units
            .par_iter()
            .map(|u| {
                let (window, lines) =
                    MappedFile::open_lines(&paths[u.file], u.range.clone(), u.to_end)?;
                decoder.lines(window.lines(), lines)
            })
            .collect()
    } else {
        paths
            .par_iter()
            .map(|p| decoder.whole(&MappedFile::open(p)?))
            .collect()
    };
    let mut out = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        out.extend(
            part?
                .into_iter()
                .filter(|b| b.num_rows() > 0)
                .map(|b| (i, b)),
        );
    }
    Ok(out)
}

/// Runs `f` over every unit of `files` read whole (their lengths now) in
/// parallel, each unit's window read just before; the results in unit
/// order, or the first error in that order.
pub(crate) fn par_windows<T: Send>(
    paths: &[PathBuf],
    f: impl Fn(&Unit, FileLines<'_>, Range<usize>) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let lengths = lengths(paths);
    let units = whole_files(&lengths, block_bytes(lengths.iter().sum()));
    let results: Vec<Result<T>> = units
        .par_iter()
        .map(|u| {
            let (window, lines) =
                MappedFile::open_lines(&paths[u.file], u.range.clone(), u.to_end)?;
            f(u, window.lines(), lines)
        })
        .collect();
    results.into_iter().collect()
}

/// The lengths of the files at `paths` now (0 for a file gone: reading it
/// then says so).
pub(crate) fn lengths(paths: &[PathBuf]) -> Vec<u64> {
    paths
        .iter()
        .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .collect()
}
