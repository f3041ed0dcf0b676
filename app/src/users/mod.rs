//! `users`: accounts and roles. Owns the `users` and `roles` tables; every
//! other domain reads and changes accounts through `service.rs` (and roles
//! through `roles.rs`). The administration pages and routes are in `admin`.
use crate::platform::Permission;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
mod lookup;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod role_entity;
#[cfg(feature = "ssr")]
pub mod roles;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum UserStatus {
    #[default]
    Active,
    Disabled,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "disabled" {
            UserStatus::Disabled
        } else {
            UserStatus::Active
        }
    }
}

/// A user as the API shows it (never the password hash or TOTP seed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserView {
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub locale: String,
    pub theme: String,
    pub status: UserStatus,
    pub totp_enabled: bool,
    /// RFC 3339.
    pub created_at: String,
    pub last_sign_in_at: Option<String>,
}

/// `POST /api/users`: create, or update when `id` is given. On update,
/// `password` is optional (unchanged when absent).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SaveUser {
    #[serde(default)]
    pub id: Option<i32>,
    pub email: String,
    pub display_name: String,
    pub role: String,
    #[serde(default)]
    pub status: Option<UserStatus>,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
}

/// `GET /api/users` query: filter, sort, paginate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams, utoipa::ToSchema))]
pub struct UserQuery {
    /// Matches email or display name.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub status: Option<UserStatus>,
    /// `email`, `-email`, `created_at`, `-created_at`, `last_sign_in_at`, `-last_sign_in_at`.
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub page: Option<u64>,
    #[serde(default)]
    pub per_page: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UserPage {
    pub items: Vec<UserView>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// A role and what it may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoleView {
    pub name: String,
    pub builtin: bool,
    pub permissions: Vec<Permission>,
    pub require_2fa: bool,
}

/// `POST /api/roles`: create or update a custom role, or set a built-in
/// role's 2FA requirement (built-in permissions are fixed in code).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SaveRole {
    pub name: String,
    #[serde(default)]
    pub permissions: Vec<String>,
    #[serde(default)]
    pub require_2fa: bool,
}
