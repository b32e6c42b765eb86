//! sqlc's runtime: sources, micro-batch execution, state stores, watermarks,
//! sinks and queries. It never parses SQL: it runs the plans the compiler
//! builds.

pub mod error;
pub mod source;

pub use error::{Error, Result};
