//! Attacks on delegated permissions: a holder of `roles:manage` or
//! `users:manage` tries to gain, or act on, more than it holds. Each
//! refusal is a localized 403 naming the rule, audited as denied, with
//! nothing changed.
use crate::helpers::{
    ADMIN_EMAIL, Db, PASSWORD, create_role, denied_rows, json, signed_in_as, spawn_app,
};
use crate::on_both_databases;
use serde_json::{Value, json};

const ALL: &[&str] = &[
    "profile:manage",
    "tokens:manage",
    "notifications:read",
    "incidents:create",
    "incidents:read",
    "incidents:manage",
    "servers:read",
    "servers:write",
    "deployments:read",
    "deployments:write",
    "monitoring:read",
    "monitoring:write",
    "scripts:run",
    "plugins:manage",
    "users:read",
    "users:manage",
    "roles:manage",
    "settings:manage",
    "audit:read",
];

async fn role_perms(admin: &crate::helpers::Agent, name: &str) -> Value {
    let roles = json(admin.get("/api/roles").await).await;
    roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name)
        .map(|r| r["permissions"].clone())
        .unwrap_or(Value::Null)
}

async fn forbidden_with(res: reqwest::Response, words: &str) {
    assert_eq!(res.status(), 403);
    let body = json(res).await;
    let msg = body["error"]["message"].as_str().unwrap().to_string();
    assert!(msg.contains(words), "{msg}");
}

/// `roles:manage` alone edits its own role (or another) up to every
/// permission: it would be admin on its next request.
async fn roles_manage_cannot_escalate(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    create_role(&admin, "rolesmgr", &["roles:manage", "profile:manage"]).await;
    let (rm, _) = signed_in_as(&app, &admin, "rm@dihya.test", "rolesmgr").await;
    let before = role_perms(&admin, "rolesmgr").await;

    // Its own role, to everything.
    let res = rm
        .post(
            "/api/roles",
            json!({"name": "rolesmgr", "permissions": ALL}),
        )
        .await;
    forbidden_with(res, "role you hold").await;
    // A new role granting what it lacks, to hand to an accomplice.
    let res = rm
        .post(
            "/api/roles",
            json!({"name": "helper", "permissions": ["users:manage"]}),
        )
        .await;
    forbidden_with(res, "grant permissions you do not have").await;
    // An existing stronger role (its 2FA switch): old permissions exceed its own.
    let res = rm
        .post("/api/roles", json!({"name": "devops", "require_2fa": true}))
        .await;
    forbidden_with(res, "grant permissions you do not have").await;

    assert_eq!(role_perms(&admin, "rolesmgr").await, before);
    assert_eq!(role_perms(&admin, "helper").await, Value::Null);
    let me = json(rm.get("/api/auth/me").await).await;
    assert_eq!(me["permissions"].as_array().unwrap().len(), 2);
    assert_eq!(denied_rows(&admin, "role.").await.len(), 3);
    // Within its grant it works.
    let ok = rm
        .post(
            "/api/roles",
            json!({"name": "viewer", "permissions": ["profile:manage"]}),
        )
        .await;
    assert_eq!(ok.status(), 200, "{}", ok.text().await.unwrap());
}

