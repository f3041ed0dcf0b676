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

/// Files of `public/` are served byte for byte with their type; fonts and
/// motifs are cached for a day, other files and pages are revalidated, API
/// answers are never stored. The
/// site root is a copy of `public/` of its own (the release build, which
/// makes `target/site`, runs after these tests).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_assets_and_caching() {
    let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public");
    let site = std::env::temp_dir().join(format!("dihya-site-{}", rand::random::<u64>()));
    let files = [
        ("favicon.svg", "image/svg+xml", "no-cache"),
        ("og-image.png", "image/png", "no-cache"),
        (
            "motifs/band-lozenge.svg",
            "image/svg+xml",
            "public, max-age=86400",
        ),
        (
            "fonts/noto-sans-tifinagh.woff2",
            "font/woff2",
            "public, max-age=86400",
        ),
    ];
    for (name, _, _) in files {
        let to = site.join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(public.join(name), to).unwrap();
    }
    let root = site.clone();
    let app = crate::helpers::spawn_app_with(Db::Sqlite, move |c| c.site_root = root).await;
    for (name, mime, cache) in files {
        let res = app.get(&format!("/{name}")).await;
        assert_eq!(res.status(), 200, "/{name}");
        let headers = res.headers().clone();
        assert!(
            headers["content-type"].to_str().unwrap().starts_with(mime),
            "/{name}: {:?}",
            headers["content-type"]
        );
        assert_eq!(headers["cache-control"], cache, "/{name}");
        let body = res.bytes().await.unwrap();
        assert_eq!(
            body.as_ref(),
            std::fs::read(public.join(name)).unwrap().as_slice(),
            "/{name} is served byte for byte"
        );
    }
    assert_eq!(app.get("/no-such-file.png").await.status(), 404);
    let res = app.get("/api/system").await;
    assert_eq!(res.headers()["cache-control"], "no-store");
    let res = app.get("/").await;
    assert_eq!(res.headers()["cache-control"], "no-cache");
    std::fs::remove_dir_all(site).ok();
}
