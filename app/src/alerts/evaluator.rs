//! The evaluator: one task per process that listens to monitoring's
//! results on the event bus and moves the alerts of the rules covering
//! each result. It keeps one [`Track`] per (rule, monitor) in memory, so a
//! result costs a few comparisons whatever the history; it writes only
//! when an alert moves (one transaction per batch of results). Each
//! instance evaluates the results of the monitors it checks (their lease
//! is its own), so instances never evaluate the same result twice.
//!
//! After a restart the open alerts are read back into the tracks (a
//! firing alert stays firing until a result clears it); a rule deleted or
//! narrowed resolves the alerts it no longer covers, and so does a monitor
//! deleted or paused.
use super::entity as alert;
use super::fire::{self, Effects, Observation, Quieting};
use super::lifecycle::{MonitorFacts, Rule, Step, Track, step};
use super::{AlertStatus, Condition};
use crate::error::AppError;
use crate::monitoring::{CheckedRow, MonitorStatus, MonitorsChecked};
use crate::platform::events::{EventBus, Received, Topic};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};

/// (rule, monitor).
type Key = (i32, i32);

/// What evaluating cost this process, for `/metrics` and `make bench`.
static RESULTS: AtomicU64 = AtomicU64::new(0);
static NANOS: AtomicU64 = AtomicU64::new(0);

/// The evaluator's figures in the Prometheus text format.
pub fn metrics_text() -> String {
    format!(
        "# HELP dihya_alert_results_evaluated_total Check results run through the alert rules.\n\
         # TYPE dihya_alert_results_evaluated_total counter\n\
         dihya_alert_results_evaluated_total {}\n\
         # HELP dihya_alert_evaluation_seconds_total Time spent evaluating alert rules, writes included.\n\
         # TYPE dihya_alert_evaluation_seconds_total counter\n\
         dihya_alert_evaluation_seconds_total {:.6}\n",
        RESULTS.load(Ordering::Relaxed),
        NANOS.load(Ordering::Relaxed) as f64 / 1e9,
    )
}

fn policy(rule: &Rule) -> fire::Policy {
    fire::Policy {
        opens_incident: rule.opens_incident,
        escalation: rule.escalation.clone(),
    }
}

/// A rule alert's fingerprint.
pub fn fingerprint(rule: i32, monitor: i32) -> String {
    format!("rule:{rule}:monitor:{monitor}")
}

fn key_of(fingerprint: &str) -> Option<Key> {
    let rest = fingerprint.strip_prefix("rule:")?;
    let (rule, monitor) = rest.split_once(":monitor:")?;
    Some((rule.parse().ok()?, monitor.parse().ok()?))
}

pub struct Evaluator {
    db: DatabaseConnection,
    events: EventBus,
    rules: Vec<Rule>,
    facts: HashMap<i32, MonitorFacts>,
    servers: BTreeMap<i32, String>,
    tracks: HashMap<Key, Track>,
}

/// A move to write: which track, what to do, with what.
struct Move {
    key: Key,
    step: Step,
    rule: usize,
    at: DateTime<Utc>,
    seen: String,
    run: u32,
}

impl Evaluator {
    pub fn new(db: DatabaseConnection, events: EventBus) -> Self {
        Evaluator {
            db,
            events,
            rules: Vec::new(),
            facts: HashMap::new(),
            servers: BTreeMap::new(),
            tracks: HashMap::new(),
        }
    }

