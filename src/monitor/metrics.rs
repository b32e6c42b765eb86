//! The queries' metrics in Prometheus' text format (version 0.0.4): per
//! query, the last batch's figures as gauges (equal to `last_progress()`),
//! running totals as counters and a histogram of batch durations, both
//! accumulated over every batch the collector has seen.

use std::collections::HashMap;
use std::fmt::Write;

use sqlc_compiler::scalar_fns::parse_timestamp;

use crate::{QueryProgress, StreamingQuery};

/// Upper bounds (seconds) of the batch-duration histogram's buckets.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// What one query has accumulated.
#[derive(Default)]
struct Totals {
    /// Next batch id not yet counted.
    next: u64,
    input_rows: u64,
    output_rows: u64,
    late_rows: u64,
    batches: u64,
    duration_sum: f64,
    /// Cumulative counts per bucket of `BUCKETS`.
    buckets: [u64; BUCKETS.len()],
}

/// Accumulates the queries' batches as it sees them (from each query's
/// recent progress, so a scrape at least every 100 batches loses none).
#[derive(Default)]
pub struct Collector {
    totals: HashMap<String, Totals>,
}

fn trigger_seconds(p: &QueryProgress) -> f64 {
    p.duration_ms.get("triggerExecution").copied().unwrap_or(0) as f64 / 1e3
}

fn late_rows(p: &QueryProgress) -> u64 {
    p.state_operators
        .iter()
        .map(|o| o.num_rows_dropped_by_watermark)
        .sum()
}

impl Collector {
    /// Counts the batches `queries` committed since the last call.
    pub fn update(&mut self, queries: &[StreamingQuery]) {
        for q in queries {
            let t = self.totals.entry(q.id().to_string()).or_default();
            for p in q.recent_progress() {
                if p.batch_id < t.next {
                    continue;
                }
                t.next = p.batch_id + 1;
                t.batches += 1;
                t.input_rows += p.num_input_rows;
                t.output_rows += p.num_output_rows;
                t.late_rows += late_rows(&p);
                let secs = trigger_seconds(&p);
                t.duration_sum += secs;
                for (i, b) in BUCKETS.iter().enumerate() {
                    if secs <= *b {
                        t.buckets[i] += 1;
                    }
                }
            }
        }
    }

