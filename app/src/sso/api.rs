//! Server functions of the `sso` domain. The redirects themselves
//! (`/auth/oidc/start`, `/auth/oidc/callback`) are plain routes in the server
//! crate, calling [`super::service`].
// The settings route takes each field as a top-level JSON key (the REST
// contract), so its server function has many arguments; the allow must be
// module-wide to reach the client function `#[server]` generates.
#![allow(clippy::too_many_arguments)]
use super::{GroupRole, SsoSettings, SsoStatus};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// Whether the sign-in page offers SSO, and its button text.
#[server(prefix = "/api", endpoint = "sso/status", input = GetUrl, output = Json)]
pub async fn get_sso_status() -> Result<SsoStatus, AppError> {
    crate::platform::serve(|ctx| async move { super::service::status(&ctx).await }).await
}

#[server(prefix = "/api", endpoint = "sso/settings", input = GetUrl, output = Json)]
pub async fn get_sso_settings() -> Result<SsoSettings, AppError> {
    crate::platform::serve(|ctx| async move { super::service::settings(&ctx).await }).await
}

/// Saves the provider settings; an empty `client_secret` keeps the stored one.
#[server(prefix = "/api", endpoint = "sso/settings", input = Json, output = Json)]
pub async fn save_sso_settings(
    enabled: bool,
    issuer: String,
    client_id: String,
    #[server(default)] client_secret: String,
    #[server(default)] button_label: String,
    #[server(default)] group_roles: Vec<GroupRole>,
    default_role: String,
    #[server(default)] trust_idp_mfa: bool,
    #[server(default)] current_password: String,
) -> Result<SsoSettings, AppError> {
    let input = super::SaveSso {
        enabled,
        issuer,
        client_id,
        client_secret,
        button_label,
        group_roles,
        default_role,
        trust_idp_mfa,
        current_password,
    };
    crate::platform::serve(|ctx| async move { super::service::save(&ctx, input).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::sso::{SaveSso, SsoSettings, SsoStatus};

    #[utoipa::path(get, path = "/api/sso/status", tag = "sso", responses((status = 200, body = SsoStatus)))]
    pub fn openapi_sso_status() {}

    #[utoipa::path(get, path = "/api/sso/settings", tag = "sso",
        responses((status = 200, description = "Settings; the client secret is never returned", body = SsoSettings), (status = 403, body = AppError)))]
    pub fn openapi_get_sso_settings() {}

    #[utoipa::path(post, path = "/api/sso/settings", tag = "sso", request_body = SaveSso,
        responses((status = 200, body = SsoSettings),
            (status = 403, description = "Not every permission, or a token, or a mapped role beyond the caller's", body = AppError),
            (status = 422, description = "Invalid field, or a wrong current_password", body = AppError)))]
    pub fn openapi_save_sso_settings() {}

    #[utoipa::path(get, path = "/auth/oidc/start", tag = "sso",
        responses((status = 302, description = "Redirect to the identity provider"), (status = 404, description = "SSO is off")))]
    pub fn openapi_oidc_start() {}

    #[utoipa::path(get, path = "/auth/oidc/callback", tag = "sso",
        responses((status = 302, description = "Signed in: redirect to the profile; a TOTP code or a password sign-in still needed: /login?sso=totp or ?sso=link; failed: /login?sso=…")))]
    pub fn openapi_oidc_callback() {}

    crate::server_parts!(
        paths(
            openapi_sso_status,
            openapi_get_sso_settings,
            openapi_save_sso_settings,
            openapi_oidc_start,
            openapi_oidc_callback
        ),
        bodies(super::SaveSsoSettings),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
