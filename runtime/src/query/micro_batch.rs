//! The micro-batch loop a streaming query's thread runs, one batch as the
//! phases ARCHITECTURE.md lists: wait for the trigger, **plan** (every
//! source's latest offset, and the watermark), **log** the offsets (with a
//! checkpoint), **read** each source's new rows, **execute** the plan,
//! **save** the operators' state and **emit** the result to the sink (at
//! the same time: their syncs overlap),
//! **commit** (the commit log, then the sources) and **report** progress.
//! The sources are stopped when the loop ends, however it ends.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use serde_json::Value;
use sqlc_compiler::partition::Partition;
use sqlc_compiler::physical::PhysPlan;
use sqlc_compiler::plan::SourceId;

use super::checkpointing::{log_batch, resume};
use super::progress::{BatchReport, Durations, QueryIds, SourceReport};
use super::watermarks::Watermarks;
use super::{QueryStatus, Shared, Trigger, RECENT_PROGRESS};
use crate::checkpoint::{Checkpoint, OffsetSeq};
use crate::error::{Error, Result};
use crate::exec::{BatchInput, Emit, Executor, WatermarkPolicy};
use crate::sink::{OutputMode, Sink};
use crate::source::{Offset, Source};

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
    let mut query = MicroBatchLoop::new(spec);
    // A panic (a bug) ends the query with its message as the exception, so
    // whoever waits on the query is told instead of waiting forever.
    let result = Error::catch_panic("the streaming query", || query.run(&shared));
    // However the loop ended, the sources let go of what they hold (a
    // socket source's connection, a Kafka consumer).
    query.stop_sources();
    drop(query);
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

/// A running query's parts and where it is.
struct MicroBatchLoop {
    exec: Executor,
    schema: SchemaRef,
    sources: Vec<SourceState>,
    static_inputs: HashMap<SourceId, Vec<RecordBatch>>,
    sink: Box<dyn Sink>,
    late_sink: Option<(Box<dyn Sink>, SchemaRef)>,
    output_mode: OutputMode,
    emit: Emit,
    trigger: Trigger,
    checkpoint: Option<Checkpoint>,
    /// The id the next batch gets.
    batch_id: u64,
    watermarks: Watermarks,
    /// A batch the checkpoint logged but did not commit, run first.
    rerun: Option<OffsetSeq>,
    /// When the last batch that ran started (for the trigger's interval,
    /// and the progress' input rate).
    last_trigger: Option<(Instant, i64)>,
    /// The partition (file) of each batch a source gave this batch, where
    /// it says ([`Source::last_batch_partitions`]).
    partitions: HashMap<SourceId, Arc<Vec<Partition>>>,
}

/// A batch as planned: each source's end offset, and the watermark.
struct Planned {
    ends: Vec<Option<Offset>>,
    /// Whether some source has rows past its committed offset.
    any_new: bool,
    watermark: Option<i64>,
    /// Whether the batch runs without new data because the watermark moved
    /// (or it is a logged batch run again).
    wm_moved: bool,
    /// Whether the offsets come from the log (a batch run again after a
    /// restart), so they are logged already.
    replay: bool,
}

impl MicroBatchLoop {
    fn new(spec: QuerySpec) -> Self {
        let QuerySpec {
            name: _,
            plan,
            sources,
            static_inputs,
            sink,
            output_mode,
            trigger,
            partitions,
            checkpoint,
            watermark_policy,
            late_sink,
        } = spec;
        let schema: SchemaRef = plan.schema();
        let mut exec = Executor::new(plan, partitions).with_watermark_policy(watermark_policy);
        if late_sink.is_some() {
            exec = exec.keep_late_rows();
        }
        MicroBatchLoop {
            exec,
            schema,
            sources: sources
                .into_iter()
                .map(|(id, source)| SourceState {
                    id,
                    source,
                    committed: None,
                })
                .collect(),
            static_inputs,
            sink,
            late_sink,
            emit: match output_mode {
                OutputMode::Complete => Emit::All,
                OutputMode::Update => Emit::Updated,
                OutputMode::Append => Emit::Closed,
            },
            output_mode,
            trigger,
            checkpoint,
            batch_id: 0,
            watermarks: Watermarks::default(),
            rerun: None,
            last_trigger: None,
            partitions: HashMap::new(),
        }
    }

