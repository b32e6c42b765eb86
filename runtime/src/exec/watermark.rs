//! Event-time watermarks: each `with_watermark` operator tracks the maximum
//! event time it has seen; the query's watermark is computed from them at
//! the end of a batch and used by the next, as Spark's WatermarkTracker.

use arrow::array::{Int64Array, TimestampMicrosecondArray};
use arrow::record_batch::RecordBatch;
use sqlc_compiler::physical::PhysPlan;

use super::operator::{wrong_node, OpBatch, OpOutput, StatefulOperator};
use super::OperatorMetrics;
use crate::error::Result;

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

/// The event times one batch brought to a watermark operator, in
/// milliseconds, as Spark's `EventTimeStats` (progress' `eventTime`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EventTimeStats {
    pub min_ms: i64,
    pub max_ms: i64,
    sum_ms: i128,
    pub count: u64,
}

impl EventTimeStats {
    fn add(&mut self, ms: i64) {
        if self.count == 0 {
            (self.min_ms, self.max_ms) = (ms, ms);
        } else {
            self.min_ms = self.min_ms.min(ms);
            self.max_ms = self.max_ms.max(ms);
        }
        self.sum_ms += ms as i128;
        self.count += 1;
    }

    /// The mean event time, truncated to a millisecond as Spark's
    /// `avg.toLong`; `None` without rows.
    pub fn avg_ms(&self) -> Option<i64> {
        (self.count > 0).then(|| (self.sum_ms / self.count as i128) as i64)
    }
}

/// One `with_watermark` operator's tracker.
#[derive(Debug)]
pub struct WatermarkState {
    pub max_event_us: Option<i64>,
    pub delay_us: i64,
    /// The event times of the current batch.
    pub batch_stats: EventTimeStats,
}

impl WatermarkState {
    pub fn new(delay_us: i64) -> Self {
        WatermarkState {
            max_event_us: None,
            delay_us,
            batch_stats: EventTimeStats::default(),
        }
    }

    /// Notes the event times of `batches` (column `column`): the maximum,
    /// and the batch's statistics.
    pub fn observe(&mut self, batches: &[RecordBatch], column: usize) {
        for b in batches {
            let col = b.column(column);
            if let Some(ts) = col.as_any().downcast_ref::<TimestampMicrosecondArray>() {
                self.note(ts.iter().flatten());
            } else if let Some(v) = col.as_any().downcast_ref::<Int64Array>() {
                self.note(v.iter().flatten());
            }
        }
    }

    fn note(&mut self, event_times_us: impl Iterator<Item = i64>) {
        for us in event_times_us {
            self.max_event_us = self.max_event_us.max(Some(us));
            self.batch_stats.add(us.div_euclid(1000));
        }
    }

    /// Starts a batch: its statistics start empty.
    pub fn begin_batch(&mut self) {
        self.batch_stats = EventTimeStats::default();
    }

    /// This input's watermark once it has seen data: the maximum event
    /// time minus the delay, in whole milliseconds as Spark keeps it.
    pub fn watermark(&self) -> Option<i64> {
        let max_ms = self.max_event_us? / 1000;
        Some((max_ms - self.delay_us / 1000) * 1000)
    }
}

/// A `with_watermark` node as a stateful operator: rows pass unchanged
/// (late rows are dropped by the stateful operators above, each by its own
/// rule, as in Spark); its state is the maximum event time.
pub struct WatermarkOp {
    state: WatermarkState,
    column: usize,
}

impl WatermarkOp {
    pub fn new(node: &PhysPlan) -> Result<Self> {
        let PhysPlan::Watermark {
            column, delay_us, ..
        } = node
        else {
            return Err(wrong_node("watermark", node));
        };
        Ok(WatermarkOp {
            state: WatermarkState::new(*delay_us),
            column: *column,
        })
    }
}

impl StatefulOperator for WatermarkOp {
    fn name(&self) -> &'static str {
        "watermark"
    }

    fn run(&mut self, inputs: Vec<Vec<RecordBatch>>, _: &OpBatch) -> Result<OpOutput> {
        let rows: Vec<RecordBatch> = inputs.into_iter().flatten().collect();
        self.state.begin_batch();
        self.state.observe(&rows, self.column);
        Ok(OpOutput {
            rows,
            late_rows: Vec::new(),
        })
    }

    fn metrics(&self) -> Option<OperatorMetrics> {
        None
    }

    fn state_schema(&self) -> String {
        "maxEventTime".into()
    }

    fn snapshot(&self) -> Result<Vec<(usize, Vec<u8>)>> {
        let max = self.state.max_event_us;
        Ok(vec![(0, max.map_or(vec![], |m| m.to_le_bytes().to_vec()))])
    }

    fn restore(&mut self, parts: Vec<(usize, &[u8])>) -> std::result::Result<(), String> {
        let bytes = parts.first().map_or(&[][..], |p| p.1);
        self.state.max_event_us = match bytes.len() {
            0 => None,
            8 => Some(i64::from_le_bytes(bytes.try_into().expect("8 bytes"))),
            n => return Err(format!("{n} bytes for a watermark")),
        };
        Ok(())
    }

    fn watermark(&self) -> Option<i64> {
        self.state.watermark()
    }

    fn event_time_stats(&self) -> Option<EventTimeStats> {
        Some(self.state.batch_stats).filter(|s| s.count > 0)
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
    fn a_batch_s_event_time_stats_are_min_max_and_mean_in_ms() {
        let mut w = WatermarkState::new(0);
        w.observe(&[times(&[Some(4_000_999), None])], 0);
        w.observe(&[times(&[Some(1_000_000), Some(2_000_500)])], 0);
        let s = w.batch_stats;
        assert_eq!((s.min_ms, s.max_ms, s.count), (1_000, 4_000, 3));
        // (4000 + 1000 + 2000) / 3, truncated.
        assert_eq!(s.avg_ms(), Some(2_333));
        w.begin_batch();
        assert_eq!(w.batch_stats.count, 0);
        assert_eq!(w.batch_stats.avg_ms(), None);
        assert_eq!(w.watermark(), Some(4_000_000), "the maximum stays");
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
