//! Spark's `rate-micro-batch` source: a fixed number of rows per
//! micro-batch, `timestamp` advancing by a fixed step per batch, whatever the
//! wall clock does — so event-time tests and benchmarks are deterministic.
//! Options: `rowsPerBatch` (required), `startTimestamp` (ms, default 0),
//! `advanceMillisPerBatch` (default 1000), `numPartitions` (default 1: the
//! batch's rows are split into that many Arrow batches). Columns:
//! `timestamp` (every row of batch k: startTimestamp + k · advance) and
//! `value` (0, 1, 2, … across batches). Offsets: `{"offset": rows so far}`.

use std::sync::Arc;

use arrow::array::{ArrayRef, Int64Array, TimestampMicrosecondArray};
use arrow::record_batch::RecordBatch;
use serde_json::json;
use sqlc_compiler::{DataType, Field, Schema};

use super::rate::{MAX_PARTITIONS, MAX_ROWS_PER_BATCH};
use super::{Offset, Options, Source};
use crate::error::{Error, Result};

pub struct RateMicroBatchSource {
    schema: Schema,
    rows_per_batch: u64,
    start_ms: i64,
    advance_ms: i64,
    partitions: usize,
    /// The end of the last planned batch (rows).
    planned: u64,
    /// With availableNow: the last offset to serve.
    limit: Option<u64>,
}

/// The latest `startTimestamp` and largest `advanceMillisPerBatch`: the end
/// of year 9999 in milliseconds, as Spark's timestamps end.
const MAX_MILLIS: i64 = 253_402_300_799_999;

impl RateMicroBatchSource {
    pub fn new(options: &Options) -> Result<Self> {
        let rows_per_batch = options
            .get_bounded_int("rowsPerBatch", MAX_ROWS_PER_BATCH as usize)?
            .ok_or_else(|| Error::BadOption {
                name: "rowsPerBatch".into(),
                value: String::new(),
                reason: "the rate-micro-batch source needs rowsPerBatch (a positive integer)"
                    .into(),
            })? as u64;
        let int = |key: &str, default: i64, min: i64| -> Result<i64> {
            match options.get(key) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (min..=MAX_MILLIS).contains(n))
                    .ok_or_else(|| Error::BadOption {
                        name: key.into(),
                        value: v.into(),
                        reason: format!("must be an integer from {min} to {MAX_MILLIS}"),
                    }),
            }
        };
        Ok(RateMicroBatchSource {
            schema: Self::schema(),
            rows_per_batch,
            start_ms: int("startTimestamp", 0, 0)?,
            advance_ms: int("advanceMillisPerBatch", 1000, 0)?,
            partitions: options
                .get_bounded_int("numPartitions", MAX_PARTITIONS)?
                .unwrap_or(1),
            planned: 0,
            limit: None,
        })
    }

    pub fn schema() -> Schema {
        Schema::new(vec![
            Field::new("timestamp", DataType::Timestamp, false),
            Field::new("value", DataType::Int64, false),
        ])
    }

    fn offset_of(o: Option<&Offset>) -> Result<u64> {
        match o {
            None => Ok(0),
            Some(v) => v
                .get("offset")
                .and_then(|n| n.as_u64())
                .ok_or_else(|| Error::internal(format!("not a rate-micro-batch offset: {v}"))),
        }
    }
}

impl Source for RateMicroBatchSource {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn latest_offset(&mut self) -> Result<Option<Offset>> {
        let next = self.planned + self.rows_per_batch;
        if self.limit.is_some_and(|l| next > l) {
            return Ok((self.planned > 0).then(|| json!({ "offset": self.planned })));
        }
        self.planned = next;
        Ok(Some(json!({ "offset": next })))
    }

    fn get_batch(&mut self, start: Option<&Offset>, end: &Offset) -> Result<Vec<RecordBatch>> {
        let (from, to) = (Self::offset_of(start)?, Self::offset_of(Some(end))?);
        let schema = self.schema.to_arrow();
        let per = (to - from).div_ceil(self.partitions as u64).max(1);
        let last_batch = (to.saturating_sub(1) / self.rows_per_batch) as i64;
        let last_ms = last_batch
            .checked_mul(self.advance_ms)
            .and_then(|d| d.checked_add(self.start_ms))
            .filter(|t| *t <= MAX_MILLIS);
        if last_ms.is_none() {
            return Err(Error::BadOption {
                name: "advanceMillisPerBatch".into(),
                value: self.advance_ms.to_string(),
                reason: format!("batch {last_batch}'s timestamp would pass the year 9999"),
            });
        }
        let mut out = Vec::new();
        let mut at = from;
        while at < to {
            let n = per.min(to - at);
            let ts: TimestampMicrosecondArray = (at..at + n)
                .map(|v| {
                    let batch = (v / self.rows_per_batch) as i64;
                    (self.start_ms + batch * self.advance_ms) * 1000
                })
                .collect::<Vec<i64>>()
                .into();
            let values = Int64Array::from_iter_values((at..at + n).map(|v| v as i64));
            let cols: Vec<ArrayRef> = vec![Arc::new(ts.with_timezone("UTC")), Arc::new(values)];
            out.push(RecordBatch::try_new(schema.clone(), cols)?);
            at += n;
        }
        Ok(out)
    }

    fn commit(&mut self, _end: &Offset) -> Result<()> {
        Ok(())
    }

    /// Restarted from a checkpoint: planning continues after the newest
    /// logged offset.
    fn restore_checkpoint(
        &mut self,
        last_planned: Option<&Offset>,
        _log: Vec<serde_json::Value>,
    ) -> Result<()> {
        if let Some(p) = last_planned {
            self.planned = Self::offset_of(Some(p))?;
        }
        Ok(())
    }

    /// An endless source: availableNow serves the next batch, then stops.
    fn prepare_for_trigger_available_now(&mut self) -> Result<()> {
        self.limit = Some(self.planned + self.rows_per_batch);
        Ok(())
    }

    fn description(&self) -> String {
        format!(
            "RatePerMicroBatchStream[rowsPerBatch={}, numPartitions={}, startTimestamp={}, advanceMillisPerBatch={}]",
            self.rows_per_batch, self.partitions, self.start_ms, self.advance_ms
        )
    }
}
