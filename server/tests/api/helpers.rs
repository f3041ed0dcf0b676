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

    /// POST JSON as the app's own pages do (same-origin `Origin` header).
    pub async fn post_json(&self, path: &str, body: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", "application/json")
            .header("origin", &self.base)
            .body(body.to_string())
            .send()
            .await
            .expect("request failed")
    }

    /// A second browser: its own cookie jar, same server.
    pub fn agent(&self) -> Agent {
        Agent {
            base: self.base.clone(),
            client: new_client(),
        }
    }

    /// Completes first-run setup; returns the signed-in admin.
    pub async fn admin(&self) -> Agent {
        let token = self
            .setup_link
            .as_deref()
            .and_then(|l| l.rsplit('/').next())
            .expect("setup link")
            .to_string();
        let admin = self.agent();
        let res = admin
            .post(
                "/api/setup/complete",
                serde_json::json!({"token": token, "email": ADMIN_EMAIL,
                    "display_name": "First Admin", "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        admin
    }

    /// Stops the server gracefully and waits for it to finish.
    pub async fn stop(mut self) {
        self.halt().await;
    }

    /// Stops the server (gracefully) but keeps its database until the
    /// app is dropped, to look at what the stop left behind.
    pub async fn halt(&mut self) {
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
        if self.db == Db::Postgres {
            drop_pg_database(&self.db_url);
        }
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

/// See `spawn_app_with`.
pub const CHECK_INTERVAL_SCALE: f64 = 0.05;

pub const ADMIN_EMAIL: &str = "admin@dihya.test";
/// Passes the policy (long, not in the common list).
pub const PASSWORD: &str = "tiziri-amazigh-ops-2026";

fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// One client with its own cookies (a browser, or an API client).
pub struct Agent {
    pub base: String,
    pub client: reqwest::Client,
}

impl Agent {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request failed")
    }

    /// POST JSON with a same-origin `Origin`, as the app's pages send.
    pub async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .header("origin", &self.base)
            .json(&body)
            .send()
            .await
            .expect("request failed")
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post(
            "/api/auth/login",
            serde_json::json!({"email": email, "password": password}),
        )
        .await
    }

    /// Creates a user through the admin API (self must be an admin).
    pub async fn create_user(&self, email: &str, role: &str) -> i64 {
        let res = self
            .post(
                "/api/users",
                serde_json::json!({"email": email, "display_name": email, "role": role, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        json(res).await["id"].as_i64().unwrap()
    }
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{:016x}",
        std::process::id(),
        rand::random::<u64>()
    )
}

/// The PostgreSQL admin URL of the test cluster.
fn pg_admin_url() -> String {
    std::env::var("DIHYA_TEST_PG_URL").expect(
        "DIHYA_TEST_PG_URL is not set: run `make test` (it starts a throwaway PostgreSQL) \
         or point it at a PostgreSQL admin URL",
    )
}

/// `admin`'s URL with another database name.
fn pg_url_of(admin: &str, name: &str) -> String {
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
    format!("{base}/{name}")
}

/// A database of this process with every migration applied, made once:
/// each PostgreSQL test database is a copy of it (`CREATE DATABASE …
/// TEMPLATE`), which is faster than migrating every one.
async fn pg_template() -> &'static str {
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let admin = pg_admin_url();
            let name = unique("dihya_template");
            let conn = Database::connect(&admin)
                .await
                .expect("connect to test PostgreSQL");
            conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create the template database");
            conn.close().await.ok();
            let db = app::platform::db::connect(&pg_url_of(&admin, &name))
                .await
                .expect("connect to the template database");
            app::domains::migrate(&db)
                .await
                .expect("migrate the template database");
            // A template must have no open connection while it is copied.
            db.close().await.ok();
            name
        })
        .await
}

/// A fresh database of the given kind (on PostgreSQL, a copy of the
/// migrated template); returns its URL.
pub async fn fresh_database(db: Db, tmp: &std::path::Path) -> String {
    match db {
        Db::Sqlite => format!("sqlite://{}/dihya.db?mode=rwc", tmp.display()),
        Db::Postgres => {
            let admin = pg_admin_url();
            let template = pg_template().await;
            let name = unique("dihya_test");
            let conn = Database::connect(&admin)
                .await
                .expect("connect to test PostgreSQL");
            conn.execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .await
                .expect("create database");
            conn.close().await.ok();
            pg_url_of(&admin, &name)
        }
    }
}

/// Drops a test's PostgreSQL database once its server has stopped (its
/// pool may still hold connections: `WITH (FORCE)` closes them).
fn drop_pg_database(db_url: &str) {
    let Some((_, name)) = db_url.rsplit_once('/') else {
        return;
    };
    let (admin, name) = (pg_admin_url(), name.to_string());
    // Drop runs inside the test's runtime, which cannot be blocked on: a
    // thread of its own with a runtime of its own does the work.
    let _ = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            if let Ok(conn) = Database::connect(&admin).await {
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let _ = conn.execute_unprepared(&sql).await;
                conn.close().await.ok();
            }
        });
    })
    .join();
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
    // argon2 at its smallest costs: the production costs are checked by
    // `app::users::password`'s unit tests and by the browser suite.
    app::users::password::cheap_hashing_for_tests();
    let tmp = std::env::temp_dir().join(unique("dihya-it"));
    std::fs::create_dir_all(&tmp).unwrap();
    let db_url = fresh_database(db, &tmp).await;
    let mut config = test_config(&db_url, &tmp);
    tweak(&mut config);
    let public_url_is_default = config.public_url == Config::default().public_url;
    let mut app = Application::build(config)
        .await
        .expect("application failed to start");
    // A 10 s monitor is checked every 0.5 s: monitoring tests see results
    // without waiting out real intervals.
    app.scale_check_intervals(CHECK_INTERVAL_SCALE);
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
    let client = new_client();
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

/// The TOTP code `steps` time steps (of 30 s) from now for a base32 seed.
pub fn totp_at(secret_b32: &str, steps: i64) -> String {
    let secret = totp_rs::Secret::Encoded(secret_b32.to_string())
        .to_bytes()
        .unwrap();
    let now = chrono::Utc::now().timestamp() + steps * 30;
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, secret, None, "x".into())
        .unwrap()
        .generate(now as u64)
}

pub fn totp_now(secret_b32: &str) -> String {
    totp_at(secret_b32, 0)
}

/// The next step's code: accepted (clock drift allowance) after the current
/// one was spent, since TOTP codes are single use.
pub fn totp_next(secret_b32: &str) -> String {
    totp_at(secret_b32, 1)
}

/// Creates a custom role as `admin` (an admin agent).
pub async fn create_role(admin: &Agent, name: &str, permissions: &[&str]) {
    let res = admin
        .post(
            "/api/roles",
            serde_json::json!({"name": name, "permissions": permissions}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// A signed-in agent holding `role` (a new account made by `admin`); its id.
pub async fn signed_in_as(app: &TestApp, admin: &Agent, email: &str, role: &str) -> (Agent, i64) {
    let id = admin.create_user(email, role).await;
    let agent = app.agent();
    let res = agent.login(email, PASSWORD).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    (agent, id)
}

/// The audit rows of `action` (a prefix) with result `denied`, as `admin` sees them.
pub async fn denied_rows(admin: &Agent, action: &str) -> Vec<serde_json::Value> {
    let res = admin
        .get(&format!("/api/audit?result=denied&action={action}"))
        .await;
    json(res).await["items"].as_array().unwrap().clone()
}
