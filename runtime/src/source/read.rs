//! Reading a set of files of one format: mapping them into memory, inferring
//! their schema, and decoding them in parallel (rayon) into batches. Used by
//! batch reads ([`FileTable`], [`read_files`]) and by the streaming file
//! source.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use arrow::record_batch::RecordBatch;
use bytes::Bytes;
use rayon::prelude::*;
use sqlc_compiler::partition::{InputFile, Partition};
use sqlc_compiler::scan_spec::ScanSpec;
use sqlc_compiler::types::Schema;

use sqlc_compiler::time_zone::with_session;

use super::csv::{first_record, header_names, infer_block, CsvFormat, CsvReader};
use super::file_listing::{list_files, ListingOptions};
use super::file_partitions::{self, Packing};
use super::infer::{infer_json_block, CsvType, JsonInference};
use super::lines::{first_line_start, split_blocks, split_range};
use super::normalize::{as_nullable, check_unique_names};
use super::options::Options;
use super::parquet::{parquet_schema, ParquetReader};
use super::text::{text_schema, TextReader};
use crate::error::{Error, Result};
use crate::format::json::JsonReader;

/// Bytes of a file decoded as one unit of parallel work, at most.
const BLOCK_BYTES: usize = 4 << 20;

/// Bytes of a unit of work, at least (smaller units cost more than they
/// spread).
const MIN_BLOCK_BYTES: usize = 256 << 10;

/// The block size for `total` bytes: small enough that every worker gets
/// several blocks (so one file, or a few, still use every core), large
/// enough that a block amortizes its batches.
fn block_bytes(total: usize) -> usize {
    let units = rayon::current_num_threads().max(1) * 4;
    (total / units).clamp(MIN_BLOCK_BYTES, BLOCK_BYTES)
}

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

/// A data file's bytes, read whole into memory.
///
/// Not memory-mapped: a producer that truncates or rewrites a file in place
/// while a mapping is read kills the process with SIGBUS, and no error
/// handling can catch that. Read, a file that shrinks gives the bytes that
/// were there (its last record may be cut, and is then malformed). Only
/// regular files are read: a named pipe or a device would block or never
/// end.
pub struct MappedFile {
    pub path: PathBuf,
    bytes: Bytes,
}

impl MappedFile {
    /// Reads the file at `path`.
    pub fn open(path: &Path) -> Result<MappedFile> {
        use std::io::Read;
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking, so that opening a named pipe that took the place of a
        // listed file returns at once (and is then refused as not regular).
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::PathNotFound(path.into()),
                _ => Error::io(path, e),
            })?;
        let meta = file.metadata().map_err(|e| Error::io(path, e))?;
        if !meta.is_file() {
            return Err(not_regular(path));
        }
        let mut data = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut data)
            .map_err(|e| Error::io(path, e))?;
        Ok(MappedFile {
            path: path.to_path_buf(),
            bytes: Bytes::from(data),
        })
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file's bytes as `Bytes`, sharing them.
    pub fn shared_bytes(&self) -> Bytes {
        self.bytes.clone()
    }
}

/// The error for a path that is neither a regular file nor a directory.
pub fn not_regular(path: &Path) -> Error {
    Error::io(
        path,
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a named pipe, socket or device is never read)",
        ),
    )
}

/// Reads each of `paths` (in parallel).
pub fn map_files(paths: &[PathBuf]) -> Result<Vec<MappedFile>> {
    // Read in parallel: reading is a copy out of the page cache, as costly
    // as the decoding that follows, and a batch's files are independent.
    use rayon::prelude::*;
    paths.par_iter().map(|p| MappedFile::open(p)).collect()
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
    let files = map_files(&table.paths)?;
    let batches = decode_files(format, &table.schema, &files, options)?;
    Ok((table.schema, batches))
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
            None => infer_schema(format, path, &map_files(&paths)?, options)?,
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
        let files = map_files(&self.paths)?;
        let read = read.filter(|r| !r.is_all());
        decode_partitioned(
            self.format,
            &self.schema,
            &files,
            &self.options,
            read,
            &self.packing,
        )
    }
}

