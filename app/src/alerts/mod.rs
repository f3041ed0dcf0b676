//! `alerts`: rules that watch monitoring's results (a monitor down, a
//! latency or host metric over a threshold, a heartbeat missing, a
//! certificate about to expire), the alerts they raise (pending → firing
//! → resolved, one open alert per fingerprint), what keeps an alert quiet
//! (silences by label matchers, maintenance windows computed when asked,
//! flapping) and the Alertmanager receiver. A firing alert tells the
//! people who read alerts and may open an incident.
//! Owns `alert_rules`, `alerts`, `silences` and `maintenance_windows`.
use crate::i18n::td_string;
use crate::platform::{NavEntry, Permission, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub mod api;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod escalate;
#[cfg(feature = "ssr")]
pub mod evaluator;
#[cfg(feature = "ssr")]
mod fire;
#[cfg(feature = "ssr")]
pub mod for_status;
#[cfg(feature = "ssr")]
pub mod lifecycle;
#[cfg(feature = "ssr")]
pub mod maintenance;
mod maintenance_wire;
#[cfg(feature = "ssr")]
pub mod migration;
pub mod pages;
pub use maintenance_wire::{
    MaintenanceCalendar, MaintenanceInput, MaintenanceOccurrence, MaintenanceView,
    PublicMaintenance,
};
#[cfg(feature = "ssr")]
pub mod preview;
#[cfg(feature = "ssr")]
pub mod receiver;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod silences;
#[cfg(feature = "ssr")]
pub mod windows;

crate::declare_domain!("alerts", module: Some("alerting"), nav: NAV);

pub const NAV: &[NavEntry] = &[NavEntry {
    path: "/app/alerts",
    label: |l| td_string!(l, alerts_title),
    needs: Permission::AlertsRead,
}];

crate::wire_enum! {
    /// Where an alert is: its condition holds but not long enough yet
    /// (`pending`), it holds (`firing`), it stopped holding (`resolved`).
    AlertStatus {
        Pending => "pending",
        Firing => "firing",
        Resolved => "resolved",
    }
}

crate::wire_enum! {
    /// What a rule watches: a monitor down (N results in a row, or for a
    /// while), its latency, a heartbeat missing, a certificate expiring,
    /// a node_exporter host's CPU, memory or fullest disk (percent).
    Condition {
        Down => "down",
        Latency => "latency",
        Heartbeat => "heartbeat",
        Tls => "tls",
        Cpu => "cpu",
        Memory => "memory",
        Disk => "disk",
    }
}

impl Condition {
    /// Conditions compared with a threshold.
    pub fn has_threshold(self) -> bool {
        matches!(
            self,
            Condition::Latency | Condition::Cpu | Condition::Memory | Condition::Disk
        )
    }
}

crate::wire_enum! {
    /// How a value is compared with a rule's threshold.
    Comparator {
        Above => ">",
        AtLeast => ">=",
        Below => "<",
        AtMost => "<=",
    }
}

impl Comparator {
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Comparator::Above => value > threshold,
            Comparator::AtLeast => value >= threshold,
            Comparator::Below => value < threshold,
            Comparator::AtMost => value <= threshold,
        }
    }
}

crate::wire_enum! {
    /// Why a firing alert told nobody.
    Quiet {
        Silenced => "silenced",
        Maintenance => "maintenance",
        Flapping => "flapping",
    }
}

/// `POST /api/alerts/rules`: creates a rule, or updates rule `id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RuleInput {
    pub id: Option<i32>,
    pub name: String,
    /// `down`, `latency`, `heartbeat`, `tls`, `cpu`, `memory`, `disk`.
    pub condition: String,
    /// One monitor; or every monitor of `server_id`; or, with neither,
    /// every monitor.
    pub monitor_id: Option<i32>,
    pub server_id: Option<i32>,
    /// Results in a row that must hold (1 to 100; 1 by default).
    pub consecutive: Option<u32>,
    /// How long the condition must hold before the alert fires (0 to 86,400 s).
    pub for_seconds: Option<u32>,
    /// `>`, `>=`, `<`, `<=` (threshold conditions).
    pub comparator: Option<String>,
    pub threshold: Option<f64>,
    /// `tls`: fire when the certificate expires within this many days.
    pub days: Option<u32>,
    pub severity: String,
    /// `name=value` per line, added to the alert's labels (routing, silences).
    pub labels: String,
    /// A firing alert of this rule opens an incident (or joins the open
    /// one of its server).
    pub opens_incident: bool,
    pub enabled: bool,
    /// Escalation levels, in order (at most 5): a firing alert nobody
    /// acknowledged within each level's minutes tells the alert managers
    /// again and that level's channel. Empty: never.
    #[serde(default)]
    pub escalation: Vec<EscalationStep>,
}

/// One escalation level: `after_minutes` after firing (1 to 1,440, later
/// than the level before), tell `channel_id` too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EscalationStep {
    pub after_minutes: u32,
    #[serde(default)]
    pub channel_id: Option<i32>,
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RuleView {
    pub id: i32,
    pub name: String,
    pub condition: Condition,
    pub monitor_id: Option<i32>,
    pub server_id: Option<i32>,
    pub consecutive: u32,
    pub for_seconds: u32,
    pub comparator: Option<Comparator>,
    pub threshold: Option<f64>,
    pub days: Option<u32>,
    pub severity: Severity,
    pub labels: BTreeMap<String, String>,
    pub opens_incident: bool,
    pub enabled: bool,
    pub escalation: Vec<EscalationStep>,
    /// RFC 3339.
    pub updated_at: String,
}

