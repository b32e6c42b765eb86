//! The streaming file source (Spark's `FileStreamSource`): each trigger
//! lists the directory, takes the files not taken before, oldest first by
//! modification time (ties by name; newest first with `latestFirst`), at
//! most `maxFilesPerTrigger` files or about `maxBytesPerTrigger` bytes (at
//! least one file), and records them as the next entry of its log. Offsets
//! are positions in that log, `{"logOffset": N}`; the files of each entry
//! are what a checkpoint persists (Spark's `sources/0/N`) and gives back
//! with [`FileStreamSource::restore`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use arrow::record_batch::RecordBatch;
use serde_json::{json, Value};
use sqlc_compiler::types::Schema;

use super::file_listing::{list_files, FileStatus, ListingOptions, SeenFiles};
use super::file_partitions::Packing;
use super::normalize::{as_nullable, check_unique_names};
use super::options::Options;
use super::read::{decode_files, decode_partitioned, FileFormat};
use super::text::text_schema;
use super::{Offset, Source};
use crate::error::{Error, Result};
use sqlc_compiler::partition::Partition;
use sqlc_compiler::scan_spec::ScanSpec;

/// A file taken by a batch, as a checkpoint records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    pub path: PathBuf,
    /// Modification time when taken, milliseconds since the epoch.
    pub timestamp_ms: i64,
    /// The log offset (source batch) that took it.
    pub batch_id: u64,
}

impl FileEntry {
    /// The entry as Spark writes it in a source log line:
    /// `{"path": .., "timestamp": .., "batchId": ..}`.
    pub fn to_json(&self) -> Value {
        json!({"path": self.path.to_string_lossy(), "timestamp": self.timestamp_ms, "batchId": self.batch_id})
    }

    /// Reads an entry written by [`FileEntry::to_json`].
    pub fn from_json(v: &Value) -> Result<FileEntry> {
        let bad = || Error::damaged("sources", format!("not a file source log entry: {v}"));
        Ok(FileEntry {
            path: PathBuf::from(v.get("path").and_then(Value::as_str).ok_or_else(bad)?),
            timestamp_ms: v.get("timestamp").and_then(Value::as_i64).ok_or_else(bad)?,
            batch_id: v.get("batchId").and_then(Value::as_u64).ok_or_else(bad)?,
        })
    }
}

/// A source of the files that appear in a directory.
pub struct FileStreamSource {
    format: FileFormat,
    path: PathBuf,
    schema: Schema,
    options: Options,
    listing: ListingOptions,
    max_files: Option<usize>,
    max_bytes: Option<u64>,
    latest_first: bool,
    seen: SeenFiles,
    /// Files taken, by log offset.
    log: BTreeMap<u64, Vec<FileEntry>>,
    /// The last log offset planned.
    current: Option<u64>,
    /// With the available-now trigger, the files listed when it was prepared.
    available_now: Option<Vec<FileStatus>>,
    /// What the query reads (`None`: every column).
    read: Option<ScanSpec>,
    /// How a micro-batch's files are packed into partitions.
    packing: Packing,
    /// The partition of each batch the last `get_batch` gave.
    last_partitions: Vec<Partition>,
}

impl FileStreamSource {
    /// The same source, decoding only what `read` says the query reads
    /// (`None`: everything). Batches keep the full schema; columns not
    /// read are null.
    pub fn reading(mut self, read: Option<ScanSpec>) -> Self {
        self.read = read.filter(|r| r.columns.len() == self.schema.len());
        self
    }

    /// The same source, packing each micro-batch's files into partitions
    /// as `packing` says, as Spark packs them (a batch read's rule).
    pub fn packing(mut self, packing: Packing) -> Self {
        self.packing = packing;
        self
    }

