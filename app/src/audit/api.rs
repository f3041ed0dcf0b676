//! Server functions of the `audit` domain. There is no route that edits or
//! deletes entries. The CSV/JSON export is `GET /api/audit/export` (a plain
//! route in the server crate, as it answers a file, calling the same service).
use super::AuditPage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

#[server(prefix = "/api", endpoint = "audit", input = GetUrl, output = Json)]
#[allow(clippy::too_many_arguments)]
pub async fn list_audit(
    #[server(default)] actor: Option<String>,
    #[server(default)] action: Option<String>,
    #[server(default)] result: Option<String>,
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
    #[server(default)] page: Option<u64>,
    #[server(default)] per_page: Option<u64>,
) -> Result<AuditPage, AppError> {
    let q = super::AuditQuery {
        actor,
        action,
        result,
        from,
        to,
        page,
        per_page,
    };
    crate::platform::serve(|ctx| async move { super::service::list(&ctx, q).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::audit::{AuditPage, AuditQuery};
    use crate::error::AppError;

    #[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
        responses((status = 200, body = AuditPage), (status = 401, body = AppError), (status = 403, body = AppError)))]
    pub fn openapi_list_audit() {}

    #[utoipa::path(get, path = "/api/audit/export", tag = "audit", params(AuditQuery, ("format" = String, Query, description = "csv or json")),
        responses((status = 200, description = "The filtered log as a CSV or JSON file"), (status = 401, body = AppError), (status = 403, body = AppError)))]
    pub fn openapi_export_audit() {}

    crate::server_parts!(
        paths(openapi_list_audit, openapi_export_audit),
        migrations(crate::audit::migration::Migration),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
