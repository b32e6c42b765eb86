//! The facade's error: whatever the compiler or the runtime reported, or a
//! misuse of the API the facade itself catches. Every error has Spark's
//! error class and says whose fault it is ([`Fault`]), which the CLI maps to
//! its exit code.

use thiserror::Error;

pub use sqlc_compiler::error::Fault;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Compile(#[from] sqlc_compiler::Error),
    #[error(transparent)]
    Runtime(#[from] sqlc_runtime::Error),
    /// A call the API does not accept (a bad argument, an unknown join
    /// type); `class` is Spark's error class for it.
    #[error("[{class}] {message}")]
    Analysis {
        class: &'static str,
        message: String,
    },
    /// Something Spark does and sqlc does not yet.
    #[error("[UNSUPPORTED_FEATURE] {0}")]
    NotSupported(String),
}

impl Error {
    pub fn analysis(class: &'static str, message: impl Into<String>) -> Self {
        Error::Analysis {
            class,
            message: message.into(),
        }
    }

    pub fn not_supported(what: impl Into<String>) -> Self {
        Error::NotSupported(what.into())
    }

    /// Spark's error class.
    pub fn class(&self) -> &'static str {
        match self {
            Error::Compile(e) => e.class(),
            Error::Runtime(e) => e.class(),
            Error::Analysis { class, .. } => class,
            Error::NotSupported(_) => "UNSUPPORTED_FEATURE",
        }
    }

    /// Whose fault this is.
    pub fn fault(&self) -> Fault {
        match self {
            Error::Compile(e) => e.fault(),
            Error::Runtime(e) => e.fault(),
            Error::Analysis { .. } | Error::NotSupported(_) => Fault::Query,
        }
    }

    /// The compiler's error, wherever it was raised.
    pub fn as_compile(&self) -> Option<&sqlc_compiler::Error> {
        match self {
            Error::Compile(e) | Error::Runtime(sqlc_runtime::Error::Compile(e)) => Some(e),
            _ => None,
        }
    }

    /// As the runtime's error (for errors crossing back into the runtime,
    /// such as those of a `foreach_batch` closure's own calls).
    pub fn into_runtime(self) -> sqlc_runtime::Error {
        match self {
            Error::Compile(e) => sqlc_runtime::Error::Compile(e),
            Error::Runtime(e) => e,
            Error::Analysis { class, message } => sqlc_runtime::Error::analysis(class, message),
            Error::NotSupported(m) => sqlc_runtime::Error::NotSupported(m),
        }
    }
}
