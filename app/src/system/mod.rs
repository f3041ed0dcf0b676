//! `system`: public facts about this instance (version, database, uptime,
//! modules). The first vertical slice and the pattern every domain copies:
//! types here, server functions in `api.rs`, rules in `service.rs`, pages in
//! `pages.rs`.
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

crate::declare_domain!(
    "system",
    module: Some("system"),
    sitemap: &["/about"],
);

/// Where a product module stands in this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ModuleStatus {
    /// Implemented and switched on.
    Available,
    /// Part of the product plan, not built yet.
    Planned,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ModuleInfo {
    pub id: String,
    pub enabled: bool,
    pub status: ModuleStatus,
}

/// `GET /api/system`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SystemInfo {
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    pub uptime_seconds: u64,
    /// The source code of this instance, when the operator configured it.
    pub source_url: Option<String>,
    pub modules: Vec<ModuleInfo>,
}

/// The version compiled into this binary.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
