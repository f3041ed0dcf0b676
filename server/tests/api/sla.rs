//! SLA policies over HTTP: built-in targets until an administrator saves
//! one, business hours that push a deadline past closed days, tickets
//! opened or re-graded afterwards held to the new policy, and the people
//! held to a target — devops, a custom role with `incidents:manage`, an
//! admin's token without `settings:manage` — unable to loosen it. Bad
//! input is named by field and stores nothing. Both databases.
use crate::helpers::{Agent, Db, create_role, json, signed_in_as, spawn_app};
use crate::on_both_databases;
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use serde_json::{Value, json};

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

fn at(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap_or_else(|| panic!("{v}")))
        .unwrap()
        .with_timezone(&Utc)
}

async fn open(agent: &Agent, severity: &str) -> Value {
    let res = agent
        .post(
            "/api/incidents",
            json!({"title": "Disk full", "description": "", "severity": severity}),
        )
        .await;
    assert_eq!(res.status(), 200);
    json(res).await
}

async fn policy(agent: &Agent, severity: &str) -> Value {
    let all = json(agent.get("/api/incidents/sla").await).await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|p| p["severity"] == severity)
        .unwrap()
        .clone()
}

async fn business_hours_move_deadlines_of_new_and_regraded_tickets(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;

    // Built-in: every severity, worst first, none custom.
    let all = json(ops.get("/api/incidents/sla").await).await;
    let severities: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["critical", "high", "medium", "low", "info"]);
    assert!(all.as_array().unwrap().iter().all(|p| p["custom"] == false));
    let t = open(&ops, "critical").await;
    assert_eq!(
        at(&t["acknowledge_by"]) - at(&t["created_at"]),
        Duration::minutes(15)
    );

    // Business hours on one day only, three days after today (UTC): the
    // clock does not run before it, so the deadline is that day 09:15.
    let today = at(&t["created_at"]).date_naive();
    let open_day = today + Duration::days(3);
    let day_name = DAYS[open_day.weekday().num_days_from_monday() as usize];
    let res = admin
        .post(
            "/api/incidents/sla",
            json!({"severity": "high", "acknowledge_minutes": 15, "resolve_minutes": 600,
                "business_days": [day_name], "day_start": "09:00", "day_end": "17:00",
                "time_zone": "UTC"}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let saved = json(res).await;
    assert_eq!(saved["custom"], true);
    assert_eq!(saved["business_days"], json!([day_name]));
    assert_eq!(policy(&ops, "high").await, saved, "read back as saved");
    let nine = |d: chrono::NaiveDate, m: i64| {
        d.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap())
            .and_utc()
            + Duration::minutes(m)
    };

    let t = open(&ops, "high").await;
    assert_eq!(at(&t["acknowledge_by"]), nine(open_day, 15));
    // 8 hours that day, the other 2 a week later.
    assert_eq!(
        at(&t["resolve_by"]),
        nine(open_day + Duration::days(7), 120)
    );

    // A ticket re-graded to high gets the policy too, counted from its opening.
    let low = open(&ops, "low").await;
    let res = ops
        .post(
            "/api/incidents/update",
            json!({"id": low["id"], "severity": "high"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let regraded = json(res).await;
    assert_eq!(at(&regraded["acknowledge_by"]), nine(open_day, 15));

    // No targets at all: no deadlines.
    let res = admin
        .post(
            "/api/incidents/sla",
            json!({"severity": "medium", "time_zone": ""}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let t = open(&ops, "medium").await;
    assert!(
        t["acknowledge_by"].is_null() && t["resolve_by"].is_null(),
        "{t}"
    );

    // Audited, with the policy before and after.
    let audit = json(admin.get("/api/audit?action=sla.update").await).await;
    let rows = audit["items"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{audit}");
    app.stop().await;
}
on_both_databases!(business_hours_move_deadlines_of_new_and_regraded_tickets);

async fn only_administrators_change_a_policy_and_bad_input_stores_nothing(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let (user, _) = signed_in_as(&app, &admin, "user@dihya.test", "user").await;
    create_role(
        &admin,
        "lead",
        &["incidents:read", "incidents:manage", "incidents:create"],
    )
    .await;
    let (lead, _) = signed_in_as(&app, &admin, "lead@dihya.test", "lead").await;
    let before = json(admin.get("/api/incidents/sla").await).await;

    let loosen = json!({"severity": "critical", "acknowledge_minutes": 40320,
        "resolve_minutes": 40320, "time_zone": "UTC"});
    for (who, agent) in [("devops", &ops), ("lead", &lead), ("user", &user)] {
        let res = agent.post("/api/incidents/sla", loosen.clone()).await;
        assert_eq!(res.status(), 403, "{who}");
    }
    assert_eq!(user.get("/api/incidents/sla").await.status(), 403);
    // An administrator's token without settings:manage does not either.
    let res = admin
        .post(
            "/api/tokens",
            json!({"name": "ci", "scopes": ["incidents:read", "incidents:manage"], "expires_in_days": 1}),
        )
        .await;
    let token = json(res).await["token"].as_str().unwrap().to_string();
    let res = reqwest::Client::new()
        .post(app.url("/api/incidents/sla"))
        .bearer_auth(&token)
        .json(&loosen)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);

    for (body, fields) in [
        (
            json!({"severity": "apocalyptic", "acknowledge_minutes": 0, "resolve_minutes": 99999,
                "time_zone": "Mars/Olympus"}),
            &[
                "severity",
                "acknowledge_minutes",
                "resolve_minutes",
                "time_zone",
            ][..],
        ),
        (
            json!({"severity": "high", "acknowledge_minutes": 600, "resolve_minutes": 60}),
            &["resolve_minutes"][..],
        ),
        (
            json!({"severity": "high", "acknowledge_minutes": 15, "business_days": ["mon", "someday"],
                "day_start": "9h", "day_end": "09:10", "time_zone": "UTC"}),
            &["business_days", "day_start"][..],
        ),
        (
            json!({"severity": "high", "business_days": ["mon"], "day_start": "09:00",
                "day_end": "09:10", "time_zone": "UTC"}),
            &["day_end"][..],
        ),
    ] {
        let res = admin.post("/api/incidents/sla", body.clone()).await;
        assert_eq!(res.status(), 422, "{body}");
        let got = json(res).await["error"]["fields"].clone();
        assert_eq!(
            got.as_object().unwrap().len(),
            fields.len(),
            "{body}: {got}"
        );
        for f in fields {
            assert!(got[f].is_string(), "{f}: {got}");
        }
    }
    // A negative number is not a number of minutes at all.
    let res = admin
        .post(
            "/api/incidents/sla",
            json!({"severity": "high", "acknowledge_minutes": -5}),
        )
        .await;
    assert!(res.status().is_client_error(), "{}", res.status());
    assert_eq!(json(admin.get("/api/incidents/sla").await).await, before);
    app.stop().await;
}
on_both_databases!(only_administrators_change_a_policy_and_bad_input_stores_nothing);
