//! The micro-batch loop a streaming query's thread runs.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use serde_json::Value;
use sqlc_compiler::physical::PhysPlan;
use sqlc_compiler::plan::SourceId;

use super::checkpointing::{log_batch, resume};
use super::progress::{iso_millis, QueryProgress, SourceProgress};
use super::{Shared, Trigger, RECENT_PROGRESS};
use crate::checkpoint::{Checkpoint, OffsetSeq};
use crate::error::Result;
use crate::exec::{BatchInput, Emit, Executor, WatermarkPolicy};
use crate::sink::{OutputMode, Sink};
use crate::source::Source;

/// Everything a query needs to run; built by the API layer at `start()`.
pub struct QuerySpec {
    pub name: Option<String>,
    pub plan: PhysPlan,
    /// Each streaming scan's source instance, owned by this query.
    pub sources: Vec<(SourceId, Box<dyn Source>)>,
    /// Rows of the static relations the plan reads (joined tables).
    pub static_inputs: HashMap<SourceId, Vec<RecordBatch>>,
    pub sink: Box<dyn Sink>,
    pub output_mode: OutputMode,
    pub trigger: Trigger,
    pub partitions: usize,
    /// The open checkpoint, if the query has a `checkpointLocation`.
    pub checkpoint: Option<Checkpoint>,
    pub watermark_policy: WatermarkPolicy,
    /// Where the rows dropped as late go (the `lateRowsTable` option), and
    /// their schema.
    pub late_sink: Option<(Box<dyn Sink>, SchemaRef)>,
}

pub(super) struct SourceState {
    pub id: SourceId,
    pub source: Box<dyn Source>,
    pub committed: Option<Value>,
}

/// How long the loop sleeps when a poll finds no new data (Spark's
/// `spark.sql.streaming.pollingDelay`).
const POLL_DELAY: Duration = Duration::from_millis(10);

