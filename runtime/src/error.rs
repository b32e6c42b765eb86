//! The runtime's one error type, typed by whose fault it is (see
//! [`Fault`]): the user's query, options or stream definition; the user's
//! data (a malformed record, an unreadable file); the environment (I/O, a
//! broker, a socket); a checkpoint that is damaged or belongs to another
//! query; or a bug in sqlc ([`Error::Internal`], never shown as the user's
//! mistake). Every error has Spark's error class ([`Error::class`]) and
//! keeps the error that caused it as its `source()`.

use std::path::PathBuf;

use thiserror::Error;

pub use sqlc_compiler::error::Fault;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    /// An error in the query (or raised by its kernels): the compiler's.
    #[error(transparent)]
    Compile(#[from] sqlc_compiler::Error),

    /// The query, its options or its stream definition break one of Spark's
    /// rules; `class` is Spark's error class for it.
    #[error("[{class}] {message}")]
    Analysis {
        class: &'static str,
        message: String,
    },

    /// Something Spark does and sqlc does not yet; the text names it.
    #[error("[UNSUPPORTED_FEATURE] {0}")]
    NotSupported(String),

    #[error("[INVALID_OPTION_VALUE] Invalid value for option '{name}': '{value}' ({reason})")]
    BadOption {
        name: String,
        value: String,
        reason: String,
    },

    /// A required option is missing, or options contradict each other.
    #[error("[INVALID_OPTIONS] {0}")]
    Options(String),

    /// An output mode the query cannot support, with Spark's reason.
    #[error("Invalid streaming output mode: {mode}. {reason}")]
    OutputMode { mode: String, reason: String },

    #[error("[PATH_NOT_FOUND] Path does not exist: {0}")]
    PathNotFound(PathBuf),

    #[error("[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for {format} at {path}. It must be specified manually.")]
    CannotInferSchema { format: String, path: PathBuf },

    /// A streaming file source created without a schema.
    #[error("Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it. (path: {0})")]
    StreamingSchemaRequired(PathBuf),

    // ---- the user's data ----
    /// A record that does not parse, in FAILFAST mode (or one that cannot be
    /// parsed at all). `line` is 1-based.
    #[error("[MALFORMED_RECORD_IN_PARSING] Malformed records are detected in record parsing: {path}:{line}: {reason}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.")]
    MalformedRecord {
        path: PathBuf,
        line: u64,
        reason: String,
    },

    /// A file whose contents cannot be read as its format or schema says.
    #[error("[FAILED_READ_FILE] Encountered error while reading file {path}: {reason}")]
    BadFile { path: PathBuf, reason: String },

    #[error(
        "[FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER] Could not read Parquet file {path}: {source}"
    )]
    Parquet {
        path: PathBuf,
        source: parquet::errors::ParquetError,
    },

    // ---- the environment ----
    #[error("[FAILED_IO] I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    /// A Kafka client error, or data the source expected and Kafka lost.
    #[error("[{class}] Kafka: {message}{}", source.as_ref().map(|e| format!(": {e}")).unwrap_or_default())]
    Kafka {
        class: &'static str,
        message: String,
        source: Option<rdkafka::error::KafkaError>,
    },

    /// A network peer (a socket source's server) failed or went away.
    #[error("[FAILED_NETWORK] {0}")]
    Network(String),

    /// The user's own code (a `foreach_batch` or `foreach` closure) failed.
    #[error("[FOREACH_BATCH_USER_FUNCTION_ERROR] An error occurred in the user provided function in foreach batch sink: {0}")]
    UserFunction(#[source] Box<dyn std::error::Error + Send + Sync>),

    /// A query that stopped with an error; `name` is its name or id.
    #[error("[STREAM_FAILED] Query [{name}] terminated with exception: {message}")]
    QueryFailed { name: String, message: String },

    // ---- checkpoints ----
    /// A checkpoint file that cannot be read back (truncated, garbled, missing).
    #[error("[CANNOT_LOAD_STATE_STORE] Checkpoint file {path} is damaged: {reason}")]
    DamagedCheckpoint { path: PathBuf, reason: String },

    /// A checkpoint written by a query whose state does not fit this one.
    #[error("[STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA] The checkpoint at {location} cannot be used by this query: {reason}. Start the changed query with a new checkpointLocation.")]
    IncompatibleCheckpoint { location: PathBuf, reason: String },

    // ---- sqlc's bugs ----
    /// A broken invariant of the runtime.
    #[error("[INTERNAL_ERROR] {0}. This is a bug in sqlc; please report it.")]
    Internal(String),

    /// An Arrow call failed where the runtime guaranteed it could not.
    #[error("[INTERNAL_ERROR] Arrow: {0}. This is a bug in sqlc; please report it.")]
    Arrow(#[from] arrow::error::ArrowError),
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

    /// The query or stream definition breaks Spark's rule `class`.
    pub fn analysis(class: &'static str, message: impl Into<String>) -> Self {
        Error::Analysis {
            class,
            message: message.into(),
        }
    }

    /// Spark does this and sqlc does not yet.
    pub fn not_supported(what: impl Into<String>) -> Self {
        Error::NotSupported(what.into())
    }

    /// A required option is missing or options contradict each other.
    pub fn options(what: impl Into<String>) -> Self {
        Error::Options(what.into())
    }

    /// A bug in sqlc.
    pub fn internal(what: impl Into<String>) -> Self {
        Error::Internal(what.into())
    }

    /// A panic caught at a thread's boundary (`where_` ran it), as the bug it
    /// is, with the panic's message.
    pub fn from_panic(where_: &str, payload: Box<dyn std::any::Any + Send>) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(no message)".into());
        Error::Internal(format!("{where_} panicked: {message}"))
    }

    /// Runs `f`, turning a panic inside it — on this thread or a worker
    /// whose panic rayon carries back — into [`Error::from_panic`].
    pub fn catch_panic<T>(where_: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .unwrap_or_else(|p| Err(Error::from_panic(where_, p)))
    }

    /// A Kafka failure without a client error behind it.
    pub fn kafka(message: impl Into<String>) -> Self {
        Error::Kafka {
            class: "KAFKA_ERROR",
            message: message.into(),
            source: None,
        }
    }

    pub fn bad_file(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Error::BadFile {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// Whose fault this is.
    pub fn fault(&self) -> Fault {
        match self {
            Error::Compile(e) => e.fault(),
            Error::Analysis { .. }
            | Error::NotSupported(_)
            | Error::BadOption { .. }
            | Error::Options(_)
            | Error::OutputMode { .. }
            | Error::PathNotFound(_)
            | Error::CannotInferSchema { .. }
            | Error::StreamingSchemaRequired(_) => Fault::Query,
            Error::MalformedRecord { .. } | Error::BadFile { .. } | Error::Parquet { .. } => {
                Fault::Data
            }
            Error::Io { .. } | Error::Kafka { .. } | Error::Network(_) => Fault::Environment,
            Error::QueryFailed { .. } | Error::UserFunction(_) => Fault::Data,
            Error::DamagedCheckpoint { .. } | Error::IncompatibleCheckpoint { .. } => {
                Fault::Checkpoint
            }
            Error::Internal(_) | Error::Arrow(_) => Fault::Internal,
        }
    }

    /// Spark's error class (for tests, tools and clients).
    pub fn class(&self) -> &'static str {
        match self {
            Error::Compile(e) => e.class(),
            Error::Analysis { class, .. } | Error::Kafka { class, .. } => class,
            Error::NotSupported(_) => "UNSUPPORTED_FEATURE",
            Error::BadOption { .. } => "INVALID_OPTION_VALUE",
            Error::Options(_) => "INVALID_OPTIONS",
            Error::OutputMode { .. } => "INVALID_STREAMING_OUTPUT_MODE",
            Error::PathNotFound(_) => "PATH_NOT_FOUND",
            Error::CannotInferSchema { .. } => "UNABLE_TO_INFER_SCHEMA",
            Error::StreamingSchemaRequired(_) => "STREAMING_SCHEMA_REQUIRED",
            Error::MalformedRecord { .. } => "MALFORMED_RECORD_IN_PARSING",
            Error::BadFile { .. } => "FAILED_READ_FILE",
            Error::Parquet { .. } => "FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER",
            Error::Io { .. } => "FAILED_IO",
            Error::Network(_) => "FAILED_NETWORK",
            Error::QueryFailed { .. } => "STREAM_FAILED",
            Error::UserFunction(_) => "FOREACH_BATCH_USER_FUNCTION_ERROR",
            Error::DamagedCheckpoint { .. } => "CANNOT_LOAD_STATE_STORE",
            Error::IncompatibleCheckpoint { .. } => {
                "STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA"
            }
            Error::Internal(_) | Error::Arrow(_) => "INTERNAL_ERROR",
        }
    }
}
