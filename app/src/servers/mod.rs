//! `servers`: the inventory of servers and VMs — what exists, where, who
//! owns it, how to reach it over SSH, and where it is in its lifecycle
//! (`planned → provisioning → active → maintenance → decommissioned`).
//! Owns the `servers` table; its event history is the audit log's rows
//! about each server. Monitoring reads the inventory through `service.rs`.
use crate::i18n::td_string;
use crate::platform::{NavEntry, Permission};
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
mod for_monitoring;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod migration;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod query;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod ssh;
#[cfg(feature = "ssr")]
pub mod validate;
#[cfg(feature = "ssr")]
pub mod views;

crate::declare_domain!("servers", module: Some("servers"), nav: NAV);

/// The inventory's entry in the private area's navigation.
pub const NAV: &[NavEntry] = &[NavEntry {
    path: "/app/servers",
    label: |l| td_string!(l, servers_title),
    needs: Permission::ServersRead,
}];

crate::wire_enum! {
    /// Where a server is in its life. Only [`ServerStatus::next`] moves are allowed.
    ServerStatus {
        Planned => "planned",
        Provisioning => "provisioning",
        Active => "active",
        Maintenance => "maintenance",
        Decommissioned => "decommissioned",
    }
}

crate::wire_enum! {
    /// What kind of machine it is.
    ServerKind {
        Physical => "physical",
        Vm => "vm",
        ContainerHost => "container-host",
        Cloud => "cloud",
    }
}

crate::wire_enum! {
    /// How the SSH credential authenticates.
    CredentialKind {
        Password => "password",
        PrivateKey => "private-key",
    }
}

impl ServerStatus {
    /// The statuses a server in this one may move to. A decommissioned
    /// server stays so: its history is kept, and it may only be deleted.
    pub fn next(self) -> &'static [ServerStatus] {
        use ServerStatus::*;
        match self {
            Planned => &[Provisioning, Active, Decommissioned],
            Provisioning => &[Active, Planned, Decommissioned],
            Active => &[Maintenance, Decommissioned],
            Maintenance => &[Active, Decommissioned],
            Decommissioned => &[],
        }
    }

    pub fn may_become(self, to: ServerStatus) -> bool {
        self.next().contains(&to)
    }
}

/// The built-in environments; any other lower-case slug is a custom one.
pub const ENVIRONMENTS: &[&str] = &["production", "staging", "development"];

/// How to reach a server over SSH. The credential itself is sealed at rest
/// and never leaves the server: only whether there is one, and its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SshProfileView {
    pub user: Option<String>,
    pub port: u16,
    pub credential_kind: Option<CredentialKind>,
    /// The host key pinned at the first connection test (`SHA256:…`).
    pub host_key: Option<String>,
}

/// A server as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServerView {
    pub id: i32,
    pub name: String,
    pub hostname: String,
    pub ip_addresses: Vec<String>,
    pub os: String,
    pub kind: ServerKind,
    pub provider: String,
    pub environment: String,
    pub tags: Vec<String>,
    pub owner: String,
    pub cpu_cores: Option<u32>,
    pub ram_mb: Option<u64>,
    pub disk_gb: Option<u64>,
    /// Markdown, as written.
    pub notes: String,
    pub status: ServerStatus,
    pub ssh: SshProfileView,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
}

/// One change in a server's history (from the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServerEvent {
    /// RFC 3339.
    pub at: String,
    pub actor: String,
    /// `server.create`, `server.update`, `server.lifecycle`, …
    pub action: String,
    /// JSON text of what changed, secrets redacted.
    pub diff: Option<String>,
}

/// `GET /api/servers/detail`: the server, its notes rendered, the moves its
/// status allows and its history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServerDetail {
    pub server: ServerView,
    /// The notes as HTML: Markdown rendered with raw HTML escaped.
    pub notes_html: String,
    pub next_statuses: Vec<ServerStatus>,
    pub history: Vec<ServerEvent>,
}

/// Filters of `GET /api/servers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct ServerQuery {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    /// Name, hostname or IP address contains.
    #[serde(default)]
    pub q: Option<String>,
    /// `name` (default), `-name`, `created` (oldest first), `-created`.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub per_page: Option<u64>,
}

