use crate::helpers::{Db, spawn_app};
use app::i18n_support::{all_locales, localized_path};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_have_full_head() {
    let app = spawn_app(Db::Sqlite).await;
    for path in app::domains::sitemap() {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().await.unwrap();
        for needle in [
            "<title>",
            "<meta name=\"description\"",
            "rel=\"canonical\"",
            "property=\"og:title\"",
            "property=\"og:image\"",
            "name=\"twitter:card\"",
            "hreflang=\"x-default\"",
        ] {
            assert!(html.contains(needle), "{path} lacks {needle}");
        }
        assert_eq!(html.matches("rel=\"alternate\"").count(), 7, "{path}");
        assert!(!html.contains("noindex"), "{path} must be indexable");
    }
    let landing = app.get("/").await.text().await.unwrap();
    assert!(landing.contains("application/ld+json") && landing.contains("SoftwareApplication"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn canonical_is_absolute_and_localized() {
    let app = spawn_app(Db::Sqlite).await;
    let html = app.get("/fr/docs").await.text().await.unwrap();
    assert!(
        html.contains("<link href=\"http://127.0.0.1:3000/fr/docs\" rel=\"canonical\">"),
        "{html}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sitemap_lists_every_public_page_in_every_locale() {
    let app = spawn_app(Db::Sqlite).await;
    let res = app.get("/sitemap.xml").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let xml = res.text().await.unwrap();
    let n = app::domains::sitemap().count() * all_locales().len();
    assert_eq!(xml.matches("<loc>").count(), n);
    for path in app::domains::sitemap() {
        for l in all_locales() {
            let loc = format!(
                "<loc>http://127.0.0.1:3000{}</loc>",
                localized_path(*l, path)
            );
            assert!(xml.contains(&loc), "missing {loc}");
        }
    }
    assert_eq!(xml.matches("hreflang=\"x-default\"").count(), n);
    assert!(xml.contains("xmlns:xhtml"));
}

/// The sitemap comes from the route table: every route is either listed in
/// the sitemap or known to be private/parameterized (the status pages are
/// listed one by one from the database: see `status_pages.rs`).
#[tokio::test]
async fn sitemap_covers_the_route_table() {
    let private = ["/login", "/setup/{token}", "/error", "/docs/{page}"];
    let from_database = ["/status/{slug}"];
    let routes = dihya::startup::route_list();
    for route in routes {
        let path = route.path();
        // I18nRoute also answers on /en/…; the server redirects those to the bare path.
        let path = path
            .strip_prefix("/en")
            .filter(|p| p.is_empty() || p.starts_with('/'))
            .unwrap_or(path);
        let (_, bare) = app::i18n_support::split_locale(path);
        let bare = if bare.is_empty() {
            "/".to_string()
        } else {
            bare
        };
        let known = app::domains::sitemap().any(|p| p == bare)
            || private.contains(&bare.as_str())
            || from_database.contains(&bare.as_str())
            // The signed-in app: disallowed in robots.txt, sent with noindex.
            || bare.starts_with("/app/");
        assert!(
            known,
            "route {path} is neither in a domain's sitemap nor marked private"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_disallows_private_app() {
    let app = spawn_app(Db::Sqlite).await;
    let txt = app.get("/robots.txt").await.text().await.unwrap();
    for d in ["Disallow: /api/", "Disallow: /app/", "Disallow: /setup/"] {
        assert!(txt.contains(d), "{d}");
    }
    assert!(txt.contains("Sitemap: http://127.0.0.1:3000/sitemap.xml"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_pages_send_noindex() {
    let app = spawn_app(Db::Sqlite).await;
    for path in ["/login", "/setup/abc"] {
        let html = app.get(path).await.text().await.unwrap();
        assert!(
            html.contains("name=\"robots\" content=\"noindex, nofollow\""),
            "{path}"
        );
    }
}
