//! Reading a set of files of one format: mapping them into memory, inferring
//! their schema, and decoding them in parallel (rayon) into batches. Used by
//! batch reads ([`FileTable`], [`read_files`]) and by the streaming file
//! source.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use arrow::record_batch::RecordBatch;
use rayon::prelude::*;
use sqlc_compiler::partition::{InputFile, Partition};
use sqlc_compiler::scan_spec::ScanSpec;
use sqlc_compiler::types::Schema;

use super::csv::{first_record, header_names, infer_block, CsvFormat};
pub use super::file_bytes::{map_files, not_regular, MappedFile};
use super::file_listing::{list_files, ListingOptions};
use super::file_partitions::{self, Packing};
use super::infer::{infer_json_block, CsvType, JsonInference};
use super::lines::split_blocks;
use super::normalize::{as_nullable, check_unique_names};
use super::options::Options;
use super::parquet::parquet_schema;
use super::text::{text_schema, TextReader};
use super::units::{self, Decoder};
use crate::error::{Error, Result};

/// A file format a file source reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileFormat {
    Json,
    Csv,
    Text,
    Parquet,
}

impl FileFormat {
    /// The name Spark uses, upper-cased as in its messages (`JSON`, `CSV`...).
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Json => "JSON",
            FileFormat::Csv => "CSV",
            FileFormat::Text => "TEXT",
            FileFormat::Parquet => "PARQUET",
        }
    }
}

impl FromStr for FileFormat {
    type Err = Error;

    /// `json`, `csv`, `text` or `parquet`, any case.
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "json" => Ok(FileFormat::Json),
            "csv" => Ok(FileFormat::Csv),
            "text" => Ok(FileFormat::Text),
            "parquet" => Ok(FileFormat::Parquet),
            _ => Err(Error::analysis("DATA_SOURCE_NOT_FOUND", format!(
                "Failed to find the data source: {s}. sqlc's file sources are json, csv, text and parquet"
            ))),
        }
    }
}

/// Reads the files at `path` (a directory or a single file) in one go, as
/// Spark's `spark.read.format(format).load(path)`: with `user_schema`, or
/// else a schema inferred from the data. Returns the schema and the
/// batches, in file order (a query's read is [`FileTable::read`], in
/// Spark's partitions).
pub fn read_files(
    format: FileFormat,
    path: impl AsRef<Path>,
    user_schema: Option<&Schema>,
    options: &Options,
) -> Result<(Schema, Vec<RecordBatch>)> {
    let table = FileTable::open(
        format,
        path.as_ref(),
        user_schema,
        options,
        Packing::default(),
    )?;
    // In file order, each file cut into blocks.
    let lengths = units::lengths(&table.paths);
    let whole = units::whole_files(&lengths, units::block_bytes(lengths.iter().sum()));
    let decoder = Decoder::new(format, &table.schema, options, None)?;
    let batches = units::decode(format, &decoder, &table.paths, options, &whole)?;
    Ok((table.schema, batches.into_iter().map(|(_, b)| b).collect()))
}

/// A batch read of files (`session.read()…load(path)`), as Spark's file
/// relation: its files are listed and its schema settled when the read is
/// declared (inferring a schema reads them); the files are read again each
/// time a query runs, decoded only as far as that query needs — the
/// columns it reads and the conjuncts a decoder may test first (its
/// [`ScanSpec`]).
#[derive(Debug)]
pub struct FileTable {
    pub format: FileFormat,
    pub schema: Schema,
    paths: Vec<PathBuf>,
    options: Options,
    packing: Packing,
}

impl FileTable {
    /// Lists the files at `path` and settles their schema: `user_schema`,
    /// or one inferred from their data; queries will read them in
    /// partitions as `packing` says.
    pub fn open(
        format: FileFormat,
        path: &Path,
        user_schema: Option<&Schema>,
        options: &Options,
        packing: Packing,
    ) -> Result<FileTable> {
        // Options are checked now, though the files are read later.
        super::parse::reader_zone(options)?;
        options.parse_mode()?;
        match format {
            FileFormat::Json => {
                options.json_syntax()?;
            }
            FileFormat::Csv => {
                CsvFormat::from_options(options)?;
            }
            _ => {}
        }
        let listed = list_files(path, &ListingOptions::from_options(options)?)?;
        let paths: Vec<PathBuf> = listed.into_iter().map(|f| f.path).collect();
        let schema = match user_schema {
            Some(s) => as_nullable(s),
            None => infer_schema(format, path, &paths, options)?,
        };
        check_unique_names(&schema)?;
        Ok(FileTable {
            format,
            schema,
            paths,
            options: options.clone(),
            packing,
        })
    }

