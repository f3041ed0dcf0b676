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
/// every log line written while handling it. The fields are only computed
/// when the span is enabled (the macro skips them otherwise), so a quiet
/// log level costs nothing here.
pub fn request_span(req: &http::Request<axum::body::Body>) -> tracing::Span {
    tracing::info_span!(
        "request",
        request_id = %request_id(req),
        method = %req.method(),
        path = %logged_path(req.uri().path())
    )
}

fn request_id(req: &http::Request<axum::body::Body>) -> &str {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
}

/// Setup links carry a secret token in the path, so that part is redacted.
fn logged_path(path: &str) -> &str {
    let (_, unprefixed) = app::i18n_support::split_locale(path);
    if unprefixed.starts_with("/setup/") {
        "/setup/[redacted]"
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::logged_path;

    #[test]
    fn setup_tokens_never_reach_the_log() {
        assert_eq!(logged_path("/setup/abc123"), "/setup/[redacted]");
        assert_eq!(logged_path("/fr/setup/abc123"), "/setup/[redacted]");
        assert_eq!(logged_path("/docs/setup"), "/docs/setup");
        assert_eq!(logged_path("/fr/about"), "/fr/about");
    }
}
