//! Security headers on every response, with a fresh CSP nonce per request.
use app::CspNonce;
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use http::{HeaderValue, header};
use std::sync::Arc;

#[derive(Clone)]
pub struct SecurityConfig {
    pub hsts: bool,
}

/// 128 random bits, hex: unguessable and safe inside an HTML attribute.
pub fn new_nonce() -> String {
    rand::random::<[u8; 16]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

pub async fn headers(
    State(cfg): State<Arc<SecurityConfig>>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = new_nonce();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp(&nonce)) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        ),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if cfg.hsts {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    res
}

/// Cache policy by path: hashed build output is immutable, other static
/// files are cached briefly, pages are revalidated.
pub async fn cache_control(hashed_assets: bool, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    if res.headers().contains_key(header::CACHE_CONTROL) || !res.status().is_success() {
        return res;
    }
    let value = if path.starts_with("/pkg/") && hashed_assets {
        "public, max-age=31536000, immutable"
    } else if path.starts_with("/pkg/")
        || path.starts_with("/fonts/")
        || path.starts_with("/motifs/")
    {
        "public, max-age=86400"
    } else if path.starts_with("/api/") {
        "no-store"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_has_nonce_and_strict_directives() {
        let n = new_nonce();
        assert_eq!(n.len(), 32);
        assert_ne!(n, new_nonce());
        let p = csp(&n);
        for d in [
            &format!("'nonce-{n}'"),
            "'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(p.contains(d), "{d} missing from {p}");
        }
        assert!(!p.contains("unsafe-inline"));
    }
}
