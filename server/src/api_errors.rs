//! Errors produced outside server functions (unknown API route, body too
//! large, timeout, wrong method) get the same localized JSON body as
//! everything else under `/api`.
use app::error::{AppError, ErrorCode, MsgKey};
use app::i18n_support::from_headers;
use axum::{body::Body, response::Response};
use http::{HeaderMap, HeaderValue, StatusCode, header};

pub fn json_error(code: ErrorCode, headers: &HeaderMap) -> Response {
    json_error_with(code, code.default_message(), headers)
}

/// As [`json_error`], with a more specific message.
pub fn json_error_with(code: ErrorCode, key: MsgKey, headers: &HeaderMap) -> Response {
    let err = AppError::with_locale(code, key, from_headers(headers));
    let mut res = Response::new(Body::from(err.to_json()));
    *res.status_mut() =
        StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

fn code_for(status: StatusCode) -> Option<ErrorCode> {
    Some(match status.as_u16() {
        400 => ErrorCode::BadRequest,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        408 => ErrorCode::Timeout,
        413 => ErrorCode::PayloadTooLarge,
        415 | 422 => ErrorCode::BadRequest,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::Unavailable,
        500..=599 => ErrorCode::Internal,
        _ => return None,
    })
}

/// Rewrites a non-JSON error response of an `/api/` request as JSON.
pub fn normalize(headers: &HeaderMap, res: Response) -> Response {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    match code_for(res.status()) {
        Some(code) if !is_json => {
            let mut out = json_error(code, headers);
            // Keep the real status (405 stays 405) and headers like Retry-After / Allow.
            *out.status_mut() = res.status();
            for name in [header::RETRY_AFTER, header::ALLOW] {
                if let Some(v) = res.headers().get(&name) {
                    out.headers_mut().insert(name, v.clone());
                }
            }
            out
        }
        _ => res,
    }
}
