//! `audit`: the append-only log of every change and sign-in. Every domain
//! writes its rows with [`record`] (in `writer.rs`), in the transaction of
//! the change; this domain alone reads, filters, exports and purges them.
use crate::i18n::td_string;
use crate::platform::NavEntry;
use crate::platform::Permission;
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod download;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod migration;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod writer;

crate::declare_domain!(
    "audit",
    nav: NAV,
);

#[cfg(feature = "ssr")]
pub use writer::{
    Event, Outcome, denied, record, record_system, redact, refusals, require_session,
};

/// The audit log's entry in the private area's navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    path: "/app/admin/audit",
    label: |l| td_string!(l, admin_audit),
    needs: Permission::AuditRead,
}];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i32,
    /// RFC 3339.
    pub at: String,
    pub actor: String,
    pub actor_id: Option<i32>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    /// JSON text, secrets already redacted.
    pub diff: Option<String>,
    /// `ok`, `denied` or `failed`.
    pub result: String,
}

/// Filters of `GET /api/audit` and the export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct AuditQuery {
    /// Actor email contains.
    #[serde(default)]
    pub actor: Option<String>,
    /// Action prefix, e.g. `auth.` or `user.update`.
    #[serde(default)]
    pub action: Option<String>,
    #[serde(default)]
    pub result: Option<String>,
    /// RFC 3339 or YYYY-MM-DD, inclusive.
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}
