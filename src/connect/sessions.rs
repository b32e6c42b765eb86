//! The server's sessions, one per client `session_id`, each a facade
//! [`Session`] of its own (conf, temp views, streaming queries), and the
//! operations each is running or has buffered for a client to reattach to.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use sqlc_connect::proto::{self, ExecutePlanResponse};
use sqlc_connect::tonic::Status;
use sqlc_runtime::query::StreamingQuery;
use tokio::sync::Notify;

use crate::dataframe::DataFrame;
use crate::session::Session;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One client's session.
pub struct ConnectSession {
    pub session: Session,
    /// New for every session the server creates; the client checks it did
    /// not change under it.
    pub server_side_id: String,
    operations: Mutex<HashMap<String, Arc<Operation>>>,
    /// Every query started through this session, by id, so a client can ask
    /// a stopped or failed query for its status and exception.
    queries: Mutex<HashMap<String, (StreamingQuery, DataFrame)>>,
    last_used: Mutex<Instant>,
    /// Static reads by the client's plan id and the Read message.
    reads: Mutex<VecDeque<(i64, proto::Read, DataFrame)>>,
}

/// How many static reads a session keeps.
const CACHED_READS: usize = 16;

impl ConnectSession {
    fn new() -> Self {
        ConnectSession {
            session: Session::builder().app_name("sqlc-connect").create(),
            server_side_id: sqlc_runtime::query::new_uuid(),
            operations: Mutex::default(),
            queries: Mutex::default(),
            last_used: Mutex::new(Instant::now()),
            reads: Mutex::default(),
        }
    }

    fn touch(&self) {
        *lock(&self.last_used) = Instant::now();
    }

    /// The DataFrame the client's plan `id` read before, or `read()`'s.
    pub fn cached_read(
        &self,
        id: i64,
        msg: &proto::Read,
        read: impl FnOnce() -> crate::Result<DataFrame>,
    ) -> crate::Result<DataFrame> {
        if let Some((_, _, df)) = lock(&self.reads)
            .iter()
            .find(|(i, m, _)| *i == id && m == msg)
        {
            return Ok(df.clone());
        }
        let df = read()?;
        let mut reads = lock(&self.reads);
        if reads.len() >= CACHED_READS {
            reads.pop_front();
        }
        reads.push_back((id, msg.clone(), df.clone()));
        Ok(df)
    }

    /// Starts recording an operation's responses.
    pub fn begin(&self, id: &str) -> Result<Arc<Operation>, Status> {
        let mut ops = lock(&self.operations);
        if ops.contains_key(id) {
            return Err(super::error::detailed(
                sqlc_connect::tonic::Code::AlreadyExists,
                &format!(
                    "[INVALID_HANDLE.OPERATION_ALREADY_EXISTS] The operation {id} already exists."
                ),
                "INVALID_HANDLE.OPERATION_ALREADY_EXISTS",
                "org.apache.spark.SparkSQLException",
            ));
        }
        let op = Arc::new(Operation::default());
        ops.insert(id.to_string(), op.clone());
        Ok(op)
    }

    pub fn operation(&self, id: &str) -> Option<Arc<Operation>> {
        lock(&self.operations).get(id).cloned()
    }

    pub fn release_operation(&self, id: &str) {
        lock(&self.operations).remove(id);
    }

    /// Marks every running operation interrupted; returns their ids.
    pub fn interrupt(&self, only: Option<&str>) -> Vec<String> {
        let ops = lock(&self.operations);
        let mut ids = Vec::new();
        for (id, op) in ops.iter() {
            if only.is_some_and(|o| o != id) || op.is_done() {
                continue;
            }
            op.interrupt();
            ids.push(id.clone());
        }
        ids
    }

    /// Remembers a query started through this session and its DataFrame
    /// (for `explain`).
    pub fn add_query(&self, q: StreamingQuery, df: DataFrame) {
        lock(&self.queries).insert(q.id().to_string(), (q, df));
    }

    pub fn query(&self, id: &str) -> Option<(StreamingQuery, DataFrame)> {
        lock(&self.queries).get(id).cloned()
    }

    /// Forgets the queries that ended (`resetTerminated`).
    pub fn forget_terminated(&self) {
        lock(&self.queries).retain(|_, (q, _)| q.is_active());
        self.session.streams().reset_terminated();
    }

    fn busy(&self) -> bool {
        lock(&self.operations).values().any(|o| !o.is_done())
    }

