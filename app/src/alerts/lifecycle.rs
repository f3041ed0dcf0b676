//! The life of one rule on one monitor, as plain data: does a result make
//! the condition hold, and what does that do to the alert (start it
//! pending, fire it, resolve it, drop a pending one that cleared)? The
//! evaluator keeps one [`Track`] per (rule, monitor) in memory and calls
//! [`step`] for each new result, so evaluating costs the same whatever
//! the history (no scan of past results).
use super::{AlertStatus, Comparator, Condition};
use crate::monitoring::{CheckedRow, MonitorKind, MonitorStatus};
use crate::platform::Severity;
use std::collections::BTreeMap;

/// A rule as the evaluator holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: i32,
    pub name: String,
    pub condition: Condition,
    pub monitor_id: Option<i32>,
    pub server_id: Option<i32>,
    pub consecutive: u32,
    pub for_seconds: u32,
    pub comparator: Comparator,
    pub threshold: f64,
    pub days: u32,
    pub severity: Severity,
    pub labels: BTreeMap<String, String>,
    pub opens_incident: bool,
    pub escalation: Vec<Escalation>,
}

/// One escalation level. Not acknowledged within `after_minutes` of
/// firing: tell the alert managers again, and `channel` if set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escalation {
    pub after_minutes: u32,
    pub channel_id: Option<i32>,
}

pub use crate::monitoring::for_alerts::MonitorFacts;

impl Rule {
    /// The rule watches this monitor.
    pub fn covers(&self, monitor_id: i32, facts: &MonitorFacts) -> bool {
        let scoped = match (self.monitor_id, self.server_id) {
            (Some(m), _) => m == monitor_id,
            (None, Some(s)) => facts.server_id == Some(s),
            (None, None) => true,
        };
        let kind_fits = match self.condition {
            Condition::Heartbeat => facts.kind == MonitorKind::Heartbeat,
            Condition::Tls => facts.kind == MonitorKind::Http,
            Condition::Cpu | Condition::Memory | Condition::Disk => {
                facts.kind == MonitorKind::NodeExporter
            }
            Condition::Down | Condition::Latency => true,
        };
        scoped && kind_fits
    }

    /// Whether `row` makes the condition hold, and what was seen; `None`
    /// when the result says nothing about it (the latency of a failed
    /// check, a check in maintenance, a scrape without that metric).
    pub fn holds(&self, row: &CheckedRow) -> Option<(bool, String)> {
        if row.status == MonitorStatus::Maintenance {
            return None;
        }
        let up = row.status == MonitorStatus::Up;
        let compare = |value: f64, unit: &str| {
            Some((
                self.comparator.holds(value, self.threshold),
                format!(
                    "{value:.0}{unit} {} {}{unit}",
                    self.comparator.as_str(),
                    self.threshold
                ),
            ))
        };
        match self.condition {
            Condition::Down | Condition::Heartbeat => {
                Some((row.status == MonitorStatus::Down, String::new()))
            }
            Condition::Latency if up => compare(f64::from(row.latency_ms), " ms"),
            Condition::Latency => None,
            Condition::Tls => row.cert_days.map(|d| {
                (
                    d < i64::from(self.days),
                    format!("certificate expires in {d} days"),
                )
            }),
            Condition::Cpu | Condition::Memory | Condition::Disk => {
                let host = row.host.as_ref()?;
                let permille = match self.condition {
                    Condition::Cpu => host.cpu_permille,
                    Condition::Memory => host.memory_permille,
                    _ => host.disk_permille,
                }?;
                compare(f64::from(permille) / 10.0, " %")
            }
        }
    }
}

/// One (rule, monitor)'s state between results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Track {
    /// Results in a row for which the condition held.
    pub run: u32,
    /// When it started holding (unix seconds).
    pub since: Option<i64>,
    /// The open alert: its id and status.
    pub open: Option<(i32, AlertStatus)>,
}

/// What a result does to the alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Nothing,
    /// A new alert, pending or already firing.
    Start(AlertStatus),
    /// The pending alert fires.
    Fire,
    /// The firing alert resolves.
    Resolve,
    /// A pending alert whose condition cleared before it fired: dropped.
    Drop,
}

