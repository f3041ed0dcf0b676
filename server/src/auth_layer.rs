//! Who is calling: resolves the session cookie or bearer token into a
//! `Principal` for the request (server functions read it through `Ctx`), and
//! refuses cross-site requests that would ride on the session cookie.
use crate::api_errors::json_error_with;
use crate::client_ip::ClientIp;
use app::error::{ErrorCode, MsgKey};
use app::platform::{AppState, ClientInfo};
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::Response,
};
use http::{HeaderMap, HeaderValue, Method, header};
use std::{net::SocketAddr, sync::Arc};
use tower_sessions::Session;

pub struct AuthLayer {
    pub app: AppState,
    /// `scheme://host[:port]` of `DIHYA_PUBLIC_URL`.
    pub public_origin: String,
    pub cookie_name: &'static str,
}

/// The context of a plain route (not a server function) from the extensions
/// this middleware set.
pub fn ctx_of(app: &AppState, req: &Request) -> app::platform::Ctx {
    app::platform::Ctx {
        state: app.clone(),
        principal: req.extensions().get::<app::platform::Principal>().cloned(),
        client: req
            .extensions()
            .get::<ClientInfo>()
            .cloned()
            .unwrap_or_default(),
    }
}

fn header_str(h: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

fn has_cookie(h: &HeaderMap, name: &str) -> bool {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|kv| kv.trim().split_once('=').is_some_and(|(k, _)| k == name))
}

/// A state-changing request is same-site when the browser says so
/// (`Sec-Fetch-Site`) or its `Origin` is ours. A request with neither header
/// comes from a non-browser client; it passes only without the session
/// cookie, as then it carries no ambient authority to abuse.
pub fn same_site(h: &HeaderMap, public_origin: &str, cookie_name: &str) -> bool {
    if let Some(site) = header_str(h, header::HeaderName::from_static("sec-fetch-site")) {
        return matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = header_str(h, header::ORIGIN) {
        let host_origin = header_str(h, header::HOST).map(|host| {
            let scheme = public_origin.split("://").next().unwrap_or("http");
            format!("{scheme}://{host}")
        });
        return origin == public_origin || host_origin.as_deref() == Some(origin);
    }
    !has_cookie(h, cookie_name)
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub async fn authenticate(
    State(layer): State<Arc<AuthLayer>>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if crate::is_static_asset(path) || crate::is_probe(path) {
        return next.run(req).await;
    }
    let h = req.headers();
    let client = ClientInfo {
        ip: req
            .extensions()
            .get::<ClientIp>()
            .map(|c| c.0.to_string())
            .or_else(|| {
                req.extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map(|c| c.0.ip().to_string())
            }),
        user_agent: header_str(h, header::USER_AGENT).map(|s| s.chars().take(256).collect()),
    };
    let bearer = header_str(h, header::AUTHORIZATION)
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_string());
    let principal = match bearer {
        Some(token) => match app::tokens::service::resolve_bearer(&layer.app, &token).await {
            Ok(p) => Some(p),
            Err(e) => return json_error_with(e.error.code, e.error.code.default_message(), h),
        },
        None => {
            if !is_safe(req.method()) && !same_site(h, &layer.public_origin, layer.cookie_name) {
                return json_error_with(ErrorCode::Forbidden, MsgKey::CrossSite, h);
            }
            match req.extensions().get::<Session>().cloned() {
                Some(session) if has_cookie(h, layer.cookie_name) => {
                    match app::auth::service::resolve_session(&layer.app, &session).await {
                        Ok(p) => p,
                        Err(e) => {
                            return json_error_with(
                                e.error.code,
                                e.error.code.default_message(),
                                h,
                            );
                        }
                    }
                }
                _ => None,
            }
        }
    };
    let personal = principal.is_some();
    req.extensions_mut().insert(client);
    if let Some(p) = principal {
        req.extensions_mut().insert(p);
    }
    let mut res = next.run(req).await;
    if personal {
        // Signed-in pages must never be stored by a shared cache.
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    const ORIGIN: &str = "http://127.0.0.1:3000";
    const COOKIE: &str = "dihya_session";

    #[test]
    fn browser_headers_decide() {
        assert!(same_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            ORIGIN,
            COOKIE
        ));
        assert!(!same_site(
            &headers(&[("sec-fetch-site", "cross-site"), ("origin", ORIGIN)]),
            ORIGIN,
            COOKIE
        ));
        assert!(!same_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            ORIGIN,
            COOKIE
        ));
        assert!(same_site(&headers(&[("origin", ORIGIN)]), ORIGIN, COOKIE));
        assert!(same_site(
            &headers(&[
                ("origin", "http://localhost:4000"),
                ("host", "localhost:4000")
            ]),
            ORIGIN,
            COOKIE
        ));
        assert!(!same_site(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            ORIGIN,
            COOKIE
        ));
        assert!(!same_site(&headers(&[("origin", "null")]), ORIGIN, COOKIE));
    }

    #[test]
    fn headerless_requests_pass_only_without_the_session_cookie() {
        assert!(same_site(&headers(&[]), ORIGIN, COOKIE));
        assert!(same_site(
            &headers(&[("cookie", "dihya_theme=dark")]),
            ORIGIN,
            COOKIE
        ));
        assert!(!same_site(
            &headers(&[("cookie", "dihya_theme=dark; dihya_session=abc")]),
            ORIGIN,
            COOKIE
        ));
    }
}
