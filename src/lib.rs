//! sqlc: a streaming SQL engine that does what Apache Spark Structured
//! Streaming does and compiles every query to native code with Cranelift.
//!
//! The API reads like PySpark's, in snake_case:
//!
//! ```no_run
//! use sqlc::{functions::expr, Session};
//! # fn main() -> sqlc::Result<()> {
//! let spark = Session::builder().app_name("activity").get_or_create();
//! spark.conf().set("spark.sql.shuffle.partitions", 5);
//! let static_df = spark.read().json("data/activity")?;
//! let streaming = spark.read_stream().schema(static_df.schema())
//!     .option("maxFilesPerTrigger", 1).json("data/activity")?;
//! let counts = streaming.group_by(["gt"]).count()?;
//! let query = counts.write_stream().query_name("activity_counts")
//!     .format("memory").output_mode("complete").start()?;
//! query.process_all_available()?;
//! spark.sql("SELECT * FROM activity_counts")?.show()?;
//! query.stop()?;
//! # Ok(()) }
//! ```
//!
//! This crate only wires the compiler (`sqlc-compiler`) and the runtime
//! (`sqlc-runtime`) together.

mod column;
pub mod connect;
mod dataframe;
mod error;
mod explain;
pub mod functions;
mod grouped;
pub mod logging;
pub mod monitor;
mod reader;
pub mod script;
mod session;
mod stream_writer;

pub use arrow;
pub use column::Column;
pub use dataframe::{DataFrame, JoinOn, Predicate, SortKey};
pub use error::{Error, Result};
pub use grouped::GroupedData;
pub use reader::{DataFrameReader, DataStreamReader, SchemaArg};
pub use session::{check_conf, RuntimeConfig, Session, SessionBuilder};
pub use sqlc_compiler::sql::command::ExplainMode;
pub use sqlc_compiler::time_zone::TimeZone;
pub use sqlc_compiler::{DataType, ExecMode, Field, Scalar, Schema};
pub use sqlc_runtime::datagen;
pub use sqlc_runtime::query::{
    QueryProgress, QueryStatus, StreamingQuery, StreamingQueryManager, Trigger,
};
pub use sqlc_runtime::row::Row;
pub use stream_writer::DataStreamWriter;