pub(super) fn run(spec: QuerySpec, shared: Arc<Shared>) {
    let result = run_loop(spec, &shared);
    let mut st = shared.lock();
    if let Err(e) = result {
        st.exception = Some(e.to_string());
    }
    st.terminated = true;
    st.status.message = "Stopped".into();
    st.status.is_trigger_active = false;
    drop(st);
    shared.changed.notify_all();
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn run_loop(spec: QuerySpec, shared: &Arc<Shared>) -> Result<()> {
    let QuerySpec {
        name: _,
        plan,
        sources,
        static_inputs,
        mut sink,
        output_mode,
        trigger,
        partitions,
        mut checkpoint,
        watermark_policy,
        mut late_sink,
    } = spec;
    let schema: SchemaRef = plan.schema();
    let mut exec = Executor::new(plan, partitions).with_watermark_policy(watermark_policy);
    if late_sink.is_some() {
        exec = exec.keep_late_rows();
    }
    let mut sources: Vec<SourceState> = sources
        .into_iter()
        .map(|(id, source)| SourceState {
            id,
            source,
            committed: None,
        })
        .collect();
    let mut batch_id: u64 = 0;
    let mut watermark: Option<i64> = None;
    // A batch the checkpoint logged but did not commit, run first.
    let mut rerun: Option<OffsetSeq> = None;
    if let Some(ck) = checkpoint.as_mut() {
        let r = resume(ck, &mut exec, &mut sources)?;
        batch_id = r.next_batch;
        watermark = r.watermark;
        rerun = r.rerun;
    }
    let emit = match output_mode {
        OutputMode::Complete => Emit::All,
        OutputMode::Update => Emit::Updated,
        OutputMode::Append => Emit::Closed,
    };
    for s in sources.iter_mut() {
        match trigger {
            // Everything there now, and nothing that arrives later, in
            // batches of the sources' limits.
            Trigger::AvailableNow => s.source.prepare_for_trigger_available_now()?,
            // Everything there now, in one batch.
            Trigger::Once => s.source.ignore_rate_limits(),
            Trigger::ProcessingTime(_) => {}
        }
    }
    let mut last_trigger: Option<Instant> = None;
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        if let Trigger::ProcessingTime(interval) = trigger {
            if let Some(t) = last_trigger {
                let next = t + interval;
                let now = Instant::now();
                if next > now {
                    wait_or_stop(shared, next - now);
                    continue;
                }
            }
        }
        let poll = {
            let mut st = shared.lock();
            st.polls_started += 1;
            st.status.is_trigger_active = true;
            st.polls_started
        };
        let t_start = Instant::now();
        let started_ms = now_ms();
        // Plan the batch: every source's latest offset (or, for a batch
        // run again after a restart, the offsets it was logged with).
        let replay = rerun.take();
        let mut ends = Vec::with_capacity(sources.len());
        let mut any_new = false;
        let (next_wm, wm_moved) = match &replay {
            Some(seq) => {
                for (s, end) in sources.iter().zip(&seq.offsets) {
                    any_new |= end.is_some() && *end != s.committed;
                    ends.push(end.clone());
                }
                (seq.watermark_us, true)
            }
            None => {
                for s in sources.iter_mut() {
                    // A source with nothing new stays where it was: the
                    // offset log records every source's position, as
                    // Spark's does, so a restart resumes each one there.
                    let end = s.source.latest_offset()?.or_else(|| s.committed.clone());
                    let new = end.is_some() && end != s.committed;
                    any_new |= new;
                    ends.push(end);
                }
                // The watermark never moves back (a new input's, or a policy over
                // several, may be behind the one in force).
                let next_wm = exec.next_watermark().max(watermark);
                // A batch without data still runs when the watermark moved, so
                // stateful operators can emit and evict (Spark's no-data batches).
                (
                    next_wm,
                    next_wm.is_some() && next_wm != watermark && batch_id > 0,
                )
            }
        };
        let t_offsets = t_start.elapsed();
        if !any_new && !wm_moved {
            {
                let mut st = shared.lock();
                st.last_idle_poll = poll;
                st.status = super::QueryStatus {
                    message: "Waiting for data to arrive".into(),
                    is_data_available: false,
                    is_trigger_active: false,
                };
            }
            shared.changed.notify_all();
            if trigger.ends_when_drained() {
                return Ok(());
            }
            wait_or_stop(shared, POLL_DELAY);
            continue;
        }
        last_trigger = Some(t_start);
        {
            let mut st = shared.lock();
            st.status.message = "Processing new data".into();
            st.status.is_data_available = any_new;
        }
        let late_watermark = watermark;
        watermark = match &replay {
            Some(seq) => seq.watermark_us,
            None => next_wm.or(watermark),
        };
        if let (Some(ck), None) = (&checkpoint, &replay) {
            let p = exec.state_partitions();
            log_batch(ck, batch_id, &sources, &ends, watermark, started_ms, p)?;
        }
        // Read each source's new rows.
        let t_get = Instant::now();
        let mut data = static_inputs.clone();
        let mut source_rows = Vec::with_capacity(sources.len());
        for (s, end) in sources.iter_mut().zip(&ends) {
            let rows = match end {
                Some(end) if Some(end) != s.committed.as_ref() => {
                    s.source.get_batch(s.committed.as_ref(), end)?
                }
                _ => Vec::new(),
            };
            source_rows.push(rows.iter().map(|b| b.num_rows() as u64).sum::<u64>());
            data.entry(s.id.clone()).or_default().extend(rows);
        }
        let t_get = t_get.elapsed();
        let t_add = Instant::now();
        let out = exec.run(&BatchInput {
            batch_id,
            data: &data,
            emit,
            watermark_us: watermark,
            late_watermark_us: late_watermark,
        })?;
        let num_output_rows = out.iter().map(|b| b.num_rows() as u64).sum();
        if let Some(ck) = checkpoint.as_mut() {
            ck.save_state(batch_id, &exec.snapshot_state()?)?;
        }
        sink.add_batch(batch_id, &schema, out, output_mode)?;
        if let Some((late, late_schema)) = late_sink.as_mut() {
            late.add_batch(
                batch_id,
                late_schema,
                exec.take_late_rows(),
                OutputMode::Append,
            )?;
        }
        let t_add = t_add.elapsed();
        let t_commit = Instant::now();
        if let Some(ck) = &checkpoint {
            ck.commit(batch_id, exec.next_watermark())?;
        }
        let mut source_progress = Vec::new();
        for ((s, end), rows) in sources.iter_mut().zip(ends).zip(&source_rows) {
            let start = s.committed.clone();
            if let Some(end) = &end {
                s.source.commit(end)?;
                s.committed = Some(end.clone());
            }
            source_progress.push((s.source.description(), start, end, *rows));
        }
        let t_commit = t_commit.elapsed();
        let total = t_start.elapsed();
        let num_input_rows: u64 = source_rows.iter().sum();
        let secs = total.as_secs_f64().max(1e-9);
        let mut duration_ms = BTreeMap::new();
        duration_ms.insert("latestOffset".to_string(), t_offsets.as_millis() as u64);
        duration_ms.insert("getBatch".to_string(), t_get.as_millis() as u64);
        duration_ms.insert("addBatch".to_string(), t_add.as_millis() as u64);
        duration_ms.insert("commitOffsets".to_string(), t_commit.as_millis() as u64);
        duration_ms.insert("triggerExecution".to_string(), total.as_millis() as u64);
        let progress = QueryProgress {
            id: shared.id.clone(),
            run_id: shared.run_id.clone(),
            name: shared.name.clone(),
            timestamp: iso_millis(started_ms),
            batch_id,
            num_input_rows,
            input_rows_per_second: num_input_rows as f64 / secs,
            processed_rows_per_second: num_input_rows as f64 / secs,
            duration_ms,
            watermark: watermark.map(|w| iso_millis(w.div_euclid(1000))),
            state_operators: exec.metrics(),
            sources: source_progress
                .into_iter()
                .map(|(description, start, end, rows)| SourceProgress {
                    description,
                    start_offset: start,
                    end_offset: end,
                    num_input_rows: rows,
                    input_rows_per_second: rows as f64 / secs,
                    processed_rows_per_second: rows as f64 / secs,
                })
                .collect(),
            sink_description: sink.description(),
            num_output_rows,
        };
        {
            let mut st = shared.lock();
            st.progress.push_back(progress);
            while st.progress.len() > RECENT_PROGRESS {
                st.progress.pop_front();
            }
        }
        shared.changed.notify_all();
        batch_id += 1;
        if trigger == Trigger::Once && !wm_moved_after(&exec, watermark) {
            return Ok(());
        }
    }
}

/// Whether the watermark would move for another (no-data) batch.
fn wm_moved_after(exec: &Executor, current: Option<i64>) -> bool {
    let next = exec.next_watermark().max(current);
    next.is_some() && next != current
}

/// Sleeps up to `d`, waking early when the query is stopped.
fn wait_or_stop(shared: &Shared, d: Duration) {
    let st = shared.lock();
    if shared.stop.load(Ordering::SeqCst) {
        return;
    }
    let _ = shared.changed.wait_timeout(st, d);
}
