//! OpenID Connect sign-in end to end against a real OpenID Provider: the npm
//! `oidc-provider`, started here on loopback (end2end/oidc/provider.mjs).
use crate::helpers::{Agent, Db, PASSWORD, json, spawn_app};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The app builds its redirect URI from the public URL (the test default).
const CALLBACK: &str = "http://127.0.0.1:3000/auth/oidc/callback";
const SECRET: &str = "dihya-test-secret-3f9a";

pub(crate) struct Provider {
    child: Child,
    pub(crate) issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start_provider() -> Provider {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut child = Command::new("node")
        .arg("end2end/oidc/provider.mjs")
        .current_dir(root)
        .env("OIDC_PORT", "0")
        .env("OIDC_CLIENT_ID", "dihya")
        .env("OIDC_CLIENT_SECRET", SECRET)
        .env("OIDC_REDIRECT_URIS", CALLBACK)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node end2end/oidc/provider.mjs (run `npm ci` first)");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let issuer = line
        .trim()
        .strip_prefix("OIDC_ISSUER=")
        .expect("provider printed its issuer")
        .to_string();
    Provider { child, issuer }
}

pub(crate) fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

fn absolute(base: &str, loc: &str) -> String {
    if loc.starts_with("http") {
        loc.to_string()
    } else {
        format!("{base}{loc}")
    }
}

/// Drives the browser part: app → provider login form → back to the app.
pub(crate) async fn sso_sign_in(app_agent: &Agent, issuer: &str, login: &str) -> reqwest::Response {
    let start = app_agent.get("/auth/oidc/start").await;
    assert!(start.status().is_redirection(), "{}", start.status());
    let mut next = location(&start);
    assert!(next.starts_with(issuer), "{next}");
    assert!(
        next.contains("code_challenge_method=S256") && next.contains("nonce="),
        "{next}"
    );
    // The provider has its own cookies: a fresh "browser" per sign-in.
    let idp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    for _ in 0..10 {
        if next.starts_with(CALLBACK) {
            let back = next.replacen("http://127.0.0.1:3000", &app_agent.base, 1);
            return app_agent.client.get(back).send().await.unwrap();
        }
        let res = idp.get(&next).send().await.unwrap();
        if res.status().is_redirection() {
            next = absolute(issuer, &location(&res));
            continue;
        }
        // The provider's login form: post the username.
        let uid = next.rsplit('/').next().unwrap().to_string();
        let posted = idp
            .post(format!("{issuer}/interaction/{uid}/login"))
            .form(&[("login", login)])
            .send()
            .await
            .unwrap();
        assert!(
            posted.status().is_redirection(),
            "login form: {}",
            posted.status()
        );
        next = absolute(issuer, &location(&posted));
    }
    panic!("the provider never redirected back");
}

pub(crate) async fn configure(admin: &Agent, issuer: &str) {
    let res = admin
        .post(
            "/api/sso/settings",
            json!({"enabled": true, "issuer": issuer, "client_id": "dihya", "client_secret": SECRET,
                   "button_label": "Company account", "default_role": "user",
                   "group_roles": [{"group": "dihya-devops", "role": "devops"}, {"group": "dihya-admins", "role": "admin"}],
                   "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

async fn oidc_sign_in_provisions_links_and_maps_groups(db: Db) {
    let provider = start_provider();
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    // Off by default: the start route is a 404 and the sign-in page shows no button.
    assert_eq!(app.agent().get("/auth/oidc/start").await.status(), 404);
    assert_eq!(
        json(app.get("/api/sso/status").await).await["enabled"],
        false
    );
    // Bad settings are refused field by field.
    let bad = admin
        .post(
            "/api/sso/settings",
            json!({"enabled": true, "issuer": "ftp://x", "client_id": "", "default_role": "root",
                "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let bad = json(bad).await;
    for f in ["issuer", "client_id", "client_secret", "default_role"] {
        assert!(bad["error"]["fields"][f].is_string(), "{f}: {bad}");
    }
    configure(&admin, &provider.issuer).await;
    let shown = json(admin.get("/api/sso/settings").await).await;
    assert_eq!(shown["has_client_secret"], true);
    assert!(
        !shown.to_string().contains(SECRET),
        "the secret is never returned"
    );
    assert_eq!(
        json(app.get("/api/sso/status").await).await["button_label"],
        "Company account"
    );

    // alice: new account, provisioned with the role of her group.
    let alice = app.agent();
    let back = sso_sign_in(&alice, &provider.issuer, "alice").await;
    assert_eq!(location(&back), "/app/profile");
    let me = json(alice.get("/api/auth/me").await).await;
    assert_eq!(me["user"]["email"], "alice@idp.test");
    assert_eq!(me["user"]["role"], "devops");
    // A second sign-in finds the same account by subject.
    let again = app.agent();
    sso_sign_in(&again, &provider.issuer, "alice").await;
    assert_eq!(
        json(again.get("/api/auth/me").await).await["user"]["id"],
        me["user"]["id"]
    );

    // carol has a local account with a password: the provider's word alone
    // does not link it; she signs in with her password once, then it is.
    admin.create_user("carol@idp.test", "user").await;
    let carol = app.agent();
    let back = sso_sign_in(&carol, &provider.issuer, "carol").await;
    assert_eq!(location(&back), "/login?sso=link");
    assert_eq!(carol.get("/api/auth/me").await.status(), 401);
    assert_eq!(carol.login("carol@idp.test", PASSWORD).await.status(), 200);
    let linked = app.agent();
    sso_sign_in(&linked, &provider.issuer, "carol").await;
    let me = json(linked.get("/api/auth/me").await).await;
    assert_eq!(me["user"]["role"], "admin", "role from her group");
    // …and can still use her password.
    assert_eq!(
        app.agent().login("carol@idp.test", PASSWORD).await.status(),
        200
    );

    // bob's email is NOT verified by the provider: never linked to the local bob.
    admin.create_user("bob@idp.test", "user").await;
    let bob = app.agent();
    let back = sso_sign_in(&bob, &provider.issuer, "bob").await;
    assert_eq!(location(&back), "/login?sso=unverified");
    assert_eq!(bob.get("/api/auth/me").await.status(), 401);

    // A callback with a forged state is refused.
    let forger = app.agent();
    forger.get("/auth/oidc/start").await;
    let res = forger
        .get("/auth/oidc/callback?code=abc&state=forged")
        .await;
    assert_eq!(location(&res), "/login?sso=failed");
    assert_eq!(forger.get("/api/auth/me").await.status(), 401);

    // Audited; the client secret is sealed in the database file.
    let audit = json(admin.get("/api/audit?action=auth.sso_login").await).await;
    let results: Vec<_> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["result"].as_str().unwrap().to_string())
        .collect();
    assert!(
        results.contains(&"ok".to_string())
            && results.contains(&"denied".to_string())
            && results.contains(&"failed".to_string()),
        "{results:?}"
    );
    // The client secret is sealed at rest: not in any stored byte.
    let stored: Vec<String> = match db {
        Db::Sqlite => ["dihya.db", "dihya.db-wal"]
            .iter()
            .map(|f| std::fs::read(app.tmp.join(f)).unwrap_or_default())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect(),
        Db::Postgres => {
            use sea_orm::{ConnectionTrait, Statement};
            let conn = sea_orm::Database::connect(&app.db_url).await.unwrap();
            let sql = "SELECT value FROM instance_meta";
            let rows = conn
                .query_all_raw(Statement::from_string(conn.get_database_backend(), sql))
                .await
                .unwrap();
            rows.iter()
                .map(|r| r.try_get::<String>("", "value").unwrap())
                .collect()
        }
    };
    assert!(!stored.is_empty());
    for text in stored {
        assert!(!text.contains(SECRET), "client secret in plain text");
    }
}

crate::on_both_databases!(oidc_sign_in_provisions_links_and_maps_groups);
