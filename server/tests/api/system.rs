use crate::helpers::{Db, json, spawn_app};
use crate::on_both_databases;

async fn system_info_is_public_and_reports_backend(db: Db) {
    let app = spawn_app(db).await;
    let res = app.get("/api/system").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let body = json(res).await;
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    let expected = if db == Db::Sqlite {
        "sqlite"
    } else {
        "postgres"
    };
    assert_eq!(body["database"], expected);
    assert!(body["uptime_seconds"].as_u64().is_some());
    let modules = body["modules"].as_array().unwrap();
    assert!(
        modules
            .iter()
            .any(|m| m["id"] == "system" && m["enabled"] == true)
    );
    assert!(
        modules
            .iter()
            .any(|m| m["id"] == "deployments" && m["status"] == "planned")
    );
}

async fn about_page_renders_system_facts(db: Db) {
    let app = spawn_app(db).await;
    let res = app.get("/about").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("id=\"system-version\""), "{html}");
    assert!(html.contains(env!("CARGO_PKG_VERSION")));
    let expected = if db == Db::Sqlite {
        ">sqlite<"
    } else {
        ">postgres<"
    };
    assert!(html.contains(expected));
}

async fn health_and_readiness(db: Db) {
    let app = spawn_app(db).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    assert_eq!(json(ready).await["status"], "ready");
}

on_both_databases!(
    system_info_is_public_and_reports_backend,
    about_page_renders_system_facts,
    health_and_readiness
);

/// When PostgreSQL goes away the instance reports itself not ready.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_is_503_when_database_is_gone() {
    use sea_orm::{ConnectionTrait, Database};
    let app = spawn_app(Db::Postgres).await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    let name = app.db_url.rsplit('/').next().unwrap().to_string();
    let admin = Database::connect(std::env::var("DIHYA_TEST_PG_URL").unwrap())
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .unwrap();
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 503);
    assert_eq!(json(res).await["status"], "unavailable");
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "alive even when not ready"
    );
}

#[tokio::test]
async fn unreachable_postgres_is_a_clear_startup_error() {
    let tmp = std::env::temp_dir();
    let cfg = crate::helpers::test_config("postgres://nobody@127.0.0.1:1/none", &tmp);
    let err = dihya::Application::build(cfg)
        .await
        .err()
        .expect("must fail");
    let msg = err.to_string();
    assert!(
        msg.contains("cannot connect to the database (postgres)"),
        "{msg}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_completes() {
    let app = spawn_app(Db::Sqlite).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    tokio::time::timeout(std::time::Duration::from_secs(10), app.stop())
        .await
        .expect("shutdown hung");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn source_url_is_offered_when_configured() {
    let none = spawn_app(Db::Sqlite).await;
    assert!(json(none.get("/api/system").await).await["source_url"].is_null());
    let url = "https://git.example.org/ops/dihya";
    let app = crate::helpers::spawn_app_with(Db::Sqlite, |c| c.source_url = Some(url.into())).await;
    assert_eq!(json(app.get("/api/system").await).await["source_url"], url);
    let html = app.get("/about").await.text().await.unwrap();
    assert!(html.contains(&format!("href=\"{url}\"")), "{html}");
}
