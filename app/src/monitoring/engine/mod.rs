//! The check engine: one scheduler task per instance, not a task per
//! monitor sleeping in a loop.
//!
//! - **One heap** of (due time, monitor), popped in order. A monitor's
//!   first check after (re)start is at a fixed phase of its interval
//!   derived from its id, so 10,000 monitors are spread evenly over one
//!   interval instead of all firing at once; then it runs at a fixed rate.
//! - **Bounded concurrency**: checks run on spawned tasks under a
//!   semaphore; one check per monitor at a time (a round that comes while
//!   the last one still runs is counted as missed, not stacked).
//! - **One shared HTTP client** ([`Checker`]), one connection pool.
//! - **Results in batches** ([`writer`]): current state and series chunks
//!   for many monitors per transaction.
//! - **Leases**: every sync claims the monitors no live instance holds
//!   (`lease_owner`, `lease_until`) and renews its own, so a second
//!   instance takes over the monitors of one that died.
//! - **Sync**: every few seconds, and at once when a monitor is saved or a
//!   server changes (the event bus), it makes the inventory's template
//!   checks ([`super::templates`]) and reloads what changed by revision.
use super::CheckOutcome;
use super::checks::{Checker, Spec};
use super::host::HostReading;
use crate::platform::events::{EventBus, Received, Topic};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{Semaphore, mpsc};
use tokio::time::Instant;

mod job;
mod leases;
pub mod writer;

use job::Job;

/// How the engine runs; [`EngineConfig::new`] has the production values.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// This instance's name in `monitors.lease_owner`.
    pub owner: String,
    /// Checks running at once, at most.
    pub concurrency: usize,
    /// How often monitors are reloaded and leases renewed.
    pub sync_every: Duration,
    /// How long a lease lasts without renewal.
    pub lease: Duration,
    /// Results written per transaction, at most…
    pub batch: usize,
    /// …and how long a result waits for its batch.
    pub flush_every: Duration,
    /// Multiplies every interval: 1 in production; tests shrink time.
    pub interval_scale: f64,
    /// Opens servers' SSH credentials for `ssh` checks (none: those fail
    /// with the reason).
    pub secrets: Option<Arc<crate::platform::secrets::SecretBox>>,
}

impl EngineConfig {
    pub fn new(owner: impl Into<String>) -> Self {
        Self {
            owner: owner.into(),
            concurrency: 512,
            sync_every: Duration::from_secs(5),
            lease: Duration::from_secs(30),
            batch: 1000,
            flush_every: Duration::from_millis(500),
            interval_scale: 1.0,
            secrets: None,
        }
    }
}

/// Counters for `/metrics` and the bench: one set per process ([`STATS`]),
/// whatever the number of engines (tests run several).
#[derive(Debug)]
pub struct Stats {
    pub checks: AtomicU64,
    pub up: AtomicU64,
    pub down: AtomicU64,
    /// Started more than a second (or a tenth of the interval) after due.
    pub late: AtomicU64,
    /// Skipped because the previous check of the monitor still ran.
    pub missed: AtomicU64,
    pub scheduled: AtomicU64,
    pub written: AtomicU64,
    pub batches: AtomicU64,
}

pub static STATS: Stats = Stats {
    checks: AtomicU64::new(0),
    up: AtomicU64::new(0),
    down: AtomicU64::new(0),
    late: AtomicU64::new(0),
    missed: AtomicU64::new(0),
    scheduled: AtomicU64::new(0),
    written: AtomicU64::new(0),
    batches: AtomicU64::new(0),
};

/// One monitor as the scheduler holds it.
struct Entry {
    revision: i32,
    spec: Arc<Spec>,
    interval: Duration,
    retries: u32,
    server_id: Option<i32>,
    in_maintenance: bool,
    /// Bumped when the entry is replaced, so stale heap items are skipped.
    generation: u64,
}

/// A check's result on its way to the writer.
#[derive(Debug, Clone)]
pub struct Finished {
    pub id: i32,
    pub at: DateTime<Utc>,
    pub outcome: CheckOutcome,
    /// A node_exporter check's reading of its host.
    pub reading: Option<HostReading>,
    pub retries: u32,
    pub in_maintenance: bool,
}

pub struct Engine {
    db: DatabaseConnection,
    events: EventBus,
    checker: Checker,
    config: EngineConfig,
    stats: &'static Stats,
}

/// Where in its interval a monitor's checks fall: the fractional part of
/// `id × φ`, which spreads any run of ids evenly (Fibonacci hashing), over
/// the first 90 % of the interval — the rest leaves room for the engine's
/// start and the write, so after a restart every monitor has a new result
/// within one interval.
fn phase(id: i32, interval: Duration) -> Duration {
    const PHI: f64 = 0.618_033_988_749_895;
    interval.mul_f64(0.9 * (f64::from(id) * PHI).fract())
}

