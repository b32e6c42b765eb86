//! Progress of a streaming query, with Spark's field names
//! (`StreamingQueryProgress`, `StreamingQueryStatus`), and how one batch's
//! measurements become it, computed as Spark's `ProgressReporter` does.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};

use crate::exec::{EventTimeStats, OperatorMetrics};

/// One micro-batch's progress report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueryProgress {
    pub id: String,
    pub run_id: String,
    pub name: Option<String>,
    /// ISO-8601 UTC time the batch started.
    pub timestamp: String,
    pub batch_id: u64,
    pub num_input_rows: u64,
    /// The input rows over the time since the previous batch started (0
    /// for a query's first batch), as Spark's.
    pub input_rows_per_second: f64,
    /// The input rows over this batch's duration (`triggerExecution`, at
    /// least 1 ms), as Spark's.
    pub processed_rows_per_second: f64,
    /// Milliseconds per phase: latestOffset, walCommit, getBatch,
    /// queryPlanning, addBatch, commitOffsets, and triggerExecution (the
    /// whole batch; the phases are disjoint parts of it).
    pub duration_ms: BTreeMap<String, u64>,
    /// The watermark in force, ISO-8601, when the query has one.
    pub watermark: Option<String>,
    /// Spark's `eventTime`: with a watermark, `watermark` (the epoch before
    /// the first), and `min`, `max`, `avg` of the event times the batch
    /// brought to the first watermark operator that saw any; ISO-8601.
    pub event_time: BTreeMap<String, String>,
    pub state_operators: Vec<OperatorMetrics>,
    pub sources: Vec<SourceProgress>,
    pub sink_description: String,
    pub num_output_rows: u64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceProgress {
    pub description: String,
    pub start_offset: Option<Value>,
    pub end_offset: Option<Value>,
    pub num_input_rows: u64,
    pub input_rows_per_second: f64,
    pub processed_rows_per_second: f64,
}

impl QueryProgress {
    /// The JSON object Spark's `StreamingQueryProgress.json` prints.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "id": self.id,
            "runId": self.run_id,
            "name": self.name,
            "timestamp": self.timestamp,
            "batchId": self.batch_id,
            "batchDuration": self.duration_ms.get("triggerExecution").copied().unwrap_or(0),
            "numInputRows": self.num_input_rows,
            "inputRowsPerSecond": self.input_rows_per_second,
            "processedRowsPerSecond": self.processed_rows_per_second,
            "durationMs": self.duration_ms,
            "stateOperators": self.state_operators.iter().map(|o| json!({
                "operatorName": o.operator,
                "numRowsTotal": o.num_rows_total,
                "numRowsUpdated": o.num_rows_updated,
                "allUpdatesTimeMs": 0,
                "numRowsRemoved": o.num_rows_removed,
                "allRemovalsTimeMs": 0,
                "commitTimeMs": 0,
                "memoryUsedBytes": o.memory_used_bytes,
                "numRowsDroppedByWatermark": o.num_rows_dropped_by_watermark,
                "numShufflePartitions": o.num_shuffle_partitions,
                "numStateStoreInstances": o.num_shuffle_partitions,
            })).collect::<Vec<_>>(),
            "sources": self.sources.iter().map(|s| json!({
                "description": s.description,
                "startOffset": s.start_offset,
                "endOffset": s.end_offset,
                "latestOffset": s.end_offset,
                "numInputRows": s.num_input_rows,
                "inputRowsPerSecond": s.input_rows_per_second,
                "processedRowsPerSecond": s.processed_rows_per_second,
            })).collect::<Vec<_>>(),
            "sink": { "description": self.sink_description, "numOutputRows": self.num_output_rows },
        });
        if !self.event_time.is_empty() {
            v["eventTime"] = json!(self.event_time);
        }
        v
    }
}

