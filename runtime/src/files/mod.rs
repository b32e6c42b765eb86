//! Files as streams and sinks share them: listing a path ([`listing`]:
//! hidden files skipped, globs, the files a stream has seen) and the
//! `_spark_metadata` manifest ([`manifest`]) that the file sink writes and
//! the file source (and a batch read) honours, so a reader never sees a
//! file a batch has not committed.

mod glob;
pub mod listing;
pub mod manifest;

pub use listing::{list_files, FileStatus, ListingOptions};
