//! Cache of rendered public pages. They are the same for every anonymous
//! visitor of a given locale and theme, so after the first render the HTML is
//! served from memory; only the CSP nonce differs per response, so it is
//! stored as a placeholder and substituted on the way out.
use app::CspNonce;
use app::i18n_support::{LANG_COOKIE, cookie_value, split_locale};
use axum::{
    body::Body,
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode, header};
use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

const NONCE_MARK: &str = "\u{1}DIHYA_NONCE\u{1}";
const MAX_ENTRIES: usize = 2048;
const MAX_PAGE_BYTES: usize = 512 * 1024;

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, Bytes>>,
}

/// Only pages whose HTML depends on nothing but locale and theme.
fn cacheable_path(path: &str) -> bool {
    let (_, rest) = split_locale(path);
    app::public_pages::CACHEABLE_PATHS.contains(&rest.as_str())
}

fn key(req: &Request) -> Option<String> {
    if req.method() != Method::GET
        || req.uri().query().is_some()
        || !cacheable_path(req.uri().path())
    {
        return None;
    }
    let h = req.headers();
    let cookies = h
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Any cookie we do not know (a session, later) makes the page personal.
    let known = ["dihya_theme", LANG_COOKIE];
    if cookies
        .split(';')
        .filter_map(|kv| kv.split_once('='))
        .any(|(k, _)| !known.contains(&k.trim()))
    {
        return None;
    }
    let lang = cookie_value(cookies, LANG_COOKIE).unwrap_or("");
    let theme = cookie_value(cookies, "dihya_theme").unwrap_or("");
    let accept = if lang.is_empty() {
        h.get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    } else {
        ""
    };
    if accept.len() > 200 {
        return None;
    }
    Some(format!("{}|{lang}|{theme}|{accept}", req.uri().path()))
}

fn html_response(body: String) -> Response {
    let mut res = Response::new(Body::from(body));
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}

pub async fn serve(State(cache): State<Arc<PageCache>>, req: Request, next: Next) -> Response {
    let Some(key) = key(&req) else {
        return next.run(req).await;
    };
    let nonce = req
        .extensions()
        .get::<CspNonce>()
        .map(|n| n.0.clone())
        .unwrap_or_default();
    let hit = cache.pages.read().ok().and_then(|p| p.get(&key).cloned());
    if let Some(page) = hit {
        let html = String::from_utf8_lossy(&page).replace(NONCE_MARK, &nonce);
        return html_response(html);
    }
    let res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if res.status() != StatusCode::OK || !is_html || nonce.is_empty() {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        let mut err = Response::new(Body::empty());
        *err.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        return err;
    };
    let html = String::from_utf8_lossy(&bytes);
    let template = Bytes::from(html.replace(&nonce, NONCE_MARK));
    if let Ok(mut pages) = cache.pages.write() {
        if pages.len() >= MAX_ENTRIES {
            pages.clear();
        }
        pages.insert(key, template);
    }
    Response::from_parts(parts, Body::from(bytes))
}
