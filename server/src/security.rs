//! Security headers on every response, with a fresh CSP nonce per request
//! (applied by `edge`).
use axum::response::Response;
use http::{HeaderValue, header};

#[derive(Clone)]
pub struct SecurityConfig {
    pub hsts: bool,
    /// cargo-leptos hashed the build output, so `/pkg/*` may be cached forever.
    pub hashed_assets: bool,
}

/// 128 random bits, hex: unguessable and safe inside an HTML attribute.
pub fn new_nonce() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(32);
    for b in rand::random::<[u8; 16]>() {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

pub fn csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Security and cache headers on a response; `nonce` is the one the page
/// was rendered with.
pub fn apply_headers(cfg: &SecurityConfig, path: &str, nonce: &str, res: &mut Response) {
    // Room for every header added here at once, instead of growing the map
    // (and rehashing it) several times per response.
    res.headers_mut().reserve(8);
    set_cache_control(path, cfg.hashed_assets, res);
    let h = res.headers_mut();
    // From the String's own buffer: checked, not copied again.
    if let Ok(v) = HeaderValue::from_maybe_shared(bytes::Bytes::from(csp(nonce))) {
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
}

/// Cache policy by path: hashed build output is immutable, other static
/// files are cached briefly, pages are revalidated.
fn set_cache_control(path: &str, hashed_assets: bool, res: &mut Response) {
    if res.headers().contains_key(header::CACHE_CONTROL) || !res.status().is_success() {
        return;
    }
    let value = if path.starts_with("/pkg/") && hashed_assets {
        "public, max-age=31536000, immutable"
    } else if crate::is_static_asset(path) {
        "public, max-age=86400"
    } else if path.starts_with("/api/") {
        "no-store"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
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
