//! Logs: `tracing` events written to stderr, filtered as `RUST_LOG` says
//! (`RUST_LOG=sqlc=debug,librdkafka=debug`; warnings and errors only by
//! default). Records of the `log` crate — librdkafka's, through rdkafka's
//! `ClientContext::log` — become events too: rdkafka sets librdkafka's log
//! level from `log`'s maximum level, which the filter sets.

use tracing_subscriber::EnvFilter;

/// Installs the subscriber once; later calls do nothing.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(true)
        .try_init();
}
