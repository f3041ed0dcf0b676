//! `monitoring`: monitors (what to check, how often), the check engine that
//! runs them, their current state and their time series. Owns the
//! `monitors` and `monitor_chunks` tables. Reads the inventory (a server's
//! status puts its checks in maintenance) through `servers::service`.
use crate::i18n::td_string;
use crate::platform::{NavEntry, Permission};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod api;
mod bus;
pub use bus::{CheckedRow, HostNow, MonitorChanged, MonitorsChecked};
#[cfg(feature = "ssr")]
pub mod checks;
#[cfg(feature = "ssr")]
pub mod engine;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod for_alerts;
#[cfg(feature = "ssr")]
pub mod for_status;
#[cfg(feature = "ssr")]
pub mod host;
#[cfg(feature = "ssr")]
pub mod metrics;
#[cfg(feature = "ssr")]
pub mod migration;
#[cfg(feature = "ssr")]
mod overview;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rollup;
#[cfg(feature = "ssr")]
pub mod series;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod templates;
#[cfg(feature = "ssr")]
pub mod validate;
#[cfg(feature = "ssr")]
mod varint;

crate::declare_domain!("monitoring", module: Some("monitoring"), nav: NAV);

/// The monitors' entry in the private area's navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    path: "/app/monitoring",
    label: |l| td_string!(l, monitoring_title),
    needs: Permission::MonitoringRead,
}];

crate::wire_enum! {
    /// How a monitor checks its target.
    MonitorKind {
        Http => "http",
        Tcp => "tcp",
        Ping => "ping",
        Ssh => "ssh",
        Dns => "dns",
        Command => "command",
        NodeExporter => "node-exporter",
        Heartbeat => "heartbeat",
    }
}

crate::wire_enum! {
    /// A monitor's state. `pending`: never checked yet, or failing but
    /// still within its retries.
    MonitorStatus {
        Up => "up",
        Down => "down",
        Pending => "pending",
        Maintenance => "maintenance",
        Paused => "paused",
    }
}

crate::wire_enum! {
    /// What a series was read from: raw results, minute or hour rollups.
    SeriesSource {
        Raw => "raw",
        Minute => "minute",
        Hour => "hour",
    }
}

/// `POST /api/monitors`: creates a monitor, or updates the one named by
/// `id`. The fields after `server_id` apply to some kinds only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonitorInput {
    #[serde(default)]
    pub id: Option<i32>,
    pub name: String,
    /// `http`, `tcp`, `dns`, `command`, `node-exporter` or `heartbeat`.
    pub kind: String,
    /// A URL (`http`, `node-exporter`), `host:port` (`tcp`), a domain name
    /// (`dns`), a monitoring-plugins command line (`command`:
    /// `check_x -H host …`), empty for `heartbeat`.
    #[serde(default)]
    pub target: String,
    /// At least 10.
    pub interval_seconds: u32,
    pub timeout_seconds: u32,
    /// Failed checks in a row before the monitor is `down`.
    #[serde(default)]
    pub retries: u32,
    #[serde(default)]
    pub server_id: Option<i32>,
    #[serde(default)]
    pub paused: bool,
    /// `http`: `GET` (default), `HEAD` or `POST`.
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// `http`: accepted status codes, e.g. `200-299` (default) or `200,301`.
    #[serde(default)]
    pub expected_status: Option<String>,
    /// `http`: the body must contain this text…
    #[serde(default)]
    pub keyword: Option<String>,
    /// …or match this regular expression.
    #[serde(default)]
    pub regex: Option<String>,
    /// `http`: down when the certificate expires within this many days.
    #[serde(default)]
    pub tls_days: Option<u32>,
    /// `http`, `node-exporter`: accept any certificate (self-signed,
    /// expired, another name); its expiry is still read.
    #[serde(default)]
    pub ignore_tls_errors: bool,
    /// Bytes of the answer read at most (default 64 KiB, at most 1 MiB).
    #[serde(default)]
    pub max_bytes: Option<u32>,
    /// `dns`: `A`, `AAAA`, `CNAME`, `MX`, `NS` or `TXT`.
    #[serde(default)]
    pub record_type: Option<String>,
    /// `dns`: the resolver, `ip[:port]` (default: the system's).
    #[serde(default)]
    pub resolver: Option<String>,
    /// `dns`: an answer must contain this text.
    #[serde(default)]
    pub expected: Option<String>,
}