/// Moves `track` for a result at `at` (unix seconds) for which the
/// condition does (`holds`) or does not hold. Firing needs `consecutive`
/// results in a row and `for_seconds` since the first of them.
pub fn step(rule: &Rule, track: &mut Track, holds: bool, at: i64) -> Step {
    if !holds {
        track.run = 0;
        track.since = None;
        return match track.open.take() {
            Some((_, AlertStatus::Firing)) => Step::Resolve,
            Some((_, AlertStatus::Pending)) => Step::Drop,
            _ => Step::Nothing,
        };
    }
    track.run = track.run.saturating_add(1);
    let since = *track.since.get_or_insert(at);
    let ready = track.run >= rule.consecutive.max(1) && at - since >= i64::from(rule.for_seconds);
    let to = if ready {
        AlertStatus::Firing
    } else {
        AlertStatus::Pending
    };
    match track.open {
        None => Step::Start(to),
        Some((_, AlertStatus::Pending)) if ready => Step::Fire,
        _ => Step::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::HostNow;

    fn rule(condition: Condition, consecutive: u32, for_seconds: u32) -> Rule {
        Rule {
            id: 1,
            name: "r".into(),
            condition,
            monitor_id: None,
            server_id: None,
            consecutive,
            for_seconds,
            comparator: Comparator::Above,
            threshold: 500.0,
            days: 14,
            severity: Severity::High,
            labels: BTreeMap::new(),
            opens_incident: false,
            escalation: Vec::new(),
        }
    }

    fn row(status: MonitorStatus, latency_ms: u32) -> CheckedRow {
        CheckedRow {
            id: 7,
            status,
            latency_ms,
            at: 0,
            cert_days: None,
            host: None,
        }
    }

    /// Runs results through `step`, opening and closing the alert as the
    /// evaluator would, and returns the steps.
    fn run(rule: &Rule, results: &[(bool, i64)]) -> Vec<Step> {
        let mut t = Track::default();
        results
            .iter()
            .map(|&(holds, at)| {
                let s = step(rule, &mut t, holds, at);
                match s {
                    Step::Start(status) => t.open = Some((1, status)),
                    Step::Fire => t.open = Some((1, AlertStatus::Firing)),
                    _ => {}
                }
                s
            })
            .collect()
    }

    #[test]
    fn down_for_three_checks_is_pending_then_fires_then_resolves() {
        use Step::*;
        let r = rule(Condition::Down, 3, 0);
        let steps = run(
            &r,
            &[(true, 0), (true, 30), (true, 60), (true, 90), (false, 120)],
        );
        assert_eq!(
            steps,
            [Start(AlertStatus::Pending), Nothing, Fire, Nothing, Resolve]
        );
    }

    #[test]
    fn a_pending_alert_that_clears_is_dropped_and_the_count_restarts() {
        use Step::*;
        let r = rule(Condition::Down, 2, 0);
        let steps = run(&r, &[(true, 0), (false, 30), (true, 60), (true, 90)]);
        assert_eq!(
            steps,
            [
                Start(AlertStatus::Pending),
                Drop,
                Start(AlertStatus::Pending),
                Fire
            ]
        );
    }

    #[test]
    fn a_duration_counts_from_the_first_result_that_held() {
        use Step::*;
        let r = rule(Condition::Latency, 1, 120);
        let steps = run(&r, &[(true, 0), (true, 60), (true, 119), (true, 120)]);
        assert_eq!(steps, [Start(AlertStatus::Pending), Nothing, Nothing, Fire]);
        // Without a duration or a count, the first result fires.
        let now = rule(Condition::Down, 1, 0);
        assert_eq!(run(&now, &[(true, 5)]), [Start(AlertStatus::Firing)]);
    }

    #[test]
    fn conditions_read_what_the_result_says() {
        let latency = rule(Condition::Latency, 1, 0);
        assert_eq!(
            latency.holds(&row(MonitorStatus::Up, 812)).map(|h| h.0),
            Some(true)
        );
        assert_eq!(
            latency.holds(&row(MonitorStatus::Up, 80)).map(|h| h.0),
            Some(false)
        );
        assert_eq!(
            latency.holds(&row(MonitorStatus::Down, 0)),
            None,
            "no latency when down"
        );
        let down = rule(Condition::Down, 1, 0);
        assert_eq!(down.holds(&row(MonitorStatus::Maintenance, 0)), None);
        let tls = rule(Condition::Tls, 1, 0);
        let mut r = row(MonitorStatus::Up, 10);
        assert_eq!(tls.holds(&r), None);
        r.cert_days = Some(9);
        assert_eq!(tls.holds(&r).map(|h| h.0), Some(true));
        let mut cpu = rule(Condition::Cpu, 1, 0);
        cpu.threshold = 90.0;
        r.host = Some(HostNow {
            cpu_permille: Some(955),
            memory_permille: None,
            disk_permille: Some(100),
        });
        assert_eq!(cpu.holds(&r), Some((true, "96 % > 90 %".into())));
        cpu.condition = Condition::Memory;
        assert_eq!(
            cpu.holds(&r),
            None,
            "a scrape without the metric says nothing"
        );
    }

    #[test]
    fn a_rule_covers_its_scope_and_the_kinds_it_can_read() {
        let facts = |kind, server_id| MonitorFacts {
            name: "m".into(),
            kind,
            server_id,
        };
        let mut r = rule(Condition::Down, 1, 0);
        assert!(r.covers(7, &facts(MonitorKind::Tcp, None)));
        r.server_id = Some(2);
        assert!(r.covers(7, &facts(MonitorKind::Tcp, Some(2))));
        assert!(!r.covers(7, &facts(MonitorKind::Tcp, Some(3))));
        r.monitor_id = Some(8);
        assert!(!r.covers(7, &facts(MonitorKind::Tcp, Some(2))));
        let hb = rule(Condition::Heartbeat, 1, 0);
        assert!(!hb.covers(7, &facts(MonitorKind::Http, None)));
        assert!(hb.covers(7, &facts(MonitorKind::Heartbeat, None)));
    }
}
