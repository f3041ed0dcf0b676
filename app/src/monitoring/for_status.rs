//! What status pages read of monitors: which exist, their state and
//! server now, and their checks per day. Status pages call it by this path.
use super::entity as monitor;
use super::{MonitorStatus, store};
use crate::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;

/// A monitor's state now and the server it watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonitorNow {
    pub status: MonitorStatus,
    pub paused: bool,
    pub server_id: Option<i32>,
}

/// Those of `ids` that exist, with their state now.
pub async fn now_of(
    conn: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<BTreeMap<i32, MonitorNow>, AppError> {
    let mut out = BTreeMap::new();
    for part in ids.chunks(500) {
        let rows: Vec<(i32, String, bool, Option<i32>)> = monitor::Entity::find()
            .select_only()
            .columns([
                monitor::Column::Id,
                monitor::Column::Status,
                monitor::Column::Paused,
                monitor::Column::ServerId,
            ])
            .filter(monitor::Column::Id.is_in(part.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        for (id, status, paused, server_id) in rows {
            out.insert(
                id,
                MonitorNow {
                    status: MonitorStatus::parse(&status).unwrap_or(MonitorStatus::Pending),
                    paused,
                    server_id,
                },
            );
        }
    }
    Ok(out)
}

/// Every monitor's id and name, by name, at most `limit`.
pub async fn names(
    conn: &impl ConnectionTrait,
    limit: u64,
) -> Result<Vec<(i32, String)>, AppError> {
    use sea_orm::QueryOrder;
    Ok(monitor::Entity::find()
        .select_only()
        .columns([monitor::Column::Id, monitor::Column::Name])
        .order_by_asc(monitor::Column::Name)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?)
}

/// `(day start, checks, up)` per UTC day of the `days` up to `now`.
pub async fn daily(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    days: i64,
    now: i64,
) -> Result<Vec<(i64, u32, u32)>, AppError> {
    Ok(store::daily(conn, monitor_id, days, now).await?)
}
