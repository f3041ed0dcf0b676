//! The job queue against the real databases: idempotent enqueue, claims
//! that never hand one job to two workers, leases that expire, late workers
//! that change nothing, backoff, the dead-letter state, and a worker
//! restarted mid-job that neither loses nor repeats it.
use crate::helpers::{Db, spawn_app};
use crate::on_both_databases;
use app::platform::jobs::{self, NewJob, Worker, WorkerConfig, entity, status};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

async fn connect(url: &str) -> DatabaseConnection {
    app::platform::db::connect(url).await.unwrap()
}

/// Polls the job until `done` holds (a worker runs it in the background).
async fn wait_for(
    db: &DatabaseConnection,
    id: i64,
    done: impl Fn(&jobs::Job) -> bool,
) -> jobs::Job {
    for _ in 0..400 {
        let job = jobs::get(db, id).await.unwrap().unwrap();
        if done(&job) {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "job {id} never reached the expected state: {:?}",
        jobs::get(db, id).await
    );
}

/// Makes job `id` due now (instead of waiting out its backoff).
async fn due_now(db: &DatabaseConnection, id: i64) {
    entity::Entity::update_many()
        .col_expr(entity::Column::RunAt, Expr::value(Utc::now()))
        .filter(entity::Column::Id.eq(id))
        .exec(db)
        .await
        .unwrap();
}

async fn enqueue_is_idempotent_and_claims_are_exclusive(db: Db) {
    let app = spawn_app(db).await;
    let conn = connect(&app.db_url).await;
    let keyed = || NewJob::new("test.once", serde_json::json!({"n": 1})).key("report:2026-12-07");
    let first = jobs::enqueue(&conn, keyed()).await.unwrap();
    assert_eq!(jobs::enqueue(&conn, keyed()).await.unwrap(), first);
    let rows = entity::Entity::find()
        .filter(entity::Column::Kind.eq("test.once"))
        .all(&conn)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);

    let mut ids = BTreeSet::new();
    for n in 0..120 {
        ids.insert(
            jobs::enqueue(&conn, NewJob::new("test.work", serde_json::json!({"n": n})))
                .await
                .unwrap(),
        );
    }
    // Four workers race for them; each job must be handed out once.
    let mut racers = Vec::new();
    for w in 0..4 {
        let conn = conn.clone();
        racers.push(tokio::spawn(async move {
            let owner = format!("racer-{w}");
            let mut mine = Vec::new();
            loop {
                let batch = jobs::claim(&conn, &owner, &["test.work"], Duration::seconds(30), 7)
                    .await
                    .unwrap();
                if batch.is_empty() {
                    return mine;
                }
                for job in batch {
                    assert_eq!(job.lease_owner.as_deref(), Some(owner.as_str()));
                    assert_eq!(job.attempts, 1);
                    assert!(jobs::complete(&conn, job.id, &owner).await.unwrap());
                    mine.push(job.id);
                }
            }
        }));
    }
    let mut claimed = Vec::new();
    for r in racers {
        claimed.extend(r.await.unwrap());
    }
    let unique: BTreeSet<i64> = claimed.iter().copied().collect();
    assert_eq!(claimed.len(), 120, "a job was claimed twice or lost");
    assert_eq!(unique, ids);
    let done = entity::Entity::find()
        .filter(entity::Column::Kind.eq("test.work"))
        .filter(entity::Column::Status.eq(status::SUCCEEDED))
        .all(&conn)
        .await
        .unwrap();
    assert_eq!(done.len(), 120);
}

