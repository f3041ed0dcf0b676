//! What alerting reads of monitors: their names, kinds and servers (a
//! rule's scope and an alert's labels), and their stored results as the
//! bus carried them (a rule's preview). Alerts call it by this path.
use super::entity as monitor;
use super::{CheckedRow, HostNow, MonitorKind};
use crate::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;
use std::collections::HashMap;

/// What alerting knows of a monitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorFacts {
    pub name: String,
    pub kind: MonitorKind,
    pub server_id: Option<i32>,
}

/// The facts of those of `ids` that exist.
pub async fn facts(
    conn: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<BTreeMap<i32, MonitorFacts>, AppError> {
    let mut out = BTreeMap::new();
    for part in ids.chunks(500) {
        let rows: Vec<(i32, String, String, Option<i32>)> = monitor::Entity::find()
            .select_only()
            .columns([
                monitor::Column::Id,
                monitor::Column::Name,
                monitor::Column::Kind,
                monitor::Column::ServerId,
            ])
            .filter(monitor::Column::Id.is_in(part.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        for (id, name, kind, server_id) in rows {
            if let Some(kind) = MonitorKind::parse(&kind) {
                out.insert(
                    id,
                    MonitorFacts {
                        name,
                        kind,
                        server_id,
                    },
                );
            }
        }
    }
    Ok(out)
}

/// Every monitor's id and facts (a rule covering every monitor), at most
/// `limit` of them, by id.
pub async fn all_facts(
    conn: &impl ConnectionTrait,
    limit: u64,
) -> Result<BTreeMap<i32, MonitorFacts>, AppError> {
    use sea_orm::QueryOrder;
    let ids: Vec<i32> = monitor::Entity::find()
        .select_only()
        .column(monitor::Column::Id)
        .order_by_asc(monitor::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    facts(conn, &ids).await
}

/// A monitor's stored results over `[from, to)`, each with its host's
/// figures when it is a node_exporter check (certificate days are not
/// stored).
pub async fn history(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    from: i64,
    to: i64,
) -> Result<Vec<CheckedRow>, AppError> {
    let samples = super::store::samples(conn, monitor_id, from, to).await?;
    let hosts: HashMap<i64, HostNow> = super::store::host_samples(conn, monitor_id, from, to)
        .await?
        .into_iter()
        .map(|h| {
            let now = HostNow {
                cpu_permille: h.cpu_permille,
                memory_permille: h.memory_permille,
                disk_permille: h.disk_permille,
            };
            (h.at, now)
        })
        .collect();
    Ok(samples
        .into_iter()
        .map(|s| CheckedRow {
            id: monitor_id,
            status: s.status,
            latency_ms: s.latency_ms,
            at: s.at,
            cert_days: None,
            host: hosts.get(&s.at).copied(),
        })
        .collect())
}
