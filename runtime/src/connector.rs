//! Connectors by name: what `format("json")` (and `CREATE SOURCE … WITH
//! (format = …)`) picks, for static reads and for streams.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use arrow::record_batch::RecordBatch;
use sqlc_compiler::Schema;

use crate::error::{Error, Result};
use crate::source::rate_micro_batch::RateMicroBatchSource;
use crate::source::{read_files, FileFormat, FileStreamSource, Options, Source};

fn options_of(pairs: &[(String, String)]) -> Options {
    let mut o = Options::new();
    for (k, v) in pairs {
        o.set(k.as_str(), v.as_str());
    }
    o
}

fn file_format(format: &str) -> Result<FileFormat> {
    FileFormat::from_str(format).map_err(|_| {
        Error::Unsupported(format!(
            "[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {format}. Supported formats: json, csv, text, parquet"
        ))
    })
}

/// Reads a static table (`spark.read.format(f).load(path)`).
pub fn read_static(
    format: &str,
    path: &Path,
    schema: Option<&Schema>,
    options: &[(String, String)],
) -> Result<(Schema, Vec<RecordBatch>)> {
    read_files(file_format(format)?, path, schema, &options_of(options))
}

/// A streaming source's definition; every query that reads the stream opens
/// its own instance with [`SourceDef::open`], with its own offsets.
#[derive(Clone, Debug)]
pub struct SourceDef {
    kind: SourceKind,
    schema: Schema,
    options: Options,
}

#[derive(Clone, Debug)]
enum SourceKind {
    Files { format: FileFormat, path: PathBuf },
    RateMicroBatch,
}

impl SourceDef {
    /// Checks the format, path, schema and options now, as Spark's
    /// `readStream…load()` does, so mistakes surface before `start()`.
    pub fn new(
        format: &str,
        path: Option<&Path>,
        schema: Option<Schema>,
        options: &[(String, String)],
    ) -> Result<Self> {
        let options = options_of(options);
        if format.eq_ignore_ascii_case("rate-micro-batch") {
            if schema.is_some() {
                return Err(Error::Unsupported(
                    "The rate-micro-batch source does not support a user-specified schema.".into(),
                ));
            }
            RateMicroBatchSource::new(&options)?;
            return Ok(SourceDef {
                kind: SourceKind::RateMicroBatch,
                schema: RateMicroBatchSource::schema(),
                options,
            });
        }
        let format = file_format(format)?;
        let path = path
            .ok_or_else(|| {
                Error::Unsupported(format!(
                    "a {} stream needs a path",
                    format.name().to_lowercase()
                ))
            })?
            .to_path_buf();
        let probe = FileStreamSource::new(format, &path, schema.as_ref(), &options)?;
        let schema = probe.schema().clone();
        Ok(SourceDef {
            kind: SourceKind::Files { format, path },
            schema,
            options,
        })
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    pub fn open(&self) -> Result<Box<dyn Source>> {
        Ok(match &self.kind {
            SourceKind::Files { format, path } => Box::new(FileStreamSource::new(
                *format,
                path,
                Some(&self.schema),
                &self.options,
            )?),
            SourceKind::RateMicroBatch => Box::new(RateMicroBatchSource::new(&self.options)?),
        })
    }
}
