//! Server functions of the `system` domain.
use super::SystemInfo;
use crate::error::AppError;
use leptos::prelude::*;

/// Public facts about this instance.
#[server(prefix = "/api", endpoint = "system", input = server_fn::codec::GetUrl, output = server_fn::codec::Json)]
pub async fn get_system() -> Result<SystemInfo, AppError> {
    crate::platform::serve(|ctx| async move { super::service::info(&ctx).await }).await
}

/// OpenAPI description of [`get_system`] (kept beside the function it documents).
#[cfg(feature = "ssr")]
#[utoipa::path(
    get,
    path = "/api/system",
    tag = "system",
    responses((status = 200, description = "Version, database backend, uptime and modules", body = SystemInfo))
)]
pub fn openapi_get_system() {}

crate::server_parts!(paths(openapi_get_system),);