    /// A source of the `format` files appearing under `path`. The schema is
    /// required, as in Spark, except for text (always `value string`). Bad
    /// options are reported here rather than at the first batch.
    pub fn new(
        format: FileFormat,
        path: impl Into<PathBuf>,
        schema: Option<&Schema>,
        options: &Options,
    ) -> Result<Self> {
        // Absolute, so that the log of taken files means the same after a restart.
        let path = std::path::absolute(path.into()).map_err(|e| Error::io(".", e))?;
        let schema = match (schema, format) {
            (Some(s), _) => as_nullable(s),
            (None, FileFormat::Text) => text_schema(),
            (None, _) => return Err(Error::StreamingSchemaRequired(path)),
        };
        check_unique_names(&schema)?;
        // The directory must exist (a glob in the last component may match nothing yet).
        let glob = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.contains(['*', '?', '[', '{']));
        if !path.exists() && !(glob && path.parent().is_some_and(Path::is_dir)) {
            return Err(Error::PathNotFound(path));
        }
        // Build a decoder once so that bad options and schemas fail now.
        decode_files(format, &schema, &[], options)?;
        let max_files = options.get_positive_int("maxFilesPerTrigger")?;
        let max_bytes = options.get_byte_size("maxBytesPerTrigger")?;
        if max_files.is_some() && max_bytes.is_some() {
            return Err(Error::BadOption {
                name: "maxBytesPerTrigger".into(),
                value: options.get("maxBytesPerTrigger").unwrap_or_default().into(),
                reason: "options 'maxFilesPerTrigger' and 'maxBytesPerTrigger' can't be both set at the same time".into(),
            });
        }
        let latest_first = options.get_bool("latestFirst", false)?;
        let max_age = options.get_duration_ms("maxFileAge", "7d")?;
        // As Spark: with latestFirst and a limit, maxFileAge is ignored.
        let max_age = if latest_first && (max_files.is_some() || max_bytes.is_some()) {
            i64::MAX
        } else {
            i64::try_from(max_age).unwrap_or(i64::MAX)
        };
        Ok(FileStreamSource {
            format,
            seen: SeenFiles::new(max_age, options.get_bool("fileNameOnly", false)?),
            listing: ListingOptions::from_options(options)?,
            path,
            schema,
            options: options.clone(),
            max_files,
            max_bytes,
            latest_first,
            log: BTreeMap::new(),
            current: None,
            available_now: None,
            read: None,
            packing: Packing::default(),
            last_partitions: Vec::new(),
        })
    }

    /// The offset of log entry `log_offset`.
    pub fn offset(log_offset: u64) -> Offset {
        json!({ "logOffset": log_offset })
    }

    /// The log entry an offset names.
    pub fn log_offset(offset: &Offset) -> Result<u64> {
        offset
            .get("logOffset")
            .and_then(Value::as_u64)
            .ok_or_else(|| Error::internal(format!("not a file source offset: {offset}")))
    }

    /// The files taken by log entry `log_offset`, for the checkpoint to persist.
    pub fn files_for_batch(&self, log_offset: u64) -> Option<&[FileEntry]> {
        self.log.get(&log_offset).map(Vec::as_slice)
    }

    /// Restores the log from a checkpoint: each entry's files count as taken,
    /// and planning continues after the last entry.
    pub fn restore(&mut self, entries: impl IntoIterator<Item = (u64, Vec<FileEntry>)>) {
        for (id, files) in entries {
            for f in &files {
                self.seen.add(&f.path, f.timestamp_ms);
            }
            self.current = Some(self.current.map_or(id, |c| c.max(id)));
            self.log.insert(id, files);
        }
        self.seen.purge();
    }

    /// The files under the source's path now.
    fn list(&self) -> Result<Vec<FileStatus>> {
        match list_files(&self.path, &self.listing) {
            // A glob that matches nothing yet.
            Err(Error::PathNotFound(_))
                if self.path.parent().is_some_and(Path::is_dir) && !self.path.exists() =>
            {
                Ok(vec![])
            }
            other => other,
        }
    }

    /// The files to take now, in order.
    fn select(&self, mut new: Vec<FileStatus>) -> Vec<FileStatus> {
        new.sort_by(|a, b| (a.modified_ms, &a.path).cmp(&(b.modified_ms, &b.path)));
        if self.latest_first {
            new.reverse();
        }
        let take = match (self.max_files, self.max_bytes) {
            (Some(n), _) => n,
            (None, Some(max)) => {
                // Spark's takeFilesUntilMax: the first file, then while they fit.
                let mut total = 0u64;
                new.iter()
                    .take_while(|f| {
                        total = total.saturating_add(f.size);
                        total <= max
                    })
                    .count()
                    .max(1)
            }
            (None, None) => new.len(),
        };
        new.truncate(take);
        new
    }
}

