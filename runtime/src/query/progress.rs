//! Progress of a streaming query, with Spark's field names
//! (`StreamingQueryProgress`, `StreamingQueryStatus`).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::exec::OperatorMetrics;

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
    pub input_rows_per_second: f64,
    pub processed_rows_per_second: f64,
    /// Milliseconds per phase: latestOffset, walCommit, getBatch,
    /// queryPlanning, addBatch, commitOffsets, triggerExecution.
    pub duration_ms: BTreeMap<String, u64>,
    /// The watermark in force, ISO-8601, when the query has one.
    pub watermark: Option<String>,
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
            "numInputRows": self.num_input_rows,
            "inputRowsPerSecond": self.input_rows_per_second,
            "processedRowsPerSecond": self.processed_rows_per_second,
            "durationMs": self.duration_ms,
            "stateOperators": self.state_operators.iter().map(|o| json!({
                "operatorName": o.operator,
                "numRowsTotal": o.num_rows_total,
                "numRowsUpdated": o.num_rows_updated,
                "numRowsRemoved": o.num_rows_removed,
                "memoryUsedBytes": o.memory_used_bytes,
                "numRowsDroppedByWatermark": o.num_rows_dropped_by_watermark,
                "numShufflePartitions": o.num_shuffle_partitions,
            })).collect::<Vec<_>>(),
            "sources": self.sources.iter().map(|s| json!({
                "description": s.description,
                "startOffset": s.start_offset,
                "endOffset": s.end_offset,
                "numInputRows": s.num_input_rows,
                "inputRowsPerSecond": s.input_rows_per_second,
                "processedRowsPerSecond": s.processed_rows_per_second,
            })).collect::<Vec<_>>(),
            "sink": { "description": self.sink_description, "numOutputRows": self.num_output_rows },
        });
        if let Some(w) = &self.watermark {
            v["eventTime"] = json!({ "watermark": w });
        }
        v
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
