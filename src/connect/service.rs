//! The gRPC service: each Spark Connect call finds (or makes) the
//! client's session and hands the work to a blocking thread, since the
//! engine's calls block (a batch query, `awaitTermination`).

use std::pin::Pin;
use std::sync::Arc;

use sqlc_connect::proto::execute_plan_request::request_option::RequestOption;
use sqlc_connect::proto::release_execute_request::Release;
use sqlc_connect::proto::spark_connect_service_server::SparkConnectService;
use sqlc_connect::proto::*;
use sqlc_connect::tonic::{self, Request, Response, Status, Streaming};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::Stream;

use super::analyze;
use super::error::{detailed, invalid_request, status};
use super::execute::{self, Emitter};
use super::sessions::{ConnectSession, Operation, Sessions};

type ResponseStream = Pin<Box<dyn Stream<Item = Result<ExecutePlanResponse, Status>> + Send>>;

pub struct Service {
    pub sessions: Arc<Sessions>,
}

/// Runs blocking engine work off the async threads; a panic there is an
/// internal error, not a dead server.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Status> + Send + 'static,
) -> Result<T, Status> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        Err(detailed(
            tonic::Code::Internal,
            &format!("[INTERNAL_ERROR] the server failed while answering: {e}"),
            "INTERNAL_ERROR",
            "org.apache.spark.SparkException",
        ))
    })
}

fn operation_not_found(id: &str) -> Status {
    detailed(
        tonic::Code::NotFound,
        &format!(
            "[INVALID_HANDLE.OPERATION_NOT_FOUND] The handle {id} is invalid. Operation not found."
        ),
        "INVALID_HANDLE.OPERATION_NOT_FOUND",
        "org.apache.spark.SparkSQLException",
    )
}

fn session_not_found(id: &str) -> Status {
    detailed(
        tonic::Code::NotFound,
        &format!(
            "[INVALID_HANDLE.SESSION_NOT_FOUND] The handle {id} is invalid. Session not found."
        ),
        "INVALID_HANDLE.SESSION_NOT_FOUND",
        "org.apache.spark.SparkSQLException",
    )
}

/// The client's session; a client that saw another server-side session
/// under this id (the server restarted, or the session was released) is
/// told so.
fn session(
    sessions: &Sessions,
    id: &str,
    observed: &Option<String>,
) -> Result<Arc<ConnectSession>, Status> {
    let cs = sessions.get_or_create(id)?;
    if let Some(seen) = observed.as_deref().filter(|s| !s.is_empty()) {
        if seen != cs.server_side_id {
            return Err(detailed(
                tonic::Code::FailedPrecondition,
                &format!(
                    "[INVALID_HANDLE.SESSION_CHANGED] The handle {id} is invalid. The existing Spark server driver instance has restarted. Please reconnect."
                ),
                "INVALID_HANDLE.SESSION_CHANGED",
                "org.apache.spark.SparkSQLException",
            ));
        }
    }
    Ok(cs)
}

/// A stream of an operation's responses from position `from`; with
/// `release` (not reattachable), the operation is forgotten once all were
/// sent or the client went away.
fn follow(
    op: Arc<Operation>,
    from: usize,
    release: Option<(Arc<ConnectSession>, String)>,
) -> ResponseStream {
    let (tx, rx) = mpsc::channel(8);
    tokio::spawn(async move {
        let mut i = from;
        loop {
            let changed = op.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            match op.get(i) {
                (Some(r), _) => {
                    let last = r.is_err();
                    if tx.send(r).await.is_err() {
                        // The client went away; without reattaching it will
                        // not be back for the rest.
                        if release.is_some() {
                            op.interrupt();
                        }
                        break;
                    }
                    i += 1;
                    if last {
                        break;
                    }
                }
                (None, true) => break,
                (None, false) => changed.await,
            }
        }
        if let Some((cs, id)) = release {
            cs.release_operation(&id);
        }
    });
    Box::pin(ReceiverStream::new(rx))
}

#[tonic::async_trait]
impl SparkConnectService for Service {
    type ExecutePlanStream = ResponseStream;
    type ReattachExecuteStream = ResponseStream;

