//! Stored results: ten days and a hundred-day-old chunk of one monitor's
//! results are written through the writer's own storage path, then read
//! back raw and from rollups, and pruned by the retention job.
use crate::helpers::{Db, json, signed_in_as, spawn_app};
use crate::on_both_databases;
use app::monitoring::MonitorStatus;
use app::monitoring::entity::{chunk, rollup};
use app::monitoring::series::{OpenChunk, Sample};
use app::monitoring::store;
use app::platform::jobs::{self, NewJob, status};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use serde_json::{Value, json};

const DAY: i64 = 86_400;

/// One check every 5 minutes from `from` to `to`: latency wandering over
/// 1–12 ms like a loopback target's, and down through the hour starting
/// at `outage`.
fn results(from: i64, to: i64, outage: i64) -> Vec<Sample> {
    (0..)
        .map(|i| from + 300 * i)
        .take_while(|&at| at < to)
        .map(|at| Sample {
            at,
            status: if (outage..outage + 3600).contains(&at) {
                MonitorStatus::Down
            } else {
                MonitorStatus::Up
            },
            latency_ms: 1 + ((at / 300) * 7 % 12) as u32,
        })
        .collect()
}

fn points(series: &Value) -> &Vec<Value> {
    series["points"].as_array().unwrap()
}

async fn series_results_are_rolled_up_and_pruned(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let res = ops
        .post(
            "/api/monitors",
            json!({"name": "archive", "kind": "tcp", "target": "127.0.0.1:9",
                "interval_seconds": 300, "timeout_seconds": 2, "retries": 0, "paused": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let id = json(res).await["id"].as_i64().unwrap() as i32;

    let conn = app::platform::db::connect(&app.db_url).await.unwrap();
    let now = chrono::Utc::now().timestamp();
    let outage = (now - 5 * DAY) / 3600 * 3600;
    let mut all = results(now - 100 * DAY, now - 100 * DAY + 4 * 3600, 0);
    all.extend(results(now - 10 * DAY, now - 600, outage));
    let tx = conn.begin().await.unwrap();
    let mut open: Option<OpenChunk> = None;
    for s in &all {
        store::append(&tx, id, &mut open, *s).await.unwrap();
    }
    tx.commit().await.unwrap();

    // Storage: sealed chunks hold at most 4 bytes a sample.
    let chunks = chunk::Entity::find()
        .filter(chunk::Column::MonitorId.eq(id))
        .all(&conn)
        .await
        .unwrap();
    let sealed: Vec<&chunk::Model> = chunks.iter().filter(|c| c.data[0] == 1).collect();
    assert!(sealed.len() >= 50, "{} sealed chunks", sealed.len());
    let bytes: usize = sealed.iter().map(|c| c.data.len()).sum();
    let samples: i32 = sealed.iter().map(|c| c.samples).sum();
    let per_sample = bytes as f64 / f64::from(samples);
    println!("{per_sample:.2} bytes per raw sample");
    assert!(per_sample <= 4.0, "{per_sample:.2} bytes per raw sample");

    // Nine days by the hour come from hour rollups, the outage included.
    let get = |q: String| {
        let ops = &ops;
        async move {
            let res = ops
                .get(&format!("/api/monitoring/series?monitor={id}&{q}"))
                .await;
            assert_eq!(res.status(), 200);
            json(res).await
        }
    };
    let hours = get(format!("from={}&to={}&step=3600", now - 9 * DAY, now)).await;
    assert_eq!(hours["source"], "hour");
    let down: Vec<&Value> = points(&hours)
        .iter()
        .filter(|p| p["uptime"] == 0.0)
        .collect();
    assert_eq!(down.len(), 1, "{hours}");
    assert_eq!(
        down[0]["at"].as_i64().unwrap() % 3600,
        (now - 9 * DAY) % 3600
    );
    assert!(points(&hours).len() >= 9 * 24 - 1);

    // Three days by 5 minutes: minute rollups, plus the open chunk raw.
    let from = now - 3 * DAY;
    let minutes = get(format!("from={from}&to={now}&step=300")).await;
    assert_eq!(minutes["source"], "minute");
    let last = points(&minutes).last().unwrap()["at"].as_i64().unwrap();
    assert!(last >= now - 1200, "the open chunk is read too: {last}");

    // The last whole-hour day raw, and the same range from rollups, agree.
    let to = now / 3600 * 3600;
    let from = to - DAY;
    let raw = get(format!("from={from}&to={to}&step=3600")).await;
    assert_eq!(raw["source"], "raw");
    let rolled = store::series(&conn, id, (from, to, 3600), now + 200 * DAY)
        .await
        .unwrap();
    assert_eq!(rolled.source.as_str(), "hour");
    assert_eq!(rolled.points.len(), points(&raw).len());
    for (r, p) in points(&raw).iter().zip(&rolled.points) {
        assert_eq!(r["at"], p.at);
        assert_eq!(r["checks"], p.checks);
        assert_eq!(r["min_ms"], json!(p.min_ms));
        assert_eq!(r["max_ms"], json!(p.max_ms));
        assert!(p.p95_ms >= r["p95_ms"].as_u64().map(|v| v as u32));
    }

    // Uptime windows on the monitor's detail.
    let detail = json(ops.get(&format!("/api/monitors/detail?id={id}")).await).await;
    assert_eq!(detail["uptime"]["day"], 100.0);
    let week = detail["uptime"]["week"].as_f64().unwrap();
    assert!((99.0..100.0).contains(&week), "{detail}");
    assert!(detail["uptime"]["quarter"].as_f64().unwrap() < 100.0);

    // The retention job: raw chunks past 7 days and minute rollups past 90
    // go; hour rollups stay, so old ranges still answer.
    let old_minutes = || {
        rollup::Entity::find()
            .filter(rollup::Column::MonitorId.eq(id))
            .filter(rollup::Column::Resolution.eq(60))
            .filter(rollup::Column::EndAt.lt(now - 90 * DAY))
            .count(&conn)
    };
    assert_eq!(old_minutes().await.unwrap(), 1);
    let job = jobs::enqueue(&conn, NewJob::new("monitoring.retention", json!({})))
        .await
        .unwrap();
    let mut done = false;
    for _ in 0..200 {
        let j = jobs::get(&conn, job).await.unwrap().unwrap();
        assert_ne!(j.status, status::DEAD, "{j:?}");
        if j.status == status::SUCCEEDED {
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(done, "the retention job never ran");
    let left = chunk::Entity::find()
        .filter(chunk::Column::MonitorId.eq(id))
        .all(&conn)
        .await
        .unwrap();
    assert!(left.iter().all(|c| c.end_at >= now - 7 * DAY));
    assert!(left.len() < chunks.len() && left.len() > 30);
    assert!(left.iter().any(|c| c.data[0] == 0), "the open chunk stays");
    assert_eq!(old_minutes().await.unwrap(), 0);
    let after = get(format!("from={}&to={}&step=3600", now - 9 * DAY, now)).await;
    assert_eq!(points(&after), points(&hours));
    let ancient = get(format!(
        "from={}&to={}&step=3600",
        now - 101 * DAY,
        now - 99 * DAY
    ))
    .await;
    assert_eq!(ancient["source"], "hour");
    let checks: u64 = points(&ancient)
        .iter()
        .map(|p| p["checks"].as_u64().unwrap())
        .sum();
    assert_eq!(checks, 48, "{ancient}");
    app.stop().await;
}

on_both_databases!(series_results_are_rolled_up_and_pruned);
