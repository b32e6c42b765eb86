//! sqlc's runtime: sources, micro-batch execution, state stores, watermarks,
//! sinks and queries. It never parses SQL: it runs the plans the compiler
//! builds.

pub mod datagen;
pub mod display;
pub mod error;

pub use error::{Error, Result};
pub mod exec;
