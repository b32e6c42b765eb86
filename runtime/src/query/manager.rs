//! `session.streams()`: the queries a session started.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::StreamingQuery;
use crate::error::Result;

#[derive(Clone, Default)]
pub struct StreamingQueryManager {
    inner: Arc<(Mutex<Vec<StreamingQuery>>, Condvar)>,
}

impl StreamingQueryManager {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn register(&self, q: StreamingQuery) {
        self.inner
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(q);
        self.inner.1.notify_all();
    }

    /// The queries still running.
    pub fn active(&self) -> Vec<StreamingQuery> {
        self.inner
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|q| q.is_active())
            .cloned()
            .collect()
    }

    /// An active query by id.
    pub fn get(&self, id: &str) -> Option<StreamingQuery> {
        self.active().into_iter().find(|q| q.id() == id)
    }

    /// An active query with this name.
    pub fn get_by_name(&self, name: &str) -> Option<StreamingQuery> {
        self.active().into_iter().find(|q| q.name() == Some(name))
    }

    /// Waits until any query ends (returning its error if it failed), or the
    /// timeout passes (`Ok(false)`).
    pub fn await_any_termination(&self, timeout: Option<Duration>) -> Result<bool> {
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            let all: Vec<StreamingQuery> = self
                .inner
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            if let Some(done) = all.iter().find(|q| !q.is_active()) {
                return done.await_termination(None);
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(false);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Forgets the queries that ended, so `await_any_termination` waits
    /// for a query to end from now on (Spark's `resetTerminated`).
    pub fn reset_terminated(&self) {
        self.inner
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|q| q.is_active());
    }

    /// Stops every active query.
    pub fn stop_all(&self) -> Result<()> {
        for q in self.active() {
            q.stop()?;
        }
        Ok(())
    }
}
