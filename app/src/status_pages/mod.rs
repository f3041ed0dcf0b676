//! `status_pages`: public pages that tell a service's users how it is —
//! components (groups of monitors) with their state now and 90 days of
//! uptime, the incidents that touch them (active, then history with
//! published post-mortems), maintenance in force or coming, and an Atom
//! feed. Pages are read by anyone, without signing in; `status_pages:manage`
//! edits them. Owns `status_pages`.
use crate::i18n::td_string;
use crate::platform::{NavEntry, Permission};
use serde::{Deserialize, Serialize};

pub use crate::alerts::PublicMaintenance;
pub use crate::incidents::PublicIncident;

pub mod api;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod feed;
#[cfg(feature = "ssr")]
pub mod migration;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod public;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod validate;

crate::declare_domain!(
    "status_pages",
    nav: NAV,
    // A prefix: every page under it is cached as live data (see
    // `domains::is_cacheable` and the server's page cache).
    cacheable: &["/status/*"],
);

pub const NAV: &[NavEntry] = &[NavEntry {
    path: "/app/status-pages",
    label: |l| td_string!(l, status_pages_title),
    needs: Permission::StatusPagesManage,
}];

/// Days of uptime a page shows.
pub const DAYS: usize = 90;

crate::wire_enum! {
    /// How a component (or the whole page) is now.
    Health {
        Operational => "operational",
        Degraded => "degraded",
        Outage => "outage",
        Maintenance => "maintenance",
        Unknown => "unknown",
    }
}

impl Health {
    /// The state in words, in `locale`.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        match self {
            Health::Operational => td_string!(locale, status_operational),
            Health::Degraded => td_string!(locale, status_degraded),
            Health::Outage => td_string!(locale, status_outage),
            Health::Maintenance => td_string!(locale, status_maintenance),
            Health::Unknown => td_string!(locale, status_unknown),
        }
    }

    /// The worse of two states (an outage outweighs everything).
    pub fn worst(self, other: Health) -> Health {
        fn rank(h: Health) -> u8 {
            match h {
                Health::Operational => 0,
                Health::Unknown => 1,
                Health::Maintenance => 2,
                Health::Degraded => 3,
                Health::Outage => 4,
            }
        }
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// One component of a page: a name over some monitors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComponentInput {
    pub name: String,
    pub monitor_ids: Vec<i32>,
}

/// `POST /api/status-pages`: creates, or updates by `id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusPageInput {
    pub id: Option<i32>,
    /// 2 to 48 of `a-z`, `0-9` and `-`: the page is `/status/<slug>`.
    pub slug: String,
    pub title: String,
    pub description: String,
    /// 1 to 20 components.
    pub components: Vec<ComponentInput>,
    /// A PNG, JPEG or WebP image as a `data:` URL (at most 100 KB);
    /// `""` removes the logo, absent keeps it.
    pub logo: Option<String>,
}

/// A status page as its editor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusPageView {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub components: Vec<ComponentInput>,
    pub has_logo: bool,
    pub updated_at: String,
}

/// A monitor a component may show (the editor's choices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonitorChoice {
    pub id: i32,
    pub name: String,
}

/// `GET /api/status-pages`: every page, and the monitors to pick from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusPages {
    pub pages: Vec<StatusPageView>,
    pub monitors: Vec<MonitorChoice>,
}

/// A component as visitors see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicComponent {
    pub name: String,
    pub health: Health,
    /// Uptime over the 90 days, per mille (`None` without results).
    pub permille: Option<u32>,
    /// The oldest of the [`DAYS`] days, `YYYY-MM-DD` (UTC).
    pub first_day: String,
    /// Each day's uptime in per mille, oldest first (`None`: no check
    /// that day). A bare list: the page carries it for hydration, and 90
    /// objects with a date each made a third of a status page's weight.
    pub daily: Vec<Option<u32>>,
}

/// `GET /api/status/page?slug=`: everything a public page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublicStatus {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub has_logo: bool,
    pub health: Health,
    pub components: Vec<PublicComponent>,
    pub active: Vec<PublicIncident>,
    pub maintenance: Vec<PublicMaintenance>,
    /// Resolved within the 90 days, newest first.
    pub history: Vec<PublicIncident>,
    pub generated_at: String,
}

/// Published on topic `status-pages` when a page is saved or deleted, so
/// cached copies go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusPageChanged {
    pub id: i32,
    pub slug: String,
}

#[cfg(feature = "ssr")]
impl crate::platform::events::Publish for StatusPageChanged {
    const TOPIC: crate::platform::events::Topic = crate::platform::events::Topic::StatusPages;
    const NAME: &'static str = "status_page.changed";
}

#[cfg(test)]
mod tests {
    use super::Health;

    #[test]
    fn an_outage_outweighs_everything_and_operational_nothing() {
        assert_eq!(Health::Operational.worst(Health::Outage), Health::Outage);
        assert_eq!(Health::Outage.worst(Health::Degraded), Health::Outage);
        assert_eq!(
            Health::Maintenance.worst(Health::Operational),
            Health::Maintenance
        );
        assert_eq!(Health::Unknown.worst(Health::Degraded), Health::Degraded);
    }
}
