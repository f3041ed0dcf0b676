//! Incidents over HTTP: a ticket's life from report to close with its
//! timeline, SLA deadlines and audit rows; filters and cursors; and every
//! refusal tried — another user's ticket, a custom role, a scoped token.
use crate::helpers::{Agent, Db, TestApp, create_role, json, signed_in_as, spawn_app};
use crate::on_both_databases;
use chrono::DateTime;
use serde_json::{Value, json};

async fn report(agent: &Agent, body: Value) -> Value {
    let res = agent.post("/api/incidents", body).await;
    assert_eq!(res.status(), 200);
    json(res).await
}

async fn update(agent: &Agent, body: Value) -> reqwest::Response {
    agent.post("/api/incidents/update", body).await
}

fn seconds_between(a: &Value, b: &Value) -> i64 {
    let t = |v: &Value| DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    (t(b) - t(a)).num_seconds()
}

fn kinds(detail: &Value) -> Vec<String> {
    detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_string())
        .collect()
}

async fn mine(agent: &Agent) -> Vec<String> {
    let page = json(agent.get("/api/incidents/mine").await).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

async fn a_ticket_goes_from_report_to_close(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, ops_id) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let (alice, alice_id) = signed_in_as(&app, &admin, "alice@dihya.test", "user").await;
    let (bob, _) = signed_in_as(&app, &admin, "bob@dihya.test", "user").await;

    // Anonymous callers report nothing.
    let res = app
        .post_json(
            "/api/incidents",
            r#"{"title":"x","severity":"low","description":""}"#,
        )
        .await;
    assert_eq!(res.status(), 401);

    // Bad input is answered by field; nothing is stored.
    for (body, fields) in [
        (
            json!({"title": " ", "severity": "apocalyptic"}),
            &["title", "severity"][..],
        ),
        (
            json!({"title": "Disk", "severity": "low", "description": "bell\u{7}"}),
            &["description"][..],
        ),
        (
            json!({"title": "Disk", "severity": "low", "server_ids": [424242]}),
            &["server_ids"][..],
        ),
    ] {
        let res = alice.post("/api/incidents", body).await;
        assert_eq!(res.status(), 422);
        let err = json(res).await;
        for f in fields {
            assert!(err["error"]["fields"][f].is_string(), "{f}: {err}");
        }
    }
    let res = alice.post("/api/incidents", json!({"title": 3})).await;
    assert_eq!(res.status(), 400);
    assert!(mine(&alice).await.is_empty());

    // A user reports; the ticket is open with its SLA deadlines.
    let t = report(
        &alice,
        json!({"title": "Checkout answers 502", "description": "Since **10:02**.<script>alert(1)</script>", "severity": "high"}),
    )
    .await;
    assert_eq!(t["status"], "open");
    assert_eq!(t["reporter"]["id"], alice_id);
    assert_eq!(t["assignee"], Value::Null);
    assert_eq!(
        seconds_between(&t["created_at"], &t["acknowledge_by"]),
        30 * 60
    );
    assert_eq!(
        seconds_between(&t["created_at"], &t["resolve_by"]),
        8 * 3600
    );
    let id = t["id"].clone();

    // Who sees it: its reporter and incidents:read; Bob gets the same 404
    // as for an id that does not exist.
    assert_eq!(mine(&alice).await, ["Checkout answers 502"]);
    assert!(mine(&bob).await.is_empty());
    assert_eq!(alice.get("/api/incidents").await.status(), 403);
    let res = bob.get(&format!("/api/incidents/detail?id={id}")).await;
    assert_eq!(res.status(), 404);
    let missing = bob.get("/api/incidents/detail?id=987654").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(json(res).await, json(missing).await);
    let d = json(alice.get(&format!("/api/incidents/detail?id={id}")).await).await;
    assert_eq!(d["can_comment"], true);
    assert_eq!(d["can_manage"], false);
    assert_eq!(d["next"], json!([]));
    assert!(
        !d["description_html"].as_str().unwrap().contains("<script"),
        "{d}"
    );
    assert!(
        d["description_html"]
            .as_str()
            .unwrap()
            .contains("<strong>10:02</strong>")
    );

    // Comments: the reporter and a manager, not another user.
    let res = bob
        .post(
            "/api/incidents/comment",
            json!({"id": id, "body": "me too"}),
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = alice
        .post("/api/incidents/comment", json!({"id": id, "body": "  "}))
        .await;
    assert_eq!(res.status(), 422);
    for (who, body) in [(&alice, "Still failing at 10:15"), (&ops, "Looking")] {
        let res = who
            .post("/api/incidents/comment", json!({"id": id, "body": body}))
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(json(res).await["body"], body);
    }

    // Only a manager moves it, and only along the lifecycle.
    assert_eq!(
        update(&alice, json!({"id": id, "status": "resolved"}))
            .await
            .status(),
        403
    );
    let res = update(&ops, json!({"id": id})).await;
    assert_eq!(res.status(), 422);
    let res = update(&ops, json!({"id": id, "status": "sideways"})).await;
    assert_eq!(res.status(), 422);
    let res = update(&ops, json!({"id": id, "status": "closed"})).await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"]["status"].is_string());
    let acked = json(update(&ops, json!({"id": id, "status": "acknowledged"})).await).await;
    assert_eq!(acked["status"], "acknowledged");
    assert!(acked["acknowledged_at"].is_string());
    let res = update(&ops, json!({"id": id, "status": "open"})).await;
    assert_eq!(res.status(), 422);

    // Assignment: only someone who reads incidents.
    let res = update(&ops, json!({"id": id, "assignee_id": alice_id})).await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"]["assignee_id"].is_string());
    let res = update(&ops, json!({"id": id, "assignee_id": 987654})).await;
    assert_eq!(res.status(), 422);
    let mine_now = json(update(&ops, json!({"id": id, "assignee_id": ops_id})).await).await;
    assert_eq!(mine_now["assignee"]["id"], ops_id);

    // A worse severity tightens the deadlines from the opening time.
    let critical = json(update(&ops, json!({"id": id, "severity": "critical"})).await).await;
    assert_eq!(
        seconds_between(&critical["created_at"], &critical["acknowledge_by"]),
        15 * 60
    );
    let res = update(&ops, json!({"id": id, "severity": "biblical"})).await;
    assert_eq!(res.status(), 422);

    // Resolve, reopen (the resolution is undone), resolve, close.
    let resolved = json(update(&ops, json!({"id": id, "status": "resolved"})).await).await;
    assert!(resolved["resolved_at"].is_string());
    let reopened = json(update(&ops, json!({"id": id, "status": "investigating"})).await).await;
    assert_eq!(reopened["resolved_at"], Value::Null);
    assert_eq!(reopened["acknowledged_at"], acked["acknowledged_at"]);
    for to in ["resolved", "closed"] {
        assert_eq!(
            update(&ops, json!({"id": id, "status": to})).await.status(),
            200
        );
    }
    let res = update(&ops, json!({"id": id, "status": "investigating"})).await;
    assert_eq!(res.status(), 422);

    // The timeline tells the whole story, and the reporter reads it.
    let d = json(alice.get(&format!("/api/incidents/detail?id={id}")).await).await;
    assert_eq!(
        kinds(&d),
        [
            "created", "comment", "comment", "status", "assignee", "severity", "status", "status",
            "status", "status"
        ]
    );
    let lines = d["timeline"].as_array().unwrap();
    assert_eq!(lines[3]["body"], "open → acknowledged");
    assert_eq!(lines[5]["body"], "high → critical");
    assert_eq!(lines[1]["actor"], "alice@dihya.test");
    assert_eq!(d["incident"]["status"], "closed");

    // The post-mortem: a draft assembled from the ticket until saved.
    let pm_path = format!("/api/incidents/postmortem?id={id}");
    let pm = json(ops.get(&pm_path).await).await;
    assert_eq!(pm["saved"], false);
    let md = pm["markdown"].as_str().unwrap();
    for part in [
        "# Post-mortem: Checkout answers 502",
        "**Severity:** Critical",
        "## Impact",
        "Since **10:02**.",
        "| alice@dihya.test | commented: Still failing at 10:15 |",
        "changed the status: Resolved → Investigating",
        "## Root cause",
    ] {
        assert!(md.contains(part), "{part:?} not in:\n{md}");
    }
    assert!(!pm["html"].as_str().unwrap().contains("<script"), "{pm}");
    // Its reporter reads it; another user cannot; only a manager saves.
    assert_eq!(alice.get(&pm_path).await.status(), 200);
    assert_eq!(bob.get(&pm_path).await.status(), 404);
    let edited = format!("{md}\nThe pool ran out of connections.");
    let res = alice
        .post(
            "/api/incidents/postmortem",
            json!({"id": id, "body": edited}),
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = ops
        .post("/api/incidents/postmortem", json!({"id": id, "body": "  "}))
        .await;
    assert_eq!(res.status(), 422);
    let res = ops
        .post(
            "/api/incidents/postmortem",
            json!({"id": id, "body": edited}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let saved = json(ops.get(&pm_path).await).await;
    assert_eq!(saved["saved"], true);
    assert!(
        saved["markdown"]
            .as_str()
            .unwrap()
            .ends_with("ran out of connections.")
    );
    assert!(
        saved["html"]
            .as_str()
            .unwrap()
            .contains("<h2>Root cause</h2>")
    );
    let d = json(ops.get(&format!("/api/incidents/detail?id={id}")).await).await;
    assert_eq!(kinds(&d).last().map(String::as_str), Some("postmortem"));

    // Each change is one audit row.
    let audit = json(admin.get("/api/audit?action=incident.").await).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "incident.update").count(),
        7
    );
    assert_eq!(
        actions.iter().filter(|a| **a == "incident.comment").count(),
        2
    );
    assert_eq!(
        actions.iter().filter(|a| **a == "incident.create").count(),
        1
    );
    app.stop().await;
}

async fn titles(agent: &Agent, query: &str) -> Vec<String> {
    let res = agent.get(&format!("/api/incidents{query}")).await;
    assert_eq!(res.status(), 200, "{query}");
    json(res).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

async fn server(ops: &Agent, name: &str) -> Value {
    let res = ops
        .post(
            "/api/servers",
            json!({"name": name, "hostname": format!("{name}.example"), "kind": "vm", "environment": "production"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    json(res).await["id"].clone()
}

async fn the_list_filters_and_pages(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, ops_id) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let web = server(&ops, "web-1").await;
    let db_server = server(&ops, "db-1").await;
    let a = report(
        &ops,
        json!({"title": "Web slow", "severity": "low", "server_ids": [web, web]}),
    )
    .await;
    assert_eq!(a["servers"], json!([{"id": web, "name": "web-1"}]));
    let b = report(
        &ops,
        json!({"title": "Database down", "severity": "critical", "server_ids": [db_server, web]}),
    )
    .await;
    assert_eq!(b["servers"].as_array().unwrap().len(), 2);
    report(
        &ops,
        json!({"title": "Certificate renewal", "severity": "info"}),
    )
    .await;
    update(&ops, json!({"id": a["id"], "status": "resolved"})).await;
    update(&ops, json!({"id": b["id"], "assignee_id": ops_id})).await;

    assert_eq!(
        titles(&ops, "").await,
        ["Certificate renewal", "Database down", "Web slow"]
    );
    assert_eq!(
        titles(&ops, "?status=active").await,
        ["Certificate renewal", "Database down"]
    );
    assert_eq!(titles(&ops, "?status=resolved").await, ["Web slow"]);
    assert_eq!(titles(&ops, "?severity=critical").await, ["Database down"]);
    assert_eq!(
        titles(&ops, &format!("?assignee={ops_id}")).await,
        ["Database down"]
    );
    assert_eq!(
        titles(&ops, "?assignee=none").await,
        ["Certificate renewal", "Web slow"]
    );
    assert_eq!(
        titles(&ops, &format!("?server={web}")).await,
        ["Database down", "Web slow"]
    );
    assert_eq!(titles(&ops, "?q=DATABASE").await, ["Database down"]);
    for bad in [
        "?status=melted",
        "?severity=1",
        "?assignee=me",
        "?cursor=x'",
    ] {
        let res = ops.get(&format!("/api/incidents{bad}")).await;
        assert_eq!(res.status(), 422, "{bad}");
    }

    // Keyset pages: newest first, nothing repeated or skipped.
    let first = json(ops.get("/api/incidents?per_page=2").await).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = json(
        ops.get(&format!("/api/incidents?per_page=2&cursor={cursor}"))
            .await,
    )
    .await;
    assert_eq!(second["items"][0]["title"], "Web slow");
    assert_eq!(second["next_cursor"], Value::Null);

    // The period's figures: three opened, one resolved, by severity.
    let r = json(ops.get("/api/incidents/report").await).await;
    assert_eq!(r["days"], 30);
    assert_eq!(
        (
            &r["all"]["opened"],
            &r["all"]["resolved"],
            &r["all"]["acknowledged"]
        ),
        (&json!(3), &json!(1), &json!(1))
    );
    assert!(r["all"]["mttr_seconds"].as_u64().unwrap() < 60, "{r}");
    assert_eq!(r["all"]["mtta_seconds"], r["all"]["mttr_seconds"]);
    let severities: Vec<&str> = r["by_severity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["critical", "low", "info"]);
    assert_eq!(r["breaches"], 0);
    for bad in ["?days=0", "?days=400", "?days=x"] {
        let res = ops.get(&format!("/api/incidents/report{bad}")).await;
        assert!([400, 422].contains(&res.status().as_u16()), "{bad}");
    }

    // A deleted server leaves the ticket, without its name.
    for to in ["decommissioned"] {
        let res = ops
            .post("/api/servers/lifecycle", json!({"id": web, "to": to}))
            .await;
        assert_eq!(res.status(), 200);
    }
    let res = ops.post("/api/servers/delete", json!({"id": web})).await;
    assert_eq!(res.status(), 200);
    let d = json(
        ops.get(&format!("/api/incidents/detail?id={}", b["id"]))
            .await,
    )
    .await;
    assert_eq!(
        d["incident"]["servers"],
        json!([{"id": db_server, "name": "db-1"}])
    );
    app.stop().await;
}

async fn token(agent: &Agent, scopes: &[&str]) -> String {
    let res = agent
        .post(
            "/api/tokens",
            json!({"name": "t", "scopes": scopes, "expires_in_days": 1}),
        )
        .await;
    assert_eq!(res.status(), 200);
    json(res).await["token"].as_str().unwrap().to_string()
}

async fn bearer(app: &TestApp, token: &str, path: &str, body: Option<Value>) -> u16 {
    let client = reqwest::Client::new();
    let req = match body {
        Some(b) => client.post(app.url(path)).json(&b),
        None => client.get(app.url(path)),
    };
    req.bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn custom_roles_and_tokens_get_what_they_hold(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let (alice, _) = signed_in_as(&app, &admin, "alice@dihya.test", "user").await;
    create_role(&admin, "triage", &["incidents:read"]).await;
    create_role(&admin, "nothing", &[]).await;
    let (triage, triage_id) = signed_in_as(&app, &admin, "triage@dihya.test", "triage").await;
    let (nobody, _) = signed_in_as(&app, &admin, "nobody@dihya.test", "nothing").await;
    let t = report(
        &alice,
        json!({"title": "Printer on fire", "severity": "medium"}),
    )
    .await;
    let id = t["id"].clone();

    // Reading everything is not managing: triage sees, cannot change or
    // comment (403: it may see the ticket), yet may be assigned.
    assert_eq!(titles(&triage, "").await, ["Printer on fire"]);
    let d = json(triage.get(&format!("/api/incidents/detail?id={id}")).await).await;
    assert_eq!(
        (&d["can_manage"], &d["can_comment"]),
        (&json!(false), &json!(false))
    );
    assert_eq!(
        update(&triage, json!({"id": id, "status": "acknowledged"}))
            .await
            .status(),
        403
    );
    let res = triage
        .post("/api/incidents/comment", json!({"id": id, "body": "hm"}))
        .await;
    assert_eq!(res.status(), 403);
    let res = update(&ops, json!({"id": id, "assignee_id": triage_id})).await;
    assert_eq!(res.status(), 200);

    // A role without incidents:create reports nothing and reads nothing.
    let res = nobody
        .post("/api/incidents", json!({"title": "x", "severity": "low"}))
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(nobody.get("/api/incidents").await.status(), 403);
    assert!(mine(&nobody).await.is_empty());
    let res = nobody.get(&format!("/api/incidents/detail?id={id}")).await;
    assert_eq!(res.status(), 404);

    // A devops token scoped to incidents:read reads, never writes; one
    // without it reads nothing. The reporter's token scoped to her profile
    // does not open her own ticket either.
    let read_only = token(&ops, &["incidents:read"]).await;
    let other = token(&ops, &["servers:read"]).await;
    assert_eq!(bearer(&app, &read_only, "/api/incidents", None).await, 200);
    assert_eq!(bearer(&app, &other, "/api/incidents", None).await, 403);
    let change = json!({"id": id, "status": "acknowledged"});
    assert_eq!(
        bearer(
            &app,
            &read_only,
            "/api/incidents/update",
            Some(change.clone())
        )
        .await,
        403
    );
    let comment = json!({"id": id, "body": "via token"});
    assert_eq!(
        bearer(
            &app,
            &read_only,
            "/api/incidents/comment",
            Some(comment.clone())
        )
        .await,
        403
    );
    let profile_only = token(&alice, &["profile:manage"]).await;
    let detail = format!("/api/incidents/detail?id={id}");
    assert_eq!(bearer(&app, &profile_only, &detail, None).await, 404);
    assert_eq!(
        bearer(&app, &profile_only, "/api/incidents/comment", Some(comment)).await,
        404
    );
    let reporter = token(&alice, &["incidents:create"]).await;
    assert_eq!(bearer(&app, &reporter, &detail, None).await, 200);

    // Live changes go to readers only.
    assert_eq!(
        alice.get("/api/events?topics=incidents").await.status(),
        403
    );
    let d = json(ops.get(&detail).await).await;
    assert_eq!(
        d["incident"]["status"], "open",
        "nothing changed by refusals"
    );
    assert_eq!(kinds(&d), ["created", "assignee"]);
    app.stop().await;
}

/// A reporter's page follows their own tickets live, and only theirs:
/// `my-incidents` events are addressed to one user.
async fn a_reporter_hears_only_their_own_tickets(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let (alice, _) = signed_in_as(&app, &admin, "alice@dihya.test", "user").await;
    let (bob, _) = signed_in_as(&app, &admin, "bob@dihya.test", "user").await;
    let hers = report(&alice, json!({"title": "Mail bounces", "severity": "high"})).await;
    let his = report(&bob, json!({"title": "Wi-Fi slow", "severity": "low"})).await;
    // A user may not listen to every ticket, only to their own.
    assert_eq!(
        alice.get("/api/events?topics=incidents").await.status(),
        403
    );
    let mut stream = alice.get("/api/events?topics=my-incidents").await;
    assert_eq!(stream.status(), 200);
    // Bob's ticket moves first, then hers: her stream shows hers only.
    for id in [&his["id"], &hers["id"]] {
        let res = update(&ops, json!({"id": id, "status": "acknowledged"})).await;
        assert_eq!(res.status(), 200);
    }
    let seen = crate::events::read_until(&mut stream, &format!("\"id\":{}", hers["id"])).await;
    assert!(seen.contains("event: report.changed"), "{seen}");
    assert!(seen.contains("\"status\":\"acknowledged\""), "{seen}");
    assert!(!seen.contains(&format!("\"id\":{}", his["id"])), "{seen}");
    assert!(!seen.contains("reporter"), "{seen}");
    // An open stream would hold the graceful shutdown.
    drop(stream);
    app.stop().await;
}

on_both_databases!(
    a_ticket_goes_from_report_to_close,
    the_list_filters_and_pages,
    custom_roles_and_tokens_get_what_they_hold,
    a_reporter_hears_only_their_own_tickets
);
