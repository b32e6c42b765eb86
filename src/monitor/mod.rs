//! The live page: an HTTP server on loopback (tiny_http, one thread) for
//! the queries a script started —
//!
//! - `/` the page (HTML, CSS and JavaScript embedded in the binary, no
//!   build step): per query the charts of Spark's Structured Streaming tab
//!   (input rate, process rate, input rows, batch duration, operation
//!   duration), state rows, watermark and late rows, and a stop button;
//!   it polls `/api/queries` every second;
//! - `/api/queries` each query's status and recent progress (Spark's JSON);
//! - `POST /api/queries/<id>/stop` stops a query after its current batch;
//! - `/metrics` Prometheus' text format (`metrics.rs`).

mod metrics;

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::{json, Value};
use tiny_http::{Header, Method, Request, Response, Server};

pub use metrics::Collector;

use crate::script::{Failure, Queries};

const PAGE: &str = include_str!("page.html");

/// The running server; dropping it stops it.
pub struct Monitor {
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
    port: u16,
}

impl Monitor {
    /// The port it listens on (useful when 0 was asked for).
    pub fn port(&self) -> u16 {
        self.port
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serves the page and metrics of `queries` on 127.0.0.1:`port` (0: any
/// free port) until the returned handle is dropped.
pub fn serve(port: u16, queries: Queries) -> Result<Monitor, Failure> {
    let server = Server::http(("127.0.0.1", port)).map_err(|e| {
        Failure::Script(format!(
            "error: --ui: cannot listen on 127.0.0.1:{port}: {e}"
        ))
    })?;
    let port = server.server_addr().to_ip().map_or(port, |a| a.port());
    let server = Arc::new(server);
    let s2 = server.clone();
    let collector = Mutex::new(Collector::default());
    let thread = std::thread::Builder::new()
        .name("sqlc-ui".into())
        .spawn(move || {
            for req in s2.incoming_requests() {
                respond(req, &queries, &collector);
            }
        })
        .map_err(|e| Failure::Script(format!("error: --ui: {e}")))?;
    tracing::info!(port, "live page at http://127.0.0.1:{port}/");
    Ok(Monitor {
        server,
        thread: Some(thread),
        port,
    })
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn respond(req: Request, queries: &Queries, collector: &Mutex<Collector>) {
    let list = queries.list();
    collector
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .update(&list);
    let url = req.url().split('?').next().unwrap_or("").to_string();
    let (status, kind, body) = match (req.method(), url.as_str()) {
        (Method::Get, "/") => (200, "text/html; charset=utf-8", PAGE.to_string()),
        (Method::Get, "/api/queries") => (200, "application/json", api(&list).to_string()),
        (Method::Get, "/metrics") => (
            200,
            "text/plain; version=0.0.4; charset=utf-8",
            collector
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .render(&list),
        ),
        (Method::Post, path) if path.starts_with("/api/queries/") && path.ends_with("/stop") => {
            let id = &path["/api/queries/".len()..path.len() - "/stop".len()];
            match list.into_iter().find(|q| q.id() == id) {
                Some(q) => {
                    tracing::info!(
                        query = q.name().unwrap_or(id),
                        "stop asked from the live page"
                    );
                    // Stopping waits for the current batch: not on the server's thread.
                    std::thread::spawn(move || q.stop());
                    (202, "application/json", json!({"stopping": id}).to_string())
                }
                None => (
                    404,
                    "application/json",
                    json!({"error": "no such query"}).to_string(),
                ),
            }
        }
        _ => (404, "text/plain", "not found\n".to_string()),
    };
    let resp = Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"));
    let _ = req.respond(resp);
}

/// Each query: id, name, status and its recent progress (Spark's JSON).
fn api(queries: &[crate::StreamingQuery]) -> Value {
    Value::Array(
        queries
            .iter()
            .map(|q| {
                let status = q.status();
                json!({
                    "id": q.id(),
                    "runId": q.run_id(),
                    "name": q.name(),
                    "active": q.is_active(),
                    "exception": q.exception().map(|e| e.to_string()),
                    "status": status.to_json(),
                    "progress": q.recent_progress().iter().map(|p| p.to_json()).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}
