//! Server functions of the public pages.
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// One page of the user guide as HTML, for the browser to show it after a
/// move inside the app (the first view of a page is rendered on the server).
#[server(prefix = "/api", endpoint = "docs/guide", input = GetUrl, output = Json)]
pub async fn get_guide_page(slug: String) -> Result<String, AppError> {
    use crate::platform::reply;
    reply(
        super::guide::html(&slug)
            .map(str::to_string)
            .ok_or_else(AppError::not_found),
    )
}

#[cfg(feature = "ssr")]
#[utoipa::path(
    get,
    path = "/api/docs/guide",
    tag = "docs",
    params(("slug" = String, Query, description = "`getting-started`, `configuration`, `servers` or `api`")),
    responses(
        (status = 200, description = "The guide page as HTML, in a JSON string", body = String),
        (status = 404, description = "No guide page of that name", body = AppError)
    )
)]
pub fn openapi_get_guide_page() {}

crate::server_parts!(paths(openapi_get_guide_page),);