impl Source for FileStreamSource {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn ignore_rate_limits(&mut self) {
        self.max_files = None;
        self.max_bytes = None;
    }

    fn prepare_for_trigger_available_now(&mut self) -> Result<()> {
        self.available_now = Some(self.list()?);
        Ok(())
    }

    fn latest_offset(&mut self) -> Result<Option<Offset>> {
        let listed = match &self.available_now {
            Some(files) => files.clone(),
            None => self.list()?,
        };
        let new = listed
            .into_iter()
            .filter(|f| self.seen.is_new(&f.path, f.modified_ms))
            .collect();
        let batch = self.select(new);
        for f in &batch {
            self.seen.add(&f.path, f.modified_ms);
        }
        self.seen.purge();
        if batch.is_empty() {
            return Ok(None);
        }
        let id = self.current.map_or(0, |c| c + 1);
        let entries = batch
            .into_iter()
            .map(|f| FileEntry {
                path: f.path,
                timestamp_ms: f.modified_ms,
                batch_id: id,
            })
            .collect();
        self.log.insert(id, entries);
        self.current = Some(id);
        Ok(Some(Self::offset(id)))
    }

    fn get_batch(&mut self, start: Option<&Offset>, end: &Offset) -> Result<Vec<RecordBatch>> {
        let from = start
            .map(Self::log_offset)
            .transpose()?
            .map_or(0, |s| s + 1);
        let to = Self::log_offset(end)?;
        let mut paths = Vec::new();
        for id in from..=to {
            let files = self.log.get(&id).ok_or_else(|| {
                Error::internal(format!(
                    "{}: the files of source batch {id} are unknown; restore the source log from the checkpoint first",
                    self.description()
                ))
            })?;
            paths.extend(files.iter().map(|f| f.path.clone()));
        }
        // The files, cut into splits and packed into partitions as Spark
        // packs a micro-batch's files (`FilePartition`); each split read a
        // window at a time just before it is decoded, so reading one
        // overlaps decoding another and a micro-batch's files are never all
        // in memory at once.
        let (batches, partitions) = decode_partitioned(
            self.format,
            &self.schema,
            &paths,
            &self.options,
            self.read.as_ref(),
            &self.packing,
        )?;
        self.last_partitions = partitions;
        Ok(batches)
    }

    fn last_batch_partitions(&self) -> Option<Vec<Partition>> {
        Some(self.last_partitions.clone())
    }

    fn commit(&mut self, end: &Offset) -> Result<()> {
        Self::log_offset(end).map(|_| ())
    }

    fn checkpoint_entry(&self, end: &Offset) -> Option<(u64, Vec<Value>)> {
        let id = Self::log_offset(end).ok()?;
        let files = self.files_for_batch(id)?;
        Some((id, files.iter().map(FileEntry::to_json).collect()))
    }

    fn restore_checkpoint(&mut self, last_planned: Option<&Offset>, log: Vec<Value>) -> Result<()> {
        let Some(last) = last_planned.map(Self::log_offset).transpose()? else {
            return Ok(());
        };
        let mut entries: BTreeMap<u64, Vec<FileEntry>> = BTreeMap::new();
        for v in &log {
            let e = FileEntry::from_json(v)?;
            if e.batch_id <= last {
                entries.entry(e.batch_id).or_default().push(e);
            }
        }
        self.restore(entries);
        // Planning continues after the last logged batch even if it took
        // files the log no longer lists.
        self.current = Some(self.current.map_or(last, |c| c.max(last)));
        Ok(())
    }

    fn description(&self) -> String {
        format!("FileStreamSource[{}]", self.path.display())
    }
}
