//! What status pages read of alerting: the tickets their monitors' alerts
//! opened or joined, and the maintenance windows over their servers, in
//! force or starting within a week. Status pages call it by this path.
use super::PublicMaintenance;
use super::entity::{self as alert, window};
use super::service::recurrence_of;
use crate::error::AppError;
use crate::platform::rfc3339;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, BTreeSet};

/// The tickets that alerts of `monitors` started since `since` belong to.
pub async fn incidents_of(
    conn: &impl ConnectionTrait,
    monitors: &[i32],
    since: DateTime<Utc>,
) -> Result<Vec<i32>, AppError> {
    let mut out = BTreeSet::new();
    for part in monitors.chunks(500) {
        let ids: Vec<Option<i32>> = alert::Entity::find()
            .select_only()
            .column(alert::Column::IncidentId)
            .filter(alert::Column::MonitorId.is_in(part.iter().copied()))
            .filter(alert::Column::IncidentId.is_not_null())
            .filter(alert::Column::StartedAt.gte(since))
            .into_tuple()
            .all(conn)
            .await?;
        out.extend(ids.into_iter().flatten());
    }
    Ok(out.into_iter().collect())
}

/// The windows that name one of `servers` (or one of their `tags`), in
/// force at `now` or starting within seven days, soonest first.
pub async fn maintenance(
    conn: &impl ConnectionTrait,
    servers: &[i32],
    tags: &BTreeMap<i32, Vec<String>>,
    now: DateTime<Utc>,
) -> Result<Vec<PublicMaintenance>, AppError> {
    let tag_set: BTreeSet<&str> = tags.values().flatten().map(String::as_str).collect();
    let mut out: Vec<(DateTime<Utc>, PublicMaintenance)> = Vec::new();
    for m in window::Entity::find().all(conn).await? {
        let ids: Vec<i32> = serde_json::from_str(&m.server_ids).unwrap_or_default();
        let names: Vec<String> = serde_json::from_str(&m.tags).unwrap_or_default();
        let touches = ids.iter().any(|i| servers.contains(i))
            || names.iter().any(|t| tag_set.contains(t.as_str()));
        let Some((r, m)) = recurrence_of(&m).filter(|_| touches) else {
            continue;
        };
        let active = r.active_at(now);
        let next = r.next_start(now);
        let soon = next.filter(|n| *n <= now + Duration::days(7));
        if active || soon.is_some() {
            out.push((
                if active { now } else { soon.unwrap_or(now) },
                PublicMaintenance {
                    title: m.title.clone(),
                    active,
                    next_start: next.map(rfc3339),
                },
            ));
        }
    }
    out.sort_by_key(|(at, _)| *at);
    Ok(out.into_iter().map(|(_, p)| p).collect())
}
