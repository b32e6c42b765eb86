//! The file sink: each batch's rows as JSON lines, CSV or Parquet files in
//! an output directory, in subdirectories `col=value/` when partitioned by
//! columns (the partition columns are then not in the files), append mode
//! only. Exactly-once with the manifest (`_spark_metadata/`, see
//! [`crate::files::manifest`]): a batch's files are listed only once they are all
//! written; a batch the manifest already has (run again after a crash
//! between the sink and the commit log) is skipped, as Spark skips it; a
//! batch run again before it reached the manifest rewrites the same file
//! names, so nothing is listed twice.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use arrow::array::{ArrayRef, UInt32Array};
use arrow::compute::take;
use arrow::datatypes::{Schema as ArrowSchema, SchemaRef};
use arrow::record_batch::RecordBatch;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use parquet::arrow::ArrowWriter;

use super::{OutputMode, Sink};
use crate::checkpoint::{files::write_atomic, CompactLog};
use crate::display::{in_zone, to_csv};
use crate::error::{Error, Result};
use crate::files::manifest::{entry, manifest_log};
use crate::format::json::to_json_lines;
use crate::source::{FileFormat, FileStatus};
use sqlc_compiler::time_zone::TimeZone;

/// Spark's name for a null partition value.
const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

pub struct FileSink {
    dir: PathBuf,
    format: FileFormat,
    partition_by: Vec<String>,
    /// CSV: write a header line (option `header`, default false as in Spark).
    header: bool,
    manifest: CompactLog,
    /// JSON and CSV print timestamps on this zone's wall clock (the
    /// session time zone, or the sink's `timeZone` option).
    tz: TimeZone,
}

