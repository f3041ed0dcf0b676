//! Server functions of the `sessions` domain (paths under `/api/auth/`,
//! where they were first published).
use super::SessionView;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(prefix = "/api", endpoint = "auth/sessions", input = GetUrl, output = Json)]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    crate::platform::serve(|ctx| async move { super::service::list_own(&ctx).await }).await
}

#[server(prefix = "/api", endpoint = "auth/sessions/revoke", input = Json, output = Json)]
pub async fn revoke_session(id: String) -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move { super::service::revoke_own(&ctx, &id).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::sessions::{SessionHandle, SessionView};

    #[utoipa::path(get, path = "/api/auth/sessions", tag = "auth",
        responses((status = 200, description = "The caller's sessions", body = [SessionView]), (status = 401, body = AppError)))]
    pub fn openapi_list_sessions() {}

    #[utoipa::path(post, path = "/api/auth/sessions/revoke", tag = "auth", request_body = SessionHandle,
        responses((status = 200, description = "Revoked"), (status = 404, body = AppError)))]
    pub fn openapi_revoke_session() {}

    crate::server_parts!(
        paths(openapi_list_sessions, openapi_revoke_session),
        bodies(super::RevokeSession),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
