//! Alerting over HTTP, against real things: a loopback target that goes
//! down makes a rule fire (and open an incident, and tell the devops
//! user), then resolve; silences, maintenance windows and flapping keep a
//! firing alert quiet; a real Prometheus fires a rule that a real
//! Alertmanager posts to the receiver. Every refusal is performed (a
//! `user`, a read-only custom role, tokens with and without
//! `alerts:ingest`). Both databases.
use crate::helpers::{Agent, Db, create_role, json, signed_in_as, spawn_app};
use crate::monitoring::{Daemon, devops, http_monitor, save, target};
use crate::on_both_databases;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;
use std::time::Duration;

async fn rule(agent: &Agent, body: Value) -> Value {
    let res = agent.post("/api/alerts/rules", body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await
}

/// Polls `/api/alerts` until `pick` finds an alert (20 s at most).
async fn wait_alert(agent: &Agent, query: &str, pick: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let page = json(agent.get(&format!("/api/alerts?{query}")).await).await;
        if let Some(a) = page["items"].as_array().unwrap().iter().find(|a| pick(a)) {
            return a.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no such alert: {page}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn kinds_of_notifications(agent: &Agent) -> Vec<String> {
    let page = json(agent.get("/api/notifications").await).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}

/// A token of `agent`'s with `scopes`.
async fn token(agent: &Agent, scopes: &[&str]) -> String {
    let res = agent
        .post(
            "/api/tokens",
            json!({"name": format!("t{}", scopes.join("-")), "scopes": scopes, "expires_in_days": 1}),
        )
        .await;
    assert_eq!(res.status(), 200);
    json(res).await["token"].as_str().unwrap().to_string()
}

async fn a_down_monitor_fires_opens_an_incident_and_resolves(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let t = target().await;
    let m = save(&ops, http_monitor("api", &format!("{}/health", t.base))).await;
    let r = rule(
        &ops,
        json!({"name": "API down", "condition": "down", "monitor_id": m["id"], "consecutive": 2,
            "severity": "critical", "labels": "team=web", "opens_incident": true, "enabled": true}),
    )
    .await;
    assert_eq!(r["consecutive"], 2);
    assert_eq!(r["labels"]["team"], "web");

    t.up.store(false, Ordering::SeqCst);
    let fired = wait_alert(&ops, "status=firing", |a| a["name"] == "API down").await;
    assert_eq!(fired["severity"], "critical");
    assert_eq!(fired["source"], "rule");
    assert_eq!(fired["monitor_id"], m["id"]);
    assert_eq!(fired["labels"]["monitor"], "api");
    assert_eq!(fired["labels"]["team"], "web");
    assert_eq!(fired["labels"]["alertname"], "API down");
    assert!(fired["quiet"].is_null(), "{fired}");
    assert!(
        fired["summary"].as_str().unwrap().contains("api: down"),
        "{fired}"
    );
    // The incident it opened, with the alert on its timeline.
    let incident = fired["incident_id"].clone();
    assert!(incident.is_i64(), "{fired}");
    let detail = json(
        ops.get(&format!("/api/incidents/detail?id={incident}"))
            .await,
    )
    .await;
    assert_eq!(detail["incident"]["severity"], "critical", "{detail}");
    assert!(detail["incident"]["reporter"].is_null(), "{detail}");
    let timeline = detail["timeline"].to_string();
    assert!(timeline.contains("\"kind\":\"alert\""), "{timeline}");
    assert!(
        kinds_of_notifications(&ops)
            .await
            .contains(&"alert.firing".to_string())
    );
    // One open alert, however many results keep it firing.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let open = json(ops.get("/api/alerts?status=open").await).await;
    assert_eq!(open["items"].as_array().unwrap().len(), 1, "{open}");
    assert_eq!(open["firing"], 1);

    // Acknowledged by the devops user.
    let res = ops
        .post("/api/alerts/acknowledge", json!({"ids": [fired["id"]]}))
        .await;
    assert_eq!(res.status(), 200);
    let acked = json(res).await;
    assert!(acked[0]["acknowledged_by"].is_string(), "{acked}");
    assert!(acked[0]["acknowledged_at"].is_string(), "{acked}");
    // A second time changes nothing (it is already acknowledged).
    let again = json(
        ops.post("/api/alerts/acknowledge", json!({"ids": [fired["id"]]}))
            .await,
    )
    .await;
    assert_eq!(again, json!([]));

    t.up.store(true, Ordering::SeqCst);
    let resolved = wait_alert(&ops, "status=resolved", |a| a["id"] == fired["id"]).await;
    assert!(resolved["resolved_at"].is_string());
    assert!(
        kinds_of_notifications(&ops)
            .await
            .contains(&"alert.resolved".to_string())
    );
    let detail = json(
        ops.get(&format!("/api/incidents/detail?id={incident}"))
            .await,
    )
    .await;
    let lines = detail["timeline"].as_array().unwrap();
    let alert_lines = lines.iter().filter(|e| e["kind"] == "alert").count();
    assert_eq!(alert_lines, 2, "firing and resolved: {detail}");
    // The incident stays open: people close tickets, not alerts.
    assert_eq!(detail["incident"]["status"], "open");

    // What evaluating cost is on /metrics (make bench reads it).
    let metrics = ops.get("/metrics").await.text().await.unwrap();
    let evaluated: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("dihya_alert_results_evaluated_total "))
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    assert!(evaluated >= 3.0, "{metrics}");
    assert!(metrics.contains("# TYPE dihya_alert_evaluation_seconds_total counter"));

    // The preview runs the rule over the stored results: the firing just
    // seen, with its resolution; a certificate rule has no history.
    let preview = json(
        ops.post(
            "/api/alerts/rules/preview",
            json!({"name": "API down", "condition": "down", "monitor_id": m["id"], "consecutive": 2,
                "severity": "critical"}),
        )
        .await,
    )
    .await;
    assert_eq!(preview["monitors"], 1, "{preview}");
    assert!(preview["results"].as_u64().unwrap() >= 4, "{preview}");
    let firings = preview["firings"].as_array().unwrap();
    assert!(!firings.is_empty(), "{preview}");
    assert_eq!(firings[0]["monitor"], "api");
    assert!(
        firings.iter().any(|f| f["resolved_at"].is_string()),
        "{preview}"
    );
    let tls = json(
        ops.post(
            "/api/alerts/rules/preview",
            json!({"name": "cert", "condition": "tls", "days": 14, "severity": "low"}),
        )
        .await,
    )
    .await;
    assert_eq!(tls["previewable"], false);
    let res = ops
        .post(
            "/api/alerts/rules/preview",
            json!({"name": "", "condition": "x", "severity": "low"}),
        )
        .await;
    assert_eq!(res.status(), 422);
}

/// An alert nobody acknowledged is escalated level by level when each
/// level's time comes (the
/// job is made due instead of waiting the minute): the managers are told
/// again and the escalation channel hears it. An acknowledged one is not.
async fn an_unacknowledged_alert_escalates(db: Db) {
    use app::platform::jobs::entity as job;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let r = crate::channels::receivers().await;
    let hook = json(
        ops.post(
            "/api/notifications/channels",
            json!({"name": "pager", "kind": "webhook", "settings": {"url": format!("{}/pager", r.base)},
                "secret": "a-webhook-key-of-some-length", "min_severity": "critical", "enabled": true}),
        )
        .await,
    )
    .await;
    let boss = json(
        ops.post(
            "/api/notifications/channels",
            json!({"name": "boss", "kind": "webhook", "settings": {"url": format!("{}/boss", r.base)},
                "secret": "another-webhook-key-of-length", "min_severity": "critical", "enabled": true}),
        )
        .await,
    )
    .await;
    let levels = json!([{"after_minutes": 5, "channel_id": hook["id"]},
        {"after_minutes": 10, "channel_id": boss["id"]}]);
    let t = target().await;
    for name in ["quiet one", "loud one"] {
        let m = save(&ops, http_monitor(name, &format!("{}/health", t.base))).await;
        let res = ops
            .post(
                "/api/alerts/rules",
                json!({"name": name, "condition": "down", "monitor_id": m["id"], "severity": "high",
                    "escalation": levels, "enabled": true}),
            )
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
        assert_eq!(json(res).await["escalation"], levels);
    }
    // A channel that does not exist, levels out of order or too many are refused.
    for bad in [
        json!([{"after_minutes": 5, "channel_id": 424242}]),
        json!([{"after_minutes": 10}, {"after_minutes": 5}]),
        json!([{"after_minutes": 1}, {"after_minutes": 2}, {"after_minutes": 3},
            {"after_minutes": 4}, {"after_minutes": 5}, {"after_minutes": 6}]),
    ] {
        let res = ops
            .post(
                "/api/alerts/rules",
                json!({"name": "x", "condition": "down", "severity": "high", "escalation": bad}),
            )
            .await;
        assert_eq!(res.status(), 422, "{bad}");
        assert!(
            json(res).await["error"]["fields"]["escalation"].is_string(),
            "{bad}"
        );
    }
    t.up.store(false, Ordering::SeqCst);
    let quiet = wait_alert(&ops, "status=firing", |a| a["name"] == "quiet one").await;
    let loud = wait_alert(&ops, "status=firing", |a| a["name"] == "loud one").await;
    let res = ops
        .post("/api/alerts/acknowledge", json!({"ids": [quiet["id"]]}))
        .await;
    assert_eq!(res.status(), 200);
    // Two levels per alert, queued for five and ten minutes later; make
    // them due.
    let conn = app::platform::db::connect(&app.db_url).await.unwrap();
    let queued = job::Entity::find()
        .filter(job::Column::Kind.eq("alerts.escalate"))
        .all(&conn)
        .await
        .unwrap();
    assert_eq!(queued.len(), 4, "{queued:?}");
    // After each firing (the two fired within a few seconds).
    let fired = chrono::DateTime::parse_from_rfc3339(loud["fired_at"].as_str().unwrap()).unwrap();
    let mut delays: Vec<i64> = queued
        .iter()
        .map(|j| (j.run_at - fired.with_timezone(&chrono::Utc)).num_seconds())
        .collect();
    delays.sort_unstable();
    for (d, want) in delays.iter().zip([300, 300, 600, 600]) {
        assert!((want - 10..=want + 10).contains(d), "{delays:?}");
    }
    // Level by level, as their times come: a level runs only while the
    // alert has not gone past it.
    for (level, reached) in [(0, 1), (1, 2)] {
        job::Entity::update_many()
            .col_expr(job::Column::RunAt, Expr::value(chrono::Utc::now()))
            .filter(job::Column::Kind.eq("alerts.escalate"))
            .filter(job::Column::IdempotencyKey.like(format!("%:{level}")))
            .exec(&conn)
            .await
            .unwrap();
        wait_alert(&ops, "status=firing", |a| {
            a["id"] == loud["id"] && a["escalation_level"] == reached
        })
        .await;
    }
    let escalated = wait_alert(&ops, "status=firing", |a| {
        a["id"] == loud["id"] && a["escalation_level"] == 2
    })
    .await;
    assert!(escalated["acknowledged_at"].is_null());
    assert!(escalated["escalated_at"].is_string());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while r.bodies("/pager").is_empty() || r.bodies("/boss").is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "a level's channel heard nothing"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let body: Value = serde_json::from_slice(&r.bodies("/boss")[0].1).unwrap();
    assert_eq!(body["title"], "loud one");
    let body: Value = serde_json::from_slice(&r.bodies("/pager")[0].1).unwrap();
    assert_eq!(body["event"], "alert.escalated");
    assert_eq!(body["title"], "loud one");
    assert!(
        kinds_of_notifications(&ops)
            .await
            .contains(&"alert.escalated".to_string())
    );
    // Every escalation job has run; the acknowledged alert was left alone.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let done = job::Entity::find()
            .filter(job::Column::Kind.eq("alerts.escalate"))
            .filter(job::Column::Status.eq("succeeded"))
            .all(&conn)
            .await
            .unwrap();
        if done.len() == 4 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{done:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let page = json(ops.get("/api/alerts?status=firing").await).await;
    let q = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == quiet["id"])
        .unwrap();
    assert!(q["escalated_at"].is_null(), "{q}");
    assert_eq!(q["escalation_level"], 0);
    assert_eq!(r.bodies("/pager").len(), 1);
    assert_eq!(r.bodies("/boss").len(), 1);
}

/// Silences and maintenance windows: the alert fires and is recorded, but
/// tells nobody; an alert that keeps coming back is flapping.
async fn quiet_alerts_are_recorded_not_told(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let t = target().await;
    let server = json(
        ops.post(
            "/api/servers",
            json!({"name": "db-1", "hostname": "127.0.0.1", "kind": "vm", "environment": "staging",
                "tags": ["db"]}),
        )
        .await,
    )
    .await;
    let url = format!("{}/health", t.base);
    let mut quiet = http_monitor("quiet", &url);
    quiet["server_id"] = server["id"].clone();
    let quiet = save(&ops, quiet).await;
    let loud = save(&ops, http_monitor("loud", &url)).await;
    for (name, m) in [("Quiet down", &quiet), ("Loud down", &loud)] {
        rule(
            &ops,
            json!({"name": name, "condition": "down", "monitor_id": m["id"], "severity": "high",
                "opens_incident": true, "enabled": true}),
        )
        .await;
    }
    // A maintenance window over the server's tag, in force now; a silence
    // of the other alert by its label.
    let now = chrono::Utc::now();
    let res = ops
        .post(
            "/api/alerts/maintenance",
            json!({"title": "Disk swap", "tags": ["db"], "kind": "once",
                "starts_at": (now - chrono::Duration::minutes(5)).to_rfc3339(),
                "ends_at": (now + chrono::Duration::hours(1)).to_rfc3339()}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let window = json(res).await;
    assert_eq!(window["active"], true, "{window}");
    let res = ops
        .post(
            "/api/alerts/silences",
            json!({"matchers": "alertname=\"Loud down\", monitor=~lo.*", "minutes": 30, "reason": "known"}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let silence = json(res).await;
    assert_eq!(silence["state"], "active");
    assert_eq!(
        silence["matchers"],
        json!(["alertname=Loud down", "monitor=~lo.*"])
    );

    t.up.store(false, Ordering::SeqCst);
    let a = wait_alert(&ops, "status=firing", |a| a["name"] == "Quiet down").await;
    assert_eq!(a["quiet"], "maintenance", "{a}");
    assert!(
        a["incident_id"].is_null(),
        "a quiet alert opens no incident: {a}"
    );
    let b = wait_alert(&ops, "status=firing", |a| a["name"] == "Loud down").await;
    assert_eq!(b["quiet"], "silenced", "{b}");
    assert!(kinds_of_notifications(&ops).await.is_empty());
    let incidents = json(ops.get("/api/incidents").await).await;
    assert_eq!(incidents["items"], json!([]));

    // Flapping: back up and down again, three times within minutes.
    for round in 1..=3 {
        t.up.store(true, Ordering::SeqCst);
        wait_alert(&ops, "status=resolved", |x| x["id"] == b["id"]).await;
        t.up.store(false, Ordering::SeqCst);
        let again = wait_alert(&ops, "status=firing", |x| x["id"] == b["id"]).await;
        assert_eq!(again["flaps"], round, "the same alert reopens: {again}");
    }
    // The silence ends; the alert is still flapping, so still quiet.
    let res = ops
        .post("/api/alerts/silences/expire", json!({"id": silence["id"]}))
        .await;
    assert_eq!(json(res).await["state"], "expired");
    t.up.store(true, Ordering::SeqCst);
    wait_alert(&ops, "status=resolved", |x| x["id"] == b["id"]).await;
    t.up.store(false, Ordering::SeqCst);
    let flapping = wait_alert(&ops, "status=firing", |x| x["id"] == b["id"]).await;
    assert_eq!(flapping["quiet"], "flapping", "{flapping}");
    assert_eq!(
        kinds_of_notifications(&ops).await,
        Vec::<String>::new(),
        "nothing told while quiet"
    );
    // Every change went to the audit log.
    let audit = json(admin.get("/api/audit?per_page=100").await)
        .await
        .to_string();
    for action in [
        "alert_rule.create",
        "maintenance.create",
        "silence.create",
        "silence.expire",
    ] {
        assert!(audit.contains(action), "{action}");
    }
}

async fn bad_input_is_named_by_field_and_nothing_is_stored(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let cases = [
        (
            "/api/alerts/rules",
            json!({"name": " ", "condition": "sunspots", "severity": "apocalyptic"}),
            &["name", "condition", "severity"][..],
        ),
        (
            "/api/alerts/rules",
            json!({"name": "slow", "condition": "latency", "severity": "low", "labels": "severity=x"}),
            &["comparator", "threshold", "labels"][..],
        ),
        (
            "/api/alerts/rules",
            json!({"name": "gone", "condition": "down", "severity": "low", "monitor_id": 424242}),
            &["monitor_id"][..],
        ),
        (
            "/api/alerts/silences",
            json!({"matchers": "x=~(", "ends_at": "2020-01-01T00:00:00Z", "reason": ""}),
            &["matchers", "ends_at", "reason"][..],
        ),
        (
            "/api/alerts/silences",
            json!({"matchers": "env!=prod", "minutes": 10, "reason": "everything"}),
            &["matchers"][..],
        ),
        (
            "/api/alerts/maintenance",
            json!({"title": "x", "server_ids": [424242], "kind": "weekly", "weekdays": ["someday"],
                "start_time": "25:00", "duration_minutes": 0, "time_zone": "Mars/Olympus"}),
            &["weekdays", "start_time", "duration_minutes", "time_zone"][..],
        ),
        (
            "/api/alerts/maintenance",
            json!({"title": "x", "server_ids": [424242], "kind": "once",
                "starts_at": "2030-01-02T00:00:00Z", "ends_at": "2030-01-01T00:00:00Z"}),
            &["ends_at"][..],
        ),
        (
            "/api/alerts/maintenance",
            json!({"title": "x", "server_ids": [424242], "kind": "once",
                "starts_at": "2030-01-01T00:00:00Z", "ends_at": "2030-01-02T00:00:00Z"}),
            &["server_ids"][..],
        ),
        ("/api/alerts/acknowledge", json!({"ids": []}), &["ids"][..]),
    ];
    for (path, body, fields) in cases {
        let res = ops.post(path, body.clone()).await;
        assert_eq!(res.status(), 422, "{path} {body}");
        let err = json(res).await;
        for f in fields {
            assert!(err["error"]["fields"][f].is_string(), "{path} {f}: {err}");
        }
    }
    // A French reader gets French messages.
    let res = ops
        .client
        .post(format!("{}/api/alerts/rules", ops.base))
        .header("origin", &ops.base)
        .header("accept-language", "fr")
        .json(&json!({"name": "", "condition": "down", "severity": "low"}))
        .send()
        .await
        .unwrap();
    let err = json(res).await;
    assert!(
        err["error"]["fields"]["name"]
            .as_str()
            .unwrap()
            .contains("nom"),
        "{err}"
    );
    // The same name twice.
    let ok = json!({"name": "Twice", "condition": "down", "severity": "low", "enabled": true});
    rule(&ops, ok.clone()).await;
    let res = ops.post("/api/alerts/rules", ok).await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"]["name"].is_string());
    for path in ["/api/alerts/silences", "/api/alerts/maintenance"] {
        assert_eq!(json(ops.get(path).await).await, json!([]), "{path}");
    }
    let rules = json(ops.get("/api/alerts/rules").await).await;
    assert_eq!(rules.as_array().unwrap().len(), 1);
    // Unknown ids.
    for path in [
        "/api/alerts/rules/delete",
        "/api/alerts/maintenance/delete",
        "/api/alerts/silences/expire",
    ] {
        assert_eq!(
            ops.post(path, json!({"id": 424242})).await.status(),
            404,
            "{path}"
        );
    }
    assert_eq!(ops.get("/api/alerts?status=exploded").await.status(), 422);
}

/// Who may do what, tried: anonymous, a `user`, a custom role that only
/// reads alerts, a token scoped to `alerts:read`; the receiver without a
/// token, with a token lacking `alerts:ingest`, and a forged payload.
async fn refusals_are_performed(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let (user, _) = signed_in_as(&app, &admin, "u@dihya.test", "user").await;
    create_role(&admin, "alert-reader", &["alerts:read"]).await;
    let (reader, _) = signed_in_as(&app, &admin, "r@dihya.test", "alert-reader").await;
    assert_eq!(app.get("/api/alerts").await.status(), 401);
    for path in [
        "/api/alerts",
        "/api/alerts/rules",
        "/api/alerts/silences",
        "/api/alerts/maintenance",
    ] {
        assert_eq!(user.get(path).await.status(), 403, "{path}");
        assert_eq!(reader.get(path).await.status(), 200, "{path}");
    }
    let writes = [
        (
            "/api/alerts/rules",
            json!({"name": "x", "condition": "down", "severity": "low"}),
        ),
        ("/api/alerts/acknowledge", json!({"ids": [1]})),
        (
            "/api/alerts/silence",
            json!({"ids": [1], "minutes": 5, "reason": "r"}),
        ),
        (
            "/api/alerts/silences",
            json!({"matchers": "a=b", "minutes": 5, "reason": "r"}),
        ),
        ("/api/alerts/silences/expire", json!({"id": 1})),
        ("/api/alerts/maintenance/delete", json!({"id": 1})),
        ("/api/alerts/rules/delete", json!({"id": 1})),
    ];
    for (path, body) in &writes {
        assert_eq!(user.post(path, body.clone()).await.status(), 403, "{path}");
        assert_eq!(
            reader.post(path, body.clone()).await.status(),
            403,
            "{path}"
        );
    }
    // A token scoped to alerts:read reads, and writes nothing.
    let read_only = token(&ops, &["alerts:read"]).await;
    let client = reqwest::Client::new();
    let res = client
        .get(app.url("/api/alerts"))
        .bearer_auth(&read_only)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = client
        .post(app.url("/api/alerts/rules"))
        .bearer_auth(&read_only)
        .json(&writes[0].1)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(json(ops.get("/api/alerts/rules").await).await, json!([]));

    // The receiver: 401 without a token, 403 without alerts:ingest.
    let payload = json!({"version": "4", "status": "firing", "receiver": "x", "alerts": [
        {"status": "firing", "labels": {"alertname": "Forged", "severity": "critical"},
         "annotations": {}, "startsAt": "2026-12-07T10:00:00Z", "fingerprint": "f1"}]});
    let path = app.url("/api/integrations/alertmanager");
    let res = client.post(&path).json(&payload).send().await.unwrap();
    assert_eq!(res.status(), 401);
    let res = client
        .post(&path)
        .bearer_auth(&read_only)
        .json(&payload)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let res = client
        .post(&path)
        .bearer_auth("not-a-token")
        .json(&payload)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // A signed-in `user` holds no alerts:ingest either.
    let res = user
        .post("/api/integrations/alertmanager", payload.clone())
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(json(ops.get("/api/alerts").await).await["items"], json!([]));

    // With alerts:ingest: malformed bodies are 400/422 and store nothing.
    let ingest = token(&ops, &["alerts:ingest"]).await;
    let res = client
        .post(&path)
        .bearer_auth(&ingest)
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let mut v3 = payload.clone();
    v3["version"] = json!("3");
    let res = client
        .post(&path)
        .bearer_auth(&ingest)
        .json(&v3)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(json(ops.get("/api/alerts").await).await["items"], json!([]));
    // The same alert twice is one alert; resolved, it resolves.
    for _ in 0..2 {
        let res = client
            .post(&path)
            .bearer_auth(&ingest)
            .json(&payload)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(json(res).await, json!({"firing": 1, "resolved": 0}));
    }
    let page = json(ops.get("/api/alerts").await).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page["items"][0]["source"], "alertmanager");
    assert!(
        page["items"][0]["incident_id"].is_i64(),
        "a critical one opens an incident"
    );
    let mut resolved = payload.clone();
    resolved["alerts"][0]["status"] = json!("resolved");
    resolved["alerts"][0]["endsAt"] = json!("2026-12-07T10:05:00Z");
    let res = client
        .post(&path)
        .bearer_auth(&ingest)
        .json(&resolved)
        .send()
        .await
        .unwrap();
    assert_eq!(json(res).await, json!({"firing": 0, "resolved": 1}));
    let page = json(ops.get("/api/alerts?status=resolved").await).await;
    assert_eq!(page["items"][0]["resolved_at"], "2026-12-07T10:05:00Z");

    // An alert whose `instance` is a server of the inventory belongs to it:
    // it joins that server's open incident and its maintenance windows.
    let server = json(
        ops.post(
            "/api/servers",
            json!({"name": "db-7", "hostname": "db7.dihya.test", "kind": "vm", "environment": "production"}),
        )
        .await,
    )
    .await;
    let on_server = |status: &str, name: &str| {
        json!({"version": "4", "alerts": [{"status": status,
            "labels": {"alertname": name, "severity": "critical", "instance": "db7.dihya.test:9100"},
            "annotations": {"summary": "disk full"}, "fingerprint": format!("fp-{name}")}]})
    };
    let res = client
        .post(&path)
        .bearer_auth(&ingest)
        .json(&on_server("firing", "DiskFull"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let disk = wait_alert(&ops, "status=firing", |a| a["name"] == "DiskFull").await;
    assert_eq!(disk["server_id"], server["id"]);
    let incident = disk["incident_id"].clone();
    let detail = json(
        ops.get(&format!("/api/incidents/detail?id={incident}"))
            .await,
    )
    .await;
    assert_eq!(
        detail["incident"]["servers"][0]["id"], server["id"],
        "{detail}"
    );
    // A second alert on the same server joins that incident.
    client
        .post(&path)
        .bearer_auth(&ingest)
        .json(&on_server("firing", "LoadHigh"))
        .send()
        .await
        .unwrap();
    let load = wait_alert(&ops, "status=firing", |a| a["name"] == "LoadHigh").await;
    assert_eq!(load["incident_id"], incident);
}

/// The real chain: Prometheus evaluates a rule that always fires and
/// sends it to Alertmanager, which posts it to Dihya Ops with a token
/// scoped to `alerts:ingest`.
async fn prometheus_and_alertmanager_deliver_alerts(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let ingest = token(&ops, &["alerts:ingest"]).await;
    let alertmanager = alertmanager(&app.tmp, &app.base, &ingest).await;
    let _prometheus = prometheus_with_rule(&app.tmp, &alertmanager.addr).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let alert = loop {
        let page = json(ops.get("/api/alerts?status=firing").await).await;
        if let Some(a) = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "DihyaTestAlert")
        {
            break a.clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{page}\n{}\n{}",
            std::fs::read_to_string(app.tmp.join("alertmanager.log")).unwrap_or_default(),
            std::fs::read_to_string(app.tmp.join("prometheus.log")).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(alert["source"], "alertmanager");
    assert_eq!(alert["severity"], "critical");
    assert_eq!(alert["labels"]["team"], "ops");
    assert_eq!(alert["summary"], "raised by the test's Prometheus");
    assert!(alert["incident_id"].is_i64(), "{alert}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Alertmanager posting every group to `base`'s receiver at once, no
/// cluster (which would listen on a fixed port).
async fn alertmanager(tmp: &std::path::Path, base: &str, token: &str) -> Daemon {
    let config = format!(
        "route:\n  receiver: dihya\n  group_wait: 0s\n  group_interval: 1s\n  repeat_interval: 1h\n\
         receivers:\n- name: dihya\n  webhook_configs:\n  - url: {base}/api/integrations/alertmanager\n\
         \x20   send_resolved: true\n    http_config:\n      authorization: {{credentials: \"{token}\"}}\n"
    );
    let file = tmp.join("alertmanager.yml");
    std::fs::write(&file, config).unwrap();
    let addr = format!("127.0.0.1:{}", free_port());
    let child = std::process::Command::new("prometheus-alertmanager")
        .arg(format!("--config.file={}", file.display()))
        .arg(format!(
            "--storage.path={}",
            tmp.join("alertmanager").display()
        ))
        .arg(format!("--web.listen-address={addr}"))
        .arg("--cluster.listen-address=")
        .stderr(std::fs::File::create(tmp.join("alertmanager.log")).unwrap())
        .spawn()
        .expect("prometheus-alertmanager is installed (scripts/setup)");
    let d = Daemon { addr, child };
    d.wait_http("/-/ready").await;
    d
}

/// Prometheus with one rule that fires at its first evaluation.
async fn prometheus_with_rule(tmp: &std::path::Path, alertmanager: &str) -> Daemon {
    let rules = tmp.join("rules.yml");
    std::fs::write(
        &rules,
        "groups:\n- name: dihya-test\n  interval: 1s\n  rules:\n  - alert: DihyaTestAlert\n    expr: vector(1)\n\
         \x20   labels: {severity: critical, team: ops}\n    annotations: {summary: \"raised by the test's Prometheus\"}\n",
    )
    .unwrap();
    let config = format!(
        "global:\n  evaluation_interval: 1s\nrule_files: [\"{}\"]\nalerting:\n  alertmanagers:\n\
         \x20 - static_configs: [{{targets: [\"{alertmanager}\"]}}]\n",
        rules.display()
    );
    let file = tmp.join("prometheus-alerting.yml");
    std::fs::write(&file, config).unwrap();
    let addr = format!("127.0.0.1:{}", free_port());
    let child = std::process::Command::new("prometheus")
        .arg(format!("--config.file={}", file.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            tmp.join("prometheus-alerting").display()
        ))
        .arg(format!("--web.listen-address={addr}"))
        // Its first send races the discovery of the Alertmanager and is
        // dropped; the next would come after the default minute.
        .arg("--rules.alert.resend-delay=1s")
        .stderr(std::fs::File::create(tmp.join("prometheus.log")).unwrap())
        .spawn()
        .expect("prometheus is installed (scripts/setup)");
    let d = Daemon { addr, child };
    d.wait_http("/-/ready").await;
    d
}

on_both_databases!(
    a_down_monitor_fires_opens_an_incident_and_resolves,
    an_unacknowledged_alert_escalates,
    quiet_alerts_are_recorded_not_told,
    bad_input_is_named_by_field_and_nothing_is_stored,
    refusals_are_performed,
    prometheus_and_alertmanager_deliver_alerts
);
