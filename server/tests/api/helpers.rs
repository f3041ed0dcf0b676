//! `spawn_app()`: boots `Application::build` (the same code path as `main`)
//! on 127.0.0.1:0 with its own database and temp dir.
#![allow(dead_code)]
use dihya::{Application, Config};
use sea_orm::{ConnectionTrait, Database};
use std::path::PathBuf;
use tokio::sync::oneshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub setup_link: Option<String>,
    pub db_url: String,
    pub db: Db,
    pub tmp: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    /// GET with one extra request header.
    pub async fn get_with(&self, path: &str, header: &str, value: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header(header, value)
            .send()
            .await
            .expect("request failed")
    }

    pub async fn post_json(&self, path: &str, body: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("request failed")
    }

    /// Stops the server gracefully and waits for it to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("server task panicked")
                .expect("server error");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{:016x}",
        std::process::id(),
        rand::random::<u64>()
    )
}

/// A fresh, empty database of the given kind; returns its URL.
pub async fn fresh_database(db: Db, tmp: &std::path::Path) -> String {
    match db {
        Db::Sqlite => format!("sqlite://{}/dihya.db?mode=rwc", tmp.display()),
        Db::Postgres => {
            let admin = std::env::var("DIHYA_TEST_PG_URL").expect(
                "DIHYA_TEST_PG_URL is not set: run `make test` (it starts a throwaway PostgreSQL) \
                 or point it at a PostgreSQL admin URL",
            );
            let name = unique("dihya_test");
            let conn = Database::connect(&admin)
                .await
                .expect("connect to test PostgreSQL");
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create database");
            conn.close().await.ok();
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            format!("{base}/{name}")
        }
    }
}

pub fn test_config(db_url: &str, tmp: &std::path::Path) -> Config {
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database_url: db_url.to_string(),
        data_dir: tmp.to_path_buf(),
        site_root: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"),
        rate_limit_per_ip: 100_000,
        rate_limit_global: 100_000,
        ..Config::default()
    }
}

pub async fn spawn_app(db: Db) -> TestApp {
    spawn_app_with(db, |_| {}).await
}

pub async fn spawn_app_with(db: Db, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let tmp = std::env::temp_dir().join(unique("dihya-it"));
    std::fs::create_dir_all(&tmp).unwrap();
    let db_url = fresh_database(db, &tmp).await;
    let mut config = test_config(&db_url, &tmp);
    tweak(&mut config);
    let public_url_is_default = config.public_url == Config::default().public_url;
    let app = Application::build(config)
        .await
        .expect("application failed to start");
    let port = app.port();
    let base = format!("http://127.0.0.1:{port}");
    let setup_link = app.setup_link().map(|l| {
        // Make the link point at this test server when public_url was left default.
        if public_url_is_default {
            l.replace("http://127.0.0.1:3000", &base)
        } else {
            l
        }
    });
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // The listener is bound before build() returns, so the server is ready;
    // still, poll /healthz so a slow start can never flake a test.
    for _ in 0..200 {
        if client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            break;
        }
        tokio::task::yield_now().await;
    }
    TestApp {
        base,
        client,
        setup_link,
        db_url,
        db,
        tmp,
        stop: Some(tx),
        task: Some(task),
    }
}

/// Declares `name_sqlite` and `name_postgres` tests running `body(Db)`.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            paste::paste! {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<$name _sqlite>]() { $name($crate::helpers::Db::Sqlite).await }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn [<$name _postgres>]() { $name($crate::helpers::Db::Postgres).await }
            }
        )*
    };
}

pub async fn json(res: reqwest::Response) -> serde_json::Value {
    let text = res.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
