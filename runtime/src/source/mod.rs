//! Sources: where a query's rows come from. A streaming [`Source`] is
//! modelled on Spark's: the engine asks it for the latest offset, writes that
//! offset to its offset log, asks for the rows between the previous offset
//! and it, and commits it once the batch is done.
//!
//! Besides the Kafka (`crate::connector::kafka`), socket ([`socket`]) and rate ([`rate`])
//! sources, this module holds the file sources: JSON lines, CSV, text and Parquet,
//! read once ([`read_files`], Spark's `spark.read`) or as a stream of new
//! files ([`FileStreamSource`], Spark's `spark.readStream`), with Spark's
//! options ([`Options`]) and malformed-record modes ([`ParseMode`]).

use arrow::record_batch::RecordBatch;
use sqlc_compiler::types::Schema;

use crate::error::Result;

pub mod csv;
pub mod file_bytes;
pub mod file_partitions;
pub mod file_source;
pub mod infer;
pub mod json {
    //! The JSON reader, now in [`crate::format::json`].
    pub use crate::format::json::reader::*;
}
pub(crate) mod lines;
pub mod normalize;
pub mod options;
pub mod parquet;
pub(crate) mod parse;
pub mod rate;
pub mod rate_micro_batch;
pub mod read;
pub(crate) mod rows;
pub mod socket;
pub mod text;
pub(crate) mod units;

/// Listing moved to [`crate::files`]; the file source and batch reads use
/// it under its old name.
pub use crate::files::listing as file_listing;
pub use crate::files::{list_files, FileStatus, ListingOptions};
pub use file_source::{FileEntry, FileStreamSource};
pub use lines::FileLines;
pub use options::{Options, ParseMode};
pub use read::{
    decode_files, decode_files_reading, file_uri, map_files, read_files, FileFormat, FileTable,
    MappedFile,
};

/// A position in a source's data, as written to the offset log. Each source
/// defines its form; the file source's is `{"logOffset": N}`.
pub type Offset = serde_json::Value;

/// A streaming source (Spark's `Source` with admission control folded in:
/// each source applies its own per-trigger limits when planning a batch).
pub trait Source: Send {
    /// The schema of every batch the source returns.
    fn schema(&self) -> &Schema;

    /// Plans the next batch: the offset it ends at, or `None` if there is
    /// nothing new since the last planned batch. Called once per trigger; the
    /// engine writes the offset to its offset log before reading the batch.
    fn latest_offset(&mut self) -> Result<Option<Offset>>;

    /// The rows after `start` (exclusive; `None` for the beginning) up to
    /// `end` (inclusive). The same offsets always give the same rows, so a
    /// batch can be replayed after a restart.
    fn get_batch(&mut self, start: Option<&Offset>, end: &Offset) -> Result<Vec<RecordBatch>>;

    /// The partition (for a file source: a pack of file splits) of each batch the last
    /// [`Source::get_batch`] returned, for the functions that read it
    /// (`input_file_name()`, `rand(seed)`, …); `None` when the source does
    /// not say (each batch is then a partition of its own).
    fn last_batch_partitions(&self) -> Option<Vec<sqlc_compiler::partition::Partition>> {
        None
    }

    /// Tells the source that everything up to `end` is processed and
    /// committed; it will not be asked for it again.
    fn commit(&mut self, end: &Offset) -> Result<()>;

    /// Called once before a query runs with the available-now trigger: the
    /// source then serves only the data available at this point (still in
    /// batches of its per-trigger limits), as Spark's
    /// `SupportsTriggerAvailableNow`.
    fn prepare_for_trigger_available_now(&mut self) -> Result<()> {
        Ok(())
    }

    /// Called once before a query runs with the once trigger: the next
    /// batch takes everything available, ignoring per-trigger limits
    /// (`maxFilesPerTrigger`, …), as Spark's `Trigger.Once` does.
    fn ignore_rate_limits(&mut self) {}

    /// The source's own log entry for the batch ending at `end`, which a
    /// checkpoint persists (in `sources/<i>/<entry id>`) before the offset
    /// log: the entry id and its lines. `None` when the offset alone is
    /// enough to replay the batch (the default).
    fn checkpoint_entry(&self, _end: &Offset) -> Option<(u64, Vec<serde_json::Value>)> {
        None
    }

    /// Called once, before the first batch, when a query restarts from a
    /// checkpoint. `last_planned` is the end offset of the newest batch in
    /// the offset log (the next planned batch starts after it; `None` if the
    /// source had none), and `log` every line the checkpoint kept of this
    /// source's [`Source::checkpoint_entry`] entries, oldest first (lines of
    /// entries after `last_planned` may be among them: ignore those).
    fn restore_checkpoint(
        &mut self,
        _last_planned: Option<&Offset>,
        _log: Vec<serde_json::Value>,
    ) -> Result<()> {
        Ok(())
    }

    /// Releases resources when the query stops.
    fn stop(&mut self) {}

    /// A short description for progress reports, such as
    /// `FileStreamSource[/data/activity]`.
    fn description(&self) -> String;
}
