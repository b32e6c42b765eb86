//! Connectors by name: what `format("json")` (and `CREATE SOURCE … WITH
//! (format = …)`) picks, for static reads and for streams.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use sqlc_compiler::scan_spec::ScanSpec;
use sqlc_compiler::Schema;

pub mod kafka;
pub mod known_options;

use crate::catalog::Relation;
use crate::error::{Error, Result};
use crate::source::file_partitions::Packing;
use crate::source::rate::{self, RateOptions, RateSource};
use crate::source::rate_micro_batch::RateMicroBatchSource;
use crate::source::socket::{SocketOptions, SocketSource};
use crate::source::{FileFormat, FileStreamSource, FileTable, Options, Source};
use kafka::options::KafkaOptions;

fn options_of(pairs: &[(String, String)]) -> Options {
    let mut o = Options::new();
    for (k, v) in pairs {
        o.set(k.as_str(), v.as_str());
    }
    o
}

fn file_format(format: &str) -> Result<FileFormat> {
    FileFormat::from_str(format).map_err(|_| {
        Error::analysis("DATA_SOURCE_NOT_FOUND", format!(
            "Failed to find the data source: {format}. Supported formats: json, csv, text, parquet, kafka, socket, rate"
        ))
    })
}

/// Declares a static table (`spark.read.format(f).load(path)`), as the
/// relation named `name`: Kafka (which needs no path) is read now; files
/// are listed and their schema settled now, and read when a query runs
/// ([`FileTable`]).
pub fn read_static(
    format: &str,
    path: Option<&Path>,
    schema: Option<&Schema>,
    options: &[(String, String)],
    name: String,
    packing: Packing,
) -> Result<(Schema, Relation)> {
    let options = options_of(options);
    known_options::warn_unknown(format, &options);
    match format.to_ascii_lowercase().as_str() {
        "kafka" => {
            let (schema, batches) = kafka::read_static(&options, schema)?;
            let rel = Relation::Static {
                name,
                batches: Arc::new(batches),
                partitions: None,
            };
            Ok((schema, rel))
        }
        "socket" | "rate" => Err(Error::analysis(
            "UNSUPPORTED_BATCH_TABLE_VALUED_FUNCTION",
            format!("the {format} source is for streams only: use read_stream()"),
        )),
        _ => {
            let path =
                path.ok_or_else(|| Error::options(format!("a {format} read needs a path")))?;
            let table = FileTable::open(file_format(format)?, path, schema, &options, packing)?;
            let schema = table.schema.clone();
            let rel = Relation::Files {
                name,
                table: Arc::new(table),
            };
            Ok((schema, rel))
        }
    }
}

/// What a stream reads.
#[derive(Clone, Debug)]
enum Kind {
    Files {
        format: FileFormat,
        path: PathBuf,
        options: Options,
        packing: Packing,
    },
    Kafka(KafkaOptions),
    Socket(SocketOptions),
    Rate(RateOptions),
    RateMicroBatch(Options),
}

/// A streaming source's definition; every query that reads the stream opens
/// its own instance with [`SourceDef::open`], with its own offsets.
#[derive(Clone, Debug)]
pub struct SourceDef {
    kind: Kind,
    schema: Schema,
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
        known_options::warn_unknown(format, &options);
        match format.to_ascii_lowercase().as_str() {
            "kafka" => {
                let k = kafka::check_options(&options, schema.as_ref())?;
                return Ok(SourceDef {
                    kind: Kind::Kafka(k),
                    schema: kafka::kafka_schema(),
                });
            }
            "socket" => {
                let o = SocketOptions::parse(&options, schema.as_ref())?;
                return Ok(SourceDef {
                    schema: o.schema(),
                    kind: Kind::Socket(o),
                });
            }
            "rate" => {
                let o = RateOptions::parse(&options, schema.as_ref())?;
                return Ok(SourceDef {
                    schema: rate::rate_schema(),
                    kind: Kind::Rate(o),
                });
            }
            "rate-micro-batch" => {
                if schema.is_some() {
                    return Err(Error::analysis(
                        "USER_SPECIFIED_SCHEMA_UNSUPPORTED",
                        "The rate-micro-batch source does not support a user-specified schema.",
                    ));
                }
                RateMicroBatchSource::new(&options)?;
                return Ok(SourceDef {
                    kind: Kind::RateMicroBatch(options),
                    schema: RateMicroBatchSource::schema(),
                });
            }
            _ => {}
        }
        let format = file_format(format)?;
        let path = path
            .ok_or_else(|| {
                Error::options(format!(
                    "a {} stream needs a path",
                    format.name().to_lowercase()
                ))
            })?
            .to_path_buf();
        let probe = FileStreamSource::new(format, &path, schema.as_ref(), &options)?;
        let schema = probe.schema().clone();
        Ok(SourceDef {
            kind: Kind::Files {
                format,
                path,
                options,
                packing: Packing::default(),
            },
            schema,
        })
    }

    /// The same source, packing a file stream's micro-batches into
    /// partitions as `packing` says (as Spark packs a batch read's files);
    /// other sources have no files to pack.
    pub fn with_packing(mut self, packing: Packing) -> Self {
        if let Kind::Files { packing: p, .. } = &mut self.kind {
            *p = packing;
        }
        self
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Whether a restarted query can ask the source for a batch again
    /// (the socket source cannot).
    pub fn is_replayable(&self) -> bool {
        !matches!(self.kind, Kind::Socket(_))
    }

    pub fn open(&self) -> Result<Box<dyn Source>> {
        self.open_reading(None)
    }

    /// Opens the source for a query that reads only what `read` says of
    /// it (file sources decode only those columns; others ignore it).
    pub fn open_reading(&self, read: Option<&ScanSpec>) -> Result<Box<dyn Source>> {
        Ok(match &self.kind {
            Kind::Files {
                format,
                path,
                options,
                packing,
            } => Box::new(
                FileStreamSource::new(*format, path, Some(&self.schema), options)?
                    .reading(read.cloned())
                    .packing(*packing),
            ),
            Kind::Kafka(k) => Box::new(kafka::KafkaSource::new(k)?),
            Kind::Socket(o) => Box::new(SocketSource::connect(o)?),
            Kind::Rate(o) => Box::new(RateSource::new(o)),
            Kind::RateMicroBatch(o) => Box::new(RateMicroBatchSource::new(o)?),
        })
    }
}