    fn run(&mut self, shared: &Shared) -> Result<()> {
        self.start()?;
        loop {
            if shared.stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            if !self.trigger_due(shared) {
                continue;
            }
            let poll = {
                let mut st = shared.lock();
                st.polls_started += 1;
                st.status.is_trigger_active = true;
                st.polls_started
            };
            let t_start = Instant::now();
            let started_ms = now_ms();
            let mut d = Durations::default();
            let planned = timed(&mut d.latest_offset, || self.plan(shared))?;
            if !planned.any_new && !planned.wm_moved {
                idle(shared, poll);
                if self.trigger.ends_when_drained() {
                    return Ok(());
                }
                wait_or_stop(shared, POLL_DELAY);
                continue;
            }
            let previous_started_ms = self.last_trigger.map(|t| t.1);
            self.last_trigger = Some((t_start, started_ms));
            {
                let mut st = shared.lock();
                st.status.message = "Processing new data".into();
                st.status.is_data_available = planned.any_new;
            }
            self.watermarks.enter(planned.watermark);
            timed(&mut d.wal_commit, || self.log(&planned, started_ms))?;
            let (rows, source_rows) = timed(&mut d.get_batch, || self.read(&planned))?;
            let data = timed(&mut d.query_planning, || self.batch_input(rows));
            let num_output_rows = timed(&mut d.add_batch, || -> Result<u64> {
                let out = self.execute(&data)?;
                self.save_and_emit(out)
            })?;
            let sources = timed(&mut d.commit_offsets, || {
                self.commit(planned.ends, &source_rows)
            })?;
            d.trigger_execution = t_start.elapsed();
            self.report(
                shared,
                BatchReport {
                    batch_id: self.batch_id,
                    started_ms,
                    previous_started_ms,
                    durations: d,
                    sources,
                    has_watermark: self.exec.has_watermark(),
                    watermark_us: self.watermarks.current(),
                    event_time: self.exec.event_time_stats(),
                    state_operators: self.exec.metrics(),
                    sink_description: self.sink.description(),
                    num_output_rows,
                },
            );
            self.batch_id += 1;
            if self.trigger == Trigger::Once && !self.watermarks.moved(self.exec.next_watermark()) {
                return Ok(());
            }
        }
    }

    /// Before the first batch: resume from the checkpoint, and tell the
    /// sources the trigger.
    fn start(&mut self) -> Result<()> {
        if let Some(ck) = self.checkpoint.as_mut() {
            let r = resume(ck, &mut self.exec, &mut self.sources)?;
            self.batch_id = r.next_batch;
            if let Some(last) = r.next_batch.checked_sub(1) {
                self.sink.check_committed(last)?;
            }
            self.watermarks = Watermarks::resumed(r.watermark);
            self.rerun = r.rerun;
        }
        for s in self.sources.iter_mut() {
            match self.trigger {
                // Everything there now, and nothing that arrives later, in
                // batches of the sources' limits.
                Trigger::AvailableNow => s.source.prepare_for_trigger_available_now()?,
                // Everything there now, in one batch.
                Trigger::Once => s.source.ignore_rate_limits(),
                Trigger::ProcessingTime(_) => {}
            }
        }
        Ok(())
    }

    /// Whether the next batch may start: a processing-time trigger waits
    /// for its interval since the last batch started (`false`: it waited,
    /// look again).
    fn trigger_due(&self, shared: &Shared) -> bool {
        if let (Trigger::ProcessingTime(interval), Some((t, _))) = (self.trigger, self.last_trigger)
        {
            let next = t + interval;
            let now = Instant::now();
            if next > now {
                wait_or_stop(shared, next - now);
                return false;
            }
        }
        true
    }

