use crate::helpers::{Db, spawn_app, spawn_app_with};

fn nonce_of(csp: &str) -> String {
    let start = csp.find("'nonce-").expect("nonce in CSP") + 7;
    csp[start..].split('\'').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_on_pages_and_api() {
    let app = spawn_app(Db::Sqlite).await;
    for path in ["/", "/api/system", "/healthz", "/no-such-page"] {
        let res = app.get(path).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("'wasm-unsafe-eval'") && csp.contains("object-src 'none'"),
            "{path}"
        );
        assert!(csp.contains("base-uri 'none'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
        assert!(h.contains_key("permissions-policy"));
        assert!(h.contains_key("x-request-id"));
        assert!(
            !h.contains_key("strict-transport-security"),
            "no HSTS on plain http"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_when_public_url_is_https() {
    let app = spawn_app_with(Db::Sqlite, |c| {
        c.public_url = "https://ops.example.org".into()
    })
    .await;
    let res = app.get("/").await;
    assert!(
        res.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .contains("max-age=")
    );
}

/// Every response gets its own nonce, also when the page comes from the
/// cache, and the scripts in the page carry the header's nonce.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nonce_is_fresh_per_response_and_matches_scripts() {
    let app = spawn_app(Db::Sqlite).await;
    let mut seen = Vec::new();
    for _ in 0..3 {
        let res = app.get("/docs").await;
        let nonce = nonce_of(res.headers()["content-security-policy"].to_str().unwrap());
        let html = res.text().await.unwrap();
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "page scripts must carry the header nonce"
        );
        assert!(!html.contains('\u{1}'), "no cache placeholder leaks");
        seen.push(nonce);
    }
    seen.dedup();
    assert_eq!(seen.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_is_same_origin_by_default_and_allow_listed() {
    let app = spawn_app(Db::Sqlite).await;
    let res = app
        .get_with("/api/system", "origin", "https://evil.example")
        .await;
    assert!(!res.headers().contains_key("access-control-allow-origin"));

    let app = spawn_app_with(Db::Sqlite, |c| {
        c.cors_origins = vec!["https://ops.example.org".into()]
    })
    .await;
    let res = app
        .get_with("/api/system", "origin", "https://ops.example.org")
        .await;
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://ops.example.org"
    );
    let res = app
        .get_with("/api/system", "origin", "https://evil.example")
        .await;
    assert!(!res.headers().contains_key("access-control-allow-origin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_are_compressed_on_request() {
    let app = spawn_app(Db::Sqlite).await;
    for enc in ["br", "gzip"] {
        let res = app.get_with("/", "accept-encoding", enc).await;
        assert_eq!(res.headers()["content-encoding"], enc);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn license_served_is_the_repository_license() {
    let served = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../public/license.txt"
    ))
    .unwrap();
    let repo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../LICENSE")).unwrap();
    assert_eq!(served, repo, "public/license.txt must be a copy of LICENSE");
    assert!(repo.contains("GNU AFFERO GENERAL PUBLIC LICENSE"));
}
