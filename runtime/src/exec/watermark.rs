//! Event-time watermarks: each `with_watermark` operator tracks the maximum
//! event time it has seen; the query's watermark is computed from them at
//! the end of a batch and used by the next, as Spark's WatermarkTracker.

use arrow::array::{Int64Array, TimestampMicrosecondArray};
use arrow::record_batch::RecordBatch;

/// How several watermarked inputs combine
/// (`spark.sql.streaming.multipleWatermarkPolicy`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WatermarkPolicy {
    /// The slowest input decides (Spark's default): nothing is dropped
    /// that any input still considers on time.
    #[default]
    Min,
    /// The fastest input decides.
    Max,
}

impl WatermarkPolicy {
    /// `min` or `max` (any case); `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "min" => Some(WatermarkPolicy::Min),
            "max" => Some(WatermarkPolicy::Max),
            _ => None,
        }
    }

    pub fn combine(self, watermarks: impl Iterator<Item = i64>) -> Option<i64> {
        match self {
            WatermarkPolicy::Min => watermarks.min(),
            WatermarkPolicy::Max => watermarks.max(),
        }
    }
}

/// One `with_watermark` operator's tracker.
#[derive(Debug)]
pub struct WatermarkState {
    pub max_event_us: Option<i64>,
    pub delay_us: i64,
}

impl WatermarkState {
    pub fn new(delay_us: i64) -> Self {
        WatermarkState {
            max_event_us: None,
            delay_us,
        }
    }

    /// Notes the event times of `batches` (column `column`).
    pub fn observe(&mut self, batches: &[RecordBatch], column: usize) {
        for b in batches {
            let col = b.column(column);
            let max = if let Some(ts) = col.as_any().downcast_ref::<TimestampMicrosecondArray>() {
                arrow::compute::max(ts)
            } else if let Some(v) = col.as_any().downcast_ref::<Int64Array>() {
                arrow::compute::max(v)
            } else {
                None
            };
            self.max_event_us = self.max_event_us.max(max);
        }
    }

    /// This input's watermark once it has seen data: the maximum event
    /// time minus the delay, in whole milliseconds as Spark keeps it.
    pub fn watermark(&self) -> Option<i64> {
        let max_ms = self.max_event_us? / 1000;
        Some((max_ms - self.delay_us / 1000) * 1000)
    }
}
