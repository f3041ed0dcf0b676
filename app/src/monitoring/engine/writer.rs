//! Writes check results in batches: one transaction per batch updates
//! each monitor's current state and appends to its open series chunk.
//! Holds every monitor's state and open chunk in memory, read from the
//! database the first time a monitor is seen (so a restart continues the
//! chunk it left).
use super::{Finished, Stats};
use crate::monitoring::entity::{self as monitor, chunk, host_chunk};
use crate::monitoring::host::{HostChunk, HostReading, HostSample};
use crate::monitoring::series::{OpenChunk, Sample};
use crate::monitoring::store;
use crate::monitoring::{CheckedRow, MonitorChanged, MonitorStatus, MonitorsChecked};
use crate::platform::events::EventBus;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::mpsc;

/// A monitor's state between results.
#[derive(Debug, Clone)]
struct Current {
    status: MonitorStatus,
    failures: u32,
    chunk: Option<OpenChunk>,
    /// node_exporter monitors: the host series, read on the first reading.
    host: Option<HostTrack>,
}

/// A host's last scrape (its CPU counters) and its open chunk.
#[derive(Debug, Clone)]
struct HostTrack {
    last: Option<HostReading>,
    chunk: Option<HostChunk>,
}

pub struct Writer {
    db: DatabaseConnection,
    events: EventBus,
    stats: &'static Stats,
    known: HashMap<i32, Current>,
}

/// The state a result leads to: up resets the failures; a failure is
/// `pending` until more than `retries` failures in a row, then `down`. A
/// server in maintenance shows `maintenance` whatever the check found.
pub fn next_status(
    before_failures: u32,
    up: bool,
    retries: u32,
    in_maintenance: bool,
) -> (MonitorStatus, u32) {
    let failures = if up { 0 } else { before_failures + 1 };
    let status = if in_maintenance {
        MonitorStatus::Maintenance
    } else if up {
        MonitorStatus::Up
    } else if failures > retries {
        MonitorStatus::Down
    } else {
        MonitorStatus::Pending
    };
    (status, failures)
}

/// `SELECT MAX(start_at)` of the outer row's monitor: its latest chunk.
fn latest_chunk() -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Alias, ExprTrait, Query};
    let inner = Alias::new("latest");
    Query::select()
        .expr(Expr::col((inner.clone(), chunk::Column::StartAt)).max())
        .from_as(chunk::Entity, inner.clone())
        .and_where(
            Expr::col((inner, chunk::Column::MonitorId))
                .equals((chunk::Entity, chunk::Column::MonitorId)),
        )
        .to_owned()
}

impl Writer {
    pub fn new(db: DatabaseConnection, events: EventBus, stats: &'static Stats) -> Self {
        Self {
            db,
            events,
            stats,
            known: HashMap::new(),
        }
    }

