//! Server functions of the `auth` domain.
use super::Me;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// Signs in with email and password (and a 2FA code when enrolled).
#[server(prefix = "/api", endpoint = "auth/login", input = Json, output = Json)]
pub async fn login(
    email: String,
    password: String,
    #[server(default)] totp: Option<String>,
) -> Result<Me, AppError> {
    crate::platform::serve(|ctx| async move {
        let input = super::LoginInput {
            email,
            password,
            totp,
        };
        super::service::login(&ctx, &crate::sessions::service::current()?, input).await
    })
    .await
}

/// Finishes an SSO sign-in that waits for the account's TOTP (or recovery) code.
#[server(prefix = "/api", endpoint = "auth/login/totp", input = Json, output = Json)]
pub async fn login_totp(code: String) -> Result<Me, AppError> {
    crate::platform::serve(|ctx| async move {
        super::sso_steps::second_factor(&ctx, &crate::sessions::service::current()?, &code).await
    })
    .await
}

#[server(prefix = "/api", endpoint = "auth/logout", input = Json, output = Json)]
pub async fn logout() -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move {
        super::service::logout(&ctx, &crate::sessions::service::current()?).await
    })
    .await
}

/// The caller's account and permissions; 401 when anonymous.
#[server(prefix = "/api", endpoint = "auth/me", input = GetUrl, output = Json)]
pub async fn get_me() -> Result<Me, AppError> {
    crate::platform::serve(|ctx| async move { super::service::me(&ctx).await }).await
}

/// The caller when signed in, `null` otherwise (pages use this).
#[server(prefix = "/api", endpoint = "auth/session", input = GetUrl, output = Json)]
pub async fn session_user() -> Result<Option<Me>, AppError> {
    crate::platform::serve(|ctx| async move { super::service::session_user(&ctx).await }).await
}

/// Updates the caller's display name, language and theme.
#[server(prefix = "/api", endpoint = "auth/profile", input = Json, output = Json)]
pub async fn update_profile(
    display_name: String,
    locale: String,
    theme: String,
) -> Result<Me, AppError> {
    let input = super::ProfileInput {
        display_name,
        locale,
        theme,
    };
    crate::platform::serve(|ctx| async move { super::account::update_profile(&ctx, input).await })
        .await
}

/// Changes the caller's password; every other session ends.
#[server(prefix = "/api", endpoint = "auth/password", input = Json, output = Json)]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let input = super::PasswordInput {
        current_password,
        new_password,
    };
    crate::platform::serve(|ctx| async move {
        let session = crate::sessions::service::current().ok();
        super::account::change_password(&ctx, session.as_ref(), input).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::auth::{LoginInput, Me, PasswordInput, ProfileInput};
    use crate::error::AppError;

    #[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginInput,
        responses((status = 200, description = "Signed in; sets the session cookie", body = Me),
            (status = 401, description = "Wrong email or password (one generic message), or 2FA code required/invalid", body = AppError),
            (status = 403, description = "Called with an API token: a token never starts a session", body = AppError),
            (status = 422, description = "Malformed email", body = AppError),
            (status = 429, description = "Throttled; see Retry-After", body = AppError)))]
    pub fn openapi_login() {}

    #[utoipa::path(post, path = "/api/auth/login/totp", tag = "auth", request_body = crate::twofa::CodeInput,
        responses((status = 200, description = "Signed in; sets the session cookie", body = Me),
            (status = 400, description = "No SSO sign-in is waiting for a code in this session", body = AppError),
            (status = 401, description = "Wrong code", body = AppError),
            (status = 429, description = "Throttled; see Retry-After", body = AppError)))]
    pub fn openapi_login_totp() {}

    #[utoipa::path(post, path = "/api/auth/logout", tag = "auth", responses((status = 200, description = "Signed out")))]
    pub fn openapi_logout() {}

    #[utoipa::path(get, path = "/api/auth/me", tag = "auth",
        responses((status = 200, body = Me), (status = 401, body = AppError)))]
    pub fn openapi_me() {}

    #[utoipa::path(get, path = "/api/auth/session", tag = "auth",
        responses((status = 200, description = "The caller, or null when anonymous", body = Option<Me>)))]
    pub fn openapi_session_user() {}

    #[utoipa::path(post, path = "/api/auth/profile", tag = "auth", request_body = ProfileInput,
        responses((status = 200, body = Me), (status = 401, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_update_profile() {}

    #[utoipa::path(post, path = "/api/auth/password", tag = "auth", request_body = PasswordInput,
        responses((status = 200, description = "Changed; other sessions ended"), (status = 401, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_change_password() {}

    crate::server_parts!(
        paths(
            openapi_login,
            openapi_login_totp,
            openapi_logout,
            openapi_me,
            openapi_session_user,
            openapi_update_profile,
            openapi_change_password
        ),
        bodies(
            super::Login,
            super::LoginTotp,
            super::UpdateProfile,
            super::ChangePassword
        ),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
