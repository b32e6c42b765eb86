//! The runtime's one error type: what went wrong reading a source, running
//! a batch, writing a sink or managing a query, with what the user needs to
//! fix it.

use std::path::PathBuf;

use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Compile(#[from] sqlc_compiler::Error),

    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("[PATH_NOT_FOUND] Path does not exist: {0}")]
    PathNotFound(PathBuf),

    /// A record that does not parse, in FAILFAST mode (or one that cannot be
    /// parsed at all). `line` is 1-based.
    #[error("[MALFORMED_RECORD_IN_PARSING] Malformed records are detected in record parsing: {path}:{line}: {reason}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.")]
    MalformedRecord {
        path: PathBuf,
        line: u64,
        reason: String,
    },

    #[error("[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for {format} at {path}. It must be specified manually.")]
    CannotInferSchema { format: String, path: PathBuf },

    /// A streaming file source created without a schema.
    #[error("Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it. (path: {0})")]
    StreamingSchemaRequired(PathBuf),

    #[error("invalid value for option '{name}': '{value}' ({reason})")]
    BadOption {
        name: String,
        value: String,
        reason: String,
    },

    /// An output mode the query cannot support, with Spark's reason.
    #[error("Invalid streaming output mode: {mode}. {reason}")]
    OutputMode { mode: String, reason: String },

    /// A well-formed request sqlc (or Spark) does not support; the text says why.
    #[error("{0}")]
    Unsupported(String),

    /// A query that stopped with an error; `name` is its name or id.
    #[error("[STREAM_FAILED] Query [{name}] terminated with exception: {message}")]
    QueryFailed { name: String, message: String },

    /// A checkpoint file that cannot be read back (truncated, garbled).
    #[error("checkpoint file {path} is damaged: {reason}")]
    DamagedCheckpoint { path: PathBuf, reason: String },

    /// A checkpoint written by a query whose state does not fit this one.
    #[error("[STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA] The checkpoint at {location} cannot be used by this query: {reason}. Start the changed query with a new checkpointLocation.")]
    IncompatibleCheckpoint { location: PathBuf, reason: String },

    /// A Kafka client error, or data the source expected and Kafka lost.
    #[error("Kafka: {0}")]
    Kafka(String),

    #[error("Arrow error: {0}")]
    Arrow(String),

    #[error("Parquet error: {0}")]
    Parquet(String),
}

impl Error {
    pub fn damaged(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::DamagedCheckpoint {
            path: path.into(),
            reason: reason.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<arrow::error::ArrowError> for Error {
    fn from(e: arrow::error::ArrowError) -> Self {
        Error::Arrow(e.to_string())
    }
}

impl From<parquet::errors::ParquetError> for Error {
    fn from(e: parquet::errors::ParquetError) -> Self {
        Error::Parquet(e.to_string())
    }
}