    /// Listens until `stop` resolves.
    pub async fn run(mut self, stop: impl Future<Output = ()>) {
        let mut bus = self
            .events
            .subscribe(vec![Topic::Monitoring, Topic::Alerts]);
        if let Err(e) = self.reload().await {
            tracing::warn!(error = %e, "alert rules not loaded");
        }
        tokio::pin!(stop);
        loop {
            let received = tokio::select! {
                _ = &mut stop => return,
                r = bus.next(|_| true) => r,
            };
            let result = match received {
                None => return,
                Some(Received::Missed(n)) => {
                    tracing::warn!(missed = n, "the alert evaluator fell behind");
                    self.reload().await
                }
                Some(Received::Event(e)) => match e.name {
                    "monitors.checked" => {
                        match serde_json::from_value::<MonitorsChecked>(e.data.clone()) {
                            Ok(batch) => self.evaluate(&batch.results).await,
                            Err(_) => Ok(()),
                        }
                    }
                    "monitor.changed" => {
                        let gone = e.data["change"] == "deleted"
                            || e.data["status"] == MonitorStatus::Paused.as_str();
                        match e.data["id"].as_i64().and_then(|i| i32::try_from(i).ok()) {
                            Some(id) if gone => {
                                self.facts.remove(&id);
                                self.close_where(|k| k.1 == id).await
                            }
                            Some(id) if e.data["change"] == "saved" => {
                                // A saved monitor may have a new name or server.
                                self.facts.remove(&id);
                                Ok(())
                            }
                            _ => Ok(()),
                        }
                    }
                    "alert.changed" if e.data["change"] == "rules" => self.reload().await,
                    _ => Ok(()),
                },
            };
            if let Err(e) = result {
                tracing::warn!(error = %e, "alert evaluation failed; reloading");
                let _ = self.reload().await;
            }
        }
    }

    /// Reads the rules and the open rule alerts again; resolves the open
    /// alerts whose rule is gone or no longer covers their monitor.
    pub async fn reload(&mut self) -> Result<(), AppError> {
        self.rules = super::rules::enabled(&self.db).await?;
        self.tracks.clear();
        let open = alert::Entity::find()
            .filter(alert::Column::OpenKey.is_not_null())
            .filter(alert::Column::Source.eq("rule"))
            .all(&self.db)
            .await?;
        for m in &open {
            let (Some(key), Some(status)) = (key_of(&m.fingerprint), AlertStatus::parse(&m.status))
            else {
                continue;
            };
            self.tracks.insert(
                key,
                Track {
                    run: 1,
                    since: Some(m.started_at.timestamp()),
                    open: Some((m.id, status)),
                },
            );
        }
        let monitors: Vec<i32> = self.tracks.keys().map(|k| k.1).collect();
        self.learn(&monitors).await?;
        let covered: Vec<Key> = self
            .tracks
            .keys()
            .filter(|(r, m)| {
                let facts = self.facts.get(m);
                self.rules
                    .iter()
                    .any(|rule| rule.id == *r && facts.is_some_and(|f| rule.covers(*m, f)))
            })
            .copied()
            .collect();
        self.close_where(|k| !covered.contains(k)).await
    }

    /// Resolves the open alerts of the tracks `which` picks, and forgets them.
    async fn close_where(&mut self, which: impl Fn(&Key) -> bool) -> Result<(), AppError> {
        let keys: Vec<Key> = self.tracks.keys().filter(|k| which(k)).copied().collect();
        if keys.is_empty() {
            return Ok(());
        }
        let tx = crate::platform::db::begin(&self.db).await?;
        let mut fx = Effects::default();
        let now = Utc::now();
        for k in &keys {
            if let Some(Track {
                open: Some((id, _)),
                ..
            }) = self.tracks.remove(k)
            {
                fire::resolve(&tx, id, now, &mut fx).await?;
            }
        }
        tx.commit().await?;
        fx.publish(&self.events);
        Ok(())
    }

    /// Reads the facts of the monitors not known yet, and their servers' names.
    async fn learn(&mut self, ids: &[i32]) -> Result<(), AppError> {
        let mut unknown: Vec<i32> = ids
            .iter()
            .filter(|id| !self.facts.contains_key(id))
            .copied()
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        unknown.sort_unstable();
        unknown.dedup();
        let found = crate::monitoring::for_alerts::facts(&self.db, &unknown).await?;
        let servers: Vec<i32> = found.values().filter_map(|f| f.server_id).collect();
        self.servers
            .extend(crate::servers::service::names(&self.db, &servers).await?);
        self.facts.extend(found);
        Ok(())
    }

    /// Runs a batch of results through the rules covering them.
    pub async fn evaluate(&mut self, rows: &[CheckedRow]) -> Result<(), AppError> {
        if self.rules.is_empty() {
            return Ok(());
        }
        let started = std::time::Instant::now();
        let result = self.evaluate_batch(rows).await;
        RESULTS.fetch_add(rows.len() as u64, Ordering::Relaxed);
        NANOS.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        result
    }

