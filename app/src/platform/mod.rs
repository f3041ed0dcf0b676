//! Cross-cutting building blocks: permissions (shared with the browser) and,
//! on the server, database, migrations, secrets, audit, request context and
//! the helper every server function uses to reply.
pub mod permission;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod ctx;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod migrations;
#[cfg(feature = "ssr")]
pub mod secrets;

#[cfg(feature = "ssr")]
pub use ctx::{AppState, AuthMethod, ClientInfo, Ctx, Need, Principal};
pub use permission::Permission;

/// Thin server functions end with this: on error it sets the HTTP status of
/// the response from the error code, so every route maps errors one way.
#[cfg(feature = "ssr")]
pub fn reply<T>(result: Result<T, crate::error::AppError>) -> Result<T, crate::error::AppError> {
    if let Err(err) = &result {
        crate::i18n_support::set_response_status(err.status());
        if let (Some(secs), Some(opts)) = (
            err.error.retry_after,
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        ) {
            opts.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
        }
    }
    result
}

/// Timestamps on the wire: RFC 3339, whole seconds, `Z`.
#[cfg(feature = "ssr")]
pub fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// At most `max` characters of `s` (for bounded columns: IP, user agent).
#[cfg(feature = "ssr")]
pub fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// The highest page number any list serves: far past any real list, and
/// small enough that `(page - 1) * per_page` cannot overflow.
pub const MAX_PAGE: u64 = 1_000_000;

/// A requested page number, 1-based, clamped to `1..=MAX_PAGE`.
pub fn clamp_page(page: Option<u64>) -> u64 {
    page.unwrap_or(1).clamp(1, MAX_PAGE)
}