    /// The exposition text for `queries`.
    pub fn render(&self, queries: &[StreamingQuery]) -> String {
        let mut m = Metrics::default();
        for q in queries {
            let name = q.name().unwrap_or("");
            let labels = format!("query=\"{}\",id=\"{}\"", escape(name), q.id());
            let active = q.is_active();
            let failed = q.exception().is_some();
            m.gauge(
                "sqlc_query_active",
                "1 while the query runs.",
                &labels,
                active as u8 as f64,
            );
            m.counter(
                "sqlc_query_errors_total",
                "Errors that stopped the query.",
                &labels,
                failed as u8 as f64,
            );
            let empty = Totals::default();
            let t = self.totals.get(q.id()).unwrap_or(&empty);
            m.counter(
                "sqlc_query_batches_total",
                "Micro-batches committed.",
                &labels,
                t.batches as f64,
            );
            m.counter(
                "sqlc_query_input_rows_total",
                "Rows read from the sources.",
                &labels,
                t.input_rows as f64,
            );
            m.counter(
                "sqlc_query_output_rows_total",
                "Rows written to the sink.",
                &labels,
                t.output_rows as f64,
            );
            m.counter(
                "sqlc_query_late_rows_total",
                "Rows dropped as later than the watermark.",
                &labels,
                t.late_rows as f64,
            );
            m.histogram(
                "sqlc_query_batch_duration_seconds",
                "Time per micro-batch (triggerExecution).",
                &labels,
                t,
            );
            let Some(p) = q.last_progress() else { continue };
            m.gauge(
                "sqlc_query_last_batch_id",
                "The last committed batch.",
                &labels,
                p.batch_id as f64,
            );
            m.gauge(
                "sqlc_query_last_batch_input_rows",
                "numInputRows of the last batch.",
                &labels,
                p.num_input_rows as f64,
            );
            m.gauge(
                "sqlc_query_input_rows_per_second",
                "inputRowsPerSecond of the last batch.",
                &labels,
                p.input_rows_per_second,
            );
            m.gauge(
                "sqlc_query_processed_rows_per_second",
                "processedRowsPerSecond of the last batch.",
                &labels,
                p.processed_rows_per_second,
            );
            for (phase, ms) in &p.duration_ms {
                let l = format!("{labels},phase=\"{}\"", escape(phase));
                m.gauge(
                    "sqlc_query_last_batch_duration_seconds",
                    "durationMs of the last batch, per phase.",
                    &l,
                    *ms as f64 / 1e3,
                );
            }
            let state: u64 = p.state_operators.iter().map(|o| o.num_rows_total).sum();
            let memory: u64 = p.state_operators.iter().map(|o| o.memory_used_bytes).sum();
            m.gauge(
                "sqlc_query_state_rows",
                "Rows in the state stores after the last batch.",
                &labels,
                state as f64,
            );
            m.gauge(
                "sqlc_query_state_memory_bytes",
                "Memory the state stores use.",
                &labels,
                memory as f64,
            );
            m.gauge(
                "sqlc_query_last_batch_late_rows",
                "Rows the last batch dropped as late.",
                &labels,
                late_rows(&p) as f64,
            );
            let watermark = p.watermark.as_deref().and_then(parse_timestamp);
            let at = parse_timestamp(&p.timestamp);
            if let (Some(w), Some(at)) = (watermark, at) {
                m.gauge(
                    "sqlc_query_watermark_seconds",
                    "The watermark, seconds since the epoch.",
                    &labels,
                    w as f64 / 1e6,
                );
                m.gauge(
                    "sqlc_query_watermark_lag_seconds",
                    "The last batch's start time minus the watermark.",
                    &labels,
                    (at - w) as f64 / 1e6,
                );
            }
        }
        m.text()
    }
}

/// Metric families in first-seen order, each with its samples.
#[derive(Default)]
struct Metrics {
    families: Vec<(String, &'static str, &'static str, Vec<String>)>,
}

impl Metrics {
    fn family(&mut self, name: &str, kind: &'static str, help: &'static str) -> &mut Vec<String> {
        let i = match self.families.iter().position(|f| f.0 == name) {
            Some(i) => i,
            None => {
                self.families
                    .push((name.to_string(), kind, help, Vec::new()));
                self.families.len() - 1
            }
        };
        &mut self.families[i].3
    }

    fn gauge(&mut self, name: &str, help: &'static str, labels: &str, v: f64) {
        self.family(name, "gauge", help)
            .push(format!("{name}{{{labels}}} {}", num(v)));
    }

    fn counter(&mut self, name: &str, help: &'static str, labels: &str, v: f64) {
        self.family(name, "counter", help)
            .push(format!("{name}{{{labels}}} {}", num(v)));
    }

    fn histogram(&mut self, name: &str, help: &'static str, labels: &str, t: &Totals) {
        let s = self.family(name, "histogram", help);
        for (b, n) in BUCKETS.iter().zip(t.buckets) {
            s.push(format!("{name}_bucket{{{labels},le=\"{b}\"}} {n}"));
        }
        s.push(format!(
            "{name}_bucket{{{labels},le=\"+Inf\"}} {}",
            t.batches
        ));
        s.push(format!("{name}_sum{{{labels}}} {}", num(t.duration_sum)));
        s.push(format!("{name}_count{{{labels}}} {}", t.batches));
    }

    fn text(&self) -> String {
        let mut out = String::new();
        for (name, kind, help, samples) in &self.families {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for s in samples {
                let _ = writeln!(out, "{s}");
            }
        }
        out
    }
}

/// A sample value: integers without a fraction, as Prometheus prints them.
fn num(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A label value with `\`, `"` and newlines escaped.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
