//! sqlc's runtime: sources, micro-batch execution, state stores, watermarks,
//! sinks and queries. It never parses SQL: it runs the plans the compiler
//! builds.

pub mod batch;
pub mod catalog;
pub mod checker;
pub mod connector;
pub mod datagen;
pub mod display;
pub mod error;
pub mod source;

pub use error::{Error, Result};
