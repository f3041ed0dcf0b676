//! The one list of permissions and the one role → permissions table.
//! Authorization never compares role names: it asks for a [`Permission`].
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

macro_rules! permissions {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// What an actor may do. The wire name is `area:verb`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
        pub enum Permission {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl Permission {
            pub const ALL: &'static [Permission] = &[$(Permission::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Permission::$variant => $name,)* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($name => Some(Permission::$variant),)* _ => None }
            }
        }
    };
}

permissions! {
    ProfileManage => "profile:manage",
    TokensManage => "tokens:manage",
    NotificationsRead => "notifications:read",
    IncidentsCreate => "incidents:create",
    IncidentsRead => "incidents:read",
    IncidentsManage => "incidents:manage",
    ServersRead => "servers:read",
    ServersWrite => "servers:write",
    DeploymentsRead => "deployments:read",
    DeploymentsWrite => "deployments:write",
    MonitoringRead => "monitoring:read",
    MonitoringWrite => "monitoring:write",
    AlertsRead => "alerts:read",
    AlertsManage => "alerts:manage",
    AlertsIngest => "alerts:ingest",
    StatusPagesManage => "status_pages:manage",
    ScriptsRead => "scripts:read",
    ScriptsWrite => "scripts:write",
    ScriptsRun => "scripts:run",
    ScriptsAdhoc => "scripts:adhoc",
    PluginsManage => "plugins:manage",
    UsersRead => "users:read",
    UsersManage => "users:manage",
    RolesManage => "roles:manage",
    SettingsManage => "settings:manage",
    AuditRead => "audit:read",
}

/// The built-in roles. Custom roles are rows of the `roles` table.
pub const ADMIN: &str = "admin";
pub const DEVOPS: &str = "devops";
pub const USER: &str = "user";
pub const BUILTIN_ROLES: &[&str] = &[ADMIN, DEVOPS, USER];

/// The permissions of a built-in role; `None` for any other name.
pub fn builtin_permissions(role: &str) -> Option<BTreeSet<Permission>> {
    use Permission::*;
    let signed_in = [
        ProfileManage,
        TokensManage,
        NotificationsRead,
        IncidentsCreate,
    ];
    let set: BTreeSet<Permission> = match role {
        ADMIN => Permission::ALL.iter().copied().collect(),
        DEVOPS => signed_in
            .into_iter()
            .chain([
                IncidentsRead,
                IncidentsManage,
                ServersRead,
                ServersWrite,
                DeploymentsRead,
                DeploymentsWrite,
                MonitoringRead,
                MonitoringWrite,
                AlertsRead,
                AlertsManage,
                AlertsIngest,
                ScriptsRead,
                ScriptsWrite,
                ScriptsRun,
            ])
            .collect(),
        USER => signed_in.into_iter().collect(),
        _ => return None,
    };
    Some(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let names: BTreeSet<_> = Permission::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(names.len(), Permission::ALL.len());
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(*p));
            let json = serde_json::to_string(p).unwrap();
            assert_eq!(json, format!("\"{}\"", p.as_str()));
        }
        assert_eq!(Permission::parse("users:delete_everything"), None);
    }

    #[test]
    fn roles_are_nested_user_devops_admin() {
        let user = builtin_permissions(USER).unwrap();
        let devops = builtin_permissions(DEVOPS).unwrap();
        let admin = builtin_permissions(ADMIN).unwrap();
        assert!(user.is_subset(&devops) && devops.is_subset(&admin));
        assert!(!devops.contains(&Permission::UsersRead));
        // Inline commands are any code at all: administrators only, or a
        // custom role that is given them.
        assert!(!devops.contains(&Permission::ScriptsAdhoc));
        assert!(devops.contains(&Permission::ServersWrite));
        assert!(!user.contains(&Permission::ServersRead));
        assert_eq!(admin.len(), Permission::ALL.len());
        assert!(builtin_permissions("root").is_none());
    }
}
