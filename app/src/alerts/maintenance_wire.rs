//! The maintenance windows' wire types (the editor's and a status page's).
use serde::{Deserialize, Serialize};

/// `POST /api/alerts/maintenance`: a window, one-off (`once`: `starts_at`,
/// `ends_at`) or `weekly` (`weekdays` at `start_time` for
/// `duration_minutes`, in `time_zone`), over servers and tags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintenanceInput {
    pub id: Option<i32>,
    pub title: String,
    pub server_ids: Vec<i32>,
    pub tags: Vec<String>,
    /// `once` or `weekly`.
    pub kind: String,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    /// `mon` … `sun`.
    pub weekdays: Vec<String>,
    /// `HH:MM`.
    pub start_time: Option<String>,
    pub duration_minutes: Option<u32>,
    /// An IANA name (`Africa/Algiers`); UTC by default.
    pub time_zone: Option<String>,
}

/// A maintenance window as a public status page shows it, in force or
/// coming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicMaintenance {
    pub title: String,
    pub active: bool,
    pub next_start: Option<String>,
}

/// One maintenance window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintenanceView {
    pub id: i32,
    pub title: String,
    pub server_ids: Vec<i32>,
    pub tags: Vec<String>,
    pub kind: String,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub weekdays: Vec<String>,
    pub start_time: Option<String>,
    pub duration_minutes: Option<u32>,
    pub time_zone: String,
    /// In force now.
    pub active: bool,
    /// RFC 3339: the next time it starts (none once a one-off is over).
    pub next_start: Option<String>,
}

/// One occurrence of a window in the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintenanceOccurrence {
    pub window_id: i32,
    pub title: String,
    /// RFC 3339.
    pub starts_at: String,
    pub ends_at: String,
    pub server_ids: Vec<i32>,
    pub tags: Vec<String>,
}

/// `GET /api/alerts/maintenance/calendar`: the occurrences of every
/// window that overlap `from` (00:00 UTC) and the `days` after, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintenanceCalendar {
    /// `YYYY-MM-DD`.
    pub from: String,
    pub days: u32,
    /// `YYYY-MM-DD`, UTC, on the server's clock (the browser's may be wrong).
    pub today: String,
    pub occurrences: Vec<MaintenanceOccurrence>,
}
