//! sqlc's compiler: types, expressions, the SQL front end, the logical plan,
//! the typed IR, Cranelift code generation and the interpreted twin.
//! It never does I/O.

pub mod accumulators;
pub mod agg_table;
pub mod ansi_interval;
pub mod builder;
pub mod codegen;
pub mod decimal;
pub mod depth;
pub mod error;
pub mod expr;
pub mod functions;
pub mod generator;
pub mod in_set;
pub mod interp;
pub mod interval;
pub mod ir;
pub mod json;
pub mod kernel;
pub mod partition;
pub mod physical;
pub mod plan;
pub mod resolve;
pub mod resolve_time_zone;
pub mod scalar_fns;
pub mod scan_spec;
pub mod sql;
pub mod time_bounds;
pub mod time_zone;
pub mod types;
pub mod verify;
pub mod window;

pub use error::{Error, Result};
pub use kernel::{compile, compile_cached, ExecMode, Kernel, KernelExplain};
pub use types::{DataType, Field, Scalar, Schema};
