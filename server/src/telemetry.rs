//! Logging: `tracing` with RFC 3339 timestamps (the formatter's default
//! timer); every line inside a request carries its request id. JSON on demand.
use crate::config::{Config, LogFormat};
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

/// Lines are written to stdout by a background thread, so a request never
/// waits on a write system call (one per request at info level). Keep the
/// guard until exit: dropping it flushes what is still queued. Not lossy:
/// when the queue is full, logging waits rather than dropping lines.
#[must_use = "dropping the guard stops the log writer"]
pub fn init(config: &Config) -> WorkerGuard {
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stdout());
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    // try_init: tests may initialise twice; the first subscriber stays.
    let _ = match config.log_format {
        LogFormat::Json => registry
            .with(fmt::layer().json().flatten_event(true).with_writer(writer))
            .try_init(),
        LogFormat::Text => registry
            .with(fmt::layer().with_target(false).with_writer(writer))
            .try_init(),
    };
    guard
}

/// One span per request; its fields (request id, method, path) appear on
/// every log line written while handling it. Setup links carry a secret
/// token in the path, so that part is redacted.
pub fn request_span(req: &http::Request<axum::body::Body>) -> tracing::Span {
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let path = req.uri().path();
    let (_, unprefixed) = app::i18n_support::split_locale(path);
    let path = if unprefixed.starts_with("/setup/") {
        "/setup/[redacted]"
    } else {
        path
    };
    tracing::info_span!("request", request_id = %request_id, method = %req.method(), path = %path)
}