/// How long each phase of a batch took, as Spark's `durationMs` names them.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Durations {
    pub latest_offset: Duration,
    pub wal_commit: Duration,
    pub get_batch: Duration,
    pub query_planning: Duration,
    pub add_batch: Duration,
    pub commit_offsets: Duration,
    pub trigger_execution: Duration,
}

impl Durations {
    fn to_map(self) -> BTreeMap<String, u64> {
        [
            ("latestOffset", self.latest_offset),
            ("walCommit", self.wal_commit),
            ("getBatch", self.get_batch),
            ("queryPlanning", self.query_planning),
            ("addBatch", self.add_batch),
            ("commitOffsets", self.commit_offsets),
            ("triggerExecution", self.trigger_execution),
        ]
        .into_iter()
        .map(|(k, d)| (k.to_string(), d.as_millis() as u64))
        .collect()
    }
}

/// One source's part of a batch.
pub(super) struct SourceReport {
    pub description: String,
    pub start_offset: Option<Value>,
    pub end_offset: Option<Value>,
    pub num_input_rows: u64,
}

/// What the micro-batch loop measured of one batch.
pub(super) struct BatchReport {
    pub batch_id: u64,
    /// When the batch (its trigger) started, and when the previous batch
    /// that ran did: ms since the epoch.
    pub started_ms: i64,
    pub previous_started_ms: Option<i64>,
    pub durations: Durations,
    pub sources: Vec<SourceReport>,
    pub has_watermark: bool,
    /// The watermark the batch ran with, µs.
    pub watermark_us: Option<i64>,
    pub event_time: Option<EventTimeStats>,
    pub state_operators: Vec<OperatorMetrics>,
    pub sink_description: String,
    pub num_output_rows: u64,
}

/// The query a progress report is about.
pub(super) struct QueryIds<'a> {
    pub id: &'a str,
    pub run_id: &'a str,
    pub name: Option<&'a str>,
}

impl BatchReport {
    /// The batch's progress, its rates as Spark's `ProgressReporter`
    /// computes them: rows over the time since the previous batch started
    /// (input; none before the first batch), and over this batch's duration,
    /// at least a millisecond (processed).
    pub fn progress(self, q: QueryIds) -> QueryProgress {
        let input_secs = self
            .previous_started_ms
            .map_or(f64::INFINITY, |p| (self.started_ms - p) as f64 / 1000.0);
        let trigger_ms = self.durations.trigger_execution.as_millis().max(1);
        let processing_secs = trigger_ms as f64 / 1000.0;
        let rate = |rows: u64, secs: f64| {
            let r = rows as f64 / secs;
            if r.is_finite() {
                r
            } else {
                0.0
            }
        };
        let num_input_rows: u64 = self.sources.iter().map(|s| s.num_input_rows).sum();
        let mut event_time = BTreeMap::new();
        if self.has_watermark {
            let wm_ms = self.watermark_us.map_or(0, |w| w.div_euclid(1000));
            event_time.insert("watermark".to_string(), iso_millis(wm_ms));
            if let Some(s) = &self.event_time {
                event_time.insert("min".to_string(), iso_millis(s.min_ms));
                event_time.insert("max".to_string(), iso_millis(s.max_ms));
                if let Some(avg) = s.avg_ms() {
                    event_time.insert("avg".to_string(), iso_millis(avg));
                }
            }
        }
        QueryProgress {
            id: q.id.to_string(),
            run_id: q.run_id.to_string(),
            name: q.name.map(str::to_string),
            timestamp: iso_millis(self.started_ms),
            batch_id: self.batch_id,
            num_input_rows,
            input_rows_per_second: rate(num_input_rows, input_secs),
            processed_rows_per_second: rate(num_input_rows, processing_secs),
            duration_ms: self.durations.to_map(),
            watermark: self.watermark_us.map(|w| iso_millis(w.div_euclid(1000))),
            event_time,
            state_operators: self.state_operators,
            sources: self
                .sources
                .into_iter()
                .map(|s| SourceProgress {
                    description: s.description,
                    start_offset: s.start_offset,
                    end_offset: s.end_offset,
                    num_input_rows: s.num_input_rows,
                    input_rows_per_second: rate(s.num_input_rows, input_secs),
                    processed_rows_per_second: rate(s.num_input_rows, processing_secs),
                })
                .collect(),
            sink_description: self.sink_description,
            num_output_rows: self.num_output_rows,
        }
    }
}

