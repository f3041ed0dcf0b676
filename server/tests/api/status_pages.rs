//! Public status pages over HTTP: an admin builds one over a monitor; a
//! loopback target goes down, a rule fires and opens an incident, and the
//! page anyone reads (HTML, JSON, Atom) shows the outage within the cache's
//! 5 s, then the incident in its history with its published post-mortem.
//! Every refusal is performed (a `user`, a `devops`, anonymous callers,
//! tokens with and without the scope); bad input stores nothing. Both
//! databases.
use crate::helpers::{Agent, Db, TestApp, create_role, json, signed_in_as, spawn_app};
use crate::monitoring::{devops, http_monitor, save, target, wait_for};
use crate::on_both_databases;
use base64::Engine;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;
use std::time::Duration;

/// The smallest PNG there is: one transparent pixel.
const PIXEL: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

fn data_url(media: &str, bytes: &[u8]) -> String {
    format!(
        "data:{media};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// Polls `path` (anonymously) until its body contains `needle` (8 s at
/// most: the page cache promises 5 s).
async fn wait_page(app: &TestApp, path: &str, needle: &str) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(8);
    loop {
        let res = app.get(path).await;
        let status = res.status();
        let body = res.text().await.unwrap();
        if status == 200 && body.contains(needle) {
            return body;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{path} never showed {needle:?} ({status}): {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn public(app: &TestApp, slug: &str) -> Value {
    let res = app.get(&format!("/api/status/page?slug={slug}")).await;
    assert_eq!(res.status(), 200);
    json(res).await
}

async fn page_of(admin: &Agent, body: Value) -> Value {
    let res = admin.post("/api/status-pages", body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await
}

async fn an_outage_reaches_the_public_page_and_its_feed(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let t = target().await;
    let m = save(&ops, http_monitor("web", &format!("{}/health", t.base))).await;
    wait_for(&ops, &m["id"], "up").await;
    let rule = ops
        .post(
            "/api/alerts/rules",
            json!({"name": "Web down", "condition": "down", "monitor_id": m["id"], "consecutive": 1,
                "severity": "high", "opens_incident": true, "enabled": true}),
        )
        .await;
    assert_eq!(rule.status(), 200);

    let page = page_of(
        &admin,
        json!({"slug": "acme", "title": "Acme Cloud", "description": "Our public services.",
            "components": [{"name": "Website", "monitor_ids": [m["id"]]}],
            "logo": data_url("image/png", PIXEL)}),
    )
    .await;
    assert_eq!(page["slug"], "acme");
    assert_eq!(page["has_logo"], true);

    // Anyone reads it: operational, 90 bars, today's with results.
    let s = public(&app, "acme").await;
    assert_eq!(s["health"], "operational", "{s}");
    assert_eq!(s["components"][0]["health"], "operational");
    let days = s["components"][0]["daily"].as_array().unwrap();
    assert_eq!(days.len(), 90);
    assert_eq!(days[89], 1000, "{s}");
    assert!(days[0].is_null());
    let first = chrono::NaiveDate::parse_from_str(
        s["components"][0]["first_day"].as_str().unwrap(),
        "%Y-%m-%d",
    )
    .unwrap();
    assert_eq!(
        first + chrono::Duration::days(89),
        chrono::Utc::now().date_naive(),
        "the last bar is today"
    );
    assert_eq!(s["components"][0]["permille"], 1000);
    // The page itself, rendered on the server; the second read is cached.
    let html = wait_page(&app, "/status/acme", "Acme Cloud").await;
    assert!(
        html.contains("Website") && html.contains("Operational"),
        "{html}"
    );
    assert!(html.contains("application/atom+xml"), "{html}");
    assert!(
        html.contains("<title>Acme Cloud"),
        "the head waits for the data: {html}"
    );
    assert!(html.contains("/status/acme/logo"));
    let fr = wait_page(&app, "/fr/status/acme", "Opérationnel").await;
    assert!(fr.contains("lang=\"fr\""));

    // The target fails: the rule fires, opens an incident, and the page
    // (cached a moment ago) shows the outage within 5 s.
    t.up.store(false, Ordering::SeqCst);
    wait_for(&ops, &m["id"], "down").await;
    let html = wait_page(&app, "/status/acme", "Major outage").await;
    assert!(html.contains("Incidents in progress"), "{html}");
    let s = public(&app, "acme").await;
    assert_eq!(s["health"], "outage");
    let incident = s["active"][0].clone();
    assert_eq!(incident["severity"], "high", "{s}");
    assert_eq!(incident["status"], "open");
    // Visitors never see people or the description.
    assert!(incident.get("description").is_none() && incident.get("reporter").is_none());
    let id = incident["id"].clone();

    // Back up; the team resolves the ticket and publishes its post-mortem.
    t.up.store(true, Ordering::SeqCst);
    wait_for(&ops, &m["id"], "up").await;
    for status in ["acknowledged", "resolved"] {
        let res = ops
            .post("/api/incidents/update", json!({"id": id, "status": status}))
            .await;
        assert_eq!(res.status(), 200, "{status}");
    }
    // Nothing saved yet: there is nothing of the team's to publish.
    let res = ops
        .post(
            "/api/incidents/postmortem/publish",
            json!({"id": id, "published": true}),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"]["id"].is_string());
    let res = ops
        .post(
            "/api/incidents/postmortem",
            json!({"id": id, "body": "# Web down\n\nA bad <script>alert(1)</script> deploy.\n\n[x](javascript:alert(1))"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Saved but not published: still private.
    let s = public(&app, "acme").await;
    assert!(s["history"][0]["postmortem_html"].is_null(), "{s}");
    let res = ops
        .post(
            "/api/incidents/postmortem/publish",
            json!({"id": id, "published": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["published"], true);
    let detail = json(ops.get(&format!("/api/incidents/detail?id={id}")).await).await;
    assert!(
        detail["timeline"]
            .to_string()
            .contains("\"kind\":\"published\""),
        "{detail}"
    );

    let html = wait_page(&app, "/status/acme", "A bad").await;
    assert!(
        html.contains("Incident history") && html.contains("Post-mortem"),
        "{html}"
    );
    assert!(
        !html.contains("<script>alert(1)"),
        "script reached the page"
    );
    assert!(
        !html.contains("javascript:alert"),
        "a javascript: link reached the page"
    );
    let s = public(&app, "acme").await;
    assert_eq!(s["health"], "operational");
    assert!(s["active"].as_array().unwrap().is_empty());
    assert_eq!(s["history"][0]["status"], "resolved");

    // The Atom feed, and the logo as the bytes sent.
    let res = app.get("/status/acme/feed.atom").await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let feed = res.text().await.unwrap();
    assert!(
        feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{feed}"
    );
    assert!(feed.contains(&format!("#incident-{id}</id>")), "{feed}");
    assert!(feed.contains("<content type=\"html\">"), "{feed}");
    let fr_feed = app
        .get("/status/acme/feed.atom?lang=fr")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        fr_feed.contains("xml:lang=\"fr\"") && fr_feed.contains("Résolu"),
        "{fr_feed}"
    );
    let res = app.get("/status/acme/logo").await;
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PIXEL);

    // In the sitemap, in every locale; an unknown page is a 404.
    let sitemap = app.get("/sitemap.xml").await.text().await.unwrap();
    assert!(sitemap.contains("/status/acme</loc>") && sitemap.contains("/fr/status/acme</loc>"));
    assert_eq!(app.get("/status/nobody").await.status(), 404);
    assert_eq!(app.get("/status/nobody/feed.atom").await.status(), 404);
    assert_eq!(app.get("/status/nobody/logo").await.status(), 404);

    // Taking the post-mortem back takes it off the page.
    let res = ops
        .post(
            "/api/incidents/postmortem/publish",
            json!({"id": id, "published": false}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let s = public(&app, "acme").await;
    assert!(s["history"][0]["postmortem_html"].is_null(), "{s}");
    app.stop().await;
}
on_both_databases!(an_outage_reaches_the_public_page_and_its_feed);

async fn only_page_editors_edit_and_bad_input_stores_nothing(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let t = target().await;
    let m = save(&ops, http_monitor("api", &format!("{}/health", t.base))).await;
    let good = json!({"slug": "acme", "title": "Acme", "components": [{"name": "API", "monitor_ids": [m["id"]]}]});

    // Refusals, performed: anonymous, a user, a devops (no grant), a
    // token without the scope, another person's ticket's post-mortem.
    assert_eq!(
        app.post_json("/api/status-pages", &good.to_string())
            .await
            .status(),
        401
    );
    let (user, _) = signed_in_as(&app, &admin, "user@dihya.test", "user").await;
    assert_eq!(
        user.post("/api/status-pages", good.clone()).await.status(),
        403
    );
    assert_eq!(user.get("/api/status-pages").await.status(), 403);
    assert_eq!(
        ops.post("/api/status-pages", good.clone()).await.status(),
        403
    );
    assert_eq!(
        user.post(
            "/api/incidents/postmortem/publish",
            json!({"id": 1, "published": true})
        )
        .await
        .status(),
        403
    );
    let client = reqwest::Client::new();
    let bearer = |scopes: &[&str]| {
        let admin = &admin;
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        async move {
            let res = admin
                .post("/api/tokens", json!({"name": format!("t{}", scopes.join("-")), "scopes": scopes, "expires_in_days": 1}))
                .await;
            json(res).await["token"].as_str().unwrap().to_string()
        }
    };
    let monitoring_only = bearer(&["monitoring:read"]).await;
    let res = client
        .post(app.url("/api/status-pages"))
        .bearer_auth(&monitoring_only)
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    // A custom role with only this grant edits pages (and picks monitors
    // it could not otherwise list).
    create_role(
        &admin,
        "publisher",
        &["status_pages:manage", "profile:manage"],
    )
    .await;
    let (publisher, _) = signed_in_as(&app, &admin, "pub@dihya.test", "publisher").await;
    let list = json(publisher.get("/api/status-pages").await).await;
    assert_eq!(list["monitors"][0]["name"], "api", "{list}");
    assert_eq!(publisher.get("/api/monitoring").await.status(), 403);
    let page = page_of(&publisher, good.clone()).await;

    // Bad input: every field named, nothing stored.
    let res = publisher
        .post(
            "/api/status-pages",
            json!({"slug": "Not A Slug", "title": "", "description": "x".repeat(501),
                "components": [], "logo": "data:image/svg+xml;base64,PHN2Zz4="}),
        )
        .await;
    assert_eq!(res.status(), 422);
    let fields = json(res).await["error"]["fields"].clone();
    for f in ["slug", "title", "description", "components", "logo"] {
        assert!(fields[f].is_string(), "{f}: {fields}");
    }
    // An SVG dressed as a PNG, a monitor that does not exist, a taken slug.
    let res = publisher
        .post(
            "/api/status-pages",
            json!({"slug": "other", "title": "Other", "components": [{"name": "API", "monitor_ids": [m["id"]]}],
                "logo": data_url("image/png", b"<svg onload=alert(1)>")}),
        )
        .await;
    assert_eq!(res.status(), 422);
    let res = publisher
        .post(
            "/api/status-pages",
            json!({"slug": "other", "title": "Other", "components": [{"name": "API", "monitor_ids": [424242]}]}),
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"]["components"].is_string());
    let res = publisher.post("/api/status-pages", good.clone()).await;
    assert_eq!(res.status(), 409);
    let body = json(res).await;
    assert_eq!(body["error"]["code"], "conflict");
    assert!(body["error"]["fields"]["slug"].is_string());
    let list = json(publisher.get("/api/status-pages").await).await;
    assert_eq!(list["pages"].as_array().unwrap().len(), 1, "{list}");

    // A token with the scope renames it; the old address stops answering.
    let scoped = bearer(&["status_pages:manage"]).await;
    let res = client
        .post(app.url("/api/status-pages"))
        .bearer_auth(&scoped)
        .json(&json!({"id": page["id"], "slug": "acme-2", "title": "Acme",
            "components": [{"name": "API", "monitor_ids": [m["id"]]}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(app.get("/api/status/page?slug=acme").await.status(), 404);
    wait_page(&app, "/status/acme-2", "Acme").await;

    // A server's maintenance window shows on the page, and its monitor's
    // component reads "under maintenance".
    let server = ops
        .post(
            "/api/servers",
            json!({"name": "web-1", "hostname": "web-1.example", "kind": "vm", "environment": "production"}),
        )
        .await;
    let server = json(server).await["id"].clone();
    let mut on_server = http_monitor("api", &format!("{}/health", t.base));
    on_server["id"] = m["id"].clone();
    on_server["server_id"] = server.clone();
    save(&ops, on_server).await;
    let now = chrono::Utc::now();
    let res = ops
        .post(
            "/api/alerts/maintenance",
            json!({"title": "Kernel update", "server_ids": [server], "kind": "once",
                "starts_at": (now - chrono::Duration::minutes(5)).to_rfc3339(),
                "ends_at": (now + chrono::Duration::hours(1)).to_rfc3339()}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let s = public(&app, "acme-2").await;
    assert_eq!(s["maintenance"][0]["title"], "Kernel update", "{s}");
    assert_eq!(s["maintenance"][0]["active"], true);
    assert_eq!(s["components"][0]["health"], "maintenance");

    // Deleting it: gone for everyone, and written in the audit log.
    let res = publisher
        .post("/api/status-pages/delete", json!({"id": page["id"]}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.get("/api/status/page?slug=acme-2").await.status(), 404);
    let audit = json(admin.get("/api/audit?action=status_page.delete").await).await;
    assert_eq!(audit["items"].as_array().map(Vec::len), Some(1), "{audit}");
    app.stop().await;
}
on_both_databases!(only_page_editors_edit_and_bad_input_stores_nothing);
