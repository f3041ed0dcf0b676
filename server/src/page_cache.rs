//! Cache of rendered public pages. They are the same for every anonymous
//! visitor of a given locale and theme, so after the first render the HTML is
//! served from memory; only the CSP nonce differs per response, so the page
//! is stored split around it and joined with the new nonce on the way out.
//!
//! Pages of live data (`app::domains::is_live`: the public status pages)
//! are served at most [`LIVE_FOR`] after they were rendered, and marked
//! stale as soon as the event bus says something they show changed
//! ([`follow_changes`]), so a visitor never sees a state older than that.
//! One request renders a stale or ageing copy again while the others are
//! still served it: a crowd arriving during an outage does not render the
//! page once per visitor.
use app::i18n_support::{LANG_COOKIE, cookie_value, split_locale};
use axum::{body::Body, extract::Request, middleware::Next, response::Response};
use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode, header};
use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, RwLock,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};
use tokio::sync::watch;

const MAX_ENTRIES: usize = 512;
const MAX_PAGE_BYTES: usize = 512 * 1024;

/// The longest a live page is served from memory.
pub const LIVE_FOR: Duration = Duration::from_secs(5);
/// From this age, the next request renders a live page again while the
/// others are still served this copy.
const REFRESH_AFTER: Duration = Duration::from_secs(4);

/// A rendered page split around its nonce occurrences.
type Template = Arc<[Bytes]>;

#[derive(Clone)]
struct Entry {
    parts: Template,
    /// Set for a live page.
    live: Option<Live>,
}

#[derive(Clone, Copy, Debug)]
struct Live {
    rendered: Instant,
    /// Nothing it shows changed since it was rendered.
    fresh: bool,
}

#[derive(Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, Entry>>,
    /// Live pages one request is rendering; the others may wait for it.
    refreshing: Mutex<HashMap<String, watch::Receiver<bool>>>,
    /// Bumped by every change: a render begun before one is stored stale.
    generation: AtomicU64,
}

/// What a request does with a cached page.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Serve,
    /// Render it again (this request claimed the refresh).
    Refresh,
    /// Too old to serve: render.
    Render,
}

/// `claim` says whether this request may render the page again (no other
/// request is doing it).
fn verdict(live: Option<Live>, now: Instant, claim: impl FnOnce() -> bool) -> Verdict {
    let Some(l) = live else {
        return Verdict::Serve;
    };
    let age = now.saturating_duration_since(l.rendered);
    if age >= LIVE_FOR {
        Verdict::Render
    } else if l.fresh && age < REFRESH_AFTER {
        Verdict::Serve
    } else if claim() {
        Verdict::Refresh
    } else {
        Verdict::Serve
    }
}

/// How long a request waits for another one rendering the same live page
/// before it renders the page itself.
const WAIT_FOR: Duration = Duration::from_secs(2);

/// A claimed render, released (and its waiters woken) when the request is
/// done with it, stored or not.
struct Claim<'a> {
    cache: &'a PageCache,
    key: String,
    done: watch::Sender<bool>,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        if let Ok(mut keys) = self.cache.refreshing.lock() {
            keys.remove(&self.key);
        }
        let _ = self.done.send(true);
    }
}

/// Whether a cache key (`path|theme`) is a live page's.
fn live_key(key: &str) -> bool {
    let path = key.split('|').next().unwrap_or(key);
    app::domains::is_live(&split_locale(path).1)
}

impl PageCache {
    /// Marks every live page stale (something one shows changed): the next
    /// request for each renders it again.
    pub fn drop_live(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut pages) = self.pages.write() {
            for e in pages.values_mut() {
                if let Some(l) = e.live.as_mut() {
                    l.fresh = false;
                }
            }
        }
    }

    /// This request's claim to render `key`, or what tells when the
    /// request that holds it is done.
    fn claim(&self, key: &str) -> Result<Claim<'_>, Option<watch::Receiver<bool>>> {
        let mut keys = self.refreshing.lock().map_err(|_| None)?;
        if let Some(other) = keys.get(key) {
            return Err(Some(other.clone()));
        }
        let (done, rx) = watch::channel(false);
        keys.insert(key.to_string(), rx);
        Ok(Claim {
            cache: self,
            key: key.to_string(),
            done,
        })
    }

    /// The page at `key` if it may be served now.
    fn servable(&self, key: &str, now: Instant) -> Option<Template> {
        let pages = self.pages.read().ok()?;
        let e = pages.get(key)?;
        let ok = e
            .live
            .is_none_or(|l| now.saturating_duration_since(l.rendered) < LIVE_FOR);
        ok.then(|| Arc::clone(&e.parts))
    }
}

/// The bus events that change what a live page shows: a monitor's state,
/// a ticket, a status page itself.
const CHANGES: [&str; 3] = ["monitor.changed", "incident.changed", "status_page.changed"];

/// Drops live pages on every change the bus reports (and when it lost
/// some), until the bus closes.
pub fn follow_changes(edge: Arc<crate::edge::Edge>, bus: &app::platform::events::EventBus) {
    use app::platform::events::{Received, Topic};
    let mut sub = bus.subscribe(vec![
        Topic::Monitoring,
        Topic::Incidents,
        Topic::StatusPages,
    ]);
    tokio::spawn(async move {
        while let Some(got) = sub.next(|_| true).await {
            match got {
                Received::Event(e) if !CHANGES.contains(&e.name) => {}
                _ => edge.cache.drop_live(),
            }
        }
    });
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
    let now = Instant::now();
    let generation = cache.generation.load(Ordering::Acquire);
    let hit = cache.pages.read().ok().and_then(|p| p.get(&key).cloned());
    let mut claim = None;
    if let Some(entry) = hit {
        let v = verdict(entry.live, now, || {
            claim = cache.claim(&key).ok();
            claim.is_some()
        });
        if v == Verdict::Serve {
            return html_response(fill_template(&entry.parts, nonce));
        }
    }
    // A live page nobody may be served yet: one request renders it, the
    // others wait for that render rather than each making their own.
    if claim.is_none() && live_key(&key) {
        match cache.claim(&key) {
            Ok(mine) => claim = Some(mine),
            Err(Some(mut other)) => {
                let _ = tokio::time::timeout(WAIT_FOR, other.wait_for(|done| *done)).await;
                if let Some(parts) = cache.servable(&key, Instant::now()) {
                    return html_response(fill_template(&parts, nonce));
                }
            }
            Err(None) => {}
        }
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
        let live = live_key(&key).then(|| Live {
            rendered: now,
            fresh: cache.generation.load(Ordering::Acquire) == generation,
        });
        pages.insert(
            key,
            Entry {
                parts: template,
                live,
            },
        );
    }
    // Stored: those waiting for this render may serve it now.
    drop(claim);
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
#[path = "page_cache_tests.rs"]
mod tests;
