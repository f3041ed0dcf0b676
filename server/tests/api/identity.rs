//! Identity and access over HTTP: first admin, sign-in and out, users and
//! roles rules, sessions, brute-force limits, CSRF (tokens, 2FA and audit
//! are in `credentials.rs`).
use crate::helpers::{ADMIN_EMAIL, Agent, Db, PASSWORD, json, spawn_app, spawn_app_with};
use crate::on_both_databases;
use serde_json::json;

pub(crate) async fn me(agent: &Agent) -> (u16, serde_json::Value) {
    let res = agent.get("/api/auth/me").await;
    let status = res.status().as_u16();
    (status, json(res).await)
}

async fn setup_link_creates_the_first_admin_once(db: Db) {
    let app = spawn_app(db).await;
    let token = app
        .setup_link
        .as_deref()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_string();
    // Bad input: each field named, nothing stored, link still valid.
    let anon = app.agent();
    let res = anon
        .post("/api/setup/complete", json!({"token": token, "email": "not-an-email", "display_name": " ", "password": "password1234"}))
        .await;
    assert_eq!(res.status(), 422);
    let err = json(res).await;
    for field in ["email", "display_name", "password"] {
        assert!(err["error"]["fields"][field].is_string(), "{field}: {err}");
    }
    let admin = app.admin().await;
    let (status, body) = me(&admin).await;
    assert_eq!(status, 200);
    assert_eq!(body["user"]["email"], ADMIN_EMAIL);
    assert_eq!(body["user"]["role"], "admin");
    assert!(
        body["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "users:manage")
    );
    // The link is spent.
    let again = app
        .agent()
        .post("/api/setup/complete", json!({"token": token, "email": "x@dihya.test", "display_name": "X", "password": PASSWORD}))
        .await;
    assert_eq!(again.status(), 403);
    let check = app
        .post_json("/api/setup/check", &format!(r#"{{"token":"{token}"}}"#))
        .await;
    assert_eq!(json(check).await["valid"], false);
    let list = json(admin.get("/api/users").await).await;
    assert_eq!(list["total"], 1);
}

async fn sign_in_and_out(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    admin.create_user("devops@dihya.test", "devops").await;
    let dev = app.agent();
    assert_eq!(me(&dev).await.0, 401);
    // Unknown account and wrong password: the same status and message.
    let unknown = json(dev.login("nobody@dihya.test", PASSWORD).await).await;
    let wrong = dev.login("devops@dihya.test", "wrong-password-123").await;
    assert_eq!(wrong.status(), 401);
    let wrong = json(wrong).await;
    assert_eq!(unknown["error"]["message"], wrong["error"]["message"]);
    assert_eq!(wrong["error"]["code"], "unauthorized");
    // Malformed email is a 422 naming the field.
    let bad = dev.login("devops", PASSWORD).await;
    assert_eq!(bad.status(), 422);
    // Success: an HttpOnly, SameSite=Lax session cookie.
    let ok = dev.login("DevOps@Dihya.test", PASSWORD).await;
    assert_eq!(ok.status(), 200, "{:?}", ok.text().await);
    let cookie = ok
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.starts_with("dihya_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let body = json(ok).await;
    assert_eq!(body["user"]["role"], "devops");
    assert!(!body.to_string().contains("argon2"), "no hash on the wire");
    let (status, mine) = me(&dev).await;
    assert_eq!(status, 200);
    assert_eq!(mine["via"], "session");
    assert!(
        mine["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "servers:write")
    );
    // Signing in again cycles the session id.
    let again = dev.login("devops@dihya.test", PASSWORD).await;
    let cookie2 = again
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_ne!(cookie.split(';').next(), cookie2.split(';').next());
    // Devops cannot list users.
    assert_eq!(dev.get("/api/users").await.status(), 403);
    let out = dev.post("/api/auth/logout", json!({})).await;
    assert_eq!(out.status(), 200);
    assert_eq!(me(&dev).await.0, 401);
}

async fn user_rules_validation_last_admin_and_privilege_change(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let cases = [
        (
            json!({"email": "bad", "display_name": "A", "role": "user", "password": PASSWORD}),
            "email",
        ),
        (
            json!({"email": "a@dihya.test", "display_name": "A", "role": "user", "password": "short"}),
            "password",
        ),
        (
            json!({"email": "a@dihya.test", "display_name": "A", "role": "user", "password": "Password2024!"}),
            "password",
        ),
        (
            json!({"email": "a@dihya.test", "display_name": "A", "role": "root", "password": PASSWORD}),
            "role",
        ),
        (
            json!({"email": "a@dihya.test", "display_name": "x".repeat(101), "role": "user", "password": PASSWORD}),
            "display_name",
        ),
        (
            json!({"email": "ADMIN@dihya.test", "display_name": "Twin", "role": "user", "password": PASSWORD}),
            "email",
        ),
    ];
    for (body, field) in cases {
        let res = admin.post("/api/users", body.clone()).await;
        assert_eq!(res.status(), 422, "{body}");
        let err = json(res).await;
        assert!(err["error"]["fields"][field].is_string(), "{field}: {err}");
    }
    assert_eq!(
        json(admin.get("/api/users").await).await["total"],
        1,
        "nothing stored"
    );
    let fr = admin
        .client
        .post(format!("{}/api/users", admin.base))
        .header("origin", &admin.base)
        .header("accept-language", "fr")
        .json(&json!({"email": "bad", "display_name": "A", "role": "user", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let fr = json(fr).await;
    assert_ne!(
        fr["error"]["fields"]["email"], "Enter a valid email address.",
        "localized: {fr}"
    );

    // Nobody changes their own role or status.
    let me_id = me(&admin).await.1["user"]["id"].as_i64().unwrap();
    let res = admin
        .post(
            "/api/users",
            json!({"id": me_id, "email": ADMIN_EMAIL, "display_name": "A", "role": "user"}),
        )
        .await;
    assert_eq!(res.status(), 403);

    // A custom role that manages users cannot touch an admin at all…
    let role = admin
        .post("/api/roles", json!({"name": "helpdesk", "permissions": ["users:read", "users:manage", "profile:manage", "tokens:manage", "notifications:read", "incidents:create"]}))
        .await;
    assert_eq!(role.status(), 200, "{}", role.text().await.unwrap());
    admin.create_user("help@dihya.test", "helpdesk").await;
    let help = app.agent();
    assert_eq!(help.login("help@dihya.test", PASSWORD).await.status(), 200);
    let demote_admin =
        json!({"id": me_id, "email": ADMIN_EMAIL, "display_name": "A", "role": "user"});
    let res = help.post("/api/users", demote_admin.clone()).await;
    assert_eq!(res.status(), 403);
    // …and one that holds every permission still cannot demote the last admin.
    let all: Vec<&str> = app::platform::Permission::ALL
        .iter()
        .map(|p| p.as_str())
        .collect();
    let res = admin
        .post("/api/roles", json!({"name": "deputy", "permissions": all}))
        .await;
    assert_eq!(res.status(), 200);
    admin.create_user("deputy@dihya.test", "deputy").await;
    let deputy = app.agent();
    assert_eq!(
        deputy.login("deputy@dihya.test", PASSWORD).await.status(),
        200
    );
    let res = deputy.post("/api/users", demote_admin).await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"]["role"].is_string());
    // …nor hand out a role with more than it holds.
    let res = help
        .post("/api/users", json!({"email": "x@dihya.test", "display_name": "X", "role": "admin", "password": PASSWORD}))
        .await;
    assert_eq!(res.status(), 403);

    // A role change ends the target's sessions at once.
    let dev_id = admin.create_user("dev@dihya.test", "devops").await;
    let dev = app.agent();
    assert_eq!(dev.login("dev@dihya.test", PASSWORD).await.status(), 200);
    assert_eq!(me(&dev).await.0, 200);
    let res = admin
        .post(
            "/api/users",
            json!({"id": dev_id, "email": "dev@dihya.test", "display_name": "Dev", "role": "user"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(me(&dev).await.0, 401, "session ended by the role change");
    // Disabled accounts cannot sign in; the answer stays generic.
    admin
        .post("/api/users", json!({"id": dev_id, "email": "dev@dihya.test", "display_name": "Dev", "role": "user", "status": "disabled"}))
        .await;
    assert_eq!(dev.login("dev@dihya.test", PASSWORD).await.status(), 401);
    // Filter, sort, paginate.
    let page = json(admin.get("/api/users?role=helpdesk").await).await;
    assert_eq!(page["total"], 1);
    let page = json(admin.get("/api/users?sort=-email&per_page=2&page=1").await).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert_eq!(page["items"][0]["email"], "help@dihya.test");
    assert_eq!(
        admin.get("/api/users?sort=password_hash").await.status(),
        422
    );
}

async fn sessions_are_listed_and_revoked(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let uid = admin.create_user("u@dihya.test", "user").await;
    let (a, b) = (app.agent(), app.agent());
    assert_eq!(a.login("u@dihya.test", PASSWORD).await.status(), 200);
    assert_eq!(b.login("u@dihya.test", PASSWORD).await.status(), 200);
    let list = json(a.get("/api/auth/sessions").await).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let other = list.iter().find(|s| s["current"] == false).unwrap();
    let res = a
        .post("/api/auth/sessions/revoke", json!({"id": other["id"]}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(me(&b).await.0, 401);
    assert_eq!(me(&a).await.0, 200);
    // Admin ends all of them.
    let res = admin
        .post("/api/users/revoke-sessions", json!({"id": uid}))
        .await;
    assert_eq!(json(res).await, 1);
    assert_eq!(me(&a).await.0, 401);
}

async fn brute_force_backoff_per_account(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    admin.create_user("victim@dihya.test", "user").await;
    let attacker = app.agent();
    for _ in 0..5 {
        assert_eq!(
            attacker
                .login("victim@dihya.test", "wrong-password-123")
                .await
                .status(),
            401
        );
    }
    // Now even the right password waits, with Retry-After.
    let res = attacker.login("victim@dihya.test", PASSWORD).await;
    assert_eq!(res.status(), 429);
    let wait: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    assert_eq!(json(res).await["error"]["code"], "rate_limited");
    // Another account is unaffected.
    assert_eq!(app.agent().login(ADMIN_EMAIL, PASSWORD).await.status(), 200);
}

async fn per_ip_sign_in_limit(db: Db) {
    let app = spawn_app_with(db, |c| c.login_attempts_per_ip = 3).await;
    let a = app.agent();
    for _ in 0..3 {
        assert_eq!(
            a.login("x@dihya.test", "wrong-password-123").await.status(),
            401
        );
    }
    let res = a.login("y@dihya.test", "wrong-password-123").await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));
}

async fn cross_site_posts_are_refused(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let url = format!("{}/api/users", admin.base);
    let body = json!({"email": "csrf@dihya.test", "display_name": "C", "role": "admin", "password": PASSWORD});
    let evil = admin
        .client
        .post(&url)
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    assert_eq!(json(evil).await["error"]["code"], "forbidden");
    let evil = admin
        .client
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let bare = admin.client.post(&url).json(&body).send().await.unwrap();
    assert_eq!(bare.status(), 403, "a cookie without Origin is refused");
    assert_eq!(
        json(admin.get("/api/users").await).await["total"],
        1,
        "nothing created"
    );
    // Same origin passes; bearer tokens are exempt.
    let same = admin
        .client
        .post(&url)
        .header("sec-fetch-site", "same-origin")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), 200);
}

on_both_databases!(
    setup_link_creates_the_first_admin_once,
    sign_in_and_out,
    user_rules_validation_last_admin_and_privilege_change,
    sessions_are_listed_and_revoked,
    brute_force_backoff_per_account,
    per_ip_sign_in_limit,
    cross_site_posts_are_refused,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_refuses_to_lose_the_secret_key() {
    let app = spawn_app(Db::Sqlite).await;
    let (tmp, url) = (app.tmp.clone(), app.db_url.clone());
    let key = tmp.join("secret.key");
    let saved = std::fs::read(&key).unwrap();
    std::fs::remove_file(&key).unwrap();
    let config = crate::helpers::test_config(&url, &tmp);
    let err = dihya::Application::build(config.clone())
        .await
        .err()
        .expect("must refuse");
    assert!(err.to_string().contains("DIHYA_SECRET_KEY"), "{err}");
    std::fs::write(&key, saved).unwrap();
    assert!(dihya::Application::build(config).await.is_ok());
    app.stop().await;
}