/// `POST /api/servers`: creates a server (status `planned`), or updates the
/// one named by `id`. On update, an absent `ssh_credential` keeps the stored
/// one and an empty one removes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServerInput {
    #[serde(default)]
    pub id: Option<i32>,
    pub name: String,
    pub hostname: String,
    #[serde(default)]
    pub ip_addresses: Vec<String>,
    #[serde(default)]
    pub os: String,
    /// `physical`, `vm`, `container-host` or `cloud`.
    pub kind: String,
    #[serde(default)]
    pub provider: String,
    /// `production`, `staging`, `development` or a custom lower-case slug.
    pub environment: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub cpu_cores: Option<u32>,
    #[serde(default)]
    pub ram_mb: Option<u64>,
    #[serde(default)]
    pub disk_gb: Option<u64>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub ssh_user: Option<String>,
    #[serde(default)]
    pub ssh_port: Option<u32>,
    /// `password` or `private-key`; required with a credential.
    #[serde(default)]
    pub ssh_credential_kind: Option<String>,
    #[serde(default)]
    pub ssh_credential: Option<String>,
}

/// `POST /api/servers/lifecycle`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LifecycleInput {
    pub id: i32,
    pub to: String,
}

crate::wire_enum! {
    /// What an SSH connection test found: a key to confirm, a working
    /// login, or a failure (unreachable, refused sign-in).
    SshTestState {
        Unpinned => "unpinned",
        Connected => "connected",
        Failed => "failed",
    }
}

/// `POST /api/servers/ssh-test`: the presented (or pinned) host key, and
/// what the test found (`uname -srm`'s answer, or why it failed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SshTest {
    pub state: SshTestState,
    pub algorithm: String,
    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    pub message: String,
}

impl SshTest {
    pub fn failed(message: String) -> Self {
        Self {
            state: SshTestState::Failed,
            algorithm: String::new(),
            fingerprint: String::new(),
            message,
        }
    }
}

/// `POST /api/servers/ssh-test` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SshTestInput {
    pub id: i32,
    /// The fingerprint the operator confirmed, to pin.
    #[serde(default)]
    pub trust: Option<String>,
    /// Drop the pinned key first (the host was rebuilt on purpose).
    #[serde(default)]
    pub forget: bool,
}

/// A saved view of the servers list: its name, filters and sort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SavedView {
    pub id: i32,
    pub name: String,
    pub status: Option<String>,
    pub environment: Option<String>,
    pub tag: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
}

/// `POST /api/servers/views`: saves the caller's view (replacing the one
/// of the same name); the filters are those of `GET /api/servers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SavedViewInput {
    pub name: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub environment: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub sort: Option<String>,
}

/// `POST /api/servers/import`: rows as CSV (a header line, then one server
/// per line) or as a JSON array of [`ServerInput`] objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportInput {
    /// `csv` or `json`.
    pub format: String,
    pub data: String,
    /// Check every row and store nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Import the valid rows even when others are invalid (otherwise nothing
    /// is imported unless every row is valid).
    #[serde(default)]
    pub skip_invalid: bool,
}

/// One row of an import report. `line` is the CSV line (the header is line
/// 1) or the JSON array's position counted from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportRow {
    pub line: u32,
    pub name: String,
    /// Field → localized message; empty when the row is valid.
    pub errors: std::collections::BTreeMap<String, String>,
    /// The new server's id, when it was stored.
    pub id: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub dry_run: bool,
    pub valid: u32,
    pub invalid: u32,
    pub imported: u32,
    pub rows: Vec<ImportRow>,
}

/// Published on the event bus (topic `servers`) after every committed
/// change, so open pages refresh without a reload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerChanged {
    pub id: i32,
    pub name: String,
    pub status: ServerStatus,
    /// `created`, `updated`, `moved` or `deleted`.
    pub change: String,
}

#[cfg(feature = "ssr")]
impl crate::platform::events::Publish for ServerChanged {
    const TOPIC: crate::platform::events::Topic = crate::platform::events::Topic::Servers;
    const NAME: &'static str = "server.changed";
}

/// One page of servers.
pub type ServerPage = crate::platform::Page<ServerView>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_moves_only_forward_or_back_to_work() {
        use ServerStatus::*;
        assert!(Planned.may_become(Active));
        assert!(Active.may_become(Maintenance) && Maintenance.may_become(Active));
        assert!(!Planned.may_become(Maintenance));
        assert!(!Active.may_become(Planned));
        assert!(!Decommissioned.may_become(Active));
        for s in ServerStatus::ALL {
            assert!(!s.may_become(*s), "{s:?} may not become itself");
            assert_eq!(ServerStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(
            ServerKind::parse("container-host"),
            Some(ServerKind::ContainerHost)
        );
        assert_eq!(ServerKind::parse("mainframe"), None);
    }
}
