//! Cross-cutting building blocks: permissions (shared with the browser) and,
//! on the server, database, migrations, secrets, audit, request context and
//! the helper every server function uses to reply.
pub mod domain;
pub mod page;
pub mod permission;
pub mod severity;

#[cfg(feature = "ssr")]
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod ctx;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod jobs;
#[cfg(feature = "ssr")]
pub mod markdown;
#[cfg(feature = "ssr")]
pub mod matchers;
#[cfg(feature = "ssr")]
pub mod meta;
#[cfg(feature = "ssr")]
pub mod migrations;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod ssh;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
mod throttle_entity;

#[cfg(feature = "ssr")]
pub use ctx::{AppState, AuthMethod, AuthSettings, ClientInfo, Ctx, Need, Principal};
pub use domain::{Domain, NavEntry};
pub use page::{Direction, Page};
pub use permission::Permission;
pub use severity::Severity;

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

/// The body of every server function: builds the request's [`Ctx`], runs
/// the service call and maps its error onto the response ([`reply`]).
///
/// ```ignore
/// serve(|ctx| async move { super::service::list(&ctx, query).await }).await
/// ```
#[cfg(feature = "ssr")]
pub async fn serve<T, F, Fut>(body: F) -> Result<T, crate::error::AppError>
where
    F: FnOnce(Ctx) -> Fut,
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>>,
{
    let result = match Ctx::from_request() {
        Ok(ctx) => body(ctx).await,
        Err(err) => Err(err),
    };
    reply(result)
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

/// Lower-case hexadecimal of `bytes` (hashes, handles, random tokens).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// `{"id": n}`: the body of actions on one record.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IdInput {
    pub id: i32,
}
