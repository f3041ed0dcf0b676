//! Housekeeping in the background of a running server.
use crate::rate_limit::Limits;
use app::platform::jobs::{self, NewJob, Worker, WorkerConfig};
use app::{platform::AppState, sessions::store::SeaOrmStore};
use std::{sync::Arc, time::Duration};

/// The daily job that deletes finished jobs past [`JOB_RETENTION_DAYS`].
pub const PURGE_JOBS: &str = "jobs.purge";
/// Finished jobs (succeeded or dead) are kept this long for inspection.
pub const JOB_RETENTION_DAYS: u32 = 14;
/// The daily job that deletes monitoring results past their retention.
pub const PRUNE_RESULTS: &str = "monitoring.retention";

/// The process's job worker with every job kind it runs; raw check
/// results are kept `raw_retention_days`.
pub fn worker(state: AppState, raw_retention_days: u32) -> Worker {
    let db = state.db.clone();
    let results_db = state.db.clone();
    let (sla_db, sla_events) = (state.db.clone(), state.events.clone());
    let deliver_db = state.db.clone();
    let (escalate_db, escalate_events) = (state.db.clone(), state.events.clone());
    let sender =
        app::notifications::channels::Sender::new(state.secrets.clone(), state.public_url.clone());
    Worker::new(state.db.clone(), WorkerConfig::new(state.events.origin()))
        .woken_by(state.jobs_wake.clone())
        .handle(PRUNE_RESULTS, move |_job| {
            let db = results_db.clone();
            async move {
                let now = chrono::Utc::now().timestamp();
                let gone = app::monitoring::store::prune(&db, raw_retention_days, now)
                    .await
                    .map_err(|e| e.to_string())?;
                tracing::info!(?gone, "monitoring results past retention deleted");
                Ok(())
            }
        })
        .handle(app::incidents::breach::SLA_JOB, move |job| {
            let (db, events) = (sla_db.clone(), sla_events.clone());
            async move {
                app::incidents::breach::check(&db, &events, &job.payload)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        })
        .handle(app::notifications::channels::DELIVER_JOB, move |job| {
            let (db, sender) = (deliver_db.clone(), sender.clone());
            async move { app::notifications::channels::deliver(&db, &sender, &job).await }
        })
        .handle(app::alerts::escalate::ESCALATE_JOB, move |job| {
            let (db, events) = (escalate_db.clone(), escalate_events.clone());
            async move {
                app::alerts::escalate::run(&db, &events, &job.payload)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        })
        .handle(PURGE_JOBS, move |_job| {
            let db = db.clone();
            async move {
                let n = jobs::purge_finished(&db, JOB_RETENTION_DAYS)
                    .await
                    .map_err(|e| e.to_string())?;
                tracing::info!(jobs = n, "finished jobs past retention deleted");
                Ok(())
            }
        })
}

/// The process's script runs (automation), apart from the other jobs:
/// a long run must not hold a slot that notifications and SLA checks need.
pub fn runs_worker(state: AppState, concurrency: usize) -> Worker {
    let executor = app::automation::executor::Executor {
        db: state.db.clone(),
        secrets: state.secrets.clone(),
        local: state.local_executor,
    };
    let mut config = WorkerConfig::new(state.events.origin());
    config.concurrency = concurrency;
    Worker::new(state.db.clone(), config)
        .woken_by(state.runs_wake.clone())
        .handle(app::automation::runs::RUN_JOB, move |job| {
            let executor = executor.clone();
            async move { executor.execute(&job).await }
        })
}

/// The process's check engine (monitoring), leasing monitors under the
/// same instance name as the job worker.
pub fn engine(state: AppState, interval_scale: f64) -> app::monitoring::engine::Engine {
    use app::monitoring::engine::{Engine, EngineConfig};
    let mut config = EngineConfig::new(state.events.origin());
    config.interval_scale = interval_scale;
    config.secrets = Some(state.secrets.clone());
    Engine::new(state.db.clone(), state.events.clone(), config)
}

/// Enqueues today's run of the job `kind` (once per day whatever the
/// instances: the key settles it).
async fn daily(state: &AppState, kind: &str) {
    let job = NewJob::new(kind, serde_json::json!({}))
        .key(format!("{kind}:{}", chrono::Utc::now().date_naive()));
    match jobs::enqueue(&state.db, job).await {
        Ok(_) => state.jobs_wake.notify_one(),
        Err(e) => tracing::warn!(error = %e, kind, "daily job not enqueued"),
    }
}

/// Housekeeping: limiter memory every minute; expired sessions, stale
/// sign-in counters and audit rows past retention every hour, and the
/// daily jobs: the purge of finished jobs, monitoring's retention.
pub async fn run(limits: Arc<Limits>, state: AppState, audit_retention_days: u32) {
    use tower_sessions::ExpiredDeletion;
    let store = SeaOrmStore::new(state.db.clone());
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    for minute in 0u64.. {
        tick.tick().await;
        limits.shrink();
        state.auth.login_limiter.shrink();
        if minute % 60 == 0 {
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "expired session cleanup failed");
            }
            let _ = app::platform::throttle::purge(&state.db).await;
            for kind in [PURGE_JOBS, PRUNE_RESULTS] {
                daily(&state, kind).await;
            }
            match app::audit::service::purge_older_than(&state.db, audit_retention_days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "audit rows past retention deleted"),
                Err(e) => tracing::warn!(error = %e, "audit retention purge failed"),
            }
        }
    }
}
