//! What monitoring publishes on the event bus (topic `monitoring`): a
//! monitor's state changes, and every written batch of results, which open
//! dashboards and the alert evaluator follow.
use super::MonitorStatus;
use serde::{Deserialize, Serialize};

/// Published on topic `monitoring` when a monitor changes state or is
/// saved or deleted, so open dashboards update without a reload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitorChanged {
    pub id: i32,
    pub status: MonitorStatus,
    pub latency_ms: Option<u32>,
    /// `checked`, `saved` or `deleted`.
    pub change: String,
}

#[cfg(feature = "ssr")]
impl crate::platform::events::Publish for MonitorChanged {
    const TOPIC: crate::platform::events::Topic = crate::platform::events::Topic::Monitoring;
    const NAME: &'static str = "monitor.changed";
}

/// Published on topic `monitoring` once per written batch of results
/// (about twice a second under load), so dashboards follow every check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitorsChecked {
    pub results: Vec<CheckedRow>,
}

/// One result in a [`MonitorsChecked`] batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedRow {
    pub id: i32,
    pub status: MonitorStatus,
    pub latency_ms: u32,
    /// Unix seconds.
    pub at: i64,
    /// An HTTPS check: days until the certificate expires (alert rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cert_days: Option<i64>,
    /// A node_exporter check: the host's figures now (alert rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostNow>,
}

/// A host's CPU, memory and fullest disk in use, per mille.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostNow {
    pub cpu_permille: Option<u32>,
    pub memory_permille: Option<u32>,
    pub disk_permille: Option<u32>,
}

#[cfg(feature = "ssr")]
impl crate::platform::events::Publish for MonitorsChecked {
    const TOPIC: crate::platform::events::Topic = crate::platform::events::Topic::Monitoring;
    const NAME: &'static str = "monitors.checked";
}