impl Engine {
    pub fn new(db: DatabaseConnection, events: EventBus, config: EngineConfig) -> Self {
        Self {
            db,
            events,
            checker: Checker::new(),
            config,
            stats: &STATS,
        }
    }

    /// Schedules and runs checks until `stop` resolves; results already
    /// made are written before it returns.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        let (tx, rx) = mpsc::channel::<Finished>(self.config.batch * 8);
        let writer = tokio::spawn(
            writer::Writer::new(self.db.clone(), self.events.clone(), self.stats).run(
                rx,
                self.config.batch,
                self.config.flush_every,
            ),
        );
        self.schedule(tx, stop).await;
        // The senders are gone: the writer drains and ends.
        let _ = writer.await;
        self.release().await;
    }

    async fn schedule(&self, tx: mpsc::Sender<Finished>, stop: impl Future<Output = ()>) {
        let mut entries: HashMap<i32, Entry> = HashMap::new();
        let mut heap: BinaryHeap<Reverse<(Instant, i32, u64)>> = BinaryHeap::new();
        let running: Arc<std::sync::Mutex<HashSet<i32>>> = Arc::default();
        let slots = Arc::new(Semaphore::new(self.config.concurrency.max(1)));
        let mut saved = self
            .events
            .subscribe(vec![Topic::Monitoring, Topic::Servers]);
        let mut next_sync = Instant::now();
        let mut generation = 0u64;
        let mut tasks = tokio::task::JoinSet::new();
        tokio::pin!(stop);
        loop {
            if Instant::now() >= next_sync {
                if let Err(e) = self.sync(&mut entries, &mut heap, &mut generation).await {
                    tracing::warn!(error = %e, "monitor sync failed");
                }
                next_sync = Instant::now() + self.config.sync_every;
            }
            while tasks.try_join_next().is_some() {}
            let wake = heap
                .peek()
                .map(|Reverse((due, _, _))| *due)
                .unwrap_or(next_sync)
                .min(next_sync);
            tokio::select! {
                _ = &mut stop => break,
                _ = tokio::time::sleep_until(wake) => {}
                got = saved.next(|_| true) => {
                    // A monitor saved or deleted, a server moved: reload now.
                    if let Some(Received::Event(e)) = got
                        && (e.name == "server.changed"
                            || (e.name == "monitor.changed"
                                && e.data.get("change").and_then(|c| c.as_str()) != Some("checked")))
                    {
                        next_sync = Instant::now();
                    }
                    continue;
                }
            }
            let now = Instant::now();
            while let Some(&Reverse((due, id, gen_))) = heap.peek() {
                if due > now {
                    break;
                }
                heap.pop();
                let Some(entry) = entries.get(&id).filter(|e| e.generation == gen_) else {
                    continue;
                };
                heap.push(Reverse((due + entry.interval, id, gen_)));
                self.stats.scheduled.fetch_add(1, Ordering::Relaxed);
                if !running.lock().expect("poisoned").insert(id) {
                    self.stats.missed.fetch_add(1, Ordering::Relaxed);
                    continue;
                }
                let late_after = (entry.interval / 10).min(Duration::from_secs(1));
                if now.saturating_duration_since(due) > late_after {
                    self.stats.late.fetch_add(1, Ordering::Relaxed);
                }
                let Ok(permit) = Arc::clone(&slots).acquire_owned().await else {
                    break;
                };
                let job = Job {
                    id,
                    spec: Arc::clone(&entry.spec),
                    retries: entry.retries,
                    in_maintenance: entry.in_maintenance,
                    interval: entry.interval,
                    server_id: entry.server_id,
                    secrets: self.config.secrets.clone(),
                };
                let (tx, running, checker, db, stats) = (
                    tx.clone(),
                    Arc::clone(&running),
                    self.checker.clone(),
                    self.db.clone(),
                    self.stats,
                );
                tasks.spawn(async move {
                    let finished = job.run(&checker, &db).await;
                    stats.checks.fetch_add(1, Ordering::Relaxed);
                    let _ = tx.send(finished).await;
                    running.lock().expect("poisoned").remove(&id);
                    drop(permit);
                });
            }
        }
        // Checks under way finish (each is bounded by its timeout).
        while tasks.join_next().await.is_some() {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_spread_a_run_of_ids_evenly() {
        let interval = Duration::from_secs(30);
        let mut buckets = [0u32; 10];
        for id in 1..=10_000 {
            let p = phase(id, interval);
            // All within the first 27 s of 30, leaving 3 s for a restart.
            assert!(p < interval.mul_f64(0.9));
            buckets[(p.as_secs_f64() / 2.7) as usize] += 1;
        }
        // Each tenth of that span gets a tenth of the monitors, ±2 %.
        for b in buckets {
            assert!((980..=1020).contains(&b), "{buckets:?}");
        }
    }
}
