//! sqlc's runtime: sources, micro-batch execution, state stores, watermarks,
//! sinks and queries. It never parses SQL: it runs the plans the compiler
//! builds.

pub mod batch;
pub mod catalog;
pub mod checker;
pub mod checkpoint;
pub mod connector;
pub mod datagen;
pub mod display;
pub mod error;
pub mod exec;
pub mod files;
pub mod format;
pub mod query;
pub mod row;
pub mod sink;
pub mod source;
pub mod writer;

pub use error::{Error, Result};
