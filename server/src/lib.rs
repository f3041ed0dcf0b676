//! The `dihya` server: configuration, HTTP stack and start-up.
pub mod api_errors;
pub mod cli;
pub mod config;
pub mod locale_redirect;
pub mod page_cache;
pub mod rate_limit;
pub mod routes;
pub mod security;
mod server_fns;
pub mod startup;
pub mod state;
pub mod telemetry;

pub use config::Config;
pub use startup::{Application, StartupError};
