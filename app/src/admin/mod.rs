//! `admin`: the administration area — accounts, roles and the security
//! settings (pages under `/app/admin/`, routes under `/api/users` and
//! `/api/roles`). It owns no table: it composes `users`, `sessions`,
//! `tokens`, `twofa` and `sso`, which is why it sits above them.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

crate::declare_domain!(
    "admin",
    module: Some("access"),
    nav: NAV,
);

use crate::i18n::td_string;
use crate::platform::NavEntry;
use crate::platform::Permission;

/// The administration entries of the private area's navigation.
pub const NAV: &[NavEntry] = &[
    NavEntry {
        path: "/app/admin/users",
        label: |l| td_string!(l, admin_users),
        needs: Permission::UsersRead,
    },
    NavEntry {
        path: "/app/admin/roles",
        label: |l| td_string!(l, admin_roles),
        needs: Permission::UsersRead,
    },
    NavEntry {
        path: "/app/admin/security",
        label: |l| td_string!(l, admin_security),
        needs: Permission::SettingsManage,
    },
];
