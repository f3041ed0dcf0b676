//! `incidents`: tickets for what went wrong — who reported it, how bad it
//! is, who works on it, which servers it touches — with a timeline of
//! everything that happened to it and SLA targets per severity. Anyone
//! signed in may report one and follow their own; `incidents:read` sees
//! every ticket and `incidents:manage` moves them along.
//! Owns `incidents`, `incident_servers` and `incident_events`.
use crate::i18n::td_string;
use crate::platform::{NavEntry, Permission};
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod breach;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod for_status;
#[cfg(feature = "ssr")]
pub mod from_alerts;
#[cfg(feature = "ssr")]
pub mod migration;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod postmortem;
#[cfg(feature = "ssr")]
pub mod query;
#[cfg(feature = "ssr")]
pub mod service;
pub mod sla;
mod timeline;
pub use timeline::{TimelineKind, line_text};
#[cfg(feature = "ssr")]
mod tell;
#[cfg(feature = "ssr")]
mod validate;
#[cfg(feature = "ssr")]
mod view;

crate::declare_domain!("incidents", module: Some("incidents"), nav: NAV);

/// Every signed-in role may report a problem and follow its own tickets.
pub const NAV: &[NavEntry] = &[NavEntry {
    path: "/app/incidents",
    label: |l| td_string!(l, incidents_title),
    needs: Permission::IncidentsCreate,
}];

/// The product's one severity scale (incidents, alerts, notifications).
pub use crate::platform::Severity;

crate::wire_enum! {
    /// Where a ticket is. Only [`IncidentStatus::next`] moves are allowed.
    IncidentStatus {
        Open => "open",
        Acknowledged => "acknowledged",
        Investigating => "investigating",
        Resolved => "resolved",
        Closed => "closed",
    }
}

impl IncidentStatus {
    /// The statuses a ticket in this one may move to. A resolved ticket
    /// may be reopened (the fix did not hold); a closed one is history.
    pub fn next(self) -> &'static [IncidentStatus] {
        use IncidentStatus::*;
        match self {
            Open => &[Acknowledged, Investigating, Resolved],
            Acknowledged => &[Investigating, Resolved],
            Investigating => &[Resolved],
            Resolved => &[Investigating, Closed],
            Closed => &[],
        }
    }

    pub fn may_become(self, to: IncidentStatus) -> bool {
        self.next().contains(&to)
    }

    /// Someone has looked at it (the acknowledgement SLA is met).
    pub fn is_acknowledged(self) -> bool {
        self != IncidentStatus::Open
    }

    /// Nothing is left to do (the resolution SLA is met).
    pub fn is_resolved(self) -> bool {
        matches!(self, IncidentStatus::Resolved | IncidentStatus::Closed)
    }
}

impl IncidentStatus {
    /// The status in words, in `locale`.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        match self {
            IncidentStatus::Open => td_string!(locale, incident_status_open),
            IncidentStatus::Acknowledged => td_string!(locale, incident_status_acknowledged),
            IncidentStatus::Investigating => td_string!(locale, incident_status_investigating),
            IncidentStatus::Resolved => td_string!(locale, incident_status_resolved),
            IncidentStatus::Closed => td_string!(locale, incident_status_closed),
        }
    }
}

/// A server the incident touches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AffectedServer {
    pub id: i32,
    pub name: String,
}

/// A person as an incident shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: i32,
    pub name: String,
}

/// An incident as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentView {
    pub id: i32,
    pub title: String,
    /// Markdown, as written.
    pub description: String,
    pub severity: Severity,
    pub status: IncidentStatus,
    pub reporter: Option<Person>,
    pub assignee: Option<Person>,
    pub servers: Vec<AffectedServer>,
    /// The deployment suspected of causing it (filled by deployments).
    pub suspected_deployment_id: Option<i32>,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
    pub acknowledged_at: Option<String>,
    pub resolved_at: Option<String>,
    /// When it must be acknowledged and resolved by (its severity's SLA);
    /// `None` when the severity has no target.
    pub acknowledge_by: Option<String>,
    pub resolve_by: Option<String>,
}

/// One line of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub id: i32,
    /// RFC 3339.
    pub at: String,
    pub kind: TimelineKind,
    /// Who did it; `None` for the system (an SLA breach).
    pub actor: Option<String>,
    /// The comment's text, or what changed (`open → acknowledged`).
    pub body: String,
}

/// An incident with its timeline and what the caller may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentDetail {
    pub incident: IncidentView,
    /// The description rendered to safe HTML.
    pub description_html: String,
    pub timeline: Vec<TimelineEntry>,
    /// The statuses the caller may move it to (none without `incidents:manage`).
    pub next: Vec<IncidentStatus>,
    /// Whether the caller may comment (a manager, or its reporter).
    pub can_comment: bool,
    /// Whether the caller may change status, assignee and severity.
    pub can_manage: bool,
    /// The caller's user id ("assign to me").
    pub caller_id: i32,
}

