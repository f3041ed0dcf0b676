//! Attacks on the second factor and on API tokens: replaying a TOTP code,
//! guessing codes without limit, turning 2FA off with a stolen session,
//! starting a session or changing credentials with a token, and tokens that
//! outlive their parent or a password change.
use crate::helpers::{Agent, Db, PASSWORD, TestApp, json, spawn_app, totp_next, totp_now};
use crate::on_both_databases;
use serde_json::json;

/// Enrols 2FA for a new devops account; returns its agent, seed and codes.
async fn enrolled(app: &TestApp, admin: &Agent, email: &str) -> (Agent, String, Vec<String>) {
    admin.create_user(email, "devops").await;
    let u = app.agent();
    assert_eq!(u.login(email, PASSWORD).await.status(), 200);
    let enrol = json(u.post("/api/2fa/enroll", json!({})).await).await;
    let secret = enrol["secret"].as_str().unwrap().to_string();
    let res = u
        .post("/api/2fa/confirm", json!({"code": totp_now(&secret)}))
        .await;
    assert_eq!(res.status(), 200);
    let codes = json(res).await["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    (u, secret, codes)
}

fn sign_in_body(email: &str, password: &str, code: &str) -> serde_json::Value {
    json!({"email": email, "password": password, "totp": code})
}

/// A code seen once (shoulder-surfed, phished, logged) is replayed.
async fn totp_codes_are_single_use(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (_u, secret, _) = enrolled(&app, &admin, "two@dihya.test").await;
    let email = "two@dihya.test";
    // The code that confirmed enrolment cannot sign in.
    let replay = app
        .agent()
        .post(
            "/api/auth/login",
            sign_in_body(email, PASSWORD, &totp_now(&secret)),
        )
        .await;
    assert_eq!(replay.status(), 401);
    let next = totp_next(&secret);
    let first = app
        .agent()
        .post("/api/auth/login", sign_in_body(email, PASSWORD, &next))
        .await;
    assert_eq!(first.status(), 200);
    // The same code again, from another browser: refused.
    let again = app
        .agent()
        .post("/api/auth/login", sign_in_body(email, PASSWORD, &next))
        .await;
    assert_eq!(again.status(), 401);
    assert!(json(again).await["error"]["fields"]["totp"].is_string());
}

/// Wrong codes on confirm and disable are throttled like passwords.
async fn wrong_codes_are_throttled(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    admin.create_user("guess@dihya.test", "devops").await;
    let u = app.agent();
    u.login("guess@dihya.test", PASSWORD).await;
    u.post("/api/2fa/enroll", json!({})).await;
    let mut statuses = Vec::new();
    for i in 0..8 {
        let code = format!("{:06}", 100_000 + i);
        statuses.push(
            u.post("/api/2fa/confirm", json!({"code": code}))
                .await
                .status()
                .as_u16(),
        );
    }
    assert_eq!(&statuses[..5], &[422; 5], "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");

    // Disabling: the password is required, and wrong answers count too.
    let (owner, secret, codes) = enrolled(&app, &admin, "off@dihya.test").await;
    let res = owner
        .post(
            "/api/2fa/disable",
            json!({"code": codes[0], "password": "not-the-password"}),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"]["password"].is_string());
    let res = owner
        .post("/api/2fa/disable", json!({"code": totp_next(&secret)}))
        .await;
    assert_eq!(res.status(), 422, "no password, no change");
    for _ in 0..4 {
        owner
            .post(
                "/api/2fa/disable",
                json!({"code": "000000", "password": PASSWORD}),
            )
            .await;
    }
    let res = owner
        .post(
            "/api/2fa/disable",
            json!({"code": codes[1], "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 429, "throttled even with the right answer");
    let me = json(owner.get("/api/auth/me").await).await;
    assert_eq!(me["user"]["totp_enabled"], true);
}

/// The password with a recovery code turns 2FA off.
async fn disable_with_password_and_code(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (owner, _, codes) = enrolled(&app, &admin, "ok@dihya.test").await;
    let res = owner
        .post(
            "/api/2fa/disable",
            json!({"code": codes[0], "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(
        json(owner.get("/api/auth/me").await).await["user"]["totp_enabled"],
        false
    );
}

async fn token_for(agent: &Agent, scopes: &[&str], days: u32) -> String {
    let res = agent
        .post(
            "/api/tokens",
            json!({"name": "t", "scopes": scopes, "expires_in_days": days}),
        )
        .await;
    assert_eq!(res.status(), 200);
    json(res).await["token"].as_str().unwrap().to_string()
}

/// A stolen token opens a browser session, or changes the password or 2FA
/// (locking the owner out).
async fn tokens_cannot_sign_in_or_change_credentials(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let token = token_for(&admin, &["profile:manage", "tokens:manage"], 2).await;
    let client = reqwest::Client::new();
    let post = |path: &str, body: serde_json::Value| {
        client
            .post(app.url(path))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let res = post(
        "/api/auth/login",
        json!({"email": crate::helpers::ADMIN_EMAIL, "password": PASSWORD}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.headers().get("set-cookie").is_none(), "no session");
    let res = post(
        "/api/auth/password",
        json!({"current_password": PASSWORD, "new_password": "another-long-pass-2026"}),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(
        post("/api/2fa/enroll", json!({})).await.unwrap().status(),
        403
    );
    assert_eq!(
        post(
            "/api/2fa/disable",
            json!({"code": "000000", "password": PASSWORD})
        )
        .await
        .unwrap()
        .status(),
        403
    );
    // Still the old password.
    assert_eq!(
        app.agent()
            .login(crate::helpers::ADMIN_EMAIL, PASSWORD)
            .await
            .status(),
        200
    );

    // Each refusal is audited as a denied attempt.
    let denied = crate::helpers::denied_rows(&admin, "").await;
    let actions: Vec<&str> = denied.iter().filter_map(|r| r["action"].as_str()).collect();
    for action in [
        "auth.login",
        "profile.password_change",
        "2fa.enroll",
        "2fa.disable",
    ] {
        assert!(
            actions.contains(&action),
            "{action} not audited: {actions:?}"
        );
    }

    // A token makes a token: never one that outlives it.
    let longer = post(
        "/api/tokens",
        json!({"name": "child", "scopes": ["profile:manage"], "expires_in_days": 30}),
    )
    .await
    .unwrap();
    assert_eq!(longer.status(), 422);
    assert!(json(longer).await["error"]["fields"]["expires_in_days"].is_string());
    let shorter = post(
        "/api/tokens",
        json!({"name": "child", "scopes": ["profile:manage"], "expires_in_days": 1}),
    )
    .await
    .unwrap();
    assert_eq!(shorter.status(), 200);
}

/// A leaked token keeps working after the owner changed a compromised password.
async fn tokens_die_with_a_password_change(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (user, _) = crate::helpers::signed_in_as(&app, &admin, "pw@dihya.test", "devops").await;
    let token = token_for(&user, &["profile:manage"], 5).await;
    let me = |t: String| {
        let url = app.url("/api/auth/me");
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(t)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(me(token.clone()).await, 200);
    let res = user
        .post(
            "/api/auth/password",
            json!({"current_password": PASSWORD, "new_password": "another-long-pass-2026"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(me(token).await, 401);
    // An admin's reset does the same.
    let token = token_for(&user, &["profile:manage"], 5).await;
    let uid = json(user.get("/api/auth/me").await).await["user"]["id"].clone();
    let reset = json!({"id": uid, "email": "pw@dihya.test", "display_name": "pw",
        "role": "devops", "password": "reset-by-admin-2026-x"});
    assert_eq!(admin.post("/api/users", reset).await.status(), 200);
    assert_eq!(me(token).await, 401);
}

/// Recovery codes are stored keyed (HMAC): a stolen database cannot be used
/// to check guesses offline against a plain SHA-256.
async fn recovery_codes_are_keyed_hashes(db: Db) {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (_u, _, codes) = enrolled(&app, &admin, "rc@dihya.test").await;
    let conn = sea_orm::Database::connect(&app.db_url).await.unwrap();
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT code_hash FROM recovery_codes",
        ))
        .await
        .unwrap();
    assert_eq!(rows.len(), 10);
    let plain: Vec<String> = codes
        .iter()
        .map(|c| {
            use sha2::Digest;
            let normal: String = c.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            sha2::Sha256::digest(normal.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .collect();
    for row in rows {
        let stored: String = row.try_get("", "code_hash").unwrap();
        assert_eq!(stored.len(), 64, "{stored}");
        assert!(
            !plain.contains(&stored),
            "a bare SHA-256 of a code is stored"
        );
    }
}

on_both_databases!(
    totp_codes_are_single_use,
    wrong_codes_are_throttled,
    disable_with_password_and_code,
    tokens_cannot_sign_in_or_change_credentials,
    tokens_die_with_a_password_change,
    recovery_codes_are_keyed_hashes,
);
