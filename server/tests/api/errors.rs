use crate::helpers::{Db, json, spawn_app, spawn_app_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_api_route_is_json_404() {
    let app = spawn_app(Db::Sqlite).await;
    let res = app.get("/api/does-not-exist").await;
    assert_eq!(res.status(), 404);
    assert_eq!(json(res).await["error"]["code"], "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_method_is_json_405_with_allow() {
    let app = spawn_app(Db::Sqlite).await;
    let res = app.get("/api/setup/check").await;
    assert_eq!(res.status(), 405);
    assert_eq!(res.headers()["allow"], "POST");
    assert_eq!(json(res).await["error"]["code"], "method_not_allowed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_body_is_json_413_and_localized() {
    let app = spawn_app_with(Db::Sqlite, |c| c.body_limit_bytes = 2048).await;
    let body = format!(r#"{{"token":"{}"}}"#, "a".repeat(10_000));
    let res = app
        .client
        .post(app.url("/api/setup/check"))
        .header("content-type", "application/json")
        .header("accept-language", "fr")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    let err = json(res).await;
    assert_eq!(err["error"]["code"], "payload_too_large");
    assert_eq!(
        err["error"]["message"],
        "Le corps de la requête est trop volumineux."
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_messages_follow_the_language_cookie() {
    let app = spawn_app(Db::Sqlite).await;
    let en = json(app.get("/api/nope").await).await["error"]["message"].clone();
    let ar = app.get_with("/api/nope", "cookie", "dihya_lang=ar").await;
    let ar = json(ar).await["error"]["message"].clone();
    assert_ne!(en, ar);
    assert!(
        ar.as_str()
            .unwrap()
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "{ar}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_page_is_localized_html_404() {
    let app = spawn_app(Db::Sqlite).await;
    let res = app.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains("<h1"), "{html}");
    assert!(html.contains("Page not found"));
    let fr = app.get("/fr/pas-de-page").await;
    assert_eq!(fr.status(), 404);
    let html = fr.text().await.unwrap();
    assert!(html.contains("lang=\"fr\""), "{html}");
    let docs = app.get("/docs/no-such-guide").await;
    assert_eq!(docs.status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_answers_429_with_retry_after() {
    let app = spawn_app_with(Db::Sqlite, |c| c.rate_limit_per_ip = 5).await;
    for _ in 0..5 {
        assert_eq!(app.get("/api/system").await.status(), 200);
    }
    let res = app.get("/api/system").await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(json(res).await["error"]["code"], "rate_limited");
    // Probes stay reachable for the supervisor.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// A client that stops sending its body half-way is cut off after the
/// request timeout with a localized JSON 408, not left hanging.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_body_is_json_408_and_localized() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(Db::Sqlite, |c| c.request_timeout_secs = 1).await;
    let addr = app.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/setup/check HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\n\
         accept-language: fr\r\ncontent-length: 100\r\nconnection: close\r\n\r\n{{\"token\":"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut raw),
    )
    .await
    .expect("the server answers within its timeout")
    .unwrap();
    let raw = String::from_utf8_lossy(&raw);
    assert!(raw.starts_with("HTTP/1.1 408"), "{raw}");
    let body = raw.split("\r\n\r\n").nth(1).unwrap_or_default();
    let err: serde_json::Value = serde_json::from_str(body).expect(body);
    assert_eq!(err["error"]["code"], "timeout");
    assert_eq!(
        err["error"]["message"],
        "La requête a pris trop de temps et a été interrompue."
    );
}
