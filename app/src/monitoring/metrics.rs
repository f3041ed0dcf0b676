//! `/metrics` in the Prometheus text format (version 0.0.4): every
//! monitor's state and latency, the check engine's counters, the job
//! queue and the event bus. And `GET /api/prometheus/targets`: `file_sd`
//! JSON (also what `http_sd_configs` reads) of the node_exporters of
//! active servers. Who may read them is decided by the caller (the route):
//! a `monitoring:read` credential or an allowed network.
use super::entity as monitor;
use super::{MonitorKind, MonitorStatus};
use crate::error::AppError;
use crate::platform::events::EventBus;
use crate::servers::ServerStatus;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::Ordering;

/// A label value with `\`, `"` and newlines escaped.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// The whole exposition page.
pub async fn render(db: &DatabaseConnection, events: &EventBus) -> Result<String, AppError> {
    let monitors = monitor::Entity::find()
        .filter(monitor::Column::Paused.eq(false))
        .order_by_asc(monitor::Column::Id)
        .all(db)
        .await?;
    let mut out = String::with_capacity(256 + monitors.len() * 200);
    family(
        &mut out,
        "dihya_monitor_up",
        "gauge",
        "1 when the monitor's last verdict is up (or in maintenance), 0 when down; pending monitors are left out.",
    );
    let mut statuses: BTreeMap<&str, u64> = BTreeMap::new();
    let mut latencies = String::new();
    for m in &monitors {
        let status = MonitorStatus::parse(&m.status).unwrap_or(MonitorStatus::Pending);
        *statuses.entry(status.as_str()).or_default() += 1;
        let labels = format!(
            "id=\"{}\",monitor=\"{}\",kind=\"{}\"",
            m.id,
            label(&m.name),
            MonitorKind::parse(&m.kind).map_or("unknown", MonitorKind::as_str)
        );
        let up = match status {
            MonitorStatus::Up | MonitorStatus::Maintenance => 1,
            MonitorStatus::Down => 0,
            _ => continue,
        };
        let _ = writeln!(out, "dihya_monitor_up{{{labels}}} {up}");
        if let Some(ms) = m.latency_ms {
            let _ = writeln!(
                latencies,
                "dihya_monitor_latency_seconds{{{labels}}} {}",
                f64::from(ms) / 1000.0
            );
        }
    }
    family(
        &mut out,
        "dihya_monitor_latency_seconds",
        "gauge",
        "How long the monitor's last check took.",
    );
    out.push_str(&latencies);
    family(
        &mut out,
        "dihya_monitors",
        "gauge",
        "Monitors that are not paused, by status.",
    );
    for s in MonitorStatus::ALL
        .iter()
        .filter(|s| **s != MonitorStatus::Paused)
    {
        let n = statuses.get(s.as_str()).copied().unwrap_or(0);
        let _ = writeln!(out, "dihya_monitors{{status=\"{}\"}} {n}", s.as_str());
    }
    let st = &super::engine::STATS;
    for (name, help, v) in [
        (
            "dihya_checks_total",
            "Checks run by this process.",
            &st.checks,
        ),
        (
            "dihya_checks_late_total",
            "Checks started more than a second (or a tenth of their interval) after their time.",
            &st.late,
        ),
        (
            "dihya_checks_missed_total",
            "Rounds skipped because the monitor's previous check still ran.",
            &st.missed,
        ),
        (
            "dihya_check_results_written_total",
            "Check results stored.",
            &st.written,
        ),
        (
            "dihya_check_batches_total",
            "Transactions that stored check results.",
            &st.batches,
        ),
    ] {
        family(&mut out, name, "counter", help);
        let _ = writeln!(out, "{name} {}", v.load(Ordering::Relaxed));
    }
    family(
        &mut out,
        "dihya_jobs",
        "gauge",
        "Jobs in the queue, by state.",
    );
    for (state, n) in crate::platform::jobs::counts(db).await? {
        let _ = writeln!(out, "dihya_jobs{{state=\"{}\"}} {n}", label(&state));
    }
    family(
        &mut out,
        "dihya_event_subscribers",
        "gauge",
        "Open event-bus subscriptions (live pages, the engine).",
    );
    let _ = writeln!(out, "dihya_event_subscribers {}", events.subscribers());
    Ok(out)
}

/// One `file_sd` group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetGroup {
    pub targets: Vec<String>,
    pub labels: BTreeMap<String, String>,
}

/// The node_exporters of active servers (and those in maintenance, which
/// are still scraped): the `host:port` of each server's node_exporter
/// template check, so an edited port is followed.
pub async fn targets(db: &DatabaseConnection) -> Result<Vec<TargetGroup>, AppError> {
    let servers: BTreeMap<i32, _> = crate::servers::service::monitored(db)
        .await?
        .into_iter()
        .filter(|s| s.status != ServerStatus::Decommissioned)
        .map(|s| (s.id, s))
        .collect();
    let exporters = monitor::Entity::find()
        .filter(monitor::Column::Origin.eq("template:node-exporter"))
        .filter(monitor::Column::Paused.eq(false))
        .order_by_asc(monitor::Column::ServerId)
        .all(db)
        .await?;
    Ok(exporters
        .into_iter()
        .filter_map(|m| {
            let server = servers.get(&m.server_id?)?;
            let url = reqwest::Url::parse(&m.target).ok()?;
            let host = url.host_str()?;
            let port = url.port_or_known_default()?;
            let labels = BTreeMap::from([
                ("server".to_string(), server.name.clone()),
                ("environment".to_string(), server.environment.clone()),
                ("status".to_string(), server.status.as_str().to_string()),
            ]);
            Some(TargetGroup {
                targets: vec![format!("{host}:{port}")],
                labels,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn label_values_are_escaped() {
        assert_eq!(super::label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
