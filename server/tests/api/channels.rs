//! Notification channels over HTTP, against real receivers: a local HTTP
//! server plays Slack, Discord, Teams, Telegram, ntfy and a generic
//! webhook (each payload's shape is checked, and the webhook's HMAC
//! signature verified), a real SMTP server (aiosmtpd, Debian's package)
//! takes the email, and a receiver that fails twice shows the retries.
//! Secrets never come back; bad input is named by field; refusals are
//! performed. Both databases.
use crate::helpers::{Agent, Db, create_role, json, signed_in_as, spawn_app};
use crate::monitoring::{Daemon, devops, http_monitor, save, target};
use crate::on_both_databases;
use axum::{Router, body::Bytes, extract::State, http::HeaderMap, routing::post};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the receivers got: (path, headers, body).
type Got = Arc<Mutex<Vec<(String, HeaderMap, Bytes)>>>;

pub(crate) struct Receivers {
    pub(crate) base: String,
    got: Got,
}

/// Answers 200 on every path but `/flaky`, which answers 500 twice first,
/// and `/broken`, which always answers 500.
pub(crate) async fn receivers() -> Receivers {
    let got: Got = Arc::default();
    let flaky = Arc::new(AtomicU32::new(0));
    let app = Router::new()
        .fallback(post(
            |State((got, flaky)): State<(Got, Arc<AtomicU32>)>,
             uri: axum::http::Uri,
             headers: HeaderMap,
             body: Bytes| async move {
                let path = uri.path().to_string();
                got.lock().unwrap().push((path.clone(), headers, body));
                let fail = match path.as_str() {
                    "/flaky" => flaky.fetch_add(1, Ordering::SeqCst) < 2,
                    "/broken" => true,
                    _ => false,
                };
                if fail {
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    axum::http::StatusCode::OK
                }
            },
        ))
        .with_state((Arc::clone(&got), flaky));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receivers { base, got }
}

impl Receivers {
    /// The bodies posted to `path`, as JSON.
    pub(crate) fn bodies(&self, path: &str) -> Vec<(HeaderMap, Bytes)> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _, _)| p == path)
            .map(|(_, h, b)| (h.clone(), b.clone()))
            .collect()
    }
}

