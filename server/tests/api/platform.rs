use crate::helpers::{Db, json, spawn_app};
use leptos::server_fn::axum::server_fn_paths;

/// Every registered server function is documented in the OpenAPI document.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_documents_every_server_function() {
    let app = spawn_app(Db::Sqlite).await;
    let doc = json(app.get("/api/openapi.json").await).await;
    let paths = doc["paths"].as_object().expect("paths object");
    let registered: Vec<_> = server_fn_paths().collect();
    assert!(
        registered.len() >= 2,
        "server functions must be registered: {registered:?}"
    );
    for (path, method) in registered {
        let method = method.as_str().to_lowercase();
        assert!(
            paths.get(path).and_then(|p| p.get(&method)).is_some(),
            "{} {path} is not in /api/openapi.json",
            method.to_uppercase()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_assets_and_caching() {
    let app = spawn_app(Db::Sqlite).await;
    let res = app.get("/api/system").await;
    assert_eq!(res.headers()["cache-control"], "no-store");
    let res = app.get("/").await;
    assert_eq!(res.headers()["cache-control"], "no-cache");
}