async fn expired_leases_move_and_late_owners_change_nothing(db: Db) {
    let app = spawn_app(db).await;
    let conn = connect(&app.db_url).await;
    let id = jobs::enqueue(&conn, NewJob::new("test.lease", serde_json::json!({})))
        .await
        .unwrap();
    // A's lease is already over when it is granted: as if A froze.
    let a = jobs::claim(&conn, "a", &["test.lease"], Duration::seconds(-1), 1)
        .await
        .unwrap();
    assert_eq!(a.len(), 1);
    let b = jobs::claim(&conn, "b", &["test.lease"], Duration::seconds(30), 1)
        .await
        .unwrap();
    assert_eq!(b.len(), 1, "an expired lease is claimable");
    assert_eq!((b[0].id, b[0].attempts), (id, 2));
    // A wakes up: nothing it does counts any more.
    assert!(
        !jobs::heartbeat(&conn, id, "a", Duration::seconds(30))
            .await
            .unwrap()
    );
    assert!(!jobs::complete(&conn, id, "a").await.unwrap());
    assert!(!jobs::fail(&conn, &a[0], "a", "late").await.unwrap());
    assert!(
        jobs::heartbeat(&conn, id, "b", Duration::seconds(30))
            .await
            .unwrap()
    );
    assert!(jobs::complete(&conn, id, "b").await.unwrap());
    let job = jobs::get(&conn, id).await.unwrap().unwrap();
    assert_eq!(job.status, status::SUCCEEDED);
    assert_eq!(job.last_error, None);
    assert!(
        jobs::claim(&conn, "c", &["test.lease"], Duration::seconds(30), 1)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn failures_back_off_then_dead_letter_and_retry(db: Db) {
    let app = spawn_app(db).await;
    let conn = connect(&app.db_url).await;
    let kinds = ["test.flaky"];
    let lease = Duration::seconds(30);
    let id = jobs::enqueue(
        &conn,
        NewJob::new("test.flaky", serde_json::json!({})).attempts(2),
    )
    .await
    .unwrap();
    let job = jobs::claim(&conn, "w", &kinds, lease, 1)
        .await
        .unwrap()
        .remove(0);
    assert!(
        jobs::fail(&conn, &job, "w", "connection refused")
            .await
            .unwrap()
    );
    let queued = jobs::get(&conn, id).await.unwrap().unwrap();
    assert_eq!(queued.status, status::QUEUED);
    assert_eq!(queued.last_error.as_deref(), Some("connection refused"));
    let wait = queued.run_at - Utc::now();
    assert!(wait > Duration::milliseconds(1_000), "backoff {wait}");
    assert!(
        jobs::claim(&conn, "w", &kinds, lease, 1)
            .await
            .unwrap()
            .is_empty(),
        "not due yet"
    );
    due_now(&conn, id).await;
    let job = jobs::claim(&conn, "w", &kinds, lease, 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(job.attempts, 2);
    assert!(jobs::fail(&conn, &job, "w", "still refused").await.unwrap());
    let dead = jobs::get(&conn, id).await.unwrap().unwrap();
    assert_eq!(dead.status, status::DEAD);
    assert!(dead.finished_at.is_some());
    assert!(
        jobs::claim(&conn, "w", &kinds, lease, 1)
            .await
            .unwrap()
            .is_empty()
    );
    // An operator's retry gives it one more attempt.
    assert!(jobs::retry_dead(&conn, id).await.unwrap());
    let again = jobs::claim(&conn, "w", &kinds, lease, 1).await.unwrap();
    assert_eq!(again.len(), 1);
    // A lease that runs out on the last attempt is reaped as dead.
    assert!(!jobs::retry_dead(&conn, id).await.unwrap(), "not dead now");
    let last = jobs::enqueue(
        &conn,
        NewJob::new("test.flaky", serde_json::json!({})).attempts(1),
    )
    .await
    .unwrap();
    let taken = jobs::claim(&conn, "gone", &kinds, Duration::seconds(-1), 5)
        .await
        .unwrap();
    assert!(taken.iter().any(|j| j.id == last));
    assert!(jobs::reap_expired(&conn).await.unwrap() >= 1);
    let reaped = jobs::get(&conn, last).await.unwrap().unwrap();
    assert_eq!(reaped.status, status::DEAD);
}

fn quick(owner: &str) -> WorkerConfig {
    WorkerConfig {
        lease: Duration::milliseconds(600),
        poll: std::time::Duration::from_millis(50),
        grace: std::time::Duration::from_millis(0),
        ..WorkerConfig::new(owner)
    }
}

async fn a_restarted_worker_finishes_what_the_first_left(db: Db) {
    let app = spawn_app(db).await;
    let conn = connect(&app.db_url).await;
    let id = jobs::enqueue(&conn, NewJob::new("test.restart", serde_json::json!({})))
        .await
        .unwrap();
    // The first process takes the job and never finishes it.
    let (stop_a, stopped_a) = tokio::sync::oneshot::channel::<()>();
    let first = Worker::new(conn.clone(), quick("first")).handle("test.restart", |_job| {
        std::future::pending::<Result<(), String>>()
    });
    let first = tokio::spawn(first.run(async {
        let _ = stopped_a.await;
    }));
    let running = wait_for(&conn, id, |j| j.status == status::RUNNING).await;
    assert_eq!(running.lease_owner.as_deref(), Some("first"));
    let _ = stop_a.send(());
    first.await.unwrap();

    // The next process runs it once, after the first's lease ran out.
    let runs = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&runs);
    let (stop_b, stopped_b) = tokio::sync::oneshot::channel::<()>();
    let second = Worker::new(conn.clone(), quick("second")).handle("test.restart", move |_job| {
        let counted = Arc::clone(&counted);
        async move {
            counted.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    });
    let second = tokio::spawn(second.run(async {
        let _ = stopped_b.await;
    }));
    let done = wait_for(&conn, id, |j| j.status == status::SUCCEEDED).await;
    assert_eq!(done.attempts, 2);
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    // A handler that fails, then succeeds; one that panics.
    let tries = Arc::new(AtomicU32::new(0));
    let _ = stop_b.send(());
    second.await.unwrap();
    let flaky = jobs::enqueue(&conn, NewJob::new("test.flaky", serde_json::json!({})))
        .await
        .unwrap();
    let boom = jobs::enqueue(
        &conn,
        NewJob::new("test.panic", serde_json::json!({})).attempts(1),
    )
    .await
    .unwrap();
    let seen = Arc::clone(&tries);
    let (stop_c, stopped_c) = tokio::sync::oneshot::channel::<()>();
    let third = Worker::new(conn.clone(), quick("third"))
        .handle("test.flaky", move |_job| {
            let seen = Arc::clone(&seen);
            async move {
                match seen.fetch_add(1, Ordering::SeqCst) {
                    0 => Err("first try fails".to_string()),
                    _ => Ok(()),
                }
            }
        })
        .handle("test.panic", |_job| async { panic!("handler bug") });
    let third = tokio::spawn(third.run(async {
        let _ = stopped_c.await;
    }));
    let failed_once = wait_for(&conn, flaky, |j| j.last_error.is_some()).await;
    assert_eq!(failed_once.last_error.as_deref(), Some("first try fails"));
    due_now(&conn, flaky).await;
    let done = wait_for(&conn, flaky, |j| j.status == status::SUCCEEDED).await;
    assert_eq!((done.attempts, tries.load(Ordering::SeqCst)), (2, 2));
    let dead = wait_for(&conn, boom, |j| j.status == status::DEAD).await;
    assert!(dead.last_error.unwrap().contains("panicked"));
    let _ = stop_c.send(());
    third.await.unwrap();
}

on_both_databases!(
    enqueue_is_idempotent_and_claims_are_exclusive,
    expired_leases_move_and_late_owners_change_nothing,
    failures_back_off_then_dead_letter_and_retry,
    a_restarted_worker_finishes_what_the_first_left,
);
