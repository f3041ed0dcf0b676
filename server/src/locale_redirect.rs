//! Canonical page URLs before Leptos renders: `/fr/` → `/fr`, `/en/x` → `/x`,
//! and a first visit without a locale prefix goes to the language of the
//! `dihya_lang` cookie or of Accept-Language. Done here rather than by the
//! router because a streamed page cannot change its status afterwards.
use app::i18n::Locale;
use app::i18n_support::{from_headers, localized_path, split_locale};
use axum::{body::Body, extract::Request, response::Response};
use http::{HeaderValue, Method, StatusCode, header};

/// Paths that are pages (not API, probes or files).
fn is_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    !last.contains('.')
        && !path.starts_with("/api/")
        && !crate::is_static_asset(path)
        && !crate::is_probe(path)
        // The Prometheus exposition is read by machines, in no language.
        && path != "/metrics"
}

fn redirect(status: StatusCode, to: String) -> Response {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(&to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut().insert(
        header::VARY,
        HeaderValue::from_static("Cookie, Accept-Language"),
    );
    res
}

/// `to` as a path on this site: leading slashes and backslashes collapse
/// into one, because `//host` and `/\host` in `Location` send browsers to
/// another host (an open redirect).
fn local(to: &str) -> String {
    format!("/{}", to.trim_start_matches(['/', '\\']))
}

/// Where a page request should go instead, if anywhere.
pub fn target(path: &str, headers: &http::HeaderMap) -> Option<(StatusCode, String)> {
    // `/fr/` → `/fr`, `/en/docs` → `/docs` (English lives at the root).
    let canonical = if path.len() > 1 && path.ends_with('/') {
        Some(path.trim_end_matches('/'))
    } else {
        path.strip_prefix("/en")
            .filter(|r| r.is_empty() || r.starts_with('/'))
    };
    if let Some(to) = canonical {
        return Some((StatusCode::PERMANENT_REDIRECT, local(to)));
    }
    let (prefix, _) = split_locale(path);
    if prefix.is_none() {
        let preferred = from_headers(headers);
        if preferred != Locale::default() {
            return Some((StatusCode::FOUND, localized_path(preferred, &local(path))));
        }
    }
    None
}

/// The redirect a page request needs, if any.
pub fn redirect_for(req: &Request) -> Option<Response> {
    let path = req.uri().path();
    let is_read = req.method() == Method::GET || req.method() == Method::HEAD;
    if !is_read || !is_page(path) {
        return None;
    }
    let (status, mut to) = target(path, req.headers())?;
    if let Some(q) = req.uri().query() {
        to = format!("{to}?{q}");
    }
    Some(redirect(status, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(pairs: &[(&str, &str)]) -> http::HeaderMap {
        let mut m = http::HeaderMap::new();
        for (k, v) in pairs {
            m.insert(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        m
    }

    #[test]
    fn canonical_forms() {
        let none = h(&[]);
        assert_eq!(
            target("/fr/", &none),
            Some((StatusCode::PERMANENT_REDIRECT, "/fr".into()))
        );
        assert_eq!(
            target("/en/docs", &none),
            Some((StatusCode::PERMANENT_REDIRECT, "/docs".into()))
        );
        assert_eq!(
            target("/en", &none),
            Some((StatusCode::PERMANENT_REDIRECT, "/".into()))
        );
        assert_eq!(target("/docs", &none), None);
        assert_eq!(
            target("/fr/docs", &h(&[("cookie", "dihya_lang=ar")])),
            None,
            "explicit prefix wins"
        );
        assert_eq!(
            target("/docs", &h(&[("accept-language", "kab")])),
            Some((StatusCode::FOUND, "/kab/docs".into()))
        );
        assert_eq!(
            target("/", &h(&[("cookie", "dihya_lang=zgh")])),
            Some((StatusCode::FOUND, "/zgh".into()))
        );
        assert!(!is_page("/pkg/dihya.js") && !is_page("/api/system") && !is_page("/favicon.svg"));
    }

    #[test]
    fn no_redirect_leaves_the_site() {
        let none = h(&[]);
        for path in [
            "//evil.example/",
            "/en//evil.example",
            "/\\evil.example/",
            "///evil.example/",
            "/en/\\/evil.example",
        ] {
            let (_, to) = target(path, &none).unwrap();
            assert!(
                to.starts_with('/') && !to.starts_with("//") && !to.starts_with("/\\"),
                "{path} -> {to}"
            );
        }
        let (_, to) = target("//evil.example", &h(&[("accept-language", "fr")])).unwrap();
        assert_eq!(to, "/fr/evil.example");
    }
}