    /// Plans the batch: every source's latest offset (or, for a batch run
    /// again after a restart, the offsets it was logged with), and the
    /// watermark it runs with.
    fn plan(&mut self, shared: &Shared) -> Result<Planned> {
        if let Some(seq) = self.rerun.take() {
            let any_new = self
                .sources
                .iter()
                .zip(&seq.offsets)
                .any(|(s, end)| end.is_some() && *end != s.committed);
            return Ok(Planned {
                ends: seq.offsets,
                any_new,
                watermark: seq.watermark_us,
                wm_moved: true,
                replay: true,
            });
        }
        let mut ends = Vec::with_capacity(self.sources.len());
        let mut any_new = false;
        for s in self.sources.iter_mut() {
            // Spark's status while a source is asked (what a query waiting
            // on a slow or retrying source — a Kafka broker gone — shows).
            shared.lock().status.message =
                format!("Getting offsets from {}", s.source.description());
            // A source with nothing new stays where it was: the offset log
            // records every source's position, as Spark's does, so a
            // restart resumes each one there.
            let end = s.source.latest_offset()?.or_else(|| s.committed.clone());
            any_new |= end.is_some() && end != s.committed;
            ends.push(end);
        }
        let operators = self.exec.next_watermark();
        Ok(Planned {
            ends,
            any_new,
            watermark: self.watermarks.next(operators),
            wm_moved: self.watermarks.moved(operators) && self.batch_id > 0,
            replay: false,
        })
    }

    /// Logs the batch's offsets (with a checkpoint), before it reads.
    fn log(&self, planned: &Planned, started_ms: i64) -> Result<()> {
        match &self.checkpoint {
            Some(ck) if !planned.replay => log_batch(
                ck,
                self.batch_id,
                &self.sources,
                &planned.ends,
                self.watermarks.current(),
                started_ms,
                self.exec.state_partitions(),
            ),
            _ => Ok(()),
        }
    }

    /// Reads each source's rows between its committed offset and the
    /// planned one; with each source's row count.
    fn read(&mut self, planned: &Planned) -> Result<(Vec<Vec<RecordBatch>>, Vec<u64>)> {
        let mut rows = Vec::with_capacity(self.sources.len());
        let mut counts = Vec::with_capacity(self.sources.len());
        for (s, end) in self.sources.iter_mut().zip(&planned.ends) {
            let batches = match end {
                Some(end) if Some(end) != s.committed.as_ref() => {
                    s.source.get_batch(s.committed.as_ref(), end)?
                }
                _ => Vec::new(),
            };
            match s.source.last_batch_partitions() {
                Some(p) if p.len() == batches.len() => {
                    self.partitions.insert(s.id.clone(), Arc::new(p));
                }
                _ => {
                    self.partitions.remove(&s.id);
                }
            }
            counts.push(batches.iter().map(|b| b.num_rows() as u64).sum());
            rows.push(batches);
        }
        Ok((rows, counts))
    }

    /// What the plan reads this batch: the static relations and each
    /// source's new rows.
    fn batch_input(&self, rows: Vec<Vec<RecordBatch>>) -> HashMap<SourceId, Vec<RecordBatch>> {
        let mut data = self.static_inputs.clone();
        for (s, batches) in self.sources.iter().zip(rows) {
            data.entry(s.id.clone()).or_default().extend(batches);
        }
        data
    }

    /// Runs the plan over the batch.
    fn execute(&mut self, data: &HashMap<SourceId, Vec<RecordBatch>>) -> Result<Vec<RecordBatch>> {
        self.exec.set_input_partitions(self.partitions.clone());
        self.exec.set_reseed(Some(fresh_seed()));
        self.exec.run(&BatchInput {
            batch_id: self.batch_id,
            data,
            emit: self.emit,
            watermark_us: self.watermarks.current(),
            late_watermark_us: self.watermarks.late(),
        })
    }

