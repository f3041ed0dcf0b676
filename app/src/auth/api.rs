//! Server functions of the `auth` domain.
use super::{Me, SessionView};
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
    use crate::platform::{Ctx, reply};
    reply(
        async {
            let input = super::LoginInput {
                email,
                password,
                totp,
            };
            super::service::login(
                &Ctx::from_request()?,
                &super::service::current_session()?,
                input,
            )
            .await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "auth/logout", input = Json, output = Json)]
pub async fn logout() -> Result<(), AppError> {
    use crate::platform::{Ctx, reply};
    reply(
        async {
            super::service::logout(&Ctx::from_request()?, &super::service::current_session()?).await
        }
        .await,
    )
}

/// The caller's account and permissions; 401 when anonymous.
#[server(prefix = "/api", endpoint = "auth/me", input = GetUrl, output = Json)]
pub async fn get_me() -> Result<Me, AppError> {
    use crate::platform::{Ctx, reply};
    reply(async { super::service::me(&Ctx::from_request()?).await }.await)
}

#[server(prefix = "/api", endpoint = "auth/sessions", input = GetUrl, output = Json)]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    use crate::platform::{Ctx, reply};
    reply(async { super::sessions::list_own(&Ctx::from_request()?).await }.await)
}

#[server(prefix = "/api", endpoint = "auth/sessions/revoke", input = Json, output = Json)]
pub async fn revoke_session(id: String) -> Result<(), AppError> {
    use crate::platform::{Ctx, reply};
    reply(async { super::sessions::revoke_own(&Ctx::from_request()?, &id).await }.await)
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::auth::{LoginInput, Me, SessionHandle, SessionView};
    use crate::error::AppError;

    #[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginInput,
        responses((status = 200, description = "Signed in; sets the session cookie", body = Me),
            (status = 401, description = "Wrong email or password (one generic message), or 2FA code required/invalid", body = AppError),
            (status = 422, description = "Malformed email", body = AppError),
            (status = 429, description = "Throttled; see Retry-After", body = AppError)))]
    #[allow(dead_code)]
    pub fn openapi_login() {}

    #[utoipa::path(post, path = "/api/auth/logout", tag = "auth", responses((status = 200, description = "Signed out")))]
    #[allow(dead_code)]
    pub fn openapi_logout() {}

    #[utoipa::path(get, path = "/api/auth/me", tag = "auth",
        responses((status = 200, body = Me), (status = 401, body = AppError)))]
    #[allow(dead_code)]
    pub fn openapi_me() {}

    #[utoipa::path(get, path = "/api/auth/sessions", tag = "auth",
        responses((status = 200, description = "The caller's sessions", body = [SessionView]), (status = 401, body = AppError)))]
    #[allow(dead_code)]
    pub fn openapi_list_sessions() {}

    #[utoipa::path(post, path = "/api/auth/sessions/revoke", tag = "auth", request_body = SessionHandle,
        responses((status = 200, description = "Revoked"), (status = 404, body = AppError)))]
    #[allow(dead_code)]
    pub fn openapi_revoke_session() {}
}
#[cfg(feature = "ssr")]
pub use openapi::*;