impl FileSink {
    /// A sink writing `format` files under `dir`. The partition columns
    /// must be columns of `schema`.
    pub fn new(
        dir: &Path,
        format: FileFormat,
        partition_by: Vec<String>,
        header: bool,
        schema: &SchemaRef,
    ) -> Result<Self> {
        if format == FileFormat::Text {
            return Err(Error::not_supported(
                "the text file sink is not supported (supported: json, csv, parquet)",
            ));
        }
        for c in &partition_by {
            if schema
                .fields()
                .iter()
                .all(|f| !f.name().eq_ignore_ascii_case(c))
            {
                return Err(Error::analysis(
                    "UNRESOLVED_COLUMN",
                    format!(
                        "Partition column `{c}` not found in schema {}",
                        schema
                            .fields()
                            .iter()
                            .map(|f| f.name().as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
        if partition_by.len() == schema.fields().len() {
            return Err(Error::analysis(
                "ALL_PARTITION_COLUMNS_NOT_ALLOWED",
                "Cannot use all columns for partition columns",
            ));
        }
        let dir = std::path::absolute(dir).map_err(|e| Error::io(dir, e))?;
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(FileSink {
            manifest: manifest_log(&dir),
            dir,
            format,
            partition_by,
            header,
            tz: TimeZone::Utc,
        })
    }

    /// Writes timestamps in JSON and CSV in the zone `tz`.
    pub fn in_zone(mut self, tz: TimeZone) -> Self {
        self.tz = tz;
        self
    }

    fn extension(&self) -> &'static str {
        match self.format {
            FileFormat::Json => "json",
            FileFormat::Csv => "csv",
            FileFormat::Parquet => "snappy.parquet",
            FileFormat::Text => "txt",
        }
    }

    fn encode(&self, schema: &SchemaRef, rows: &[RecordBatch]) -> Result<Vec<u8>> {
        Ok(match self.format {
            FileFormat::Json | FileFormat::Text => {
                to_json_lines(&in_zone(rows, &self.tz)).into_bytes()
            }
            FileFormat::Csv => {
                let text = to_csv(schema, &in_zone(rows, &self.tz));
                match (self.header, text.find('\n')) {
                    (false, Some(i)) => text.as_bytes()[i + 1..].to_vec(),
                    _ => text.into_bytes(),
                }
            }
            FileFormat::Parquet => {
                let props = parquet::file::properties::WriterProperties::builder()
                    .set_compression(parquet::basic::Compression::SNAPPY)
                    .build();
                let mut buf = Vec::new();
                // Encoding into memory fails only on a bug (a schema the
                // writer cannot hold was let through).
                let enc = |e: parquet::errors::ParquetError| {
                    Error::internal(format!("Parquet encoder: {e}"))
                };
                let mut w =
                    ArrowWriter::try_new(&mut buf, schema.clone(), Some(props)).map_err(enc)?;
                for b in rows {
                    w.write(b).map_err(enc)?;
                }
                w.close().map_err(enc)?;
                buf
            }
        })
    }

    /// The rows of `rows` split by partition directory (`a=1/b=x`), with
    /// the partition columns removed.
    fn split(
        &self,
        schema: &SchemaRef,
        rows: &[RecordBatch],
    ) -> Result<(SchemaRef, BTreeMap<String, Vec<RecordBatch>>)> {
        let mut out: BTreeMap<String, Vec<RecordBatch>> = BTreeMap::new();
        if self.partition_by.is_empty() {
            out.insert(String::new(), rows.to_vec());
            return Ok((schema.clone(), out));
        }
        let part_idx: Vec<usize> = self
            .partition_by
            .iter()
            .map(|c| {
                schema
                    .fields()
                    .iter()
                    .position(|f| f.name().eq_ignore_ascii_case(c))
                    .expect("checked at start")
            })
            .collect();
        let data_idx: Vec<usize> = (0..schema.fields().len())
            .filter(|i| !part_idx.contains(i))
            .collect();
        let data_schema = Arc::new(ArrowSchema::new(
            data_idx
                .iter()
                .map(|&i| schema.field(i).clone())
                .collect::<Vec<_>>(),
        ));
        let opts = FormatOptions::default();
        for b in rows {
            let fmts = part_idx
                .iter()
                .map(|&i| ArrayFormatter::try_new(b.column(i).as_ref(), &opts))
                .collect::<Result<Vec<_>, _>>()?;
            let mut groups: BTreeMap<String, Vec<u32>> = BTreeMap::new();
            for r in 0..b.num_rows() {
                let mut key = String::new();
                for (n, (&i, f)) in part_idx.iter().zip(&fmts).enumerate() {
                    if n > 0 {
                        key.push('/');
                    }
                    key.push_str(&escape(schema.field(i).name()));
                    key.push('=');
                    if b.column(i).is_null(r) {
                        key.push_str(NULL_PARTITION);
                    } else {
                        key.push_str(&escape(&f.value(r).to_string()));
                    }
                }
                groups.entry(key).or_default().push(r as u32);
            }
            for (key, idx) in groups {
                let idx = UInt32Array::from(idx);
                let cols: Vec<ArrayRef> = data_idx
                    .iter()
                    .map(|&i| take(b.column(i).as_ref(), &idx, None))
                    .collect::<Result<_, _>>()?;
                out.entry(key)
                    .or_default()
                    .push(RecordBatch::try_new(data_schema.clone(), cols)?);
            }
        }
        Ok((data_schema, out))
    }
}

/// Escapes a partition path component as Hive/Spark do (`%XX`).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control()
            || matches!(
                c,
                '"' | '#'
                    | '%'
                    | '\''
                    | '*'
                    | '/'
                    | ':'
                    | '='
                    | '?'
                    | '\\'
                    | '\x7f'
                    | '{'
                    | '['
                    | ']'
                    | '^'
            )
        {
            for b in c.to_string().bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Sink for FileSink {
    fn add_batch(
        &mut self,
        batch_id: u64,
        schema: &SchemaRef,
        rows: Vec<RecordBatch>,
        mode: OutputMode,
    ) -> Result<()> {
        if mode != OutputMode::Append {
            return Err(Error::analysis(
                "INVALID_STREAMING_OUTPUT_MODE",
                format!(
                    "Data source {} does not support {mode} output mode",
                    self.extension()
                ),
            ));
        }
        if self.manifest.latest_id()?.is_some_and(|l| batch_id <= l) {
            // Already committed to the manifest by an earlier run.
            return Ok(());
        }
        let rows: Vec<RecordBatch> = rows.into_iter().filter(|b| b.num_rows() > 0).collect();
        let mut entries = Vec::new();
        if !rows.is_empty() {
            let (data_schema, parts) = self.split(schema, &rows)?;
            for (n, (dir, batches)) in parts.iter().enumerate() {
                let name = format!("part-{n:05}-batch-{batch_id:08}.c000.{}", self.extension());
                let path = if dir.is_empty() {
                    self.dir.join(name)
                } else {
                    self.dir.join(dir).join(name)
                };
                let bytes = self.encode(&data_schema, batches)?;
                write_atomic(&path, &bytes)?;
                let meta = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
                let modified_ms = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_millis() as i64);
                entries.push(entry(&FileStatus {
                    path,
                    size: meta.len(),
                    modified_ms,
                }));
            }
        }
        self.manifest.add(batch_id, &entries)
    }

    fn description(&self) -> String {
        format!("FileSink[{}]", self.dir.display())
    }

    /// Every committed batch is in the manifest (`_spark_metadata/`), which
    /// is written before the batch commits.
    fn check_committed(&self, last: u64) -> Result<()> {
        self.manifest.check_complete(last)
    }
}