/// `POST /api/alerts/rules/preview`: what a rule would have raised over
/// the last 24 hours of stored results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RulePreview {
    /// Monitors the rule covers (at most 100 are read).
    pub monitors: u32,
    /// Results read.
    pub results: u32,
    pub firings: Vec<PreviewFiring>,
    /// Certificates have no history: a `tls` rule cannot be previewed.
    pub previewable: bool,
}

/// One alert the rule would have fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PreviewFiring {
    pub monitor_id: i32,
    pub monitor: String,
    /// RFC 3339.
    pub fired_at: String,
    pub resolved_at: Option<String>,
}

/// One alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AlertView {
    pub id: i32,
    /// The rule's name, or Alertmanager's `alertname`.
    pub name: String,
    /// What was seen (`down for 3 checks: connection refused`), or
    /// Alertmanager's `summary` annotation.
    pub summary: String,
    pub severity: Severity,
    pub status: AlertStatus,
    /// `rule` or `alertmanager`.
    pub source: String,
    pub labels: BTreeMap<String, String>,
    pub rule_id: Option<i32>,
    pub monitor_id: Option<i32>,
    pub server_id: Option<i32>,
    /// RFC 3339: when the condition started holding.
    pub started_at: String,
    pub fired_at: Option<String>,
    pub resolved_at: Option<String>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<String>,
    /// Why firing told nobody, if it did not.
    pub quiet: Option<Quiet>,
    /// Times it fired again soon after resolving.
    pub flaps: u32,
    pub incident_id: Option<i32>,
    /// When it was first escalated (nobody acknowledged it in time).
    pub escalated_at: Option<String>,
    /// How many escalation levels it went through since it fired.
    pub escalation_level: u32,
}

/// `GET /api/alerts`: filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct AlertQuery {
    /// `pending`, `firing`, `resolved`, or `open` (pending or firing).
    pub status: Option<String>,
    pub severity: Option<String>,
    /// Part of the name, summary or a label value.
    pub q: Option<String>,
    pub cursor: Option<String>,
    pub per_page: Option<u64>,
}

/// A page of alerts and how many fire now (the header's count).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AlertPage {
    pub items: Vec<AlertView>,
    pub next_cursor: Option<String>,
    pub firing: u64,
}

/// `POST /api/alerts/acknowledge`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AckInput {
    /// 1 to 200 alerts.
    pub ids: Vec<i32>,
}

/// `POST /api/alerts/silences`: a silence of the alerts whose labels match
/// every matcher, from `starts_at` (now by default) to `ends_at` (or for
/// `minutes`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SilenceInput {
    /// One per line or comma: `name=value`, `name!=value`, `name=~regex`, `name!~regex`.
    pub matchers: String,
    /// RFC 3339.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub minutes: Option<u32>,
    pub reason: String,
}

/// `POST /api/alerts/silence`: silences the given alerts (each by its own
/// labels) for `minutes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BulkSilenceInput {
    pub ids: Vec<i32>,
    pub minutes: u32,
    pub reason: String,
}

/// One silence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SilenceView {
    pub id: i32,
    /// As written back: `name=value`, one per entry.
    pub matchers: Vec<String>,
    pub starts_at: String,
    pub ends_at: String,
    pub author: String,
    pub reason: String,
    /// `active`, `pending` (starts later) or `expired`.
    pub state: String,
}

/// Published on topic `alerts` when an alert starts, fires, resolves or is
/// acknowledged or silenced, and when rules change (`id` 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertChanged {
    pub id: i32,
    pub status: AlertStatus,
    pub severity: Severity,
    /// `pending`, `firing`, `resolved`, `acknowledged`, `silenced`, `rules`.
    pub change: String,
}

#[cfg(feature = "ssr")]
impl crate::platform::events::Publish for AlertChanged {
    const TOPIC: crate::platform::events::Topic = crate::platform::events::Topic::Alerts;
    const NAME: &'static str = "alert.changed";
}

impl AlertStatus {
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        match self {
            AlertStatus::Pending => td_string!(locale, alert_status_pending),
            AlertStatus::Firing => td_string!(locale, alert_status_firing),
            AlertStatus::Resolved => td_string!(locale, alert_status_resolved),
        }
    }
}

impl Condition {
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        match self {
            Condition::Down => td_string!(locale, alert_condition_down),
            Condition::Latency => td_string!(locale, alert_condition_latency),
            Condition::Heartbeat => td_string!(locale, alert_condition_heartbeat),
            Condition::Tls => td_string!(locale, alert_condition_tls),
            Condition::Cpu => td_string!(locale, alert_condition_cpu),
            Condition::Memory => td_string!(locale, alert_condition_memory),
            Condition::Disk => td_string!(locale, alert_condition_disk),
        }
    }
}

impl Quiet {
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        match self {
            Quiet::Silenced => td_string!(locale, alert_quiet_silenced),
            Quiet::Maintenance => td_string!(locale, alert_quiet_maintenance),
            Quiet::Flapping => td_string!(locale, alert_quiet_flapping),
        }
    }
}
