//! `sso`: OpenID Connect single sign-on (authorization code + PKCE, with
//! discovery). An admin configures the provider; users are provisioned on
//! first sign-in, an IdP groups claim maps to roles, and an existing account
//! is linked only through a verified email.
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod oidc;
#[cfg(feature = "ssr")]
mod provision;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod settings;

crate::declare_domain!("sso");

/// Where the provider sends the browser back (register it at the provider,
/// prefixed with the instance's public URL).
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

/// One IdP group → role rule; the first matching rule wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupRole {
    pub group: String,
    pub role: String,
}

/// SSO settings as the API shows them: the client secret is never returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SsoSettings {
    pub enabled: bool,
    /// Exactly as the provider reports it, e.g. `https://id.example.org`.
    pub issuer: String,
    pub client_id: String,
    /// Whether a client secret is stored.
    pub has_client_secret: bool,
    /// Text on the sign-in button, e.g. "Company account".
    pub button_label: String,
    pub group_roles: Vec<GroupRole>,
    /// Role of provisioned users no rule matched.
    pub default_role: String,
    /// Skip the account's own TOTP code when the provider's `amr` claim says
    /// it already did multi-factor authentication.
    #[serde(default)]
    pub trust_idp_mfa: bool,
}

/// `POST /api/sso/settings`. An empty `client_secret` keeps the stored one.
/// Whoever controls the provider can sign in as its users, so saving needs
/// every permission and `current_password` (a TOTP code for an account
/// without a password).
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SaveSso {
    pub enabled: bool,
    pub issuer: String,
    pub client_id: String,
    #[serde(default)]
    pub client_secret: String,
    #[serde(default)]
    pub button_label: String,
    #[serde(default)]
    pub group_roles: Vec<GroupRole>,
    pub default_role: String,
    #[serde(default)]
    pub trust_idp_mfa: bool,
    #[serde(default)]
    pub current_password: String,
}

/// Defined by `auth`, whose sign-in page shows it (`sso` sits above `auth`).
pub use crate::auth::SsoStatus;
