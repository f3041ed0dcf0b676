//! Tests of `page_cache.rs` (kept apart: the cache stays under 400 lines).
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
fn only_live_pages_go_stale_when_something_changes() {
    let cache = PageCache::default();
    let now = Instant::now();
    for k in ["/docs|", "/status/acme|dark", "/ar/status/acme|"] {
        let live = live_key(k).then_some(Live {
            rendered: now,
            fresh: true,
        });
        let entry = Entry {
            parts: split_template(b"x", "n"),
            live,
        };
        cache.pages.write().unwrap().insert(k.into(), entry);
    }
    assert!(!live_key("/status/acme/feed.atom|"));
    cache.drop_live();
    let pages = cache.pages.read().unwrap();
    assert!(pages["/docs|"].live.is_none());
    assert!(!pages["/status/acme|dark"].live.unwrap().fresh);
    assert!(!pages["/ar/status/acme|"].live.unwrap().fresh);
}

#[test]
fn one_request_renders_a_live_page_again_while_the_others_are_served() {
    let t0 = Instant::now();
    let live = |fresh| {
        Some(Live {
            rendered: t0,
            fresh,
        })
    };
    let at = |s: u64| t0 + Duration::from_secs(s);
    assert_eq!(verdict(None, at(999), || true), Verdict::Serve);
    assert_eq!(
        verdict(live(true), at(1), || panic!("no refresh needed")),
        Verdict::Serve
    );
    // Stale after a change, or ageing: one request claims the refresh.
    assert_eq!(verdict(live(false), at(1), || true), Verdict::Refresh);
    assert_eq!(verdict(live(false), at(1), || false), Verdict::Serve);
    assert_eq!(verdict(live(true), at(4), || true), Verdict::Refresh);
    assert_eq!(verdict(live(true), at(4), || false), Verdict::Serve);
    // Never served at LIVE_FOR or older, refresh or not.
    assert_eq!(verdict(live(true), at(5), || false), Verdict::Render);
    // A claim is one request's until it is done.
    let cache = PageCache::default();
    let first = cache.claim("/status/a|").ok();
    let waiter = cache.claim("/status/a|").err().flatten();
    assert!(first.is_some() && waiter.is_some());
    drop(first);
    // The waiter hears that the render is done, and the key is free.
    assert!(*waiter.unwrap().borrow());
    assert!(cache.claim("/status/a|").is_ok());
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
