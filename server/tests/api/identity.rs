//! Identity and access over HTTP: first admin, sign-in and out, users and
//! roles rules, sessions, brute-force limits, CSRF, 2FA, API tokens, audit.
use crate::helpers::{
    ADMIN_EMAIL, Agent, Db, PASSWORD, json, spawn_app, spawn_app_with, totp_next, totp_now,
};
use crate::on_both_databases;
use serde_json::json;

async fn me(agent: &Agent) -> (u16, serde_json::Value) {
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

async fn api_tokens_scoped_revocable_and_bounded_by_owner(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let dev_id = admin.create_user("dev@dihya.test", "devops").await;
    let dev = app.agent();
    dev.login("dev@dihya.test", PASSWORD).await;
    // Scopes must be held by the owner.
    for (body, field) in [
        (
            json!({"name": "ci", "scopes": ["users:read"], "expires_in_days": 30}),
            "scopes",
        ),
        (
            json!({"name": "ci", "scopes": ["servers:nuke"], "expires_in_days": 30}),
            "scopes",
        ),
        (
            json!({"name": "ci", "scopes": ["servers:read"], "expires_in_days": 0}),
            "expires_in_days",
        ),
        (
            json!({"name": "", "scopes": ["servers:read"], "expires_in_days": 3}),
            "name",
        ),
    ] {
        let res = dev.post("/api/tokens", body.clone()).await;
        assert_eq!(res.status(), 422, "{body}");
        assert!(
            json(res).await["error"]["fields"][field].is_string(),
            "{field}"
        );
    }
    let res = dev
        .post("/api/tokens", json!({"name": "ci", "scopes": ["servers:read", "profile:manage"], "expires_in_days": 30}))
        .await;
    assert_eq!(res.status(), 200);
    let created = json(res).await;
    let token = created["token"].as_str().unwrap().to_string();
    assert_eq!(token.split('.').count(), 3, "a JWT");
    let api = reqwest::Client::new();
    let call = |path: &str| {
        api.get(format!("{}{path}", app.base))
            .bearer_auth(&token)
            .send()
    };
    let mine = json(call("/api/auth/me").await.unwrap()).await;
    assert_eq!(mine["via"], "token");
    let perms: Vec<_> = mine["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(perms, ["profile:manage", "servers:read"]);
    // Listed without the token; last use recorded.
    let list = json(dev.get("/api/tokens").await).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(!list.to_string().contains(&token));
    assert!(list[0]["last_used_at"].is_string());
    // Bearer requests skip the CSRF check.
    let res = api
        .post(format!("{}/api/auth/profile", app.base))
        .bearer_auth(&token)
        .header("origin", "https://elsewhere.example")
        .json(&json!({"display_name": "Dev", "locale": "en", "theme": "system"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    // The owner loses devops: the token loses servers:read with it.
    admin
        .post(
            "/api/users",
            json!({"id": dev_id, "email": "dev@dihya.test", "display_name": "Dev", "role": "user"}),
        )
        .await;
    let mine = json(call("/api/auth/me").await.unwrap()).await;
    assert_eq!(mine["permissions"], json!(["profile:manage"]));
    // Revocation takes effect at once.
    let dev = app.agent();
    dev.login("dev@dihya.test", PASSWORD).await;
    let res = dev
        .post("/api/tokens/revoke", json!({"id": created["id"]}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(call("/api/auth/me").await.unwrap().status(), 401);
    // Garbage and tampered tokens are 401 too.
    let tampered = format!("{}x", token);
    let res = api
        .get(format!("{}/api/auth/me", app.base))
        .bearer_auth(tampered)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

async fn totp_enrolment_and_sign_in(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    admin.create_user("two@dihya.test", "devops").await;
    let u = app.agent();
    u.login("two@dihya.test", PASSWORD).await;
    let enrol = json(u.post("/api/2fa/enroll", json!({})).await).await;
    let secret = enrol["secret"].as_str().unwrap().to_string();
    assert!(
        enrol["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    assert!(
        enrol["qr_svg_data_url"]
            .as_str()
            .unwrap()
            .starts_with("data:image/svg+xml;base64,")
    );
    let wrong = u.post("/api/2fa/confirm", json!({"code": "000000"})).await;
    assert_eq!(wrong.status(), 422);
    let codes = json(
        u.post("/api/2fa/confirm", json!({"code": totp_now(&secret)}))
            .await,
    )
    .await;
    let codes: Vec<String> = codes["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    // The seed is sealed at rest: the raw SQLite file never holds it.
    if db == Db::Sqlite {
        let raw = std::fs::read(app.tmp.join("dihya.db")).unwrap();
        let wal = std::fs::read(app.tmp.join("dihya.db-wal")).unwrap_or_default();
        for bytes in [&raw, &wal] {
            let text = String::from_utf8_lossy(bytes);
            assert!(!text.contains(&secret), "TOTP seed in the database file");
            assert!(
                !text.contains(&codes[0]),
                "recovery code in the database file"
            );
        }
    }
    // Signing in now needs the second factor.
    let v = app.agent();
    let res = v.login("two@dihya.test", PASSWORD).await;
    assert_eq!(res.status(), 401);
    assert_ne!(
        json(res).await["error"]["message"],
        json(
            app.agent()
                .login("two@dihya.test", "wrong-password-123")
                .await
        )
        .await["error"]["message"]
    );
    let with = |code: String| {
        v.post(
            "/api/auth/login",
            json!({"email": "two@dihya.test", "password": PASSWORD, "totp": code}),
        )
    };
    assert_eq!(with("123456".into()).await.status(), 401);
    // The code that confirmed enrolment is spent: the next step's code works.
    assert_eq!(with(totp_now(&secret)).await.status(), 401);
    assert_eq!(with(totp_next(&secret)).await.status(), 200);
    // A recovery code works once.
    assert_eq!(with(codes[0].to_uppercase()).await.status(), 200);
    assert_eq!(
        with(codes[0].clone()).await.status(),
        401,
        "recovery codes are single-use"
    );
    // Admin resets it (lost phone).
    let uid = json(admin.get("/api/users?q=two").await).await["items"][0]["id"].clone();
    assert_eq!(
        admin
            .post("/api/users/reset-2fa", json!({"id": uid}))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.agent().login("two@dihya.test", PASSWORD).await.status(),
        200
    );
}

async fn role_can_require_2fa(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    admin.create_user("ops@dihya.test", "devops").await;
    let res = admin
        .post("/api/roles", json!({"name": "devops", "require_2fa": true}))
        .await;
    assert_eq!(res.status(), 200);
    let roles = json(admin.get("/api/roles").await).await;
    let devops = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "devops")
        .unwrap()
        .clone();
    assert_eq!(devops["require_2fa"], true);
    assert!(
        devops["permissions"].as_array().unwrap().len() > 5,
        "built-in permissions kept"
    );
    let ops = app.agent();
    ops.login("ops@dihya.test", PASSWORD).await;
    let mine = me(&ops).await.1;
    assert_eq!(
        mine["permissions"],
        json!(["profile:manage"]),
        "only enrolment until 2FA is on"
    );
}

async fn audit_log_records_and_exports_without_secrets(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    admin.create_user("a@dihya.test", "user").await;
    app.agent()
        .login("a@dihya.test", "wrong-password-123")
        .await;
    app.agent().login("a@dihya.test", PASSWORD).await;
    let page = json(admin.get("/api/audit?per_page=50").await).await;
    let actions: Vec<(String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["result"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for want in [
        ("setup.complete", "ok"),
        ("user.create", "ok"),
        ("auth.login", "failed"),
        ("auth.login", "ok"),
    ] {
        assert!(
            actions.iter().any(|(a, r)| a == want.0 && r == want.1),
            "{want:?} in {actions:?}"
        );
    }
    assert!(!page.to_string().contains(PASSWORD));
    let failed = json(admin.get("/api/audit?action=auth.&result=failed").await).await;
    assert_eq!(failed["total"], 1);
    assert_eq!(failed["items"][0]["actor"], "a@dihya.test");
    assert!(
        failed["items"][0]["ip"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1")
    );
    let csv = admin.get("/api/audit/export?format=csv").await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".csv")
    );
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("id,at,actor,"));
    assert!(text.contains("user.create") && !text.contains(PASSWORD));
    let exported: serde_json::Value = json(
        admin
            .get("/api/audit/export?format=json&action=user.")
            .await,
    )
    .await;
    assert!(
        exported
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"].as_str().unwrap().starts_with("user."))
    );
    assert_eq!(
        admin.get("/api/audit/export?format=xml").await.status(),
        400
    );
    assert_eq!(admin.get("/api/audit?from=yesterday").await.status(), 422);
    let user = app.agent();
    user.login("a@dihya.test", PASSWORD).await;
    assert_eq!(user.get("/api/audit").await.status(), 403);
    assert_eq!(user.get("/api/audit/export").await.status(), 403);
    assert_eq!(app.agent().get("/api/audit/export").await.status(), 401);
}

on_both_databases!(
    setup_link_creates_the_first_admin_once,
    sign_in_and_out,
    user_rules_validation_last_admin_and_privilege_change,
    sessions_are_listed_and_revoked,
    brute_force_backoff_per_account,
    per_ip_sign_in_limit,
    cross_site_posts_are_refused,
    api_tokens_scoped_revocable_and_bounded_by_owner,
    totp_enrolment_and_sign_in,
    role_can_require_2fa,
    audit_log_records_and_exports_without_secrets,
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