    /// Reads the files now, decoding what `read` asks (all of each record
    /// without one); the batches, with the partition (file) of each.
    pub fn read(&self, read: Option<&ScanSpec>) -> Result<(Vec<RecordBatch>, Vec<Partition>)> {
        let read = read.filter(|r| !r.is_all());
        decode_partitioned(
            self.format,
            &self.schema,
            &self.paths,
            &self.options,
            read,
            &self.packing,
        )
    }
}

/// Infers the schema of the files at `paths`; `root` is the path the user
/// gave. Files are read a window at a time.
pub fn infer_schema(
    format: FileFormat,
    root: &Path,
    paths: &[PathBuf],
    options: &Options,
) -> Result<Schema> {
    let cannot = || Error::CannotInferSchema {
        format: format.name().into(),
        path: root.into(),
    };
    match format {
        FileFormat::Text => Ok(text_schema()),
        _ if paths.is_empty() => Err(cannot()),
        FileFormat::Json => {
            let mode = options.parse_mode()?;
            let syntax = options.json_syntax()?;
            let parts =
                units::par_windows(paths, |_, src, r| infer_json_block(src, r, mode, &syntax))?;
            let mut all = JsonInference::new();
            parts.into_iter().for_each(|p| all.merge(p));
            Ok(all.into_schema(options.corrupt_column()))
        }
        FileFormat::Csv => {
            let format = CsvFormat::from_options(options)?;
            let Some(first) = first_csv_record(paths, &format)? else {
                return Ok(Schema::default());
            };
            let names = if format.header {
                header_names(&first)
            } else {
                (0..first.len()).map(|i| format!("_c{i}")).collect()
            };
            let mut types = vec![CsvType::Str; names.len()];
            if format.infer_schema {
                let header = format.header;
                let parts = units::par_windows(paths, |u, src, r| {
                    let starts = u.range.start == 0;
                    infer_block(src, r, &format, names.len(), header && starts)
                })?;
                types = parts
                    .into_iter()
                    .fold(vec![CsvType::Null; names.len()], |acc, p| {
                        acc.into_iter().zip(p).map(|(a, b)| a.merge(b)).collect()
                    });
            }
            let fields = names
                .into_iter()
                .zip(types)
                .map(|(n, t)| sqlc_compiler::types::Field::new(n, t.to_data_type(), true));
            Ok(Schema::new(fields.collect()))
        }
        FileFormat::Parquet => {
            let file = MappedFile::open(&paths[0])?;
            parquet_schema(&file.path, file.shared_bytes())
        }
    }
}

