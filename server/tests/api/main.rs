//! Integration tests: the real router on a random port, against a fresh
//! SQLite file and a fresh PostgreSQL database (see `helpers::spawn_app`).
mod helpers;

mod alerts;
mod channels;
mod checks;
mod cli;
mod credentials;
mod docs;
mod errors;
mod events;
mod i18n;
mod identity;
mod incidents;
mod jobs;
mod matrix;
mod monitoring;
mod notifications;
mod openapi_args;
mod platform;
mod preferences;
mod security;
mod security_2fa;
mod security_delegation;
mod security_edge;
mod security_sso;
mod seo;
mod series;
mod server_views;
mod servers;
mod setup;
mod ssh;
mod sso;
mod status_pages;
mod system;
mod tls;
