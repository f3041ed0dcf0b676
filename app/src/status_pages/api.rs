//! Server functions of the status pages: the editor's (`/api/status-pages…`,
//! `status_pages:manage`) and the public read (`/api/status/page`, anyone).
// `save_status_page` takes the fields of its JSON body; `#[server]` does
// not pass an `allow` on the function to the browser's copy.
#![allow(clippy::too_many_arguments)]
use super::{ComponentInput, PublicStatus, StatusPageView, StatusPages};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// Every status page.
#[server(prefix = "/api", endpoint = "status-pages", input = GetUrl, output = Json)]
pub async fn list_status_pages() -> Result<StatusPages, AppError> {
    crate::platform::serve(|ctx| async move { super::service::list(&ctx).await }).await
}

/// Creates a status page, or updates page `id`.
#[server(prefix = "/api", endpoint = "status-pages", input = Json, output = Json)]
pub async fn save_status_page(
    #[server(default)] id: Option<i32>,
    slug: String,
    title: String,
    #[server(default)] description: String,
    components: Vec<ComponentInput>,
    #[server(default)] logo: Option<String>,
) -> Result<StatusPageView, AppError> {
    let input = super::StatusPageInput {
        id,
        slug,
        title,
        description,
        components,
        logo,
    };
    crate::platform::serve(|ctx| async move { super::service::save(&ctx, input).await }).await
}

/// Deletes a status page.
#[server(prefix = "/api", endpoint = "status-pages/delete", input = Json, output = Json)]
pub async fn delete_status_page(id: i32) -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move { super::service::delete(&ctx, id).await }).await
}

/// What the public page at `slug` shows; no sign-in needed.
#[server(prefix = "/api", endpoint = "status/page", input = GetUrl, output = Json)]
pub async fn get_status_page(slug: String) -> Result<PublicStatus, AppError> {
    crate::platform::serve(|ctx| async move {
        super::public::status(ctx.db(), &slug, chrono::Utc::now())
            .await?
            .ok_or_else(AppError::not_found)
    })
    .await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::platform::IdInput;
    use crate::status_pages::{PublicStatus, StatusPageInput, StatusPageView, StatusPages};

    #[utoipa::path(get, path = "/api/status-pages", tag = "status pages",
        responses((status = 200, description = "Every page, and the monitors a component may show", body = StatusPages), (status = 401, body = AppError), (status = 403, body = AppError)))]
    pub fn openapi_list_status_pages() {}

    #[utoipa::path(post, path = "/api/status-pages", tag = "status pages", request_body = StatusPageInput,
        responses((status = 200, body = StatusPageView), (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 409, description = "The slug names another page", body = AppError),
            (status = 422, description = "Invalid fields, an unknown monitor, a logo that is not a PNG, JPEG or WebP under 100 KB", body = AppError)))]
    pub fn openapi_save_status_page() {}

    #[utoipa::path(post, path = "/api/status-pages/delete", tag = "status pages", request_body = IdInput,
        responses((status = 200), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_delete_status_page() {}

    #[utoipa::path(get, path = "/api/status/page", tag = "status pages", params(("slug" = String, Query)),
        responses((status = 200, description = "Components with 90 days of uptime, incidents and maintenance; no sign-in", body = PublicStatus),
            (status = 404, description = "No page of that slug", body = AppError)))]
    pub fn openapi_public_status() {}

    crate::server_parts!(
        paths(
            openapi_list_status_pages,
            openapi_save_status_page,
            openapi_delete_status_page,
            openapi_public_status
        ),
        bodies(super::SaveStatusPage, super::DeleteStatusPage),
        migrations(crate::status_pages::migration::Migration),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
