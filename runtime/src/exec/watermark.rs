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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow::array::TimestampMicrosecondArray;
    use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
    use arrow::record_batch::RecordBatch;

    use super::{WatermarkPolicy, WatermarkState};

    fn times(ts: &[Option<i64>]) -> RecordBatch {
        let schema = Schema::new(vec![Field::new(
            "t",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            true,
        )]);
        let a = TimestampMicrosecondArray::from(ts.to_vec()).with_timezone("UTC");
        RecordBatch::try_new(Arc::new(schema), vec![Arc::new(a)]).unwrap()
    }

    #[test]
    fn the_watermark_is_the_max_event_time_minus_the_delay_in_whole_ms() {
        let mut w = WatermarkState::new(10_000_000);
        assert_eq!(w.watermark(), None, "no data, no watermark");
        w.observe(&[times(&[Some(5_000_000), None])], 0);
        w.observe(&[times(&[Some(60_123_456), Some(1)])], 0);
        // 60.123456 s → 60123 ms; minus 10 s.
        assert_eq!(w.watermark(), Some(50_123_000));
        // An older batch does not move it back.
        w.observe(&[times(&[Some(1_000)])], 0);
        assert_eq!(w.watermark(), Some(50_123_000));
    }

    #[test]
    fn several_watermarks_combine_by_the_policy() {
        let wms = [30, 10, 20];
        assert_eq!(WatermarkPolicy::Min.combine(wms.into_iter()), Some(10));
        assert_eq!(WatermarkPolicy::Max.combine(wms.into_iter()), Some(30));
        assert_eq!(WatermarkPolicy::Min.combine(std::iter::empty()), None);
        assert_eq!(WatermarkPolicy::parse("MAX"), Some(WatermarkPolicy::Max));
        assert_eq!(WatermarkPolicy::parse("median"), None);
    }
}
