//! Plain axum routes beside the Leptos app: probes, sitemap, robots.txt and
//! the OpenAPI document.
use crate::state::ServerState;
use app::i18n::I18nLocaleTrait;
use app::i18n_support::{all_locales, localized_path};
use app::platform::db;
use axum::{
    Json,
    extract::{Path, State},
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

/// Every public page in every locale, each with its `xhtml:link`
/// alternates: the domains' pages, then `extra` (the status pages).
pub fn sitemap_xml(origin: &str, extra: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    let mut paths: Vec<&str> = Vec::new();
    for p in app::domains::sitemap() {
        paths.push(p);
    }
    paths.extend(extra.iter().map(String::as_str));
    for path in paths {
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
    // A database hiccup leaves the status pages out rather than failing
    // the whole sitemap.
    let status: Vec<String> = app::status_pages::service::slugs(&state.app.db)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|slug| format!("/status/{slug}"))
        .collect();
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        sitemap_xml(&state.app.public_url, &status),
    )
}

/// `GET /status/{slug}/feed.atom`: the page's incidents as an Atom feed,
/// in `?lang=` (English by default); 404 for an unknown page.
pub async fn status_feed(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    let locale = query
        .as_deref()
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang=")))
        .and_then(app::i18n_support::parse_locale)
        .unwrap_or(app::i18n::Locale::en);
    let now = chrono::Utc::now();
    match app::status_pages::public::status(&state.app.db, &slug, now).await {
        Ok(Some(s)) => (
            [
                (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=60"),
            ],
            app::status_pages::feed::atom(&s, &state.app.public_url, locale),
        )
            .into_response(),
        Ok(None) => crate::api_errors::json_error(app::error::ErrorCode::NotFound, &headers),
        Err(e) => crate::api_errors::json_error(e.error.code, &headers),
    }
}

/// `GET /status/{slug}/logo`: the page's logo, as the media type its bytes
/// were checked to be; 404 without one.
pub async fn status_logo(
    State(state): State<ServerState>,
    Path(slug): Path<String>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    match app::status_pages::service::logo(&state.app.db, &slug).await {
        Ok(Some((bytes, media))) => (
            [
                (header::CONTENT_TYPE, media),
                (header::CACHE_CONTROL, "public, max-age=300".to_string()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => crate::api_errors::json_error(app::error::ErrorCode::NotFound, &headers),
        Err(e) => crate::api_errors::json_error(e.error.code, &headers),
    }
}

pub async fn robots(State(state): State<ServerState>) -> impl IntoResponse {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /app/\nDisallow: /setup/\nDisallow: /login\nDisallow: /auth/\n\nSitemap: {}/sitemap.xml\n",
        state.app.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body)
}

/// One locale's strings, as a page carries them (`app::i18n_table`): the
/// browser fetches them to switch language in place. 404 for a file that
/// names no locale.
pub async fn i18n_strings(Path(file): Path<String>) -> axum::response::Response {
    let locale = file
        .strip_suffix(".json")
        .and_then(app::i18n_support::parse_locale);
    match locale {
        Some(l) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                // Small, and fetched only on a switch: always fresh, so a
                // new version's strings never meet an old page.
                (header::CACHE_CONTROL, "no-cache"),
            ],
            app::i18n_table::json(l),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The routes that are not server functions or pages, each with the method
/// the route × role matrix calls it with (its main one). The matrix test
/// reads this list, so a new route cannot skip it.
pub fn plain() -> Vec<(
    &'static str,
    &'static str,
    axum::routing::MethodRouter<ServerState>,
)> {
    use axum::routing::get;
    vec![
        ("/healthz", "GET", get(healthz)),
        ("/readyz", "GET", get(readyz)),
        ("/sitemap.xml", "GET", get(sitemap)),
        ("/robots.txt", "GET", get(robots)),
        ("/i18n/{file}", "GET", get(i18n_strings)),
        ("/api/openapi.json", "GET", get(openapi)),
        ("/api/audit/export", "GET", get(audit_export)),
        ("/api/events", "GET", get(crate::events_route::stream)),
        ("/api/push/{token}", "GET", get(push).post(push)),
        ("/status/{slug}/feed.atom", "GET", get(status_feed)),
        ("/status/{slug}/logo", "GET", get(status_logo)),
        (
            "/api/integrations/alertmanager",
            "POST",
            axum::routing::post(alertmanager),
        ),
        ("/metrics", "GET", get(crate::metrics_route::metrics)),
        (
            "/api/prometheus/targets",
            "GET",
            get(crate::metrics_route::targets),
        ),
        (
            app::sso::service::START_PATH,
            "GET",
            get(crate::sso_routes::start),
        ),
        (
            app::sso::service::CALLBACK_PATH,
            "GET",
            get(crate::sso_routes::callback),
        ),
    ]
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dihya Ops API",
        description = "REST API of Dihya Ops. Errors are {\"error\": {\"code\", \"message\", \"fields\"}}.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(app::error::AppError, app::error::ErrorBody, app::error::ErrorCode)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// Declares the two ways to authenticate in the OpenAPI document.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// `GET /api/audit/export`: built by the audit slice (`app::audit::download`).
pub async fn audit_export(
    State(state): State<ServerState>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let ctx = crate::auth_layer::ctx_of(&state.app, &req);
    match app::audit::download::download(&ctx, req.uri()) {
        Ok(response) => response,
        Err(e) => crate::api_errors::json_error_with(
            e.error.code,
            e.error.code.default_message(),
            req.headers(),
        ),
    }
}

/// A heartbeat monitor's target calls its secret URL (GET or POST, any
/// body): 200 when the token names a heartbeat monitor, 404 otherwise.
pub async fn push(
    State(state): State<ServerState>,
    axum::extract::Path(token): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    match app::monitoring::service::beat(&state.app.db, &token).await {
        Ok(true) => Json(serde_json::json!({ "ok": true })).into_response(),
        Ok(false) => crate::api_errors::json_error(app::error::ErrorCode::NotFound, &headers),
        Err(e) => {
            tracing::warn!(error = %e.error.message, "heartbeat not recorded");
            crate::api_errors::json_error(e.error.code, &headers)
        }
    }
}

/// `POST /api/integrations/alertmanager`: Alertmanager's webhook, for a
/// caller with `alerts:ingest` (`app::alerts::receiver`). A body that is
/// not the webhook's JSON is a 400.
pub async fn alertmanager(
    State(state): State<ServerState>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let ctx = crate::auth_layer::ctx_of(&state.app, &req);
    let headers = req.headers().clone();
    if let Err(e) = ctx.require(app::platform::Permission::AlertsIngest) {
        return crate::api_errors::json_error(e.error.code, &headers);
    }
    let body = match axum::body::to_bytes(req.into_body(), 4 << 20).await {
        Ok(b) => b,
        Err(_) => {
            return crate::api_errors::json_error(app::error::ErrorCode::PayloadTooLarge, &headers);
        }
    };
    let hook = match serde_json::from_slice(&body) {
        Ok(h) => h,
        Err(_) => {
            return crate::api_errors::json_error_with(
                app::error::ErrorCode::BadRequest,
                app::error::MsgKey::MalformedJson,
                &headers,
            );
        }
    };
    match app::alerts::receiver::ingest(&ctx, hook).await {
        Ok(out) => Json(out).into_response(),
        Err(e) => {
            let status = http::StatusCode::from_u16(e.status())
                .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            (
                status,
                [(http::header::CONTENT_TYPE, "application/json")],
                e.to_json(),
            )
                .into_response()
        }
    }
}

/// The document: its header (`ApiDoc`) with every domain's paths.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    app::domains::openapi(ApiDoc::openapi())
}

pub async fn openapi() -> impl IntoResponse {
    Json(openapi_document())
}
