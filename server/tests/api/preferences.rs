//! Each person's notification preferences over HTTP: the least severity
//! that reaches their inbox, the least that is also emailed to them (through
//! the instance's email channel, to a real aiosmtpd server), and quiet hours
//! in their time zone that hold emails back (critical ones excepted). Only
//! the caller's own; bad input named by field and nothing stored. Both
//! databases.
use crate::channels::smtp_sink;
use crate::helpers::{Agent, Db, json, signed_in_as, spawn_app};
use crate::on_both_databases;
use serde_json::{Value, json};
use std::time::Duration;

async fn report(user: &Agent, title: &str, severity: &str) {
    let res = user
        .post(
            "/api/incidents",
            json!({"title": title, "description": "", "severity": severity}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

async fn inbox_subjects(agent: &Agent) -> Vec<String> {
    let page = json(agent.get("/api/notifications?per_page=100").await).await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap().to_string())
        .collect()
}

/// The emails in the maildir, once `n` have arrived (20 s at most).
async fn mails(maildir: &std::path::Path, n: usize) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let found: Vec<String> = std::fs::read_dir(maildir.join("new"))
            .map(|d| {
                d.flatten()
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default();
        if found.len() >= n {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} of {n} emails arrived: {found:?}",
            found.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn save(agent: &Agent, body: Value) -> Value {
    let res = agent.post("/api/notifications/preferences", body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await
}

async fn severities_and_quiet_hours_decide_what_reaches_whom(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let (user, _) = signed_in_as(&app, &admin, "user@dihya.test", "user").await;
    let (_smtp, maildir) = smtp_sink(&app.tmp).await;

    // Defaults: everything in the inbox, no email, no quiet hours.
    let prefs = json(ops.get("/api/notifications/preferences").await).await;
    assert_eq!(prefs["inbox_min"], "info", "{prefs}");
    assert!(prefs["email_min"].is_null());
    assert_eq!(prefs["email_available"], false, "no email channel yet");

    // The instance's mail server: an email channel (its own filters are
    // for the team's alerts; personal emails go to each person).
    let port = _smtp.addr.rsplit(':').next().unwrap().to_string();
    let res = ops
        .post(
            "/api/notifications/channels",
            json!({"name": "mail", "kind": "email", "min_severity": "critical", "enabled": true,
                "settings": {"to": "team@dihya.test", "smtp_host": "127.0.0.1", "smtp_port": port,
                    "smtp_from": "dihya@dihya.test", "smtp_tls": "none"}}),
        )
        .await;
    assert_eq!(res.status(), 200);

    let saved = save(
        &ops,
        json!({"inbox_min": "high", "email_min": "medium", "time_zone": "Africa/Algiers"}),
    )
    .await;
    assert_eq!(saved["inbox_min"], "high");
    assert_eq!(saved["email_available"], true);

    report(&user, "Printer jammed", "low").await;
    report(&user, "VPN slow", "medium").await;
    let ops_inbox = inbox_subjects(&ops).await;
    assert!(
        !ops_inbox
            .iter()
            .any(|s| s.contains("Printer") || s.contains("VPN")),
        "{ops_inbox:?}"
    );
    // The admin kept the defaults: both reached them.
    let admin_inbox = inbox_subjects(&admin).await;
    assert!(
        admin_inbox.iter().any(|s| s.contains("Printer"))
            && admin_inbox.iter().any(|s| s.contains("VPN"))
    );
    // Medium reached the devops user's mailbox, low did not.
    let got = mails(&maildir, 1).await;
    assert!(
        got[0].contains("To: ops@dihya.test") && got[0].contains("VPN slow"),
        "{got:?}"
    );

    // Quiet hours around now, in Algiers: high is held back, critical is not.
    let local = chrono::Utc::now().with_timezone(&chrono_tz::Africa::Algiers);
    let from = (local - chrono::Duration::hours(1))
        .format("%H:%M")
        .to_string();
    let to = (local + chrono::Duration::hours(1))
        .format("%H:%M")
        .to_string();
    save(
        &ops,
        json!({"inbox_min": "high", "email_min": "medium", "quiet_from": from, "quiet_to": to,
            "time_zone": "Africa/Algiers"}),
    )
    .await;
    report(&user, "Disk nearly full", "high").await;
    report(&user, "Site down", "critical").await;
    let ops_inbox = inbox_subjects(&ops).await;
    assert!(
        ops_inbox.iter().any(|s| s.contains("Disk nearly full")),
        "the inbox is never quiet"
    );
    let got = mails(&maildir, 2).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().any(|m| m.contains("Site down")));
    assert!(!got.iter().any(|m| m.contains("Disk nearly full")));
    // The team's channel heard none of it (its own filters, alerts only).
    assert!(!got.iter().any(|m| m.contains("team@dihya.test")));
    app.stop().await;
}
on_both_databases!(severities_and_quiet_hours_decide_what_reaches_whom);

async fn only_ones_own_and_bad_input_stores_nothing(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (user, _) = signed_in_as(&app, &admin, "user@dihya.test", "user").await;
    assert_eq!(
        app.get("/api/notifications/preferences").await.status(),
        401
    );
    let before = save(
        &user,
        json!({"inbox_min": "low", "time_zone": "Europe/Paris"}),
    )
    .await;
    for (body, fields) in [
        (
            json!({"inbox_min": "loud", "email_min": "soft", "time_zone": "Mars/Olympus"}),
            &["inbox_min", "email_min", "time_zone"][..],
        ),
        (
            json!({"inbox_min": "low", "quiet_from": "25:00", "quiet_to": "7h", "time_zone": "UTC"}),
            &["quiet_from", "quiet_to"][..],
        ),
        // Both ends or neither; not a zero-length window.
        (
            json!({"inbox_min": "low", "quiet_from": "22:00", "time_zone": "UTC"}),
            &["quiet_to"][..],
        ),
        (
            json!({"inbox_min": "low", "quiet_from": "22:00", "quiet_to": "22:00", "time_zone": "UTC"}),
            &["quiet_to"][..],
        ),
    ] {
        let res = user.post("/api/notifications/preferences", body).await;
        assert_eq!(res.status(), 422);
        let got = json(res).await["error"]["fields"].clone();
        for f in fields {
            assert!(got[f].is_string(), "{f}: {got}");
        }
    }
    let after = json(user.get("/api/notifications/preferences").await).await;
    assert_eq!(before, after, "nothing was stored");
    // Someone else's preferences are not the caller's: the admin's stay default.
    let admin_prefs = json(admin.get("/api/notifications/preferences").await).await;
    assert_eq!(admin_prefs["inbox_min"], "info");
    assert_eq!(admin_prefs["time_zone"], "UTC");
    app.stop().await;
}
on_both_databases!(only_ones_own_and_bad_input_stores_nothing);
