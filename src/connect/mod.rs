//! `sqlc serve`: a Spark Connect server, so an unmodified PySpark program
//! (`SparkSession.builder.remote("sc://localhost:15002")`) runs on sqlc.
//!
//! The protocol's messages come from the `sqlc-connect` crate (generated
//! from Spark's own definitions). A request becomes a plan the way a Rust
//! program's calls do: [`relation`] turns each relation into the facade's
//! DataFrame calls and [`expression`] each expression into the logical
//! `Expr` the API's `Column` holds, so there is one planner. Results go
//! back as Arrow IPC batches ([`arrow_ipc`]), errors as Spark's error
//! details ([`error`]).

mod analyze;
mod arrow_ipc;
mod error;
mod execute;
mod expression;
mod relation;
mod service;
mod sessions;
mod streaming;
mod types;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use sqlc_connect::proto::spark_connect_service_server::SparkConnectServiceServer;
use sqlc_connect::tonic::transport::server::TcpIncoming;

use crate::error::{Error, Result};

/// How `sqlc serve` listens.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub host: String,
    pub port: u16,
    /// A session no client used for this long, running nothing, is
    /// released (its queries stop), as Spark's session timeout.
    pub session_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            host: "127.0.0.1".into(),
            port: 15002,
            session_timeout: Duration::from_secs(3600),
        }
    }
}

/// Serves Spark Connect until the process ends; `on_listening` is told the
/// bound address (the port, when 0 asked for a free one).
pub fn serve(opts: &ServeOptions, on_listening: impl FnOnce(SocketAddr)) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("connect")
        .build()
        .map_err(|e| Error::Runtime(sqlc_runtime::Error::io("<tokio runtime>", e)))?;
    rt.block_on(async {
        let addr = format!("{}:{}", opts.host, opts.port);
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| Error::Runtime(sqlc_runtime::Error::io(&addr, e)))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::Runtime(sqlc_runtime::Error::io(&addr, e)))?;
        on_listening(local);
        let sessions = Arc::new(sessions::Sessions::default());
        let reaper = sessions.clone();
        let idle = opts.session_timeout;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(
                idle.min(Duration::from_secs(10))
                    .max(Duration::from_millis(100)),
            );
            loop {
                tick.tick().await;
                let r = reaper.clone();
                let gone = tokio::task::spawn_blocking(move || r.expire(idle))
                    .await
                    .unwrap_or_default();
                for id in gone {
                    tracing::info!("released the idle session {id}");
                }
            }
        });
        let service = SparkConnectServiceServer::new(service::Service { sessions })
            .max_decoding_message_size(1 << 30)
            .max_encoding_message_size(1 << 30);
        sqlc_connect::tonic::transport::Server::builder()
            // Without TCP_NODELAY each small response waits for the
            // client's delayed ACK (some 40 ms a call).
            .serve_with_incoming(
                service,
                TcpIncoming::from(listener).with_nodelay(Some(true)),
            )
            .await
            .map_err(|e| Error::Runtime(sqlc_runtime::Error::io(&addr, std::io::Error::other(e))))
    })
}