/// The first record of the first of `paths` that has one, read from the
/// start of the file (a window first; the whole file if that is all blank).
fn first_csv_record(paths: &[PathBuf], format: &CsvFormat) -> Result<Option<Vec<String>>> {
    for p in paths {
        let (window, _) = MappedFile::open_lines(p, 0..units::block_bytes(0), false)?;
        if let Some(r) = first_record(window.bytes(), format) {
            return Ok(Some(r));
        }
        if let Some(r) = first_record(MappedFile::open(p)?.bytes(), format) {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

/// Decodes `files` (read whole into memory) into batches of `schema`, in
/// file order.
pub fn decode_files(
    format: FileFormat,
    schema: &Schema,
    files: &[MappedFile],
    options: &Options,
) -> Result<Vec<RecordBatch>> {
    decode_files_reading(format, schema, files, options, None)
}

/// Decodes `files` (read whole into memory) into batches of `schema`, in
/// file order, decoding only what `read` says a query reads (`None`:
/// everything); columns not read are null. Each file's lines are decoded
/// in blocks in parallel.
pub fn decode_files_reading(
    format: FileFormat,
    schema: &Schema,
    files: &[MappedFile],
    options: &Options,
    read: Option<&ScanSpec>,
) -> Result<Vec<RecordBatch>> {
    let decoder = Decoder::new(format, schema, options, read)?;
    let parts: Vec<Result<Vec<RecordBatch>>> = if splittable(format, options)? {
        let total = files.iter().map(|f| f.bytes().len() as u64).sum();
        let block = units::block_bytes(total) as usize;
        let blocks: Vec<(usize, Range<usize>)> = files
            .iter()
            .enumerate()
            .flat_map(|(i, f)| {
                split_blocks(f.bytes(), block)
                    .into_iter()
                    .map(move |r| (i, r))
            })
            .collect();
        blocks
            .par_iter()
            .map(|(i, r)| decoder.lines(files[*i].lines(), r.clone()))
            .collect()
    } else {
        files.par_iter().map(|f| decoder.whole(f)).collect()
    };
    let mut out = Vec::new();
    for part in parts {
        out.extend(part?.into_iter().filter(|b| b.num_rows() > 0));
    }
    Ok(out)
}

/// Whether Spark cuts files of `format` into splits: line formats, but
/// not whole-text reads. (Parquet files are cut at row groups in Spark;
/// sqlc reads each whole.)
pub(crate) fn splittable(format: FileFormat, options: &Options) -> Result<bool> {
    Ok(match format {
        FileFormat::Json | FileFormat::Csv => true,
        FileFormat::Text => !TextReader::new(&text_schema(), options)?.whole_text,
        FileFormat::Parquet => false,
    })
}

/// Reads and decodes the files at `paths` as Spark's read of them does:
/// cut into splits and packed into partitions ([`file_partitions`]), the
/// batches in partition order, each with its partition. Each split is read
/// a window at a time, just before it is decoded; files of a format that
/// is not cut are read whole.
pub(crate) fn decode_partitioned(
    format: FileFormat,
    schema: &Schema,
    paths: &[PathBuf],
    options: &Options,
    read: Option<&ScanSpec>,
    packing: &Packing,
) -> Result<(Vec<RecordBatch>, Vec<Partition>)> {
    let cut = splittable(format, options)?;
    let lengths = units::lengths(paths);
    let splits = file_partitions::plan(&lengths, cut, packing);
    let uris: Vec<Arc<str>> = paths.iter().map(|p| Arc::from(file_uri(p))).collect();
    let partition = |s: &file_partitions::Split| Partition {
        index: s.partition,
        file: Some(InputFile {
            uri: uris[s.file].clone(),
            start: s.start as i64,
            length: s.length as i64,
        }),
        reseed: None,
    };
    let decoder = Decoder::new(format, schema, options, read)?;
    if !cut {
        // One split a file: the files' batches in partition order.
        let mut by_file: Vec<Vec<RecordBatch>> = vec![Vec::new(); paths.len()];
        for (i, b) in units::decode(format, &decoder, paths, options, &[])? {
            by_file[i].push(b);
        }
        let mut batches = Vec::new();
        let mut partitions = Vec::new();
        for s in &splits {
            let bs = std::mem::take(&mut by_file[s.file]);
            partitions.extend(std::iter::repeat_n(partition(s), bs.len()));
            batches.extend(bs);
        }
        return Ok((batches, partitions));
    }
    // Each split's lines, in blocks for parallelism.
    let block = units::block_bytes(lengths.iter().sum());
    let (units, split_of) = units::of_splits(&splits, &lengths, block);
    let decoded = units::decode(format, &decoder, paths, options, &units)?;
    let partitions = decoded
        .iter()
        .map(|(u, _)| partition(&splits[split_of[*u]]))
        .collect();
    Ok((decoded.into_iter().map(|(_, b)| b).collect(), partitions))
}

/// A local path as the URI Spark gives it (`file:///dir/part-0.json`):
/// absolute, and ASCII characters a URI path may not hold percent-encoded
/// (as `java.net.URI` quotes them; other characters stay as they are).
pub fn file_uri(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file://");
    for c in abs.to_string_lossy().chars() {
        let legal = !c.is_ascii() || c.is_ascii_alphanumeric() || "-._~/!$&'()*+,;=:@".contains(c);
        if legal {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}
