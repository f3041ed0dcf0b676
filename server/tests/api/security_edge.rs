//! Attacks at the edge of the server: poisoning the public page cache with
//! a signed-in page, open redirects, spoofed or real forwarded addresses,
//! floods of made-up asset names, racing the sign-in throttle, and page
//! numbers that overflow.
use crate::helpers::{ADMIN_EMAIL, Db, PASSWORD, json, spawn_app, spawn_app_with};
use crate::on_both_databases;
use serde_json::json;

/// The session cookie's `name=value` from a sign-in answer.
fn session_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("dihya_session="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_string()
}

/// The session cookie hidden in a second `Cookie` header made the cache store
/// a page with the admin's name and menu under the anonymous key.
async fn page_cache_never_stores_a_signed_in_page(db: Db) {
    let app = spawn_app(db).await;
    app.admin().await;
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = plain
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let cookie = session_cookie(&login);
    for path in ["/docs", "/about", "/"] {
        let personal = plain
            .get(app.url(path))
            .header("cookie", "dihya_lang=en")
            .header("cookie", cookie.as_str())
            .send()
            .await
            .unwrap();
        assert_eq!(personal.status(), 200);
        assert!(
            personal.text().await.unwrap().contains("First Admin"),
            "the signed-in page shows the user (else this test proves nothing)"
        );
        let anonymous = plain.get(app.url(path)).send().await.unwrap();
        let html = anonymous.text().await.unwrap();
        assert!(
            !html.contains("First Admin"),
            "{path} served a cached signed-in page"
        );
    }
}

/// `//evil.example/` was answered with `Location: //evil.example`.
async fn no_open_redirect(db: Db) {
    let app = spawn_app(db).await;
    for path in [
        "//evil.example/",
        "/en//evil.example",
        "/%5Cevil.example/",
        "///evil.example/x/",
    ] {
        let res = app.get(path).await;
        if let Some(loc) = res.headers().get("location") {
            let loc = loc.to_str().unwrap();
            assert!(
                loc.starts_with('/') && !loc.starts_with("//") && !loc.starts_with("/\\"),
                "{path} -> {loc}"
            );
        }
    }
    // Raw request: reqwest would normalise `/\evil` itself.
    let raw = raw_get(&app.base, "/\\evil.example/").await;
    let loc = raw.lines().find_map(|l| {
        l.strip_prefix("location: ")
            .or_else(|| l.strip_prefix("Location: "))
    });
    if let Some(loc) = loc {
        assert!(!loc.starts_with("//") && !loc.starts_with("/\\"), "{loc}");
    }
}

async fn raw_get(base: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

/// Without `DIHYA_TRUSTED_PROXIES`, a client rotating `X-Forwarded-For`
/// escapes the per-IP limit. With it, the limit, the throttle and the audit
/// log see the real client behind the proxy.
async fn forwarded_addresses_only_from_trusted_proxies(db: Db) {
    let direct = spawn_app_with(db, |c| c.rate_limit_per_ip = 5).await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let res = direct
            .get_with("/api/system", "x-forwarded-for", &format!("198.51.100.{i}"))
            .await;
        statuses.push(res.status().as_u16());
    }
    assert!(statuses.contains(&429), "spoofed XFF escaped: {statuses:?}");

    let proxied = spawn_app_with(db, |c| {
        c.rate_limit_per_ip = 5;
        c.trusted_proxies = vec!["127.0.0.0/8".into()];
    })
    .await;
    for _ in 0..5 {
        let res = proxied
            .get_with("/api/system", "x-forwarded-for", "203.0.113.1")
            .await;
        assert_eq!(res.status(), 200);
    }
    let res = proxied
        .get_with("/api/system", "x-forwarded-for", "203.0.113.1")
        .await;
    assert_eq!(res.status(), 429, "the proxied client has its own bucket");
    let other = proxied
        .get_with("/api/system", "x-forwarded-for", "1.1.1.1, 203.0.113.2")
        .await;
    assert_eq!(
        other.status(),
        200,
        "another client behind the proxy is not affected"
    );

    // The audit log records the client, not the proxy.
    let app = spawn_app_with(db, |c| c.trusted_proxies = vec!["127.0.0.1".into()]).await;
    let admin = app.admin().await;
    let res = app
        .client
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", "203.0.113.9")
        .json(&json!({"email": ADMIN_EMAIL, "password": "wrong-password-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let audit = json(
        admin
            .get("/api/audit?action=auth.login&result=failed")
            .await,
    )
    .await;
    assert_eq!(audit["items"][0]["ip"], "203.0.113.9");
}

/// `/pkg/<random>` skipped the limits and rendered a 404 page each time.
async fn made_up_asset_names_are_rate_limited(db: Db) {
    let app = spawn_app_with(db, |c| c.rate_limit_per_ip = 5).await;
    let mut statuses = Vec::new();
    for i in 0..10 {
        statuses.push(
            app.get(&format!("/pkg/flood-{i}.js"))
                .await
                .status()
                .as_u16(),
        );
    }
    assert!(statuses.contains(&429), "{statuses:?}");
}

/// Existing static files stay exempt (a page loads many of them).
async fn existing_assets_stay_exempt(db: Db) {
    let site = std::env::temp_dir().join(format!("dihya-site-{}", rand::random::<u64>()));
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/app.js"), "console.log(1)").unwrap();
    let root = site.clone();
    let app = spawn_app_with(db, move |c| {
        c.rate_limit_per_ip = 3;
        c.site_root = root;
    })
    .await;
    for _ in 0..10 {
        assert_eq!(app.get("/pkg/app.js").await.status(), 200);
    }
    let _ = std::fs::remove_dir_all(site);
}

/// 30 parallel wrong passwords for one account, sent as a backoff window
/// opens: each must count, so at most the free failures get a 401.
async fn parallel_guesses_all_count(db: Db) {
    let app = spawn_app_with(db, |c| c.login_attempts_per_ip = 1000).await;
    app.admin().await;
    let guesses = (0..30).map(|i| {
        let client = app.client.clone();
        let url = app.url("/api/auth/login");
        async move {
            client
                .post(url)
                .json(&json!({"email": ADMIN_EMAIL, "password": format!("guess-{i}-xxxxxxxx")}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    let unauthorized = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert!(
        unauthorized <= 5,
        "{unauthorized} guesses checked: {statuses:?}"
    );
    assert_eq!(unauthorized + throttled, 30, "{statuses:?}");
}

/// `page=18446744073709551615` overflowed the offset computation.
async fn huge_page_numbers_are_clamped(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    for path in [
        "/api/users?page=18446744073709551615",
        "/api/audit?page=18446744073709551615",
        "/api/users?page=0&per_page=18446744073709551615",
    ] {
        let res = admin.get(path).await;
        assert_eq!(res.status(), 200, "{path}: {}", res.text().await.unwrap());
    }
}

on_both_databases!(
    page_cache_never_stores_a_signed_in_page,
    no_open_redirect,
    forwarded_addresses_only_from_trusted_proxies,
    made_up_asset_names_are_rate_limited,
    existing_assets_stay_exempt,
    parallel_guesses_all_count,
    huge_page_numbers_are_clamped,
);
