//! The user guide: each page rendered on the server, and its HTML on demand
//! for the browser (which does not carry the guide in its WASM).
use crate::helpers::{Db, json, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guide_page_html_is_served_on_demand() {
    let app = spawn_app(Db::Sqlite).await;
    let res = app.get("/docs/configuration").await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("DIHYA_DATABASE_URL"), "{page}");

    let res = app.get("/api/docs/guide?slug=configuration").await;
    assert_eq!(res.status(), 200);
    let html = json(res).await.as_str().unwrap().to_string();
    assert!(html.starts_with('<') && html.contains("DIHYA_DATABASE_URL"));
    // The same HTML the server put in the page.
    let start: String = html.chars().take(120).collect();
    assert!(page.contains(&start), "{start}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_or_missing_guide_page_is_a_localized_4xx() {
    let app = spawn_app(Db::Sqlite).await;
    for path in [
        "/api/docs/guide?slug=secret",
        "/api/docs/guide?slug=..%2FCargo.toml",
    ] {
        let res = app
            .client
            .get(app.url(path))
            .header("accept-language", "fr")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
        let err = json(res).await;
        assert_eq!(err["error"]["code"], "not_found");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(
            !message.is_empty() && !message.contains("not found"),
            "{message}"
        );
    }
    let res = app.get("/api/docs/guide").await;
    assert!(res.status().is_client_error(), "{}", res.status());
    assert!(json(res).await["error"]["code"].is_string());
    app.stop().await;
}
