//! Identity and access over HTTP, continued: API tokens, two-factor
//! sign-in, roles that require 2FA, and the audit log.
use crate::helpers::{Db, PASSWORD, json, spawn_app, totp_next, totp_now};
use crate::on_both_databases;
use serde_json::json;

use crate::identity::me;

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
    api_tokens_scoped_revocable_and_bounded_by_owner,
    totp_enrolment_and_sign_in,
    role_can_require_2fa,
    audit_log_records_and_exports_without_secrets,
);