    /// Saves the operators' state as version `batch_id` (with a
    /// checkpoint) and writes the result to the sink, and the late rows to
    /// theirs, at the same time: both must be durable before the commit,
    /// and neither before the other (a batch run again after a crash
    /// replaces its output, and its state is rebuilt from the last commit).
    /// Returns the number of rows written.
    fn save_and_emit(&mut self, out: Vec<RecordBatch>) -> Result<u64> {
        let state = match &self.checkpoint {
            Some(ck) => {
                let partitions = self.exec.state_partitions();
                Some((
                    partitions,
                    self.exec.checkpoint_state(|op| ck.snapshot_due(op))?,
                ))
            }
            None => None,
        };
        let late_rows = self.late_sink.is_some().then(|| self.exec.take_late_rows());
        let n = out.iter().map(|b| b.num_rows() as u64).sum();
        let MicroBatchLoop {
            checkpoint,
            sink,
            late_sink,
            schema,
            output_mode,
            batch_id,
            ..
        } = self;
        let batch_id = *batch_id;
        let emit = || -> Result<()> {
            sink.add_batch(batch_id, schema, out, *output_mode)?;
            if let (Some((late, late_schema)), Some(rows)) = (late_sink.as_mut(), late_rows) {
                late.add_batch(batch_id, late_schema, rows, OutputMode::Append)?;
            }
            Ok(())
        };
        match (checkpoint.as_mut(), state) {
            (Some(ck), Some((partitions, parts))) => std::thread::scope(|scope| {
                let saver = scope.spawn(move || ck.save_state(batch_id, &parts, partitions));
                let emitted = emit();
                let saved = saver
                    .join()
                    .unwrap_or_else(|_| Err(Error::internal("the state writer panicked")));
                saved.and(emitted)
            }),
            _ => emit(),
        }?;
        Ok(n)
    }

    /// Commits the batch: the commit log (with a checkpoint), then each
    /// source up to its end offset. Returns each source's part of the batch.
    fn commit(&mut self, ends: Vec<Option<Offset>>, rows: &[u64]) -> Result<Vec<SourceReport>> {
        if let Some(ck) = &self.checkpoint {
            ck.commit(self.batch_id, self.exec.next_watermark())?;
        }
        let mut out = Vec::with_capacity(self.sources.len());
        for ((s, end), &rows) in self.sources.iter_mut().zip(ends).zip(rows) {
            let start = s.committed.clone();
            if let Some(end) = &end {
                s.source.commit(end)?;
                s.committed = Some(end.clone());
            }
            out.push(SourceReport {
                description: s.source.description(),
                start_offset: start,
                end_offset: end,
                num_input_rows: rows,
            });
        }
        Ok(out)
    }

    /// Records the batch's progress.
    fn report(&self, shared: &Shared, batch: BatchReport) {
        let progress = batch.progress(QueryIds {
            id: &shared.id,
            run_id: &shared.run_id,
            name: shared.name.as_deref(),
        });
        {
            let mut st = shared.lock();
            st.progress.push_back(progress);
            while st.progress.len() > RECENT_PROGRESS {
                st.progress.pop_front();
            }
        }
        shared.changed.notify_all();
    }

    fn stop_sources(&mut self) {
        for s in self.sources.iter_mut() {
            s.source.stop();
        }
    }
}

/// Runs `f`, adding the time it took to `d`.
fn timed<T>(d: &mut Duration, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    *d += t.elapsed();
    out
}

/// Notes a poll that found nothing to do.
fn idle(shared: &Shared, poll: u64) {
    {
        let mut st = shared.lock();
        st.last_idle_poll = poll;
        st.status = QueryStatus {
            message: "Waiting for data to arrive".into(),
            is_data_available: false,
            is_trigger_active: false,
        };
    }
    shared.changed.notify_all();
}

/// Sleeps up to `d`, waking early when the query is stopped.
fn wait_or_stop(shared: &Shared, d: Duration) {
    let st = shared.lock();
    if shared.stop.load(Ordering::SeqCst) {
        return;
    }
    let _ = shared.changed.wait_timeout(st, d);
}

/// A seed drawn afresh for a micro-batch's `rand`/`randn`, as Spark's
/// `IncrementalExecution` draws one for them in every micro-batch (the
/// seeds the query gave are not used on a stream). From the process's
/// hash keys, which the standard library draws from the system.
fn fresh_seed() -> i64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    h.finish() as i64
}
