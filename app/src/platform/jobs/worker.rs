//! The loop that runs queued jobs: claims as many as it has free slots,
//! runs each handler in its own task while renewing the lease, and records
//! the outcome. One per process; instances share the table, not memory.
//!
//! It waits between claims for [`Worker::woken_by`] (an enqueue in this
//! process) or its poll interval (an enqueue elsewhere, a retry coming due),
//! never in a sleep per job. On stop it claims nothing more and gives the
//! running handlers a grace period; what is still running then is dropped,
//! and its lease expires so the next start (or another instance) runs it.
use super::{Job, claim, complete, fail, heartbeat, reap_expired};
use chrono::Duration;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;

/// What a handler returns: `Err` with a reason is a failed attempt.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
/// Runs one job.
pub type Handler = Arc<dyn Fn(Job) -> HandlerFuture + Send + Sync>;

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// This instance's name in leases (`host:pid:random`).
    pub owner: String,
    /// How long a claim lasts without a heartbeat.
    pub lease: Duration,
    /// Jobs run at once.
    pub concurrency: usize,
    /// The longest wait between claims.
    pub poll: std::time::Duration,
    /// How long running handlers get to finish on stop.
    pub grace: std::time::Duration,
}

impl WorkerConfig {
    pub fn new(owner: impl Into<String>) -> Self {
        WorkerConfig {
            owner: owner.into(),
            lease: Duration::seconds(30),
            concurrency: 4,
            poll: std::time::Duration::from_secs(1),
            grace: std::time::Duration::from_secs(10),
        }
    }
}

/// A lease owner name for this process: host, pid and a random part, so a
/// restarted process never mistakes its predecessor's leases for its own.
pub fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "dihya".into());
    format!(
        "{host}:{}:{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}

pub struct Worker {
    db: DatabaseConnection,
    config: WorkerConfig,
    handlers: HashMap<String, Handler>,
    wake: Arc<Notify>,
}

impl Worker {
    pub fn new(db: DatabaseConnection, config: WorkerConfig) -> Self {
        Worker {
            db,
            config,
            handlers: HashMap::new(),
            wake: Arc::new(Notify::new()),
        }
    }

    /// Runs jobs of `kind` with `handler`.
    pub fn handle<F, Fut>(mut self, kind: &str, handler: F) -> Self
    where
        F: Fn(Job) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |job| Box::pin(handler(job)));
        self.handlers.insert(kind.to_string(), handler);
        self
    }

    /// Claims at once when `wake` is notified (`AppState::jobs_wake`, after
    /// an enqueue in this process) instead of at the next poll.
    pub fn woken_by(mut self, wake: Arc<Notify>) -> Self {
        self.wake = wake;
        self
    }

    /// Claims and runs jobs until `stop` resolves, then waits up to the
    /// grace period for the running ones.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        let Worker {
            db,
            config,
            handlers,
            wake,
        } = self;
        let kinds: Vec<String> = handlers.keys().cloned().collect();
        let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
        let slots = Arc::new(Semaphore::new(config.concurrency.max(1)));
        let mut running = JoinSet::new();
        tokio::pin!(stop);
        let mut idle = false;
        loop {
            if idle {
                tokio::select! {
                    _ = &mut stop => break,
                    _ = wake.notified() => {}
                    _ = tokio::time::sleep(config.poll) => {}
                }
            }
            while running.try_join_next().is_some() {}
            if let Err(e) = reap_expired(&db).await {
                tracing::warn!(error = %e, "job reaping failed");
            }
            let free = slots.available_permits();
            if free == 0 {
                // Wait for a slot (or the stop), not for the poll.
                tokio::select! {
                    _ = &mut stop => break,
                    _ = running.join_next() => {}
                }
                idle = false;
                continue;
            }
            let jobs = match claim(&db, &config.owner, &kinds, config.lease, free as u64).await {
                Ok(jobs) => jobs,
                Err(e) => {
                    tracing::warn!(error = %e, "job claim failed");
                    Vec::new()
                }
            };
            idle = jobs.len() < free;
            for job in jobs {
                let Some(handler) = handlers.get(&job.kind).cloned() else {
                    continue;
                };
                let Ok(permit) = Arc::clone(&slots).acquire_owned().await else {
                    break;
                };
                let (db, config) = (db.clone(), config.clone());
                running.spawn(async move {
                    run_one(&db, &config, handler, job).await;
                    drop(permit);
                });
            }
        }
        let drained = tokio::time::timeout(config.grace, async {
            while running.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                left = running.len(),
                "jobs still running at stop; their leases will expire and they will run again"
            );
            running.abort_all();
        }
    }
}

/// Runs one claimed job, renewing its lease a few times per lease period;
/// stops the handler if the lease is lost.
async fn run_one(db: &DatabaseConnection, config: &WorkerConfig, handler: Handler, job: Job) {
    let owner = config.owner.as_str();
    let every = (config.lease / 3)
        .to_std()
        .unwrap_or(std::time::Duration::from_secs(10))
        .max(std::time::Duration::from_millis(50));
    // Its own task, so a panic is a failed attempt, not a dead worker.
    let mut task = tokio::spawn(handler(job.clone()));
    let mut beat = tokio::time::interval(every);
    beat.tick().await;
    let outcome = loop {
        tokio::select! {
            done = &mut task => break Some(done),
            _ = beat.tick() => match heartbeat(db, job.id, owner, config.lease).await {
                Ok(true) => {}
                Ok(false) => {
                    tracing::warn!(job = job.id, kind = %job.kind, "lease lost; job stopped here");
                    task.abort();
                    break None;
                }
                Err(e) => tracing::warn!(job = job.id, error = %e, "heartbeat failed"),
            },
        }
    };
    let recorded = match outcome {
        None => return,
        Some(Ok(Ok(()))) => complete(db, job.id, owner).await,
        Some(Ok(Err(reason))) => fail(db, &job, owner, &reason).await,
        Some(Err(e)) => fail(db, &job, owner, &format!("handler panicked: {e}")).await,
    };
    if let Err(e) = recorded {
        tracing::warn!(job = job.id, error = %e, "job outcome not recorded; it will run again");
    }
}