/// `users:manage` demotes, disables, resets the 2FA of, ends the sessions of
/// and revokes the tokens of an account that holds more than it does.
async fn users_manage_cannot_act_on_stronger_accounts(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let user_perms = [
        "profile:manage",
        "tokens:manage",
        "notifications:read",
        "incidents:create",
    ];
    let mut perms = vec!["users:manage", "users:read"];
    perms.extend(user_perms);
    create_role(&admin, "usermgr", &perms).await;
    let (um, _) = signed_in_as(&app, &admin, "um@dihya.test", "usermgr").await;
    let admin_id = json(admin.get("/api/auth/me").await).await["user"]["id"].clone();
    let (_ops, ops_id) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let admin_token = json(
        admin
            .post(
                "/api/tokens",
                json!({"name": "ci", "scopes": ["profile:manage"], "expires_in_days": 1}),
            )
            .await,
    )
    .await["id"]
        .clone();

    for (target, email) in [
        (admin_id.clone(), ADMIN_EMAIL),
        (json!(ops_id), "ops@dihya.test"),
    ] {
        let demote = json!({"id": target, "email": email, "display_name": "x", "role": "user"});
        forbidden_with(um.post("/api/users", demote).await, "holds permissions").await;
        let disable = json!({"id": target, "email": email, "display_name": "x",
            "role": if email == ADMIN_EMAIL { "admin" } else { "devops" }, "status": "disabled"});
        assert_eq!(um.post("/api/users", disable).await.status(), 403);
        let by_id = json!({"id": target});
        assert_eq!(
            um.post("/api/users/reset-2fa", by_id.clone())
                .await
                .status(),
            403
        );
        assert_eq!(
            um.post("/api/users/revoke-sessions", by_id).await.status(),
            403
        );
    }
    let res = um
        .post("/api/tokens/revoke", json!({"id": admin_token}))
        .await;
    forbidden_with(res, "holds permissions").await;

    // Nothing changed: the admin and devops still sign in with their roles,
    // the admin's session and token still work.
    let me = json(admin.get("/api/auth/me").await).await;
    assert_eq!(me["user"]["role"], "admin");
    assert_eq!(me["user"]["display_name"], "First Admin");
    let ops = json(admin.get("/api/users?q=ops@").await).await;
    assert_eq!(ops["items"][0]["role"], "devops");
    assert_eq!(ops["items"][0]["status"], "active");
    let tokens = json(admin.get("/api/tokens").await).await;
    assert_eq!(tokens[0]["revoked"], false);
    assert!(denied_rows(&admin, "user.").await.len() >= 6);

    // An account within its grant: allowed.
    let (_u, uid) = signed_in_as(&app, &admin, "plain@dihya.test", "user").await;
    let ok = um
        .post(
            "/api/users",
            json!({"id": uid, "email": "plain@dihya.test", "display_name": "Plain", "role": "user"}),
        )
        .await;
    assert_eq!(ok.status(), 200, "{}", ok.text().await.unwrap());
    assert_eq!(
        um.post("/api/users/revoke-sessions", json!({"id": uid}))
            .await
            .status(),
        200
    );
}

/// Leaving `status` out of an update re-enabled a disabled account.
async fn status_left_out_keeps_the_current_one(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let id = admin.create_user("off@dihya.test", "user").await;
    let disable = json!({"id": id, "email": "off@dihya.test", "display_name": "Off",
        "role": "user", "status": "disabled"});
    assert_eq!(admin.post("/api/users", disable).await.status(), 200);
    let rename =
        json!({"id": id, "email": "off@dihya.test", "display_name": "Renamed", "role": "user"});
    let res = json(admin.post("/api/users", rename).await).await;
    assert_eq!(res["status"], "disabled");
    assert_eq!(res["display_name"], "Renamed");
    assert_eq!(
        app.agent().login("off@dihya.test", PASSWORD).await.status(),
        401
    );
}

/// `settings:manage` alone points SSO at an issuer it controls, which would
/// sign it in as anyone. SSO needs every permission and a fresh password.
async fn settings_manage_alone_cannot_change_sso(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    create_role(&admin, "setmgr", &["settings:manage", "profile:manage"]).await;
    let (sm, _) = signed_in_as(&app, &admin, "sm@dihya.test", "setmgr").await;
    let body = |password: &str| {
        json!({"enabled": true, "issuer": "https://idp.attacker.example", "client_id": "x",
            "client_secret": "s", "default_role": "admin",
            "group_roles": [{"group": "g", "role": "admin"}], "current_password": password})
    };
    forbidden_with(
        sm.post("/api/sso/settings", body(PASSWORD)).await,
        "every permission",
    )
    .await;
    // The admin, without the fresh password, or with a wrong one: 422.
    for wrong in ["", "not-the-password-1"] {
        let res = admin.post("/api/sso/settings", body(wrong)).await;
        assert_eq!(res.status(), 422);
        assert!(json(res).await["error"]["fields"]["current_password"].is_string());
    }
    let settings = json(admin.get("/api/sso/settings").await).await;
    assert_eq!(settings["enabled"], false, "nothing stored");
    assert_eq!(denied_rows(&admin, "settings.sso").await.len(), 1);
    let ok = admin.post("/api/sso/settings", body(PASSWORD)).await;
    assert_eq!(ok.status(), 200, "{}", ok.text().await.unwrap());
}

on_both_databases!(
    roles_manage_cannot_escalate,
    users_manage_cannot_act_on_stronger_accounts,
    status_left_out_keeps_the_current_one,
    settings_manage_alone_cannot_change_sso,
);