    /// Stops the session's queries and drops what it held.
    fn close(&self) {
        for op in lock(&self.operations).drain().map(|(_, o)| o) {
            op.interrupt();
        }
        let _ = self.session.stop();
        lock(&self.queries).clear();
        lock(&self.reads).clear();
    }
}

/// One `ExecutePlan`'s responses, kept until the client releases them so
/// that a client whose stream broke can reattach and resume.
#[derive(Default)]
pub struct Operation {
    state: Mutex<OpState>,
    pub changed: Notify,
}

#[derive(Default)]
struct OpState {
    /// Responses not yet released; `released` were before them.
    responses: Vec<Result<ExecutePlanResponse, Status>>,
    released: usize,
    /// The last response released, which a client may still resume after.
    last_released: Option<String>,
    done: bool,
    interrupted: bool,
}

impl Operation {
    pub fn push(&self, r: Result<ExecutePlanResponse, Status>) {
        lock(&self.state).responses.push(r);
        self.changed.notify_waiters();
    }

    pub fn finish(&self) {
        lock(&self.state).done = true;
        self.changed.notify_waiters();
    }

    pub fn is_done(&self) -> bool {
        lock(&self.state).done
    }

    pub fn interrupt(&self) {
        lock(&self.state).interrupted = true;
    }

    pub fn interrupted(&self) -> bool {
        lock(&self.state).interrupted
    }

    /// The response at position `i` (counting released ones; `None` when
    /// it is not there yet, or was released), and whether the operation is
    /// done.
    pub fn get(&self, i: usize) -> (Option<Result<ExecutePlanResponse, Status>>, bool) {
        let st = lock(&self.state);
        let r = i
            .checked_sub(st.released)
            .and_then(|k| st.responses.get(k).cloned());
        (r, st.done)
    }

    /// The position after the response `id`, if it is still kept.
    pub fn position_after(&self, id: &str) -> Option<usize> {
        let st = lock(&self.state);
        if st.last_released.as_deref() == Some(id) {
            return Some(st.released);
        }
        st.responses
            .iter()
            .position(|r| r.as_ref().is_ok_and(|r| r.response_id == id))
            .map(|k| st.released + k + 1)
    }

    /// The position of the first response still kept.
    pub fn first_kept(&self) -> usize {
        lock(&self.state).released
    }

    /// Drops the responses up to and including `id`.
    pub fn release_until(&self, id: &str) {
        let mut st = lock(&self.state);
        if let Some(k) = st
            .responses
            .iter()
            .position(|r| r.as_ref().is_ok_and(|r| r.response_id == id))
        {
            st.responses.drain(..=k);
            st.released += k + 1;
            st.last_released = Some(id.to_string());
        }
    }
}

/// Every session of the server.
#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Arc<ConnectSession>>>,
}

impl Sessions {
    /// The session for a client's id, created on first use.
    pub fn get_or_create(&self, id: &str) -> Result<Arc<ConnectSession>, Status> {
        if id.is_empty() {
            return Err(super::error::invalid_request(
                "the request has no session_id",
            ));
        }
        let s = lock(&self.map)
            .entry(id.to_string())
            .or_insert_with(|| Arc::new(ConnectSession::new()))
            .clone();
        s.touch();
        Ok(s)
    }

    pub fn get(&self, id: &str) -> Option<Arc<ConnectSession>> {
        let s = lock(&self.map).get(id).cloned();
        if let Some(s) = &s {
            s.touch();
        }
        s
    }

    /// Ends a session (`spark.stop()`): its queries stop.
    pub fn release(&self, id: &str) -> Option<Arc<ConnectSession>> {
        let s = lock(&self.map).remove(id);
        if let Some(s) = &s {
            s.close();
        }
        s
    }

    /// Ends the sessions no client has used for `idle` and that run no
    /// operation (a client that went away without `spark.stop()`).
    pub fn expire(&self, idle: Duration) -> Vec<String> {
        let now = Instant::now();
        let gone: Vec<(String, Arc<ConnectSession>)> = {
            let mut map = lock(&self.map);
            let ids: Vec<String> = map
                .iter()
                .filter(|(_, s)| now.duration_since(*lock(&s.last_used)) >= idle && !s.busy())
                .map(|(id, _)| id.clone())
                .collect();
            ids.into_iter()
                .filter_map(|id| map.remove(&id).map(|s| (id, s)))
                .collect()
        };
        gone.into_iter()
            .map(|(id, s)| {
                s.close();
                id
            })
            .collect()
    }
}
