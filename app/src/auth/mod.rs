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
pub mod session_entity;
#[cfg(feature = "ssr")]
pub mod session_store;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod sso_steps;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
mod throttle_entity;

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

/// One of the caller's sessions. `id` is a hash of the session id, never the
/// cookie value itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: String,
    pub created_at: String,
    pub expires_at: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub current: bool,
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

/// `{"id": n}`: the body of actions on one record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IdInput {
    pub id: i32,
}

/// `{"id": "…"}`: a session handle from `GET /api/auth/sessions`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionHandle {
    pub id: String,
}

/// Session and sign-in settings, from the configuration.
#[cfg(feature = "ssr")]
pub struct AuthSettings {
    pub idle: std::time::Duration,
    pub absolute: std::time::Duration,
    pub cookie_secure: bool,
    pub login_limiter: throttle::IpLimiter,
    /// HS256 key for API tokens (stored sealed in the database).
    pub jwt_key: [u8; 32],
    /// HMAC key for 2FA recovery codes (stored sealed in the database).
    pub recovery_key: [u8; 32],
}

#[cfg(feature = "ssr")]
impl AuthSettings {
    /// `__Host-` needs `Secure`, which browsers refuse on plain http
    /// (except localhost): without TLS the cookie is `dihya_session`.
    pub fn cookie_name(&self) -> &'static str {
        if self.cookie_secure {
            "__Host-dihya_session"
        } else {
            "dihya_session"
        }
    }
}