/// A monitor as the API shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonitorView {
    pub id: i32,
    pub name: String,
    pub kind: MonitorKind,
    pub target: String,
    pub interval_seconds: u32,
    pub timeout_seconds: u32,
    pub retries: u32,
    pub server_id: Option<i32>,
    pub paused: bool,
    /// The kind's own settings (method, headers, keyword, record type, …).
    pub settings: BTreeMap<String, serde_json::Value>,
    pub status: MonitorStatus,
    pub latency_ms: Option<u32>,
    /// RFC 3339.
    pub last_checked_at: Option<String>,
    /// Why the last check failed, or what it found.
    pub message: String,
    /// `heartbeat`: the secret URL to call, only in the answer that made
    /// it (creation, or `rotate_push_token`); stored hashed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push_url: Option<String>,
    /// Share of checks up over the last 24 h, 7, 30 and 90 days (`None`:
    /// no check in that window).
    #[serde(default)]
    pub uptime: Uptime,
}

/// Uptime percentages (0–100) over the usual windows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Uptime {
    pub day: Option<f32>,
    pub week: Option<f32>,
    pub month: Option<f32>,
    pub quarter: Option<f32>,
}

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckOutcome {
    /// `up` or `down`.
    pub status: MonitorStatus,
    pub latency_ms: u32,
    pub message: String,
    /// An HTTPS check: days until the certificate expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_days: Option<i64>,
}

impl CheckOutcome {
    /// A check that could not run, and why.
    pub fn down(message: impl Into<String>) -> Self {
        Self {
            status: MonitorStatus::Down,
            latency_ms: 0,
            message: message.into(),
            cert_days: None,
        }
    }
}

/// Monitors per status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Summary {
    pub up: u64,
    pub down: u64,
    pub pending: u64,
    pub maintenance: u64,
    pub paused: u64,
}

/// One monitor's line in the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonitorRow {
    pub id: i32,
    pub name: String,
    pub kind: MonitorKind,
    pub target: String,
    pub server_id: Option<i32>,
    pub status: MonitorStatus,
    pub latency_ms: Option<u32>,
    pub last_checked_at: Option<String>,
    pub message: String,
}

/// `GET /api/monitoring`: counts, then a page of monitors (worst first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Overview {
    pub summary: Summary,
    pub monitors: Vec<MonitorRow>,
    pub next_cursor: Option<String>,
    /// First page only: the monitors that went down most often in the
    /// last 24 hours, most first (at most 5).
    #[serde(default)]
    pub worst: Vec<Offender>,
    /// First page only: the latest changes of state (at most 10).
    #[serde(default)]
    pub changes: Vec<StateChange>,
}

/// A monitor that went down `downs` times in the last 24 hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Offender {
    pub id: i32,
    pub name: String,
    pub status: MonitorStatus,
    pub downs: u32,
}

/// A monitor's change of state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StateChange {
    pub monitor_id: i32,
    pub name: String,
    /// RFC 3339.
    pub at: String,
    pub status: MonitorStatus,
    pub previous: MonitorStatus,
    pub message: String,
}

/// Filters of `GET /api/monitoring`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct OverviewQuery {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub server_id: Option<i32>,
    /// Name or target contains.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub per_page: Option<u64>,
}

/// One bucket of a series: the checks made in `[at, at + step)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeriesPoint {
    /// Unix seconds at the bucket's start.
    pub at: i64,
    pub checks: u32,
    /// Share of checks up, 0–100 (maintenance counts as up).
    pub uptime: f32,
    pub min_ms: Option<u32>,
    pub avg_ms: Option<u32>,
    pub max_ms: Option<u32>,
    pub p95_ms: Option<u32>,
}

/// `GET /api/monitoring/series`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Series {
    pub monitor: i32,
    pub from: i64,
    pub to: i64,
    pub step: i64,
    /// Raw results for a short recent range, rollups otherwise.
    pub source: SeriesSource,
    pub points: Vec<SeriesPoint>,
}

/// One bucket of a host's samples (averages; `None`: not reported).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HostPoint {
    /// Unix seconds at the bucket's start.
    pub at: i64,
    pub cpu_pct: Option<f32>,
    pub memory_pct: Option<f32>,
    /// The root filesystem.
    pub disk_pct: Option<f32>,
    /// 1-minute load average.
    pub load: Option<f32>,
}

/// `GET /api/monitoring/host`: a server's CPU, memory, disk and load from
/// its node_exporter check (`monitor`; none when it has no such check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HostSeries {
    pub server_id: i32,
    pub server_name: String,
    pub monitor: Option<i32>,
    pub from: i64,
    pub to: i64,
    pub step: i64,
    pub points: Vec<HostPoint>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for k in MonitorKind::ALL {
            assert_eq!(MonitorKind::parse(k.as_str()), Some(*k));
        }
        for s in MonitorStatus::ALL {
            assert_eq!(MonitorStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(MonitorKind::parse("smoke-signal"), None);
    }
}