/// What a query is doing right now (Spark's `StreamingQueryStatus`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryStatus {
    pub message: String,
    pub is_data_available: bool,
    pub is_trigger_active: bool,
}

impl Default for QueryStatus {
    fn default() -> Self {
        QueryStatus {
            message: "Initializing sources".into(),
            is_data_available: false,
            is_trigger_active: false,
        }
    }
}

impl QueryStatus {
    pub fn to_json(&self) -> Value {
        json!({
            "message": self.message,
            "isDataAvailable": self.is_data_available,
            "isTriggerActive": self.is_trigger_active,
        })
    }
}

/// Milliseconds since the epoch as ISO-8601 UTC with milliseconds, as Spark
/// prints progress timestamps.
pub fn iso_millis(ms: i64) -> String {
    let us = ms * 1000;
    let s = sqlc_compiler::scalar_fns::format_timestamp(us);
    // `format_timestamp` gives `yyyy-MM-dd HH:mm:ss[.ffffff]`.
    let (date, time) = s.split_once(' ').unwrap_or((&s, "00:00:00"));
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let frac = format!("{:0<3}", frac);
    format!("{date}T{hms}.{}Z", &frac[..3])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(rows: u64, started: i64, previous: Option<i64>, took_ms: u64) -> BatchReport {
        BatchReport {
            batch_id: 1,
            started_ms: started,
            previous_started_ms: previous,
            durations: Durations {
                trigger_execution: Duration::from_millis(took_ms),
                ..Durations::default()
            },
            sources: vec![SourceReport {
                description: "s".into(),
                start_offset: None,
                end_offset: None,
                num_input_rows: rows,
            }],
            has_watermark: false,
            watermark_us: None,
            event_time: None,
            state_operators: vec![],
            sink_description: String::new(),
            num_output_rows: 0,
        }
    }

    const Q: QueryIds = QueryIds {
        id: "i",
        run_id: "r",
        name: None,
    };

    #[test]
    fn input_rate_is_over_the_time_since_the_previous_batch_processed_over_the_batch() {
        // 1,000 rows arriving over 2 s, processed in 4 ms.
        let p = report(1000, 12_000, Some(10_000), 4).progress(Q);
        assert_eq!(p.input_rows_per_second, 500.0);
        assert_eq!(p.processed_rows_per_second, 250_000.0);
        assert_eq!(p.sources[0].input_rows_per_second, 500.0);
        assert_eq!(p.sources[0].processed_rows_per_second, 250_000.0);
        // The first batch has no input rate; a batch under 1 ms counts 1 ms.
        let p = report(1000, 12_000, None, 0).progress(Q);
        assert_eq!(p.input_rows_per_second, 0.0);
        assert_eq!(p.processed_rows_per_second, 1_000_000.0);
        assert_eq!(p.duration_ms["triggerExecution"], 0);
        assert_eq!(p.duration_ms.len(), 7);
    }

    #[test]
    fn event_time_has_the_watermark_and_the_batch_s_times() {
        let mut r = report(0, 0, None, 1);
        assert!(r.progress(Q).to_json().get("eventTime").is_none());
        r = report(0, 0, None, 1);
        r.has_watermark = true;
        let p = r.progress(Q);
        assert_eq!(p.event_time["watermark"], "1970-01-01T00:00:00.000Z");
        assert_eq!(p.event_time.len(), 1);
        assert_eq!(p.watermark, None);
    }
}
