use crate::helpers::{Db, json, spawn_app};
use crate::on_both_databases;

async fn setup_link_is_printed_once_and_checks(db: Db) {
    let app = spawn_app(db).await;
    let link = app
        .setup_link
        .clone()
        .expect("fresh database prints a setup link");
    let token = link.rsplit('/').next().unwrap().to_string();
    let ok = app
        .post_json("/api/setup/check", &format!(r#"{{"token":"{token}"}}"#))
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(json(ok).await["valid"], true);
    let bad = app
        .post_json("/api/setup/check", r#"{"token":"nope"}"#)
        .await;
    assert_eq!(json(bad).await["valid"], false);
    // The page behind the link says it is valid, and is kept out of search engines.
    let page = app.get(&format!("/setup/{token}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("data-valid=\"true\""), "{html}");
    assert!(html.contains("noindex"));
    let page = app.get("/setup/0000").await.text().await.unwrap();
    assert!(page.contains("data-valid=\"false\""));
}

async fn setup_check_rejects_malformed_input(db: Db) {
    let app = spawn_app(db).await;
    for body in ["{", "[]", r#"{"token": 5}"#, "", r#"{"tok":"x"}"#] {
        let res = app.post_json("/api/setup/check", body).await;
        assert_eq!(res.status(), 400, "{body}");
        let err = json(res).await;
        assert_eq!(err["error"]["code"], "bad_request", "{body}");
        assert!(!err["error"]["message"].as_str().unwrap().is_empty());
    }
}

on_both_databases!(
    setup_link_is_printed_once_and_checks,
    setup_check_rejects_malformed_input
);
