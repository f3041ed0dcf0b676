//! `GET /api/events`: server-sent events, authorized when the stream opens
//! and on every event. Refusals are performed: anonymous, a `user` asking
//! for a topic it may not read, an unknown topic, and a `user` listening to
//! everything while inventory changes happen.
use crate::helpers::{Agent, Db, json, signed_in_as, spawn_app};
use crate::on_both_databases;
use serde_json::json;
use std::time::Duration;

/// Reads the stream until `pattern` appears (or fails after 10 s).
pub async fn read_until(res: &mut reqwest::Response, pattern: &str) -> String {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains(pattern) {
        let chunk = tokio::time::timeout_at(deadline, res.chunk())
            .await
            .unwrap_or_else(|_| panic!("no {pattern:?} in: {seen}"))
            .unwrap()
            .expect("stream ended");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    seen
}

async fn open(agent: &Agent, query: &str) -> reqwest::Response {
    agent.get(&format!("/api/events{query}")).await
}

async fn events_reach_only_those_who_may_read_them(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let (user, _) = signed_in_as(&app, &admin, "u@dihya.test", "user").await;

    assert_eq!(app.get("/api/events").await.status(), 401);
    assert_eq!(open(&user, "?topics=monitoring").await.status(), 403);
    assert_eq!(open(&user, "?topics=servers").await.status(), 403);
    let bad = open(&ops, "?topics=servers,payroll").await;
    assert_eq!(bad.status(), 422);
    assert!(json(bad).await["error"]["fields"]["topics"].is_string());

    let mut ops_stream = open(&ops, "?topics=servers").await;
    assert_eq!(ops_stream.status(), 200);
    assert!(
        ops_stream.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    // A user may open the stream: it carries only what they may read.
    let mut user_stream = open(&user, "").await;
    assert_eq!(user_stream.status(), 200);

    let res = ops
        .post(
            "/api/servers",
            json!({"name": "live-1", "hostname": "live-1.example.net", "kind": "vm",
                "environment": "production"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let seen = read_until(&mut ops_stream, "live-1").await;
    assert!(seen.contains("event: server.changed"), "{seen}");
    assert!(seen.contains("\"change\":\"created\""), "{seen}");

    // The event went out before the devops stream got it; the user's
    // stream, open all along, has nothing but keep-alives.
    let quiet = tokio::time::timeout(Duration::from_millis(500), user_stream.chunk()).await;
    if let Ok(Ok(Some(bytes))) = quiet {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("live-1"), "a user received: {text}");
    }
}

/// A token revoked while its stream is open stops receiving at the next
/// re-check (`events_route::RECHECK`, 15 s): the stream ends.
async fn a_revoked_token_stops_listening(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let made = json(
        ops.post(
            "/api/tokens",
            json!({"name": "dashboard", "scopes": ["servers:read"], "expires_in_days": 1}),
        )
        .await,
    )
    .await;
    let token = made["token"].as_str().unwrap().to_string();
    let mut stream = reqwest::Client::new()
        .get(app.url("/api/events?topics=servers"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let res = ops
        .post(
            "/api/servers",
            json!({"name": "before", "hostname": "before.example.net", "kind": "vm",
                "environment": "production"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    read_until(&mut stream, "before").await;
    let revoked = ops
        .post("/api/tokens/revoke", json!({"id": made["id"]}))
        .await;
    assert_eq!(revoked.status(), 200);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(25);
    let mut after = String::new();
    loop {
        match tokio::time::timeout_at(deadline, stream.chunk()).await {
            Err(_) => panic!("the stream of a revoked token is still open: {after}"),
            Ok(Ok(Some(bytes))) => after.push_str(&String::from_utf8_lossy(&bytes)),
            Ok(Ok(None)) | Ok(Err(_)) => break,
        }
    }
    assert!(!after.contains("event: server.changed"), "{after}");
}

on_both_databases!(
    events_reach_only_those_who_may_read_them,
    a_revoked_token_stops_listening
);
