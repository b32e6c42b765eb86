//! Streaming queries: each runs its micro-batches on its own thread, and the
//! [`StreamingQuery`] handle watches and controls it from outside.
//!
//! One micro-batch ([`micro_batch`]): ask every source for its latest
//! offset → log them (with a checkpoint) → read each source's rows between
//! the last committed offset and the new one → run the plan → (with a
//! checkpoint) save the state → write the result to the sink → write the
//! commit log and commit the sources → record progress ([`progress`]).

mod checkpointing;
mod manager;
mod micro_batch;
pub mod progress;
mod trigger;
mod watermarks;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use manager::StreamingQueryManager;
pub use micro_batch::QuerySpec;
pub use progress::{QueryProgress, QueryStatus};
pub use trigger::Trigger;

use crate::error::{Error, Result};

/// How many progress reports a query keeps (Spark's
/// `spark.sql.streaming.numRecentProgressUpdates` default).
const RECENT_PROGRESS: usize = 100;

#[derive(Default)]
struct LoopState {
    status: QueryStatus,
    progress: VecDeque<QueryProgress>,
    exception: Option<String>,
    terminated: bool,
    /// Source polls started, and the last one that found nothing new: a
    /// caller of `process_all_available` waits for a poll that started after
    /// it was called to find nothing new.
    polls_started: u64,
    last_idle_poll: u64,
}

struct Shared {
    id: String,
    run_id: String,
    name: Option<String>,
    stop: AtomicBool,
    state: Mutex<LoopState>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, LoopState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn label(&self) -> String {
        match &self.name {
            Some(n) => format!("id = {}, runId = {}, name = {n}", self.id, self.run_id),
            None => format!("id = {}, runId = {}", self.id, self.run_id),
        }
    }
}

/// A handle to a running (or finished) streaming query. Cloning it gives
/// another handle to the same query.
#[derive(Clone)]
pub struct StreamingQuery {
    shared: Arc<Shared>,
    thread: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl std::fmt::Debug for StreamingQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StreamingQuery({})", self.shared.label())
    }
}

impl StreamingQuery {
    /// Starts the query's thread; returns at once, as Spark's `start()`.
    pub fn start(spec: QuerySpec, id: String) -> Result<StreamingQuery> {
        let shared = Arc::new(Shared {
            id,
            run_id: new_uuid(),
            name: spec.name.clone(),
            stop: AtomicBool::new(false),
            state: Mutex::new(LoopState::default()),
            changed: Condvar::new(),
        });
        let s2 = shared.clone();
        let thread_name = format!(
            "stream-{}",
            spec.name
                .clone()
                .unwrap_or_else(|| shared.id[..8].to_string())
        );
        let handle = std::thread::Builder::new()
            .name(thread_name)
            .spawn(move || micro_batch::run(spec, s2))
            .map_err(|e| Error::io("<thread>", e))?;
        Ok(StreamingQuery {
            shared,
            thread: Arc::new(Mutex::new(Some(handle))),
        })
    }

    /// The id, which survives restarts from a checkpoint.
    pub fn id(&self) -> &str {
        &self.shared.id
    }

    /// New at every start.
    pub fn run_id(&self) -> &str {
        &self.shared.run_id
    }

    pub fn name(&self) -> Option<&str> {
        self.shared.name.as_deref()
    }

    pub fn is_active(&self) -> bool {
        !self.shared.lock().terminated
    }

    pub fn status(&self) -> QueryStatus {
        self.shared.lock().status.clone()
    }

    pub fn last_progress(&self) -> Option<QueryProgress> {
        self.shared.lock().progress.back().cloned()
    }

    pub fn recent_progress(&self) -> Vec<QueryProgress> {
        self.shared.lock().progress.iter().cloned().collect()
    }

    /// The error that stopped the query, if one did.
    pub fn exception(&self) -> Option<Error> {
        let st = self.shared.lock();
        st.exception.as_ref().map(|m| Error::QueryFailed {
            name: self.shared.label(),
            message: m.clone(),
        })
    }

    /// Stops the query after its current batch and waits for its thread.
    pub fn stop(&self) -> Result<()> {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.changed.notify_all();
        if let Some(h) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = h.join();
        }
        Ok(())
    }

    /// Waits until the query ends (by `stop`, by finishing a `once` or
    /// `available_now` trigger, or by an error, which is returned). With a
    /// timeout, returns whether it ended in time.
    pub fn await_termination(&self, timeout: Option<Duration>) -> Result<bool> {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut st = self.shared.lock();
        while !st.terminated {
            match deadline {
                None => {
                    st = self
                        .shared
                        .changed
                        .wait(st)
                        .unwrap_or_else(|e| e.into_inner())
                }
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return Ok(false);
                    }
                    st = self
                        .shared
                        .changed
                        .wait_timeout(st, d - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
        }
        match &st.exception {
            Some(m) => Err(Error::QueryFailed {
                name: self.shared.label(),
                message: m.clone(),
            }),
            None => Ok(true),
        }
    }

    /// Blocks until every row available in the sources when this was called
    /// has been processed and committed (for tests; Spark's
    /// `processAllAvailable`). Returns the query's error if it failed.
    pub fn process_all_available(&self) -> Result<()> {
        let mut st = self.shared.lock();
        let target = st.polls_started + 1;
        self.shared.changed.notify_all();
        while st.last_idle_poll < target && !st.terminated {
            st = self
                .shared
                .changed
                .wait(st)
                .unwrap_or_else(|e| e.into_inner());
        }
        match &st.exception {
            Some(m) => Err(Error::QueryFailed {
                name: self.shared.label(),
                message: m.clone(),
            }),
            None => Ok(()),
        }
    }
}

/// A random (version 4) UUID, as Spark gives queries.
pub fn new_uuid() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(8) {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
