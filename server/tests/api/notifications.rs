//! The inbox over HTTP: incidents notify the people they concern, each
//! reads and marks only their own, in their language, and hears new ones
//! live — another person's ids and streams tried.
use crate::helpers::{Agent, Db, create_role, json, signed_in_as, spawn_app};
use crate::on_both_databases;
use serde_json::{Value, json};

async fn inbox(agent: &Agent, query: &str) -> Value {
    let res = agent.get(&format!("/api/notifications{query}")).await;
    assert_eq!(res.status(), 200, "{query}");
    json(res).await
}

fn kinds(inbox: &Value) -> Vec<String> {
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

async fn incidents_tell_the_people_they_concern(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let (ops2, ops2_id) = signed_in_as(&app, &admin, "ops2@dihya.test", "devops").await;
    let (alice, _) = signed_in_as(&app, &admin, "alice@dihya.test", "user").await;
    create_role(&admin, "nothing", &[]).await;
    let (nobody, _) = signed_in_as(&app, &admin, "nobody@dihya.test", "nothing").await;

    assert_eq!(app.get("/api/notifications").await.status(), 401);
    assert_eq!(nobody.get("/api/notifications").await.status(), 403);

    // A new ticket goes to every manager (admin and both devops), not to
    // its reporter nor to plain users.
    let res = alice
        .post(
            "/api/incidents",
            json!({"title": "Payroll export fails", "severity": "high"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let id = json(res).await["id"].clone();
    for who in [&ops, &ops2, &admin] {
        let i = inbox(who, "").await;
        assert_eq!(kinds(&i), ["incident.opened"], "{i}");
        assert_eq!(i["unread"], 1);
        let n = &i["items"][0];
        assert_eq!(n["title"], "New incident: Payroll export fails");
        assert_eq!(n["severity"], "high");
        assert_eq!(n["link"], format!("/app/incidents?selected={id}"));
        assert_eq!(n["read"], false);
    }
    assert!(kinds(&inbox(&alice, "").await).is_empty());

    // Alice listens to her own notifications while the ticket moves.
    let mut stream = alice.get("/api/events?topics=notifications").await;
    assert_eq!(stream.status(), 200);
    let res = ops
        .post(
            "/api/incidents/update",
            json!({"id": id, "assignee_id": ops2_id}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = ops
        .post(
            "/api/incidents/update",
            json!({"id": id, "status": "acknowledged"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let seen = crate::events::read_until(&mut stream, "incident.report_moved").await;
    assert!(seen.contains("event: notification.added"), "{seen}");
    assert!(
        !seen.contains("incident.assigned"),
        "someone else's: {seen}"
    );
    drop(stream);
    assert_eq!(
        kinds(&inbox(&ops2, "").await),
        ["incident.assigned", "incident.opened"]
    );
    // The actor is not told of their own moves.
    assert_eq!(kinds(&inbox(&ops, "").await), ["incident.opened"]);

    // Worded in the reader's language when read.
    let fr = alice
        .client
        .get(format!("{}/api/notifications", alice.base))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    let fr = json(fr).await;
    assert_eq!(
        fr["items"][0]["title"],
        "Votre signalement a changé de statut : Payroll export fails"
    );
    let mine = inbox(&alice, "").await;
    let alice_note = mine["items"][0]["id"].clone();

    // Marking: only one's own ids count; bad lists are refused.
    let res = ops2
        .post(
            "/api/notifications/read",
            json!({"ids": [alice_note], "read": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        inbox(&alice, "").await["unread"],
        1,
        "another user marked it"
    );
    for body in [
        json!({"ids": [], "read": true}),
        json!({"ids": (1..=201).collect::<Vec<i32>>(), "read": true}),
    ] {
        let res = alice.post("/api/notifications/read", body).await;
        assert_eq!(res.status(), 422);
        assert!(json(res).await["error"]["fields"]["ids"].is_string());
    }
    let res = alice
        .post(
            "/api/notifications/read",
            json!({"ids": [alice_note], "read": true}),
        )
        .await;
    assert_eq!(json(res).await["unread"], 0);
    assert!(kinds(&inbox(&alice, "?unread=true").await).is_empty());
    assert_eq!(inbox(&alice, "").await["items"][0]["read"], true);
    let res = alice
        .post(
            "/api/notifications/read",
            json!({"ids": [alice_note], "read": false}),
        )
        .await;
    assert_eq!(json(res).await["unread"], 1);

    // Pages by cursor, newest first.
    let first = inbox(&ops2, "?per_page=1").await;
    assert_eq!(kinds(&first), ["incident.assigned"]);
    let next = first["next_cursor"].as_str().unwrap();
    let second = inbox(&ops2, &format!("?per_page=1&cursor={next}")).await;
    assert_eq!(kinds(&second), ["incident.opened"]);
    assert_eq!(second["next_cursor"], Value::Null);
    app.stop().await;
}

on_both_databases!(incidents_tell_the_people_they_concern);