/// Runs `f` over every block of every file in parallel; returns the results
/// in file and block order, or the first error in that order.
fn par_blocks<T: Send>(
    files: &[MappedFile],
    f: impl Fn(&MappedFile, Range<usize>) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    par_units(files, &file_blocks(files), f)
}

/// The units of parallel work of reading `files` whole: blocks of lines.
fn file_blocks(files: &[MappedFile]) -> Vec<(usize, Range<usize>)> {
    let block = block_bytes(files.iter().map(|f| f.bytes().len()).sum());
    files
        .iter()
        .enumerate()
        .flat_map(|(i, file)| {
            split_blocks(file.bytes(), block)
                .into_iter()
                .map(move |r| (i, r))
        })
        .collect()
}

/// Runs `f` over each unit (a file's index, a byte range of its lines) in
/// parallel; returns the results in unit order, or the first error in
/// that order.
fn par_units<T: Send>(
    files: &[MappedFile],
    units: &[(usize, Range<usize>)],
    f: impl Fn(&MappedFile, Range<usize>) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let results: Vec<Result<T>> = units
        .par_iter()
        .map(|(i, r)| f(&files[*i], r.clone()))
        .collect();
    results.into_iter().collect()
}

/// Infers the schema of `files`; `root` is the path the user gave.
pub fn infer_schema(
    format: FileFormat,
    root: &Path,
    files: &[MappedFile],
    options: &Options,
) -> Result<Schema> {
    let cannot = || Error::CannotInferSchema {
        format: format.name().into(),
        path: root.into(),
    };
    match format {
        FileFormat::Text => Ok(text_schema()),
        _ if files.is_empty() => Err(cannot()),
        FileFormat::Json => {
            let mode = options.parse_mode()?;
            let syntax = options.json_syntax()?;
            let parts = par_blocks(files, |f, r| {
                infer_json_block(&f.path, f.bytes(), r, mode, &syntax)
            })?;
            let mut all = JsonInference::new();
            parts.into_iter().for_each(|p| all.merge(p));
            Ok(all.into_schema(options.corrupt_column()))
        }
        FileFormat::Csv => {
            let format = CsvFormat::from_options(options)?;
            let Some(first) = files.iter().find_map(|f| first_record(f.bytes(), &format)) else {
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
                let parts = par_blocks(files, |f, r| {
                    infer_block(
                        &f.path,
                        f.bytes(),
                        r.clone(),
                        &format,
                        names.len(),
                        header && r.start == first_line_start(f.bytes()),
                    )
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
        FileFormat::Parquet => parquet_schema(&files[0].path, files[0].shared_bytes()),
    }
}

/// Decodes `files` into batches of `schema`, in file order.
pub fn decode_files(
    format: FileFormat,
    schema: &Schema,
    files: &[MappedFile],
    options: &Options,
) -> Result<Vec<RecordBatch>> {
    decode_files_reading(format, schema, files, options, None)
}

/// Decodes `files` into batches of `schema`, in file order, decoding only
/// what `read` says a query reads (`None`: everything); columns not read
/// are null.
pub fn decode_files_reading(
    format: FileFormat,
    schema: &Schema,
    files: &[MappedFile],
    options: &Options,
    read: Option<&ScanSpec>,
) -> Result<Vec<RecordBatch>> {
    let units = if splittable(format, options)? {
        file_blocks(files)
    } else {
        Vec::new()
    };
    Ok(decode_units(format, schema, files, options, read, &units)?
        .into_iter()
        .map(|(_, b)| b)
        .collect())
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

/// Decodes `units` (a file's index and a byte range of its lines) of
/// `files`, in unit order, each batch with the index of its unit; a
/// format that is not [`splittable`] decodes each file whole instead, each
/// batch with the index of its file.
fn decode_units(
    format: FileFormat,
    schema: &Schema,
    files: &[MappedFile],
    options: &Options,
    read: Option<&ScanSpec>,
    units: &[(usize, Range<usize>)],
) -> Result<Vec<(usize, RecordBatch)>> {
    // Times without an offset are read on the wall clock of this zone.
    let tz = super::parse::reader_zone(options)?;
    let zoned = |f: &dyn Fn() -> Result<Vec<RecordBatch>>| with_session(&tz, f);
    let indexed = |parts: Vec<Vec<RecordBatch>>| -> Vec<(usize, Vec<RecordBatch>)> {
        parts.into_iter().enumerate().collect()
    };
    let parts: Vec<(usize, Vec<RecordBatch>)> = match format {
        FileFormat::Json => {
            let reader = JsonReader::reading(schema, options, read)?;
            indexed(par_units(files, units, |f, r| {
                zoned(&|| reader.decode_block(&f.path, f.bytes(), r.clone()))
            })?)
        }
        FileFormat::Csv => {
            let reader = CsvReader::reading(schema, options, read)?;
            indexed(par_units(files, units, |f, r| {
                zoned(&|| reader.decode_block(&f.path, f.bytes(), r.clone()))
            })?)
        }
        FileFormat::Text => {
            let reader = TextReader::new(schema, options)?;
            if reader.whole_text {
                files
                    .iter()
                    .enumerate()
                    .map(|(i, f)| Ok((i, vec![reader.decode_whole(f.bytes())?])))
                    .collect::<Result<_>>()?
            } else {
                indexed(par_units(files, units, |f, r| {
                    reader.decode_lines(&f.bytes()[r])
                })?)
            }
        }
        FileFormat::Parquet => {
            let reader = ParquetReader::reading(schema, read);
            let results: Vec<Result<(usize, Vec<RecordBatch>)>> = files
                .par_iter()
                .enumerate()
                .map(|(i, f)| Ok((i, reader.decode_file(&f.path, f.shared_bytes())?)))
                .collect();
            results.into_iter().collect::<Result<_>>()?
        }
    };
    Ok(parts
        .into_iter()
        .flat_map(|(i, bs)| bs.into_iter().map(move |b| (i, b)))
        .filter(|(_, b)| b.num_rows() > 0)
        .collect())
}

/// Decodes `files` as Spark's batch read of them does: cut into splits and
/// packed into partitions ([`file_partitions`]), the batches in partition
/// order, each with its partition.
pub(crate) fn decode_partitioned(
    format: FileFormat,
    schema: &Schema,
    files: &[MappedFile],
    options: &Options,
    read: Option<&ScanSpec>,
    packing: &Packing,
) -> Result<(Vec<RecordBatch>, Vec<Partition>)> {
    let cut = splittable(format, options)?;
    let lengths: Vec<u64> = files.iter().map(|f| f.bytes().len() as u64).collect();
    let splits = file_partitions::plan(&lengths, cut, packing);
    let uris: Vec<Arc<str>> = files.iter().map(|f| Arc::from(file_uri(&f.path))).collect();
    let partition = |s: &file_partitions::Split| Partition {
        index: s.partition,
        file: Some(InputFile {
            uri: uris[s.file].clone(),
            start: s.start as i64,
            length: s.length as i64,
        }),
        reseed: None,
    };
    if !cut {
        // One split a file: the files' batches in partition order.
        let mut by_file: Vec<Vec<RecordBatch>> = vec![Vec::new(); files.len()];
        for (i, b) in decode_units(format, schema, files, options, read, &[])? {
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
    let block = block_bytes(lengths.iter().sum::<u64>() as usize);
    let mut units = Vec::new();
    let mut unit_split = Vec::new();
    for (k, s) in splits.iter().enumerate() {
        let bytes = files[s.file].bytes();
        for r in split_range(
            bytes,
            file_partitions::lines_of(bytes, s.start, s.length),
            block,
        ) {
            units.push((s.file, r));
            unit_split.push(k);
        }
    }
    let decoded = decode_units(format, schema, files, options, read, &units)?;
    let partitions = decoded
        .iter()
        .map(|(u, _)| partition(&splits[unit_split[*u]]))
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