    async fn evaluate_batch(&mut self, rows: &[CheckedRow]) -> Result<(), AppError> {
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        self.learn(&ids).await?;
        let mut moves = Vec::new();
        for row in rows {
            let Some(facts) = self.facts.get(&row.id) else {
                continue;
            };
            for (i, rule) in self.rules.iter().enumerate() {
                if !rule.covers(row.id, facts) {
                    continue;
                }
                let Some((holds, seen)) = rule.holds(row) else {
                    continue;
                };
                let key = (rule.id, row.id);
                let track = self.tracks.entry(key).or_default();
                let s = step(rule, track, holds, row.at);
                if s != Step::Nothing {
                    moves.push(Move {
                        key,
                        step: s,
                        rule: i,
                        at: DateTime::from_timestamp(row.at, 0).unwrap_or_else(Utc::now),
                        seen,
                        run: track.run,
                    });
                }
            }
        }
        if moves.is_empty() {
            return Ok(());
        }
        let tx = crate::platform::db::begin(&self.db).await?;
        let mut servers: Vec<i32> = moves
            .iter()
            .filter_map(|m| self.facts.get(&m.key.1).and_then(|f| f.server_id))
            .collect();
        servers.sort_unstable();
        servers.dedup();
        let quieting = Quieting::load(&tx, Utc::now(), &servers).await?;
        let mut fx = Effects::default();
        for mv in moves {
            let rule = &self.rules[mv.rule];
            match mv.step {
                Step::Start(status) => {
                    let o = self.observation(rule, mv.key.1, mv.at, &mv.seen, mv.run);
                    let m = fire::open(&tx, &o, status, &quieting, &mut fx).await?;
                    let now = AlertStatus::parse(&m.status).unwrap_or(status);
                    self.tracks.entry(mv.key).or_default().open = Some((m.id, now));
                }
                Step::Fire => {
                    let track = self.tracks.entry(mv.key).or_default();
                    if let Some((id, _)) = track.open {
                        fire::fire(&tx, id, mv.at, policy(rule), &quieting, &mut fx).await?;
                        track.open = Some((id, AlertStatus::Firing));
                    }
                }
                Step::Resolve | Step::Drop => {
                    // `step` took the id out of the track; the alert row
                    // is found by its fingerprint.
                    let fp = fingerprint(mv.key.0, mv.key.1);
                    if let Some(m) = fire::open_alert(&tx, &fp).await? {
                        fire::resolve(&tx, m.id, mv.at, &mut fx).await?;
                    }
                }
                Step::Nothing => {}
            }
        }
        tx.commit().await?;
        fx.publish(&self.events);
        Ok(())
    }

    fn observation(
        &self,
        rule: &Rule,
        monitor: i32,
        at: DateTime<Utc>,
        seen: &str,
        run: u32,
    ) -> Observation {
        let facts = self.facts.get(&monitor);
        let monitor_name = facts.map(|f| f.name.clone()).unwrap_or_default();
        let server_id = facts.and_then(|f| f.server_id);
        let mut labels = rule.labels.clone();
        labels.insert("alertname".into(), rule.name.clone());
        labels.insert("severity".into(), rule.severity.as_str().into());
        labels.insert("condition".into(), rule.condition.as_str().into());
        labels.insert("monitor".into(), monitor_name.clone());
        if let Some(name) = server_id.and_then(|s| self.servers.get(&s)) {
            labels.insert("server".into(), name.clone());
        }
        let summary = match rule.condition {
            Condition::Down | Condition::Heartbeat => {
                format!("{monitor_name}: down for {run} check(s)")
            }
            _ => format!("{monitor_name}: {seen}"),
        };
        Observation {
            fingerprint: fingerprint(rule.id, monitor),
            source: "rule",
            rule_id: Some(rule.id),
            name: rule.name.clone(),
            summary,
            severity: rule.severity,
            labels,
            monitor_id: Some(monitor),
            server_id,
            policy: policy(rule),
            at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_names_its_rule_and_monitor() {
        assert_eq!(key_of(&fingerprint(4, 91)), Some((4, 91)));
        assert_eq!(key_of("am:abc"), None);
    }
}
