//! The checks themselves: each kind takes a [`Spec`] and answers a
//! [`CheckOutcome`], never an error and never late — every check runs
//! under its timeout and reads at most its size cap, so a target that
//! hangs, floods or answers garbage is `down` with the reason.
//!
//! A `heartbeat` monitor is not checked from here: the target calls us
//! (`engine::beat`), and the engine marks it down when beats stop.
use super::host::HostReading;
use super::validate::{self, DEFAULT_MAX_BYTES, Settings};
use super::{CheckOutcome, MonitorKind, MonitorStatus};
use std::time::{Duration, Instant};

mod command;
pub mod dns;
mod http;
pub mod node_exporter;
mod ping;
pub mod ssh;
mod tcp;
pub mod tls;

/// Everything a check needs, parsed once when the monitor is loaded.
#[derive(Debug, Clone)]
pub struct Spec {
    pub kind: MonitorKind,
    pub target: String,
    pub timeout: Duration,
    pub max_bytes: usize,
    pub settings: Settings,
    /// `http`: compiled from `settings.regex`.
    pub regex: Option<regex::Regex>,
    /// `http`: accepted status ranges (200–299 when none is set).
    pub expected_status: Vec<(u16, u16)>,
    /// `ssh`: the server's access, read just before each check (so a
    /// re-pinned key or a new credential applies at once).
    pub ssh: Option<std::sync::Arc<crate::servers::ssh::SshAccess>>,
}

impl Spec {
    /// The spec of a stored monitor; its fields were validated on save.
    pub fn new(kind: MonitorKind, target: &str, timeout_seconds: u32, settings: Settings) -> Self {
        let expected_status = settings
            .expected_status
            .as_deref()
            .and_then(|s| validate::status_ranges(s).ok())
            .unwrap_or_else(|| vec![(200, 299)]);
        Self {
            kind,
            target: target.to_string(),
            timeout: Duration::from_secs(u64::from(timeout_seconds.max(1))),
            max_bytes: settings.max_bytes.unwrap_or(match kind {
                MonitorKind::NodeExporter => validate::MAX_BYTES,
                _ => DEFAULT_MAX_BYTES,
            }) as usize,
            regex: settings
                .regex
                .as_deref()
                .and_then(|r| validate::compile(r).ok()),
            expected_status,
            settings,
            ssh: None,
        }
    }
}

/// Shared by every check of the process: one HTTP client (one connection
/// pool, reused across monitors), built once; a second one that accepts
/// any certificate, for the monitors told to ignore TLS errors, built the
/// first time one of them runs.
#[derive(Clone)]
pub struct Checker {
    http: reqwest::Client,
    insecure: std::sync::Arc<std::sync::OnceLock<reqwest::Client>>,
}

impl Default for Checker {
    fn default() -> Self {
        Self::new()
    }
}

impl Checker {
    pub fn new() -> Self {
        Self {
            http: client(false),
            insecure: Default::default(),
        }
    }

    /// The client for `spec`: the one that skips certificate checks only
    /// when the monitor asks for it.
    fn http_for(&self, spec: &Spec) -> &reqwest::Client {
        if spec.settings.ignore_tls_errors {
            self.insecure.get_or_init(|| client(true))
        } else {
            &self.http
        }
    }

    /// Runs one check of `spec` now.
    pub async fn run(&self, spec: &Spec) -> CheckOutcome {
        self.run_reading(spec).await.0
    }

    /// Runs one check of `spec` now; a node_exporter check also gives the
    /// host's reading.
    pub async fn run_reading(&self, spec: &Spec) -> (CheckOutcome, Option<HostReading>) {
        let started = Instant::now();
        let mut cert_days = None;
        let work = async {
            let plain = |r: Result<String, String>| r.map(|m| (m, None));
            match spec.kind {
                MonitorKind::Http => {
                    plain(http::check(self.http_for(spec), spec, &mut cert_days).await)
                }
                MonitorKind::NodeExporter => node_exporter::check(self.http_for(spec), spec)
                    .await
                    .map(|(m, r)| (m, Some(r))),
                MonitorKind::Tcp => plain(tcp::check(spec).await),
                MonitorKind::Ping => plain(ping::check(spec).await),
                MonitorKind::Ssh => plain(ssh::check(spec).await),
                MonitorKind::Dns => plain(dns::check(spec).await),
                MonitorKind::Command => plain(command::check(spec).await),
                MonitorKind::Heartbeat => Err("heartbeats are pushed, not checked".into()),
            }
        };
        let result = match tokio::time::timeout(spec.timeout, work).await {
            Ok(r) => r,
            Err(_) => Err(format!("timed out after {} s", spec.timeout.as_secs())),
        };
        let latency_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
        match result {
            Ok((message, reading)) => (
                CheckOutcome {
                    status: MonitorStatus::Up,
                    latency_ms,
                    message: clip(&message),
                    cert_days,
                },
                reading,
            ),
            Err(reason) => (
                CheckOutcome {
                    status: MonitorStatus::Down,
                    latency_ms,
                    message: clip(&reason),
                    cert_days,
                },
                None,
            ),
        }
    }
}

/// The checks' HTTP client; `accept_any_certificate` for the monitors that
/// ignore TLS errors (a self-signed or expired certificate still gives its
/// expiry to the check).
fn client(accept_any_certificate: bool) -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent(concat!(
            "DihyaOps/",
            env!("CARGO_PKG_VERSION"),
            " (monitor)"
        ))
        .redirect(reqwest::redirect::Policy::limited(5))
        .tls_info(true)
        .danger_accept_invalid_certs(accept_any_certificate)
        .pool_idle_timeout(Duration::from_secs(90))
        .pool_max_idle_per_host(64)
        .build()
        .expect("the HTTP client's settings are fixed and valid")
}

/// Messages are stored in a 500-character column.
fn clip(s: &str) -> String {
    crate::platform::clip(s.trim(), 480)
}

/// Reads at most `max` bytes of a body; the rest is never downloaded.
async fn read_capped(resp: &mut reqwest::Response, max: usize) -> Result<(Vec<u8>, bool), String> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| short(&e))? {
        body.extend_from_slice(&chunk);
        if body.len() >= max {
            body.truncate(max);
            return Ok((body, true));
        }
    }
    Ok((body, false))
}

/// An error's text without the URL reqwest prefixes (it may hold a token).
fn short(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut msg = if e.is_connect() {
        "connection failed".to_string()
    } else if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_redirect() {
        "too many redirects".to_string()
    } else if e.is_body() || e.is_decode() {
        "the answer's body could not be read".to_string()
    } else {
        "request failed".to_string()
    };
    if let Some(source) = e.source().and_then(|s| s.source()) {
        msg.push_str(": ");
        msg.push_str(&source.to_string());
    }
    msg
}