    /// Writes what arrives on `rx` until every sender is gone.
    pub async fn run(mut self, mut rx: mpsc::Receiver<Finished>, batch: usize, every: Duration) {
        let mut pending: Vec<Finished> = Vec::with_capacity(batch);
        loop {
            let first = rx.recv().await;
            let Some(first) = first else { break };
            pending.push(first);
            let deadline = tokio::time::Instant::now() + every;
            while pending.len() < batch {
                match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(Some(f)) => pending.push(f),
                    Ok(None) | Err(_) => break,
                }
            }
            let results = std::mem::take(&mut pending);
            if let Err(e) = self.write(&results).await {
                tracing::warn!(error = %e, results = results.len(), "check results not written");
                // What is in memory may now be ahead of the database:
                // read it again for these monitors next time.
                for r in &results {
                    self.known.remove(&r.id);
                }
            }
        }
    }

    /// Loads the state and open chunk of monitors seen for the first time.
    async fn load(&mut self, ids: &[i32]) -> Result<(), DbErr> {
        let fresh: Vec<i32> = ids
            .iter()
            .copied()
            .filter(|id| !self.known.contains_key(id))
            .collect();
        for part in fresh.chunks(500) {
            let rows: Vec<(i32, String, i32)> = monitor::Entity::find()
                .select_only()
                .columns([
                    monitor::Column::Id,
                    monitor::Column::Status,
                    monitor::Column::Failures,
                ])
                .filter(monitor::Column::Id.is_in(part.iter().copied()))
                .into_tuple()
                .all(&self.db)
                .await?;
            // Each monitor's latest chunk, in one query for the part (after
            // a restart, one query per monitor held the first results back
            // for seconds at 10,000 monitors).
            let mut last: HashMap<i32, chunk::Model> = chunk::Entity::find()
                .filter(chunk::Column::MonitorId.is_in(part.iter().copied()))
                .filter(chunk::Column::StartAt.in_subquery(latest_chunk()))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|c| (c.monitor_id, c))
                .collect();
            for (id, status, failures) in rows {
                self.known.insert(
                    id,
                    Current {
                        status: MonitorStatus::parse(&status).unwrap_or(MonitorStatus::Pending),
                        failures: failures.max(0) as u32,
                        chunk: last
                            .remove(&id)
                            .and_then(|c| OpenChunk::resume(c.start_at, &c.data)),
                        host: None,
                    },
                );
            }
        }
        Ok(())
    }

    /// Loads the open host chunk of monitors giving their first reading.
    async fn load_hosts(&mut self, results: &[Finished]) -> Result<(), DbErr> {
        for r in results.iter().filter(|r| r.reading.is_some()) {
            let Some(cur) = self.known.get_mut(&r.id) else {
                continue;
            };
            if cur.host.is_none() {
                let last = host_chunk::Entity::find()
                    .filter(host_chunk::Column::MonitorId.eq(r.id))
                    .order_by_desc(host_chunk::Column::StartAt)
                    .one(&self.db)
                    .await?;
                cur.host = Some(HostTrack {
                    last: None,
                    chunk: last.and_then(|c| HostChunk::resume(c.start_at, &c.data)),
                });
            }
        }
        Ok(())
    }

    async fn write(&mut self, results: &[Finished]) -> Result<(), DbErr> {
        let ids: Vec<i32> = results.iter().map(|r| r.id).collect();
        self.load(&ids).await?;
        self.load_hosts(results).await?;
        let tx = crate::platform::db::begin(&self.db).await?;
        let mut changed = Vec::new();
        let mut gone = Vec::new();
        let mut rows = Vec::with_capacity(results.len());
        let mut history = Vec::new();
        for r in results {
            // Deleted since the check started: nothing to write.
            let Some(cur) = self.known.get_mut(&r.id) else {
                continue;
            };
            let up = r.outcome.status == MonitorStatus::Up;
            let (status, failures) = next_status(cur.failures, up, r.retries, r.in_maintenance);
            let updated = monitor::Entity::update_many()
                .col_expr(monitor::Column::Status, Expr::value(status.as_str()))
                .col_expr(monitor::Column::Failures, Expr::value(failures as i32))
                .col_expr(
                    monitor::Column::LatencyMs,
                    Expr::value(r.outcome.latency_ms as i32),
                )
                .col_expr(monitor::Column::LastCheckedAt, Expr::value(r.at))
                .col_expr(
                    monitor::Column::Message,
                    Expr::value(r.outcome.message.clone()),
                )
                .filter(monitor::Column::Id.eq(r.id))
                .exec(&tx)
                .await?;
            if updated.rows_affected == 0 {
                // Deleted while its check ran: its chunks went with it.
                gone.push(r.id);
                continue;
            }
            let sample = Sample {
                at: r.at.timestamp(),
                status: if r.in_maintenance {
                    MonitorStatus::Maintenance
                } else {
                    r.outcome.status
                },
                latency_ms: r.outcome.latency_ms,
            };
            store::append(&tx, r.id, &mut cur.chunk, sample).await?;
            let mut host_now = None;
            if let (Some(reading), Some(host)) = (&r.reading, cur.host.as_mut()) {
                let s = HostSample::of(sample.at, reading, host.last.as_ref());
                store::append_host(&tx, r.id, &mut host.chunk, &s).await?;
                host.last = Some(*reading);
                host_now = Some(crate::monitoring::HostNow {
                    cpu_permille: s.cpu_permille,
                    memory_permille: s.memory_permille,
                    disk_permille: s.disk_permille,
                });
            }
            if cur.status != status {
                // A new monitor coming up is not news; one that starts
                // down is.
                let first_up = cur.status == MonitorStatus::Pending
                    && cur.failures == 0
                    && status == MonitorStatus::Up;
                if !first_up {
                    history.push(monitor::event::ActiveModel {
                        monitor_id: Set(r.id),
                        at: Set(r.at),
                        status: Set(status.as_str().into()),
                        previous: Set(cur.status.as_str().into()),
                        message: Set(r.outcome.message.clone()),
                        ..Default::default()
                    });
                }
                changed.push(MonitorChanged {
                    id: r.id,
                    status,
                    latency_ms: Some(r.outcome.latency_ms),
                    change: "checked".into(),
                });
            }
            cur.status = status;
            cur.failures = failures;
            rows.push(CheckedRow {
                id: r.id,
                status,
                latency_ms: r.outcome.latency_ms,
                at: sample.at,
                cert_days: r.outcome.cert_days,
                host: host_now,
            });
        }
        if !history.is_empty() {
            monitor::event::Entity::insert_many(history)
                .exec_without_returning(&tx)
                .await?;
        }
        tx.commit().await?;
        for id in gone {
            self.known.remove(&id);
        }
        self.stats
            .written
            .fetch_add(rows.len() as u64, Ordering::Relaxed);
        self.stats.batches.fetch_add(1, Ordering::Relaxed);
        for r in &rows {
            let counter = if r.status == MonitorStatus::Down {
                &self.stats.down
            } else {
                &self.stats.up
            };
            counter.fetch_add(1, Ordering::Relaxed);
        }
        for c in &changed {
            self.events.publish(c);
        }
        if !rows.is_empty() {
            self.events.publish(&MonitorsChecked { results: rows });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_count_up_to_down_and_maintenance_wins() {
        assert_eq!(next_status(0, true, 2, false), (MonitorStatus::Up, 0));
        assert_eq!(next_status(0, false, 2, false), (MonitorStatus::Pending, 1));
        assert_eq!(next_status(2, false, 2, false), (MonitorStatus::Down, 3));
        assert_eq!(next_status(5, true, 2, false), (MonitorStatus::Up, 0));
        assert_eq!(next_status(0, false, 0, false), (MonitorStatus::Down, 1));
        assert_eq!(
            next_status(9, false, 0, true),
            (MonitorStatus::Maintenance, 10)
        );
    }
}
