//! Cache of rendered public pages. They are the same for every anonymous
//! visitor of a given locale and theme, so after the first render the HTML is
//! served from memory; only the CSP nonce differs per response, so the page
//! is stored split around it and joined with the new nonce on the way out.
use app::i18n_support::{LANG_COOKIE, cookie_value, split_locale};
use axum::{body::Body, extract::Request, middleware::Next, response::Response};
use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode, header};
use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

const MAX_ENTRIES: usize = 512;
const MAX_PAGE_BYTES: usize = 512 * 1024;

/// A rendered page split around its nonce occurrences.
type Template = Arc<[Bytes]>;

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, Template>>,
}

fn split_template(html: &[u8], nonce: &str) -> Template {
    let mut parts = Vec::new();
    let (mut rest, n) = (html, nonce.as_bytes());
    while let Some(i) = rest.windows(n.len()).position(|w| w == n) {
        parts.push(Bytes::copy_from_slice(&rest[..i]));
        rest = &rest[i + n.len()..];
    }
    parts.push(Bytes::copy_from_slice(rest));
    parts.into()
}

fn fill_template(parts: &[Bytes], nonce: &str) -> Vec<u8> {
    let len = parts.iter().map(Bytes::len).sum::<usize>() + nonce.len() * parts.len();
    let mut out = Vec::with_capacity(len);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(nonce.as_bytes());
        }
        out.extend_from_slice(part);
    }
    out
}

/// Only pages whose HTML depends on nothing but locale and theme.
fn cacheable_path(path: &str) -> bool {
    let (_, rest) = split_locale(path);
    app::domains::is_cacheable(&rest)
}

fn key(req: &Request) -> Option<String> {
    if req.method() != Method::GET
        || req.uri().query().is_some()
        || req.headers().contains_key(header::AUTHORIZATION)
        || !cacheable_path(req.uri().path())
    {
        return None;
    }
    // Every Cookie header, as the session layer reads them all: a session
    // cookie in a second header must not go unseen here.
    let mut cookies = String::new();
    for value in req.headers().get_all(header::COOKIE) {
        // A header we cannot read may hold anything: not anonymous.
        let value = value.to_str().ok()?;
        if !cookies.is_empty() {
            cookies.push_str("; ");
        }
        cookies.push_str(value);
    }
    // Any cookie we do not know (a session, say) makes the page personal.
    let known = ["dihya_theme", LANG_COOKIE];
    if cookies
        .split(';')
        .filter(|kv| !kv.trim().is_empty())
        .any(|kv| {
            kv.split_once('=')
                .is_none_or(|(k, _)| !known.contains(&k.trim()))
        })
    {
        return None;
    }
    // The language is fixed by the URL prefix: an unprefixed page that is
    // not English was already redirected (locale_redirect), so the key needs
    // only the path and the theme. At most pages × locales × 3 entries.
    let theme = match cookie_value(&cookies, "dihya_theme") {
        Some("dark") => "dark",
        Some("light") => "light",
        _ => "",
    };
    Some(format!("{}|{theme}", req.uri().path()))
}

/// Only a plain 200 HTML page meant for everyone is stored: never one that
/// sets a cookie or that the app marked private (a signed-in page).
fn storable(res: &Response) -> bool {
    let h = res.headers();
    let is_html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let private = h.get_all(header::CACHE_CONTROL).iter().any(|v| {
        v.to_str()
            .map(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("private") || v.contains("no-store")
            })
            .unwrap_or(true)
    });
    res.status() == StatusCode::OK && is_html && !private && !h.contains_key(header::SET_COOKIE)
}

fn html_response(body: Vec<u8>) -> Response {
    let mut res = Response::new(Body::from(body));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}

/// Pages: canonical locale redirects first, then the cache; anything else
/// goes on to `next`. `nonce` is the request's CSP nonce.
pub async fn serve(cache: &PageCache, req: Request, nonce: &str, next: Next) -> Response {
    if let Some(redirect) = crate::locale_redirect::redirect_for(&req) {
        return redirect;
    }
    let Some(key) = key(&req) else {
        return next.run(req).await;
    };
    let hit = cache.pages.read().ok().and_then(|p| p.get(&key).cloned());
    if let Some(parts) = hit {
        return html_response(fill_template(&parts, nonce));
    }
    let res = next.run(req).await;
    if !storable(&res) || nonce.is_empty() {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        let mut err = Response::new(Body::empty());
        *err.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        return err;
    };
    let template = split_template(&bytes, nonce);
    if let Ok(mut pages) = cache.pages.write() {
        if pages.len() >= MAX_ENTRIES {
            pages.clear();
        }
        pages.insert(key, template);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(path: &str, cookies: &[&str]) -> Request {
        let mut b = http::Request::get(path);
        for c in cookies {
            b = b.header(header::COOKIE, *c);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn every_cookie_header_is_read() {
        assert!(key(&get("/docs", &[])).is_some());
        assert!(key(&get("/docs", &["dihya_lang=en; dihya_theme=dark"])).is_some());
        assert!(key(&get("/docs", &["dihya_lang=en", "dihya_session=abc"])).is_none());
        assert!(key(&get("/docs", &["dihya_session=abc", "dihya_lang=en"])).is_none());
        assert!(key(&get("/docs", &["garbage"])).is_none());
        assert_eq!(
            key(&get("/docs", &["dihya_lang=en", "dihya_theme=dark"])),
            Some("/docs|dark".into())
        );
    }

    #[test]
    fn only_public_200_html_is_storable() {
        let page = || {
            let mut r = html_response(b"<p>x</p>".to_vec());
            *r.status_mut() = StatusCode::OK;
            r
        };
        assert!(storable(&page()));
        let mut private = page();
        private.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        assert!(!storable(&private));
        let mut cookie = page();
        cookie
            .headers_mut()
            .insert(header::SET_COOKIE, HeaderValue::from_static("a=b"));
        assert!(!storable(&cookie));
        let mut missing = page();
        *missing.status_mut() = StatusCode::NOT_FOUND;
        assert!(!storable(&missing));
    }

    #[test]
    fn template_round_trips_with_a_new_nonce() {
        let html = b"<script nonce=\"AAA\">x</script><p>AAA</p>";
        let parts = split_template(html, "AAA");
        assert_eq!(parts.len(), 3);
        assert_eq!(
            fill_template(&parts, "BBB"),
            b"<script nonce=\"BBB\">x</script><p>BBB</p>"
        );
        assert_eq!(fill_template(&split_template(b"none", "AAA"), "B"), b"none");
    }
}
