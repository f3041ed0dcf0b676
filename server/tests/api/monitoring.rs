//! Monitoring over HTTP, against real targets on loopback: an HTTP server
//! that goes up and down, hangs or answers an endless body; a closed port;
//! monitoring-plugins; dnsmasq; a certificate made by openssl. The engine
//! runs inside the test server with intervals scaled down
//! (`helpers::CHECK_INTERVAL_SCALE`). Refusals are performed as a `user`,
//! a read-only custom role and a read-only token. Both databases.
use crate::helpers::{Agent, Db, TestApp, create_role, json, signed_in_as, spawn_app};
use crate::on_both_databases;
use axum::{Router, routing::get};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A loopback HTTP target: `/health` answers 200 "all good" while `up`,
/// 503 otherwise; `/slow` never answers in time; `/endless` streams
/// without end.
pub(crate) struct Target {
    pub(crate) base: String,
    pub(crate) up: Arc<AtomicBool>,
}

pub(crate) async fn target() -> Target {
    let up = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&up);
    let app = Router::new()
        .route(
            "/health",
            get(move || {
                let flag = Arc::clone(&flag);
                async move {
                    if flag.load(Ordering::SeqCst) {
                        (axum::http::StatusCode::OK, "all good")
                    } else {
                        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "broken")
                    }
                }
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                "late"
            }),
        )
        .route(
            "/endless",
            get(|| async {
                let chunks = futures::stream::repeat_with(|| {
                    Ok::<_, std::io::Error>(axum::body::Bytes::from_static(&[b'x'; 8192]))
                });
                axum::body::Body::from_stream(chunks)
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Target { base, up }
}

pub(crate) async fn devops(app: &TestApp) -> (Agent, Agent) {
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(app, &admin, "ops@dihya.test", "devops").await;
    (ops, admin)
}

pub(crate) fn http_monitor(name: &str, url: &str) -> Value {
    json!({"name": name, "kind": "http", "target": url, "interval_seconds": 10,
        "timeout_seconds": 2, "retries": 0})
}

pub(crate) async fn save(agent: &Agent, body: Value) -> Value {
    let res = agent.post("/api/monitors", body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await
}

pub(crate) async fn test_now(agent: &Agent, body: Value) -> Value {
    let res = agent.post("/api/monitors/test", body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await
}

/// Polls the overview until monitor `id` has `status` (or fails after 20 s).
pub(crate) async fn wait_for(agent: &Agent, id: &Value, status: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let res = agent.get("/api/monitoring?per_page=200").await;
        assert_eq!(res.status(), 200);
        let body = json(res).await;
        let found = body["monitors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| &m["id"] == id)
            .cloned()
            .expect("monitor listed");
        if found["status"] == status {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "monitor {id} never became {status}: {found}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn monitors_are_validated_and_saved(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let t = target().await;
    let created = save(&ops, http_monitor("web", &format!("{}/health", t.base))).await;
    assert_eq!(created["status"], "pending");
    assert_eq!(created["kind"], "http");
    assert!(created.get("push_url").is_none());
    let id = created["id"].clone();

    // The same name again: 409 naming the field.
    let dup = ops
        .post("/api/monitors", http_monitor("web", "http://127.0.0.1:1/"))
        .await;
    assert_eq!(dup.status(), 409);
    assert!(json(dup).await["error"]["fields"]["name"].is_string());

    // Every bad field at once, each named, in the caller's language.
    let bad = ops
        .client
        .post(app.url("/api/monitors"))
        .header("origin", &app.base)
        .header("accept-language", "fr")
        .json(
            &json!({"name": "", "kind": "http", "target": "ftp://x", "interval_seconds": 5,
            "timeout_seconds": 0, "retries": 99, "regex": "(", "expected_status": "200-99",
            "headers": {"Bad Header": "x"}, "server_id": 424242}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let err = json(bad).await;
    let fields = err["error"]["fields"].as_object().unwrap();
    for f in [
        "name",
        "target",
        "interval_seconds",
        "timeout_seconds",
        "retries",
        "regex",
        "expected_status",
        "headers",
    ] {
        assert!(fields.contains_key(f), "{f} missing in {err}");
    }
    assert!(
        fields["interval_seconds"]
            .as_str()
            .unwrap()
            .contains("secondes"),
        "{err}"
    );
    // A server that does not exist is named too, once the rest is valid.
    let orphan = ops
        .post(
            "/api/monitors",
            json!({"name": "orphan", "kind": "tcp", "target": "127.0.0.1:9", "interval_seconds": 10,
                "timeout_seconds": 2, "server_id": 424242}),
        )
        .await;
    assert_eq!(orphan.status(), 422);
    assert!(json(orphan).await["error"]["fields"]["server_id"].is_string());
    // Per kind: a TCP target needs a port, a plugin line a plugin name.
    for (kind, target, field) in [
        ("tcp", "db.internal", "target"),
        ("command", "/bin/sh -c reboot", "target"),
        ("dns", "exa mple", "target"),
        ("heartbeat", "http://x", "target"),
        ("smoke", "x", "kind"),
    ] {
        let res = ops
            .post(
                "/api/monitors",
                json!({"name": "k", "kind": kind, "target": target, "interval_seconds": 10,
                    "timeout_seconds": 2}),
            )
            .await;
        assert_eq!(res.status(), 422, "{kind} {target}");
        assert!(
            json(res).await["error"]["fields"][field].is_string(),
            "{kind}"
        );
    }
    // Nothing invalid was stored.
    let overview = json(ops.get("/api/monitoring").await).await;
    assert_eq!(overview["monitors"].as_array().unwrap().len(), 1);

    // Update by id: the revision takes effect, the name stays unique.
    let updated = save(
        &ops,
        json!({"id": id, "name": "web-renamed", "kind": "http", "target": format!("{}/health", t.base),
            "interval_seconds": 20, "timeout_seconds": 3, "keyword": "good"}),
    )
    .await;
    assert_eq!(updated["name"], "web-renamed");
    assert_eq!(updated["settings"]["keyword"], "good");
    let detail = json(ops.get(&format!("/api/monitors/detail?id={id}")).await).await;
    assert_eq!(detail["interval_seconds"], 20);

    // Deleting removes it; a second delete is a 404.
    assert_eq!(
        ops.post("/api/monitors/delete", json!({"id": id}))
            .await
            .status(),
        200
    );
    assert_eq!(
        ops.post("/api/monitors/delete", json!({"id": id}))
            .await
            .status(),
        404
    );
}

async fn the_engine_follows_a_target_up_and_down(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let (user, _) = signed_in_as(&app, &admin, "u@dihya.test", "user").await;
    let t = target().await;
    let web = save(&ops, http_monitor("web", &format!("{}/health", t.base))).await["id"].clone();
    let slow = save(&ops, http_monitor("slow", &format!("{}/slow", t.base))).await["id"].clone();
    let mut endless = http_monitor("endless", &format!("{}/endless", t.base));
    endless["keyword"] = json!("never there");
    let endless = save(&ops, endless).await["id"].clone();
    let closed = save(
        &ops,
        json!({"name": "closed", "kind": "tcp", "target": "127.0.0.1:9", "interval_seconds": 10,
            "timeout_seconds": 2}),
    )
    .await["id"]
        .clone();
    let port = t.base.rsplit(':').next().unwrap();
    let open = save(
        &ops,
        json!({"name": "open", "kind": "tcp", "target": format!("127.0.0.1:{port}"),
            "interval_seconds": 10, "timeout_seconds": 2}),
    )
    .await["id"]
        .clone();

    let mut ops_stream = ops.get("/api/events?topics=monitoring").await;
    assert_eq!(ops_stream.status(), 200);
    assert_eq!(
        user.get("/api/events?topics=monitoring").await.status(),
        403
    );

    wait_for(&ops, &web, "up").await;
    wait_for(&ops, &open, "up").await;
    let closed_row = wait_for(&ops, &closed, "down").await;
    assert!(
        closed_row["message"]
            .as_str()
            .unwrap()
            .contains("connection"),
        "{closed_row}"
    );
    // A hanging target is cut off by the timeout, an endless body by the
    // size cap; both are down with the reason.
    let slow_row = wait_for(&ops, &slow, "down").await;
    assert!(
        slow_row["message"].as_str().unwrap().contains("timed out"),
        "{slow_row}"
    );
    let endless_row = wait_for(&ops, &endless, "down").await;
    assert!(
        endless_row["message"]
            .as_str()
            .unwrap()
            .contains("size cap"),
        "{endless_row}"
    );

    // The target breaks: down within an interval, and the open stream says so.
    t.up.store(false, Ordering::SeqCst);
    let down = wait_for(&ops, &web, "down").await;
    assert!(down["message"].as_str().unwrap().contains("503"), "{down}");
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !(seen.contains("monitor.changed") && seen.contains("\"down\"")) {
        let chunk = tokio::time::timeout_at(deadline, ops_stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no monitor.changed in {seen}"))
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    t.up.store(true, Ordering::SeqCst);
    wait_for(&ops, &web, "up").await;

    // The series holds both states; a user may not read it.
    let now = chrono::Utc::now().timestamp();
    let series_path = format!(
        "/api/monitoring/series?monitor={web}&from={}&to={}&step=3600",
        now - 3600,
        now + 60
    );
    let series = json(ops.get(&series_path).await).await;
    let points = series["points"].as_array().unwrap();
    let checks: u64 = points.iter().map(|p| p["checks"].as_u64().unwrap()).sum();
    assert!(checks >= 3, "{series}");
    let up: u64 = points
        .iter()
        .map(|p| p["uptime"].as_f64().unwrap() * p["checks"].as_f64().unwrap() / 100.0)
        .sum::<f64>()
        .round() as u64;
    assert!(up >= 1 && up < checks, "{series}");
    assert_eq!(user.get(&series_path).await.status(), 403);
    let backwards = ops
        .get(&format!(
            "/api/monitoring/series?monitor={web}&from={now}&to={}",
            now - 10
        ))
        .await;
    assert_eq!(backwards.status(), 422);
    assert!(json(backwards).await["error"]["fields"]["from"].is_string());

    let overview = json(ops.get("/api/monitoring").await).await;
    let summary = &overview["summary"];
    assert_eq!(
        summary["up"].as_u64().unwrap() + summary["down"].as_u64().unwrap(),
        5,
        "{overview}"
    );
    // Changes of state, newest first: the web target's fall and recovery
    // (its first "up" is not news), and the worst offenders of the day.
    let changes: Vec<(Value, Value, Value)> = overview["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["monitor_id"] == web)
        .map(|c| {
            (
                c["previous"].clone(),
                c["status"].clone(),
                c["name"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (json!("down"), json!("up"), json!("web")),
            (json!("up"), json!("down"), json!("web"))
        ],
        "{overview}"
    );
    let worst = overview["worst"].as_array().unwrap();
    for id in [&web, &closed, &slow, &endless] {
        let w = worst
            .iter()
            .find(|w| &w["id"] == id)
            .expect("a worst offender");
        assert_eq!(w["downs"], 1, "{overview}");
    }
    assert!(worst.iter().all(|w| w["id"] != open), "{overview}");
    let first = json(ops.get("/api/monitoring?per_page=2").await).await;
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let second = json(
        ops.get(&format!("/api/monitoring?per_page=2&cursor={cursor}"))
            .await,
    )
    .await;
    assert_eq!(
        (
            second["worst"].as_array().unwrap().len(),
            second["changes"].as_array().unwrap().len()
        ),
        (0, 0)
    );
    // One server's view counts that server's monitors only (none here).
    let scoped = json(ops.get("/api/monitoring?server_id=999999").await).await;
    let counted: u64 = ["up", "down", "pending", "maintenance", "paused"]
        .iter()
        .map(|s| scoped["summary"][s].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 0, "{scoped}");
    let bad_filter = ops.get("/api/monitoring?status=sideways").await;
    assert_eq!(bad_filter.status(), 422);

    // A clean stop hands the monitors back: a restarted instance claims
    // them at once rather than after the leases run out.
    let conn = app::platform::db::connect(&app.db_url).await.unwrap();
    // An open event stream would hold the graceful shutdown.
    drop(ops_stream);
    let mut app = app;
    app.halt().await;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let held = app::monitoring::entity::Entity::find()
        .filter(app::monitoring::entity::Column::LeaseOwner.is_not_null())
        .count(&conn)
        .await
        .unwrap();
    assert_eq!(held, 0);
}

async fn heartbeats_plugins_dns_and_certificates(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;

    // A heartbeat: its URL is shown once; unknown tokens are 404.
    let hb = save(
        &ops,
        json!({"name": "backup-job", "kind": "heartbeat", "interval_seconds": 10,
            "timeout_seconds": 5}),
    )
    .await;
    let url = hb["push_url"]
        .as_str()
        .expect("push url on creation")
        .to_string();
    let path = &url[url.find("/api/push/").unwrap()..];
    let id = hb["id"].clone();
    let detail = json(ops.get(&format!("/api/monitors/detail?id={id}")).await).await;
    assert!(detail.get("push_url").is_none(), "{detail}");
    assert_eq!(app.get(path).await.status(), 200);
    assert_eq!(app.get("/api/push/deadbeef").await.status(), 404);
    assert_eq!(
        app.get(&format!("/api/push/{}", "0".repeat(48)))
            .await
            .status(),
        404
    );
    wait_for(&ops, &id, "up").await;
    let test_hb = ops
        .post(
            "/api/monitors/test",
            json!({"kind": "heartbeat", "interval_seconds": 10, "timeout_seconds": 5}),
        )
        .await;
    assert_eq!(test_hb.status(), 422);

    // monitoring-plugins: the exit status decides, the first line explains.
    let t = target().await;
    let port = t.base.rsplit(':').next().unwrap().to_string();
    let plugin = |line: String| json!({"kind": "command", "target": line, "interval_seconds": 10, "timeout_seconds": 5});
    let ok = test_now(&ops, plugin(format!("check_tcp -H 127.0.0.1 -p {port}"))).await;
    assert_eq!(ok["status"], "up", "{ok}");
    assert!(
        ok["message"].as_str().unwrap().starts_with("TCP OK"),
        "{ok}"
    );
    let critical = test_now(&ops, plugin("check_dummy 2 'disk full'".into())).await;
    assert_eq!(critical["status"], "down");
    assert_eq!(critical["message"], "CRITICAL: disk full");
    let warning = test_now(&ops, plugin("check_dummy 1 'almost full'".into())).await;
    assert_eq!(warning["status"], "up");
    let missing = test_now(&ops, plugin("check_nothing_here".into())).await;
    assert_eq!(missing["status"], "down");
    assert!(missing["message"].as_str().unwrap().contains("not found"));

    // DNS against a real dnsmasq on a loopback port.
    let dns = Dnsmasq::start(&app.tmp).await;
    let query = |name: &str, rt: &str, expected: Option<&str>| {
        json!({"kind": "dns", "target": name, "record_type": rt, "resolver": dns.addr,
            "expected": expected, "interval_seconds": 10, "timeout_seconds": 3})
    };
    let a = test_now(&ops, query("web.dihya.test", "A", Some("192.0.2.7"))).await;
    assert_eq!(a["status"], "up", "{a}");
    let txt = test_now(&ops, query("txt.dihya.test", "TXT", Some("v=ok"))).await;
    assert_eq!(txt["status"], "up", "{txt}");
    let wrong = test_now(&ops, query("web.dihya.test", "A", Some("198.51.100.1"))).await;
    assert_eq!(wrong["status"], "down");
    let none = test_now(&ops, query("web.dihya.test", "MX", None)).await;
    assert_eq!(none["status"], "down", "{none}");

    // A certificate made by openssl, valid 5 days: its expiry is read.
    let pem = app.tmp.join("cert.pem");
    let der = app.tmp.join("cert.der");
    let status = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "5", "-subj", "/CN=dihya.test", "-keyout"])
        .arg(app.tmp.join("key.pem"))
        .arg("-out")
        .arg(&pem)
        .output()
        .expect("openssl runs");
    assert!(status.status.success(), "{status:?}");
    let conv = std::process::Command::new("openssl")
        .args(["x509", "-outform", "der", "-in"])
        .arg(&pem)
        .arg("-out")
        .arg(&der)
        .output()
        .unwrap();
    assert!(conv.status.success());
    let expiry = app::monitoring::checks::tls::not_after(&std::fs::read(&der).unwrap())
        .expect("expiry read");
    let days = (expiry - chrono::Utc::now().timestamp()) as f64 / 86_400.0;
    assert!((4.9..=5.01).contains(&days), "{days}");
}

/// The inventory decides: an active server gets its template checks, one
/// in maintenance has them in maintenance, a decommissioned one has them
/// paused with their history kept.
async fn the_inventory_decides_what_is_monitored(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let t = target().await;
    let port: u16 = t.base.rsplit(':').next().unwrap().parse().unwrap();
    let res = ops
        .post(
            "/api/servers",
            json!({"name": "db-1", "hostname": "127.0.0.1", "kind": "vm", "environment": "production",
                "ssh_port": port, "tags": ["node-exporter"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let server = json(res).await["id"].clone();
    let listed = |agent: &Agent| {
        let path = format!("/api/monitoring?server_id={server}");
        let agent = agent.client.get(format!("{}{path}", agent.base));
        async move { json(agent.send().await.unwrap()).await["monitors"].clone() }
    };
    // Planned: nothing is checked yet (give the engine a sync to prove it).
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(listed(&ops).await, json!([]));

    let moved = |to: &'static str| {
        let ops = &ops;
        let server = server.clone();
        async move {
            let res = ops
                .post("/api/servers/lifecycle", json!({"id": server, "to": to}))
                .await;
            assert_eq!(res.status(), 200, "{to}");
        }
    };
    moved("active").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let ssh = loop {
        let monitors = listed(&ops).await;
        let names: Vec<&str> = monitors
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        if names.len() == 2 {
            assert_eq!(names, ["db-1 · SSH", "db-1 · node_exporter"]);
            break monitors[0]["id"].clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "{monitors}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let row = wait_for(&ops, &ssh, "up").await;
    assert_eq!(row["target"], format!("127.0.0.1:{port}"));

    moved("maintenance").await;
    wait_for(&ops, &ssh, "maintenance").await;
    moved("decommissioned").await;
    wait_for(&ops, &ssh, "paused").await;
    let detail = json(ops.get(&format!("/api/monitors/detail?id={ssh}")).await).await;
    assert_eq!(detail["paused"], true);
    // The history stays.
    let now = chrono::Utc::now().timestamp();
    let series = json(
        ops.get(&format!(
            "/api/monitoring/series?monitor={ssh}&from={}&to={}&step=7200",
            now - 3600,
            now + 60
        ))
        .await,
    )
    .await;
    assert!(
        series["points"][0]["checks"].as_u64().unwrap() >= 2,
        "{series}"
    );
    // Paused for good: nothing is made again on the next syncs.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(listed(&ops).await.as_array().unwrap().len(), 2);
}

/// A real node_exporter (Debian's prometheus-node-exporter) on a loopback
/// port, scraped by a `node-exporter` check.
async fn node_exporter_is_scraped(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let exporter = Daemon::node_exporter().await;
    let out = test_now(
        &ops,
        json!({"kind": "node-exporter", "target": format!("http://{}/metrics", exporter.addr),
            "interval_seconds": 10, "timeout_seconds": 5}),
    )
    .await;
    assert_eq!(out["status"], "up", "{out}");
    let message = out["message"].as_str().unwrap();
    assert!(message.starts_with("load "), "{message}");
    assert!(
        message.contains("memory ") && message.contains("disk / "),
        "{message}"
    );
    // A page too big for its cap is refused with the reason.
    let capped = test_now(
        &ops,
        json!({"kind": "node-exporter", "target": format!("http://{}/metrics", exporter.addr),
            "interval_seconds": 10, "timeout_seconds": 5, "max_bytes": 64}),
    )
    .await;
    assert_eq!(capped["status"], "down", "{capped}");

    // Checked by the engine for a server, its scrapes make the server's
    // host series: CPU (a rate between two scrapes), memory, disk, load.
    let server = |name: &str| {
        let ops = &ops;
        let body = json!({"name": name, "hostname": format!("{name}.example.org"),
            "environment": "production", "kind": "vm"});
        async move { json(ops.post("/api/servers", body).await).await["id"].clone() }
    };
    let (db1, bare) = (server("db-1").await, server("bare-1").await);
    let exporter_monitor = save(
        &ops,
        json!({"name": "db-1 exporter", "kind": "node-exporter", "server_id": db1,
            "target": format!("http://{}/metrics", exporter.addr),
            "interval_seconds": 10, "timeout_seconds": 5}),
    )
    .await["id"]
        .clone();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let host = loop {
        let host = json(
            ops.get(&format!("/api/monitoring/host?server_id={db1}"))
                .await,
        )
        .await;
        let points = host["points"].as_array().unwrap();
        if points.iter().any(|p| p["cpu_pct"].is_number()) {
            break host;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no CPU figure: {host}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(
        (&host["server_name"], &host["monitor"]),
        (&json!("db-1"), &exporter_monitor)
    );
    let p = host["points"].as_array().unwrap().last().unwrap().clone();
    for (field, max) in [
        ("cpu_pct", 100.0),
        ("memory_pct", 100.0),
        ("disk_pct", 100.0),
    ] {
        let v = p[field].as_f64().unwrap_or(-1.0);
        assert!((0.0..=max).contains(&v), "{field} {v}: {host}");
    }
    assert!(p["load"].as_f64().unwrap() >= 0.0, "{host}");
    // A server without an exporter has no host series; no server is a 404.
    let none = json(
        ops.get(&format!("/api/monitoring/host?server_id={bare}"))
            .await,
    )
    .await;
    assert_eq!(
        (&none["monitor"], none["points"].as_array().unwrap().len()),
        (&Value::Null, 0)
    );
    assert_eq!(
        ops.get("/api/monitoring/host?server_id=999999")
            .await
            .status(),
        404
    );
}

/// A real Prometheus (Debian's package) scrapes `/metrics` with a
/// `monitoring:read` token and finds node_exporters through
/// `/api/prometheus/targets`; the test reads `up` back through its API.
/// Without a credential: 401; a `user`: 403; an allowed network: 200.
async fn prometheus_scrapes_metrics_and_targets(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let (user, _) = signed_in_as(&app, &admin, "u@dihya.test", "user").await;
    let t = target().await;
    save(&ops, http_monitor("web", &format!("{}/health", t.base))).await;
    let exporter = Daemon::node_exporter().await;
    let res = ops
        .post(
            "/api/servers",
            json!({"name": "node-1", "hostname": "127.0.0.1", "kind": "vm",
                "environment": "production", "tags": ["node-exporter"]}),
        )
        .await;
    let server = json(res).await["id"].clone();
    let res = ops
        .post(
            "/api/servers/lifecycle",
            json!({"id": server, "to": "active"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    // The template's node_exporter check, pointed at the real exporter.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let check = loop {
        let list = json(
            ops.get(&format!("/api/monitoring?server_id={server}"))
                .await,
        )
        .await;
        if let Some(m) = list["monitors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["kind"] == "node-exporter")
        {
            break m.clone();
        }
        assert!(tokio::time::Instant::now() < deadline, "{list}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    save(
        &ops,
        json!({"id": check["id"], "name": check["name"], "kind": "node-exporter",
            "target": format!("http://{}/metrics", exporter.addr), "interval_seconds": 30,
            "timeout_seconds": 10, "server_id": server}),
    )
    .await;
    wait_for(&ops, &check["id"], "up").await;

    assert_eq!(app.get("/metrics").await.status(), 401);
    assert_eq!(app.get("/api/prometheus/targets").await.status(), 401);
    assert_eq!(user.get("/metrics").await.status(), 403);
    let res = ops
        .post(
            "/api/tokens",
            json!({"name": "prometheus", "scopes": ["monitoring:read"], "expires_in_days": 1}),
        )
        .await;
    let token = json(res).await["token"].as_str().unwrap().to_string();
    let client = reqwest::Client::new();
    let page = client
        .get(app.url("/metrics"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = page.text().await.unwrap();
    assert!(text.contains("monitor=\"web\",kind=\"http\"} 1"), "{text}");
    assert!(text.contains("# TYPE dihya_checks_total counter"), "{text}");
    // Every metric the Grafana dashboard in docs/ queries exists: ours in
    // this page, node_exporter's in the real exporter's.
    let exporter_page = reqwest::get(format!("http://{}/metrics", exporter.addr))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let dashboard = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/grafana/dihya-monitoring.json"
    ))
    .unwrap();
    let dashboard: Value = serde_json::from_str(&dashboard).unwrap();
    let mut used = 0;
    for panel in dashboard["panels"].as_array().unwrap() {
        for q in panel["targets"].as_array().unwrap() {
            let expr = q["expr"].as_str().unwrap();
            for name in expr
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| w.starts_with("dihya_") || w.starts_with("node_"))
            {
                let page = if name.starts_with("dihya_") {
                    &text
                } else {
                    &exporter_page
                };
                assert!(
                    page.contains(&format!("# TYPE {name} ")),
                    "{name} in {expr}"
                );
                used += 1;
            }
        }
    }
    assert!(used >= 10);
    let groups: Value = client
        .get(app.url("/api/prometheus/targets"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(groups[0]["targets"], json!([exporter.addr]), "{groups}");
    assert_eq!(groups[0]["labels"]["server"], "node-1");

    // The real thing: Prometheus scrapes both.
    let prometheus = Daemon::prometheus(&app.tmp, &app.base, &token).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        let res: Value = reqwest::get(format!("http://{}/api/v1/query?query=up", prometheus.addr))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let up = |job: &str| {
            res["data"]["result"].as_array().is_some_and(|r| {
                r.iter()
                    .any(|s| s["metric"]["job"] == job && s["value"][1] == "1")
            })
        };
        if up("dihya") && up("nodes") {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{res}\n{}",
            std::fs::read_to_string(app.tmp.join("prometheus.log")).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let res: Value = reqwest::get(format!(
        "http://{}/api/v1/query?query=dihya_monitor_up",
        prometheus.addr
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert!(
        res["data"]["result"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["metric"]["monitor"] == "web" && s["value"][1] == "1"),
        "{res}"
    );

    // An allowed network reads without a credential.
    let open =
        crate::helpers::spawn_app_with(db, |c| c.metrics_allow = vec!["127.0.0.1".into()]).await;
    assert_eq!(open.get("/metrics").await.status(), 200);
}

/// A daemon of the machine started on a free loopback port, stopped when
/// dropped.
pub(crate) struct Daemon {
    pub(crate) addr: String,
    pub(crate) child: std::process::Child,
}

impl Daemon {
    async fn node_exporter() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let child = std::process::Command::new("prometheus-node-exporter")
            .arg(format!("--web.listen-address={addr}"))
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("prometheus-node-exporter is installed (scripts/setup)");
        let d = Daemon { addr, child };
        d.wait_http("/metrics").await;
        d
    }

    /// Prometheus scraping `base`'s `/metrics` (job `dihya`) and the
    /// node_exporters `base` lists (job `nodes`), every second. The HTTP
    /// discovery needs `type: Bearer` spelled out: Prometheus 2.42 sends
    /// the bare credential there otherwise.
    async fn prometheus(tmp: &std::path::Path, base: &str, token: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let host = base.trim_start_matches("http://");
        let config = format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n\
             - job_name: dihya\n  authorization: {{credentials: \"{token}\"}}\n  static_configs: [{{targets: [\"{host}\"]}}]\n\
             - job_name: nodes\n  http_sd_configs:\n  - url: {base}/api/prometheus/targets\n    refresh_interval: 1s\n    authorization: {{type: Bearer, credentials: \"{token}\"}}\n"
        );
        let file = tmp.join("prometheus.yml");
        std::fs::write(&file, config).unwrap();
        let addr = format!("127.0.0.1:{port}");
        let child = std::process::Command::new("prometheus")
            .arg(format!("--config.file={}", file.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                tmp.join("prometheus").display()
            ))
            .arg(format!("--web.listen-address={addr}"))
            .stderr(std::fs::File::create(tmp.join("prometheus.log")).unwrap())
            .spawn()
            .expect("prometheus is installed (scripts/setup)");
        let d = Daemon { addr, child };
        d.wait_http("/-/ready").await;
        d
    }

    /// Polls until the daemon answers 200 on `path` (10 s at most).
    pub(crate) async fn wait_http(&self, path: &str) {
        let url = format!("http://{}{path}", self.addr);
        for _ in 0..200 {
            if reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{url} never answered");
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// dnsmasq answering from its own records only, on a free loopback port.
struct Dnsmasq {
    addr: String,
    child: std::process::Child,
}

impl Dnsmasq {
    /// Starts dnsmasq on a port free for UDP; it also listens on TCP, so a
    /// port another test holds for TCP means another try on a new port.
    async fn start(tmp: &std::path::Path) -> Self {
        for _ in 0..10 {
            if let Some(d) = Self::try_start(tmp).await {
                return d;
            }
        }
        panic!("dnsmasq did not start in 10 tries");
    }

    async fn try_start(tmp: &std::path::Path) -> Option<Self> {
        let port = {
            let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            s.local_addr().unwrap().port()
        };
        let log = tmp.join("dnsmasq.log");
        let child = std::process::Command::new("dnsmasq")
            .args([
                "--keep-in-foreground",
                "--no-resolv",
                "--no-hosts",
                "--bind-interfaces",
            ])
            .args([
                "--listen-address=127.0.0.1",
                "--user=root",
                "--conf-file=/dev/null",
            ])
            .arg(format!("--port={port}"))
            .arg(format!("--pid-file={}", tmp.join("dnsmasq.pid").display()))
            .args([
                "--address=/web.dihya.test/192.0.2.7",
                "--txt-record=txt.dihya.test,v=ok",
            ])
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("dnsmasq is installed (scripts/setup)");
        let mut d = Dnsmasq {
            addr: format!("127.0.0.1:{port}"),
            child,
        };
        // Ready when it answers.
        let sock = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
        for _ in 0..100 {
            if let Some(status) = d.child.try_wait().unwrap() {
                let why = std::fs::read_to_string(&log).unwrap_or_default();
                assert!(why.contains("in use"), "dnsmasq exited ({status}): {why}");
                return None;
            }
            let q = app::monitoring::checks::dns::query(7, "web.dihya.test", 1);
            sock.send_to(&q, &d.addr).await.unwrap();
            let mut buf = [0u8; 512];
            if tokio::time::timeout(Duration::from_millis(100), sock.recv_from(&mut buf))
                .await
                .is_ok()
            {
                return Some(d);
            }
        }
        let _ = d.child.kill();
        panic!("dnsmasq did not answer in 10 s");
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Each refusal performed: anonymous, a `user`, a custom role that may
/// only read monitoring, and a token scoped to monitoring:read.
async fn refusals_hold_for_users_custom_roles_and_tokens(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let id = save(&ops, http_monitor("web", "http://127.0.0.1:9/")).await["id"].clone();
    assert_eq!(app.get("/api/monitoring").await.status(), 401);
    let (user, _) = signed_in_as(&app, &admin, "u@dihya.test", "user").await;
    assert_eq!(user.get("/api/monitoring").await.status(), 403);
    assert_eq!(
        user.get(&format!("/api/monitors/detail?id={id}"))
            .await
            .status(),
        403
    );
    create_role(&admin, "watcher", &["monitoring:read", "profile:manage"]).await;
    let (watcher, _) = signed_in_as(&app, &admin, "w@dihya.test", "watcher").await;
    assert_eq!(watcher.get("/api/monitoring").await.status(), 200);
    for who in [&user, &watcher] {
        for (path, body) in [
            (
                "/api/monitors",
                http_monitor("sneaky", "http://127.0.0.1:9/"),
            ),
            (
                "/api/monitors/test",
                http_monitor("probe", "http://127.0.0.1:9/"),
            ),
            ("/api/monitors/delete", json!({"id": id})),
        ] {
            assert_eq!(who.post(path, body).await.status(), 403, "{path}");
        }
    }
    // Editing monitors is not running commands: a `command` monitor also
    // needs scripts:run, for a custom role and for a token alike.
    create_role(
        &admin,
        "monitor-editor",
        &["monitoring:read", "monitoring:write", "profile:manage"],
    )
    .await;
    let (editor, _) = signed_in_as(&app, &admin, "e@dihya.test", "monitor-editor").await;
    let plugin = json!({"name": "p", "kind": "command", "target": "check_dummy 0 ok",
        "interval_seconds": 10, "timeout_seconds": 5});
    assert_eq!(
        editor.post("/api/monitors", plugin.clone()).await.status(),
        403
    );
    assert_eq!(
        editor
            .post("/api/monitors/test", plugin.clone())
            .await
            .status(),
        403
    );
    assert_eq!(
        editor
            .post(
                "/api/monitors",
                http_monitor("by-editor", "http://127.0.0.1:9/")
            )
            .await
            .status(),
        200
    );
    let res = ops
        .post(
            "/api/tokens",
            json!({"name": "no-scripts", "scopes": ["monitoring:write"], "expires_in_days": 1}),
        )
        .await;
    let no_scripts = json(res).await["token"].as_str().unwrap().to_string();
    let by_token = reqwest::Client::new()
        .post(app.url("/api/monitors/test"))
        .bearer_auth(&no_scripts)
        .json(&plugin)
        .send()
        .await
        .unwrap();
    assert_eq!(by_token.status(), 403);
    assert_eq!(ops.post("/api/monitors/test", plugin).await.status(), 200);
    let res = ops
        .post(
            "/api/tokens",
            json!({"name": "grafana", "scopes": ["monitoring:read"], "expires_in_days": 1}),
        )
        .await;
    let token = json(res).await["token"].as_str().unwrap().to_string();
    let client = reqwest::Client::new();
    let read = client
        .get(app.url("/api/monitoring"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 200);
    let write = client
        .post(app.url("/api/monitors"))
        .bearer_auth(&token)
        .json(&http_monitor("by-token", "http://127.0.0.1:9/"))
        .send()
        .await
        .unwrap();
    assert_eq!(write.status(), 403);
    let overview = json(ops.get("/api/monitoring").await).await;
    assert_eq!(overview["monitors"].as_array().unwrap().len(), 2);
}

on_both_databases!(
    monitors_are_validated_and_saved,
    the_engine_follows_a_target_up_and_down,
    heartbeats_plugins_dns_and_certificates,
    refusals_hold_for_users_custom_roles_and_tokens,
    the_inventory_decides_what_is_monitored,
    node_exporter_is_scraped,
    prometheus_scrapes_metrics_and_targets,
);
