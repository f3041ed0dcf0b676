//! `auth`: signing in and out, sessions, brute-force throttling and
//! resolving the actor of each request (session cookie or bearer token).
use crate::platform::Permission;
use crate::users::UserView;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod account;
pub mod api;
pub mod pages;
pub mod profile;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sso_steps;

crate::declare_domain!("auth");

/// `POST /api/auth/login`.
#[derive(Clone, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginInput {
    pub email: String,
    pub password: String,
    /// A TOTP code or a recovery code, when the account has 2FA.
    #[serde(default)]
    pub totp: Option<String>,
}

impl std::fmt::Debug for LoginInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginInput")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// `GET /api/auth/me`: the caller and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Me {
    pub user: UserView,
    pub permissions: Vec<Permission>,
    /// `session` or `token`.
    pub via: String,
}

impl Me {
    pub fn can(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }
}

impl From<&Me> for crate::ui::ShellUser {
    fn from(me: &Me) -> Self {
        Self {
            display_name: me.user.display_name.clone(),
            permissions: me.permissions.clone(),
        }
    }
}

/// Asks the server who is signed in and updates the header (after signing
/// in or changing the profile).
pub async fn reload_current_user(user: crate::ui::CurrentUser) {
    if let Ok(me) = api::session_user().await {
        user.set(me.as_ref().map(crate::ui::ShellUser::from));
    }
}

/// `GET /api/sso/status`: whether the sign-in page offers single sign-on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SsoStatus {
    pub enabled: bool,
    pub button_label: String,
}

/// `POST /api/auth/profile` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProfileInput {
    pub display_name: String,
    pub locale: String,
    /// `system`, `light` or `dark`.
    pub theme: String,
}

/// `POST /api/auth/password` body.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PasswordInput {
    pub current_password: String,
    pub new_password: String,
}
