//! The `dihya` server: configuration, HTTP stack and start-up.
pub mod api_errors;
pub mod auth_layer;
pub mod cli;
pub mod client_ip;
pub mod config;
pub mod edge;
mod events_route;
mod janitor;
pub mod locale_redirect;
mod metrics_route;
pub mod page_cache;
pub mod rate_limit;
pub mod router;
pub mod routes;
pub mod security;
mod server_fns;
pub mod sso_routes;
pub mod startup;
pub mod state;
pub mod telemetry;

pub use config::Config;

/// Build output and self-hosted static files (fonts, motifs): not pages,
/// exempt from rate limiting, cached by the browser.
pub fn is_static_asset(path: &str) -> bool {
    ["/pkg/", "/fonts/", "/motifs/"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// Liveness and readiness probes.
pub fn is_probe(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz")
}
pub use startup::{Application, StartupError};