/// `POST /api/incidents`: a new ticket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentInput {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub severity: String,
    #[serde(default)]
    pub server_ids: Vec<i32>,
}

/// `POST /api/incidents/update`: any of status, assignee and severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentUpdate {
    pub id: i32,
    #[serde(default)]
    pub status: Option<String>,
    /// A user holding `incidents:read`; `0` takes the assignee off.
    #[serde(default)]
    pub assignee_id: Option<i32>,
    #[serde(default)]
    pub severity: Option<String>,
}

/// `POST /api/incidents/comment`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CommentInput {
    pub id: i32,
    /// Markdown; at most 10,000 characters.
    pub body: String,
}

/// A ticket's post-mortem: the saved text, or until then the draft
/// assembled from the ticket and its timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Postmortem {
    pub id: i32,
    /// Markdown (the export).
    pub markdown: String,
    /// The same, rendered to safe HTML.
    pub html: String,
    /// `false` while it is the assembled draft.
    pub saved: bool,
    /// Shown on the status pages that show the ticket.
    pub published: bool,
}

/// A ticket as a public status page shows it: no description, no people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicIncident {
    pub id: i32,
    pub title: String,
    pub severity: Severity,
    pub status: IncidentStatus,
    pub opened_at: String,
    pub resolved_at: Option<String>,
    pub updated_at: String,
    /// The published post-mortem, as safe HTML.
    pub postmortem_html: Option<String>,
}

/// `POST /api/incidents/postmortem/publish`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublishInput {
    pub id: i32,
    pub published: bool,
}

/// `POST /api/incidents/postmortem`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PostmortemInput {
    pub id: i32,
    /// Markdown; 1 to 50,000 characters.
    pub body: String,
}

/// Mean times of one group of tickets (`None` when none got there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Means {
    pub opened: u64,
    pub acknowledged: u64,
    pub resolved: u64,
    /// Mean time to acknowledge, in seconds.
    pub mtta_seconds: Option<u64>,
    /// Mean time to resolve, in seconds.
    pub mttr_seconds: Option<u64>,
}

/// The means of one severity's tickets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SeverityMeans {
    pub severity: Severity,
    pub means: Means,
}

/// `GET /api/incidents/report`: the tickets opened in the last `days`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IncidentReport {
    pub days: u32,
    pub all: Means,
    /// Per severity, worst first (severities without tickets left out).
    pub by_severity: Vec<SeverityMeans>,
    /// Deadlines missed in the period.
    pub breaches: u64,
}

/// `GET /api/incidents`: filters and a cursor (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct IncidentQuery {
    /// One status, or `active` for every status before resolved.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    /// A user id, or `none` for unassigned tickets.
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub server: Option<i32>,
    /// Words in the title.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub per_page: Option<u64>,
}

/// One page of incidents.
pub type IncidentPage = crate::platform::Page<IncidentView>;

/// Published on the event bus (topic `incidents`) after every committed
/// change, so open pages refresh without a reload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentChanged {
    pub id: i32,
    pub status: IncidentStatus,
    pub severity: Severity,
    /// `created`, `updated`, `commented` or `sla`.
    pub change: String,
}

#[cfg(feature = "ssr")]
impl crate::platform::events::Publish for IncidentChanged {
    const TOPIC: crate::platform::events::Topic = crate::platform::events::Topic::Incidents;
    const NAME: &'static str = "incident.changed";
}

/// The same change, addressed to the ticket's reporter (topic
/// `my-incidents`), whose page follows it without reading every ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportChanged {
    pub id: i32,
    pub status: IncidentStatus,
    #[serde(skip)]
    pub reporter: i32,
}

#[cfg(feature = "ssr")]
impl crate::platform::events::Publish for ReportChanged {
    const TOPIC: crate::platform::events::Topic = crate::platform::events::Topic::MyIncidents;
    const NAME: &'static str = "report.changed";
    fn recipient(&self) -> Option<i32> {
        Some(self.reporter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_moves_forward_and_may_reopen_until_closed() {
        use IncidentStatus::*;
        assert!(Open.may_become(Acknowledged));
        assert!(Open.may_become(Resolved));
        assert!(!Acknowledged.may_become(Open));
        assert!(Resolved.may_become(Investigating));
        assert!(Resolved.may_become(Closed));
        assert!(!Open.may_become(Closed));
        assert!(Closed.next().is_empty());
        for s in IncidentStatus::ALL {
            assert!(!s.may_become(*s), "{s:?} to itself");
        }
        assert!(!Open.is_acknowledged() && Acknowledged.is_acknowledged());
        assert!(Closed.is_resolved() && !Investigating.is_resolved());
    }
}
