//! The facade's error: whatever the compiler or the runtime reported.

use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Compile(#[from] sqlc_compiler::Error),
    #[error(transparent)]
    Runtime(#[from] sqlc_runtime::Error),
    #[error("{0}")]
    Unsupported(String),
}

impl Error {
    /// Spark's error class when the error has one (for tests and tools).
    pub fn class(&self) -> Option<&'static str> {
        match self {
            Error::Compile(e) | Error::Runtime(sqlc_runtime::Error::Compile(e)) => Some(e.class()),
            _ => None,
        }
    }
}
