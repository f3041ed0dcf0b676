//! Plain axum routes beside the Leptos app: probes, sitemap, robots.txt and
//! the OpenAPI document.
use crate::state::ServerState;
use app::i18n::I18nLocaleTrait;
use app::i18n_support::{all_locales, localized_path};
use app::platform::db;
use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use utoipa::OpenApi;

/// Liveness: the process answers.
pub async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, Json(serde_json::json!({ "status": "ok" })))
}

/// Readiness: the database answers; 503 otherwise.
pub async fn readyz(State(state): State<ServerState>) -> impl IntoResponse {
    match db::ping(&state.app.db).await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready" })),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable" })),
            )
        }
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every public page in every locale, each with its `xhtml:link` alternates.
pub fn sitemap_xml(origin: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for path in app::public_pages::SITEMAP_PATHS {
        for locale in all_locales() {
            let loc = xml_escape(&format!("{origin}{}", localized_path(*locale, path)));
            out.push_str(&format!("  <url>\n    <loc>{loc}</loc>\n"));
            for alt in all_locales() {
                let href = xml_escape(&format!("{origin}{}", localized_path(*alt, path)));
                out.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{href}\"/>\n",
                    alt.as_str()
                ));
            }
            let default = xml_escape(&format!("{origin}{path}"));
            out.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{default}\"/>\n  </url>\n"
            ));
        }
    }
    out.push_str("</urlset>\n");
    out
}

pub async fn sitemap(State(state): State<ServerState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        sitemap_xml(&state.app.public_url),
    )
}

pub async fn robots(State(state): State<ServerState>) -> impl IntoResponse {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /app/\nDisallow: /setup/\nDisallow: /login\n\nSitemap: {}/sitemap.xml\n",
        state.app.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dihya Ops API",
        description = "REST API of Dihya Ops. Errors are {\"error\": {\"code\", \"message\", \"fields\"}}.",
        license(name = "AGPL-3.0-or-later")
    ),
    paths(
        app::system::api::openapi_get_system,
        app::setup::api::openapi_check_setup_token,
    ),
    components(schemas(app::error::AppError, app::error::ErrorBody, app::error::ErrorCode))
)]
pub struct ApiDoc;

pub async fn openapi() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}