/// aiosmtpd writing what it receives into a maildir.
pub(crate) async fn smtp_sink(tmp: &std::path::Path) -> (Daemon, std::path::PathBuf) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let maildir = tmp.join("maildir");
    // Debian's Python, which has the package (a pyenv or venv `python3`
    // earlier in PATH would not).
    let child = std::process::Command::new("/usr/bin/python3")
        .args(["-m", "aiosmtpd", "-n", "-l"])
        .arg(format!("127.0.0.1:{port}"))
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .stderr(std::fs::File::create(tmp.join("smtp.log")).unwrap())
        .spawn()
        .expect("python3-aiosmtpd is installed (scripts/setup)");
    let d = Daemon {
        addr: format!("127.0.0.1:{port}"),
        child,
    };
    for _ in 0..200 {
        if std::net::TcpStream::connect(&d.addr).is_ok() {
            return (d, maildir);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("aiosmtpd never listened");
}

async fn channel(agent: &Agent, body: Value) -> Value {
    let res = agent.post("/api/notifications/channels", body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await
}

/// Polls the delivery log until `pick` holds for it (30 s at most).
async fn wait_log(agent: &Agent, pick: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let page = json(
            agent
                .get("/api/notifications/deliveries?per_page=200")
                .await,
        )
        .await;
        let items = page["items"].as_array().unwrap().clone();
        if pick(&items) {
            return items;
        }
        assert!(tokio::time::Instant::now() < deadline, "{page}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

const HMAC_KEY: &str = "a-webhook-key-of-some-length";
const BOT_TOKEN: &str = "123456:secret-bot-token";

async fn a_firing_alert_reaches_every_channel(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let r = receivers().await;
    let (_smtp, maildir) = smtp_sink(&app.tmp).await;
    let smtp_port = _smtp.addr.rsplit(':').next().unwrap().to_string();
    let b = &r.base;
    let made = [
        json!({"name": "hook", "kind": "webhook", "settings": {"url": format!("{b}/webhook")}, "secret": HMAC_KEY}),
        json!({"name": "slack", "kind": "slack", "secret": format!("{b}/slack/T000/B000/abc123")}),
        json!({"name": "discord", "kind": "discord", "secret": format!("{b}/discord")}),
        json!({"name": "teams", "kind": "teams", "secret": format!("{b}/teams")}),
        json!({"name": "telegram", "kind": "telegram", "settings": {"chat_id": "-1001", "api_url": format!("{b}/tg")}, "secret": BOT_TOKEN}),
        json!({"name": "ntfy", "kind": "ntfy", "settings": {"url": format!("{b}/ops-alerts")}}),
        json!({"name": "mail", "kind": "email", "settings": {"to": "oncall@dihya.test", "smtp_host": "127.0.0.1",
            "smtp_port": smtp_port, "smtp_from": "dihya@dihya.test", "smtp_tls": "none"}}),
        json!({"name": "flaky", "kind": "webhook", "settings": {"url": format!("{b}/flaky")}, "secret": HMAC_KEY}),
        // Hears only what its matchers accept: nothing here.
        json!({"name": "db team", "kind": "webhook", "settings": {"url": format!("{b}/db")}, "secret": HMAC_KEY,
            "matchers": "team=db"}),
    ];
    for mut c in made {
        c["min_severity"] = json!("high");
        c["enabled"] = json!(true);
        channel(&ops, c).await;
    }
    // Secrets never come back.
    let listed = ops
        .get("/api/notifications/channels")
        .await
        .text()
        .await
        .unwrap();
    for secret in [HMAC_KEY, BOT_TOKEN, "/slack/T000", "/discord", "/teams"] {
        assert!(!listed.contains(secret), "{secret} in {listed}");
    }
    assert!(listed.contains("\"has_secret\":true"));

    let t = target().await;
    let m = save(&ops, http_monitor("shop", &format!("{}/health", t.base))).await;
    let res = ops
        .post(
            "/api/alerts/rules",
            json!({"name": "Shop down", "condition": "down", "monitor_id": m["id"], "severity": "critical",
                "labels": "team=web", "enabled": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    t.up.store(false, Ordering::SeqCst);

    // Every channel but the db team's gets it; the flaky one after two failures.
    let log = wait_log(&ops, |items| {
        items.iter().filter(|d| d["status"] == "sent").count() == 8
    })
    .await;
    assert!(!log.iter().any(|d| d["channel"] == "db team"), "{log:?}");
    let flaky = log.iter().find(|d| d["channel"] == "flaky").unwrap();
    assert_eq!(flaky["attempts"], 3, "{flaky}");

    let one = |path: &str| -> (HeaderMap, Value) {
        let all = r.bodies(path);
        assert_eq!(all.len(), 1, "{path}: {} requests", all.len());
        let (h, body) = all[0].clone();
        (h, serde_json::from_slice(&body).unwrap())
    };
    // The generic webhook: signed with HMAC-SHA256 over the raw body.
    let (headers, hook) = one("/webhook");
    let raw = r.bodies("/webhook")[0].1.clone();
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256>>::new_from_slice(HMAC_KEY.as_bytes()).unwrap();
    mac.update(&raw);
    let expected = format!(
        "sha256={}",
        app::platform::hex(&mac.finalize().into_bytes())
    );
    assert_eq!(headers["x-dihya-signature"], expected.as_str());
    assert_eq!(hook["event"], "alert.firing");
    assert_eq!(hook["severity"], "critical");
    assert_eq!(hook["labels"]["team"], "web");
    assert!(hook["link"].as_str().unwrap().starts_with("http"), "{hook}");
    assert_eq!(
        one("/slack/T000/B000/abc123").1["text"],
        "[CRITICAL] Shop down"
    );
    assert_eq!(one("/discord").1["embeds"][0]["title"], "Shop down");
    assert_eq!(
        one("/teams").1["attachments"][0]["content"]["type"],
        "AdaptiveCard"
    );
    let (_, tg) = one(&format!("/tg/bot{BOT_TOKEN}/sendMessage"));
    assert_eq!(tg["chat_id"], "-1001");
    let (_, ntfy) = one("/");
    assert_eq!(
        (ntfy["topic"].as_str(), ntfy["priority"].as_i64()),
        (Some("ops-alerts"), Some(5))
    );
    // The email, as the SMTP server stored it.
    let mail = std::fs::read_dir(maildir.join("new"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mail = std::fs::read_to_string(mail).unwrap();
    assert!(mail.contains("Subject: [CRITICAL] Shop down"), "{mail}");
    assert!(mail.contains("To: oncall@dihya.test"), "{mail}");
    // Nothing for the db team.
    assert!(r.bodies("/db").is_empty());
}

async fn tests_failures_bad_input_and_refusals(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let r = receivers().await;
    let b = &r.base;
    // Bad input, by field; nothing stored.
    for (body, fields) in [
        (
            json!({"name": "", "kind": "pager", "min_severity": "x"}),
            &["name", "kind", "min_severity"][..],
        ),
        (
            json!({"name": "h", "kind": "webhook", "min_severity": "low", "settings": {"url": "ftp://x"}}),
            &["url", "secret"][..],
        ),
        (
            json!({"name": "h", "kind": "webhook", "min_severity": "low", "settings": {"url": format!("{b}/w")}, "secret": "short"}),
            &["secret"][..],
        ),
        (
            json!({"name": "m", "kind": "email", "min_severity": "low", "settings": {"to": "nobody", "smtp_host": "", "smtp_port": "99999", "smtp_from": "x", "smtp_tls": "maybe"}}),
            &["to", "smtp_host", "smtp_port", "smtp_from", "smtp_tls"][..],
        ),
        (
            json!({"name": "s", "kind": "slack", "min_severity": "low", "secret": "not a url"}),
            &["secret"][..],
        ),
        (
            json!({"name": "n", "kind": "ntfy", "min_severity": "low", "settings": {"url": "https://ntfy.sh/"}}),
            &["url"][..],
        ),
        (
            json!({"name": "t", "kind": "webhook", "min_severity": "low", "matchers": "x=~(", "settings": {"url": format!("{b}/w")}, "secret": HMAC_KEY}),
            &["matchers"][..],
        ),
    ] {
        let res = ops.post("/api/notifications/channels", body.clone()).await;
        assert_eq!(res.status(), 422, "{body}");
        let err = json(res).await;
        for f in fields {
            assert!(err["error"]["fields"][f].is_string(), "{f}: {err}");
        }
    }
    assert_eq!(
        json(ops.get("/api/notifications/channels").await).await,
        json!([])
    );

    // "Send test": a receiver answering 500 and an SMTP server that is not
    // there are given up at once, with the reason; a working one is sent.
    let broken = channel(
        &ops,
        json!({"name": "broken", "kind": "webhook", "min_severity": "low",
        "settings": {"url": format!("{b}/broken")}, "secret": HMAC_KEY, "enabled": true}),
    )
    .await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mail = channel(&ops, json!({"name": "no smtp", "kind": "email", "min_severity": "low",
        "settings": {"to": "a@dihya.test", "smtp_host": "127.0.0.1", "smtp_port": closed.to_string(),
            "smtp_from": "d@dihya.test", "smtp_tls": "none"}, "enabled": true})).await;
    let good = channel(
        &ops,
        json!({"name": "good", "kind": "discord", "min_severity": "low",
        "secret": format!("{b}/good"), "enabled": true}),
    )
    .await;
    let test = |id: &Value| ops.post("/api/notifications/channels/test", json!({"id": id}));
    let d = json(test(&broken["id"]).await).await;
    assert_eq!(d["status"], "given_up", "{d}");
    assert_eq!(d["last_error"], "the receiver answered 500");
    let d = json(test(&mail["id"]).await).await;
    assert_eq!(d["status"], "given_up", "{d}");
    assert!(d["last_error"].as_str().unwrap().contains("SMTP"), "{d}");
    let d = json(test(&good["id"]).await).await;
    assert_eq!(d["status"], "sent", "{d}");
    assert_eq!(r.bodies("/good").len(), 1);
    // An update without a secret keeps it; a name taken is refused.
    let res = ops
        .post(
            "/api/notifications/channels",
            json!({"id": good["id"], "name": "good", "kind": "discord",
        "min_severity": "critical", "enabled": true}),
        )
        .await;
    assert_eq!(json(res).await["has_secret"], true);
    let res = ops
        .post(
            "/api/notifications/channels",
            json!({"name": "good", "kind": "discord",
        "min_severity": "low", "secret": format!("{b}/x")}),
        )
        .await;
    assert_eq!(res.status(), 422);

    // Refusals: a user; a read-only custom role; a read-only token.
    let (user, _) = signed_in_as(&app, &admin, "u@dihya.test", "user").await;
    create_role(&admin, "alert-reader", &["alerts:read"]).await;
    let (reader, _) = signed_in_as(&app, &admin, "r@dihya.test", "alert-reader").await;
    for agent in [&user, &reader] {
        for (path, body) in [
            (
                "/api/notifications/channels",
                json!({"name": "x", "kind": "ntfy", "min_severity": "low",
                "settings": {"url": "https://ntfy.sh/x"}}),
            ),
            (
                "/api/notifications/channels/test",
                json!({"id": good["id"]}),
            ),
            (
                "/api/notifications/channels/delete",
                json!({"id": good["id"]}),
            ),
        ] {
            assert_eq!(agent.post(path, body).await.status(), 403, "{path}");
        }
    }
    assert_eq!(user.get("/api/notifications/channels").await.status(), 403);
    assert_eq!(
        user.get("/api/notifications/deliveries").await.status(),
        403
    );
    assert_eq!(
        reader.get("/api/notifications/deliveries").await.status(),
        200
    );
    assert_eq!(r.bodies("/good").len(), 1, "no refused test was sent");
    // Deleted with its log.
    let res = ops
        .post(
            "/api/notifications/channels/delete",
            json!({"id": good["id"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let log = json(
        ops.get(&format!(
            "/api/notifications/deliveries?channel={}",
            good["id"]
        ))
        .await,
    )
    .await;
    assert_eq!(log["items"], json!([]));
}

on_both_databases!(
    a_firing_alert_reaches_every_channel,
    tests_failures_bad_input_and_refusals
);
