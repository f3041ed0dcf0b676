//! The maintenance calendar over HTTP: occurrences of weekly and one-off
//! windows over a range of UTC days, computed from the rules (a window
//! across midnight, a time zone, a one-off outside the range); bad ranges
//! named by field; a `user` refused. Both databases.
use crate::helpers::{Db, json, signed_in_as, spawn_app};
use crate::on_both_databases;
use chrono::{Datelike, Duration, Utc};
use serde_json::{Value, json};

fn starts(calendar: &Value) -> Vec<(String, String)> {
    calendar["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["title"].as_str().unwrap().to_string(),
                o["starts_at"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn the_calendar_computes_occurrences_of_every_window(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let (user, _) = signed_in_as(&app, &admin, "user@dihya.test", "user").await;
    // Sundays 23:00 for 3 hours in Algiers (UTC+1): 22:00 UTC, into Monday.
    let weekly = json!({"title": "Backups", "tags": ["db"], "kind": "weekly",
        "weekdays": ["sun"], "start_time": "23:00", "duration_minutes": 180,
        "time_zone": "Africa/Algiers"});
    assert_eq!(
        ops.post("/api/alerts/maintenance", weekly).await.status(),
        200
    );
    // A one-off two weeks from the next Monday: outside a 14-day range.
    let today = Utc::now().date_naive();
    let monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    let later = (monday + Duration::days(15))
        .and_hms_opt(10, 0, 0)
        .unwrap()
        .and_utc();
    let once = json!({"title": "Disk swap", "server_ids": [], "tags": ["db"], "kind": "once",
        "starts_at": later.to_rfc3339(), "ends_at": (later + Duration::hours(2)).to_rfc3339()});
    let res = ops.post("/api/alerts/maintenance", once).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    let from = monday.format("%Y-%m-%d");
    let c = json(
        ops.get(&format!("/api/alerts/maintenance/calendar?from={from}"))
            .await,
    )
    .await;
    assert_eq!(c["days"], 14);
    let sunday = |weeks: i64| {
        format!(
            "{}T22:00:00Z",
            (monday - Duration::days(1) + Duration::days(7 * weeks)).format("%Y-%m-%d")
        )
    };
    // The Sunday before the range reaches into its first Monday.
    assert_eq!(
        starts(&c),
        [
            ("Backups".to_string(), sunday(0)),
            ("Backups".to_string(), sunday(1)),
            ("Backups".to_string(), sunday(2)),
        ]
    );
    let first = &c["occurrences"][0];
    assert_eq!(first["ends_at"], format!("{from}T01:00:00Z"));
    assert_eq!(first["tags"], json!(["db"]));

    let c = json(
        ops.get(&format!(
            "/api/alerts/maintenance/calendar?from={from}&days=21"
        ))
        .await,
    )
    .await;
    assert!(
        starts(&c).contains(&(
            "Disk swap".to_string(),
            later.format("%Y-%m-%dT%H:%M:%SZ").to_string()
        )),
        "{c}"
    );

    for (query, field) in [
        ("from=2026-13-01", "from"),
        ("from=yesterday", "from"),
        ("days=0", "days"),
        ("days=63", "days"),
    ] {
        let res = ops
            .get(&format!("/api/alerts/maintenance/calendar?{query}"))
            .await;
        assert_eq!(res.status(), 422, "{query}");
        assert!(
            json(res).await["error"]["fields"][field].is_string(),
            "{query}"
        );
    }
    let res = ops.get("/api/alerts/maintenance/calendar?days=-1").await;
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_eq!(
        user.get("/api/alerts/maintenance/calendar").await.status(),
        403
    );
    app.stop().await;
}
on_both_databases!(the_calendar_computes_occurrences_of_every_window);
