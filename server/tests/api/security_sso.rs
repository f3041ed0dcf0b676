//! Attacks through single sign-on, against the real OpenID Provider of
//! `sso.rs`: skipping an account's TOTP by signing in through the provider,
//! and a groups claim that would demote the last active admin.
use crate::helpers::{ADMIN_EMAIL, Db, PASSWORD, json, spawn_app, totp_next, totp_now};
use crate::on_both_databases;
use crate::sso::{configure, location, sso_sign_in, start_provider};
use serde_json::json;

async fn sso_still_asks_for_the_accounts_totp(db: Db) {
    let provider = start_provider();
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    configure(&admin, &provider.issuer).await;
    // dave is provisioned on his first SSO sign-in, then turns TOTP on.
    let dave = app.agent();
    let back = sso_sign_in(&dave, &provider.issuer, "dave").await;
    assert_eq!(location(&back), "/app/profile");
    let secret = json(dave.post("/api/2fa/enroll", json!({})).await).await["secret"]
        .as_str()
        .unwrap()
        .to_string();
    let res = dave
        .post("/api/2fa/confirm", json!({"code": totp_now(&secret)}))
        .await;
    assert_eq!(res.status(), 200);

    // Through the provider again: no session until the code is given.
    let thief = app.agent();
    let back = sso_sign_in(&thief, &provider.issuer, "dave").await;
    assert_eq!(location(&back), "/login?sso=totp");
    assert_eq!(thief.get("/api/auth/me").await.status(), 401);
    let wrong = thief
        .post("/api/auth/login/totp", json!({"code": "000000"}))
        .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(thief.get("/api/auth/me").await.status(), 401);
    // Another browser cannot finish dave's pending sign-in.
    let other = app
        .agent()
        .post("/api/auth/login/totp", json!({"code": totp_next(&secret)}))
        .await;
    assert_eq!(other.status(), 400);
    let ok = thief
        .post("/api/auth/login/totp", json!({"code": totp_next(&secret)}))
        .await;
    assert_eq!(ok.status(), 200, "{}", ok.text().await.unwrap());
    let me = json(thief.get("/api/auth/me").await).await;
    assert_eq!(me["user"]["email"], "dave@idp.test");
}

async fn groups_claim_keeps_the_last_active_admin(db: Db) {
    let provider = start_provider();
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    configure(&admin, &provider.issuer).await;
    let first_id = json(admin.get("/api/auth/me").await).await["user"]["id"].clone();
    // carol links her account (password proof) and becomes admin by group.
    admin.create_user("carol@idp.test", "user").await;
    let carol = app.agent();
    sso_sign_in(&carol, &provider.issuer, "carol").await;
    assert_eq!(carol.login("carol@idp.test", PASSWORD).await.status(), 200);
    let carol = app.agent();
    sso_sign_in(&carol, &provider.issuer, "carol").await;
    assert_eq!(
        json(carol.get("/api/auth/me").await).await["user"]["role"],
        "admin"
    );
    // carol disables the first admin: she is now the last active admin.
    let off = json!({"id": first_id, "email": ADMIN_EMAIL, "display_name": "First Admin",
        "role": "admin", "status": "disabled"});
    assert_eq!(carol.post("/api/users", off).await.status(), 200);
    // The provider's group now maps to `user`…
    let res = carol
        .post(
            "/api/sso/settings",
            json!({"enabled": true, "issuer": provider.issuer, "client_id": "dihya",
                "default_role": "user", "group_roles": [{"group": "dihya-admins", "role": "user"}],
                "current_password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    // …but signing in does not leave the instance without an admin.
    let again = app.agent();
    sso_sign_in(&again, &provider.issuer, "carol").await;
    let me = json(again.get("/api/auth/me").await).await;
    assert_eq!(me["user"]["role"], "admin");
    let denied = json(
        again
            .get("/api/audit?action=user.update&result=denied")
            .await,
    )
    .await;
    assert_eq!(denied["items"].as_array().unwrap().len(), 1, "{denied}");
}

on_both_databases!(
    sso_still_asks_for_the_accounts_totp,
    groups_claim_keeps_the_last_active_admin,
);