    async fn execute_plan(
        &self,
        request: Request<ExecutePlanRequest>,
    ) -> Result<Response<ResponseStream>, Status> {
        let req = request.into_inner();
        let cs = session(
            &self.sessions,
            &req.session_id,
            &req.client_observed_server_side_session_id,
        )?;
        let plan = req
            .plan
            .ok_or_else(|| invalid_request("ExecutePlanRequest.plan is missing"))?;
        let op_id = req
            .operation_id
            .filter(|s| !s.is_empty())
            .unwrap_or_else(sqlc_runtime::query::new_uuid);
        let reattachable = req.request_options.iter().any(|o| {
            matches!(&o.request_option, Some(RequestOption::ReattachOptions(r)) if r.reattachable)
        });
        let op = cs.begin(&op_id)?;
        let (cs2, op2, id2, session_id) = (
            cs.clone(),
            op.clone(),
            op_id.clone(),
            req.session_id.clone(),
        );
        tokio::task::spawn_blocking(move || {
            let out = Emitter {
                op: &op2,
                session_id: &session_id,
                server_side_id: &cs2.server_side_id,
                operation_id: &id2,
            };
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                execute::run(&cs2, &plan, &out)
            }));
            match result {
                Ok(Ok(())) => {}
                Ok(Err(e)) => op2.push(Err(status(&e))),
                Err(_) => op2.push(Err(detailed(
                    tonic::Code::Internal,
                    "[INTERNAL_ERROR] the server failed while running the plan",
                    "INTERNAL_ERROR",
                    "org.apache.spark.SparkException",
                ))),
            }
            op2.finish();
        });
        let release = (!reattachable).then(|| (cs.clone(), op_id.clone()));
        Ok(Response::new(follow(op, 0, release)))
    }

    async fn analyze_plan(
        &self,
        request: Request<AnalyzePlanRequest>,
    ) -> Result<Response<AnalyzePlanResponse>, Status> {
        let req = request.into_inner();
        let cs = session(
            &self.sessions,
            &req.session_id,
            &req.client_observed_server_side_session_id,
        )?;
        let a = req
            .analyze
            .ok_or_else(|| invalid_request("AnalyzePlanRequest.analyze is missing"))?;
        let cs2 = cs.clone();
        let result = blocking(move || analyze::analyze(&cs2, &a).map_err(|e| status(&e))).await?;
        Ok(Response::new(AnalyzePlanResponse {
            session_id: req.session_id,
            server_side_session_id: cs.server_side_id.clone(),
            result: Some(result),
        }))
    }

    async fn config(
        &self,
        request: Request<ConfigRequest>,
    ) -> Result<Response<ConfigResponse>, Status> {
        let req = request.into_inner();
        let cs = session(
            &self.sessions,
            &req.session_id,
            &req.client_observed_server_side_session_id,
        )?;
        let op = req
            .operation
            .and_then(|o| o.op_type)
            .ok_or_else(|| invalid_request("ConfigRequest.operation is missing"))?;
        let pairs = analyze::config(&cs, &op).map_err(|e| status(&e))?;
        Ok(Response::new(ConfigResponse {
            session_id: req.session_id,
            server_side_session_id: cs.server_side_id.clone(),
            pairs,
            warnings: Vec::new(),
        }))
    }

    async fn add_artifacts(
        &self,
        _request: Request<Streaming<AddArtifactsRequest>>,
    ) -> Result<Response<AddArtifactsResponse>, Status> {
        Err(status(&super::error::python_code(
            "Adding artifacts (Python files, jars, cached data)",
        )))
    }

    async fn artifact_status(
        &self,
        request: Request<ArtifactStatusesRequest>,
    ) -> Result<Response<ArtifactStatusesResponse>, Status> {
        let req = request.into_inner();
        let cs = session(
            &self.sessions,
            &req.session_id,
            &req.client_observed_server_side_session_id,
        )?;
        Ok(Response::new(ArtifactStatusesResponse {
            session_id: req.session_id,
            server_side_session_id: cs.server_side_id.clone(),
            statuses: req
                .names
                .into_iter()
                .map(|n| {
                    (
                        n,
                        artifact_statuses_response::ArtifactStatus { exists: false },
                    )
                })
                .collect(),
        }))
    }

    async fn interrupt(
        &self,
        request: Request<InterruptRequest>,
    ) -> Result<Response<InterruptResponse>, Status> {
        use interrupt_request::Interrupt;
        let req = request.into_inner();
        let cs = session(
            &self.sessions,
            &req.session_id,
            &req.client_observed_server_side_session_id,
        )?;
        let ids = match &req.interrupt {
            Some(Interrupt::OperationId(id)) => cs.interrupt(Some(id)),
            Some(Interrupt::OperationTag(_)) => Vec::new(),
            None => cs.interrupt(None),
        };
        Ok(Response::new(InterruptResponse {
            session_id: req.session_id,
            server_side_session_id: cs.server_side_id.clone(),
            interrupted_ids: ids,
        }))
    }

    async fn reattach_execute(
        &self,
        request: Request<ReattachExecuteRequest>,
    ) -> Result<Response<ResponseStream>, Status> {
        let req = request.into_inner();
        let cs = self
            .sessions
            .get(&req.session_id)
            .ok_or_else(|| session_not_found(&req.session_id))?;
        let op = cs
            .operation(&req.operation_id)
            .ok_or_else(|| operation_not_found(&req.operation_id))?;
        let from = match req.last_response_id.as_deref() {
            None => op.first_kept(),
            Some(last) => op.position_after(last).ok_or_else(|| {
                detailed(
                    tonic::Code::OutOfRange,
                    &format!("[INVALID_CURSOR.POSITION_NOT_AVAILABLE] The response {last} was already released."),
                    "INVALID_CURSOR.POSITION_NOT_AVAILABLE",
                    "org.apache.spark.SparkSQLException",
                )
            })?,
        };
        Ok(Response::new(follow(op, from, None)))
    }

    async fn release_execute(
        &self,
        request: Request<ReleaseExecuteRequest>,
    ) -> Result<Response<ReleaseExecuteResponse>, Status> {
        let req = request.into_inner();
        let server_side = match self.sessions.get(&req.session_id) {
            Some(cs) => {
                match (&req.release, cs.operation(&req.operation_id)) {
                    (Some(Release::ReleaseUntil(u)), Some(op)) => op.release_until(&u.response_id),
                    _ => cs.release_operation(&req.operation_id),
                }
                cs.server_side_id.clone()
            }
            None => String::new(),
        };
        Ok(Response::new(ReleaseExecuteResponse {
            session_id: req.session_id,
            server_side_session_id: server_side,
            operation_id: Some(req.operation_id),
        }))
    }

    async fn release_session(
        &self,
        request: Request<ReleaseSessionRequest>,
    ) -> Result<Response<ReleaseSessionResponse>, Status> {
        let req = request.into_inner();
        let sessions = self.sessions.clone();
        let id = req.session_id.clone();
        let gone = blocking(move || Ok(sessions.release(&id))).await?;
        Ok(Response::new(ReleaseSessionResponse {
            session_id: req.session_id,
            server_side_session_id: gone.map(|s| s.server_side_id.clone()).unwrap_or_default(),
        }))
    }

    async fn fetch_error_details(
        &self,
        request: Request<FetchErrorDetailsRequest>,
    ) -> Result<Response<FetchErrorDetailsResponse>, Status> {
        let req = request.into_inner();
        let cs = self
            .sessions
            .get(&req.session_id)
            .ok_or_else(|| session_not_found(&req.session_id))?;
        Ok(Response::new(FetchErrorDetailsResponse {
            server_side_session_id: cs.server_side_id.clone(),
            session_id: req.session_id,
            root_error_idx: None,
            errors: Vec::new(),
        }))
    }

    async fn clone_session(
        &self,
        _request: Request<CloneSessionRequest>,
    ) -> Result<Response<CloneSessionResponse>, Status> {
        Err(status(&crate::Error::not_supported("cloning a session")))
    }

    async fn get_status(
        &self,
        request: Request<GetStatusRequest>,
    ) -> Result<Response<GetStatusResponse>, Status> {
        let req = request.into_inner();
        let cs = session(
            &self.sessions,
            &req.session_id,
            &req.client_observed_server_side_session_id,
        )?;
        Ok(Response::new(GetStatusResponse {
            session_id: req.session_id,
            server_side_session_id: cs.server_side_id.clone(),
            ..Default::default()
        }))
    }
}
