//! The overview behind `GET /api/monitoring`: counts per status, a page of
//! monitors, and on the first page the day's worst offenders and the
//! latest changes of state.
use super::entity as monitor;
use super::service::view;
use super::{MonitorRow, MonitorStatus, Overview, OverviewQuery, Summary};
use crate::error::{AppError, MsgKey};
use crate::platform::{Ctx, Permission, page, rfc3339};
use chrono::Utc;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};

fn row(m: monitor::Model) -> MonitorRow {
    let v = view(m);
    MonitorRow {
        id: v.id,
        name: v.name,
        kind: v.kind,
        target: v.target,
        server_id: v.server_id,
        status: v.status,
        latency_ms: v.latency_ms,
        last_checked_at: v.last_checked_at,
        message: v.message,
    }
}

/// `GET /api/monitoring`: monitors per status, and a page of monitors by id.
pub async fn overview(ctx: &Ctx, q: OverviewQuery) -> Result<Overview, AppError> {
    ctx.require(Permission::MonitoringRead)?;
    // Counted over the page's server when it shows one server's checks.
    let counts: Vec<(String, i64)> = monitor::Entity::find()
        .select_only()
        .column(monitor::Column::Status)
        .column_as(monitor::Column::Id.count(), "n")
        .apply_if(q.server_id, |s, id| {
            s.filter(monitor::Column::ServerId.eq(id))
        })
        .group_by(monitor::Column::Status)
        .into_tuple()
        .all(ctx.db())
        .await?;
    let mut summary = Summary::default();
    for (status, n) in counts {
        let n = n.max(0) as u64;
        match MonitorStatus::parse(&status) {
            Some(MonitorStatus::Up) => summary.up += n,
            Some(MonitorStatus::Down) => summary.down += n,
            Some(MonitorStatus::Maintenance) => summary.maintenance += n,
            Some(MonitorStatus::Paused) => summary.paused += n,
            _ => summary.pending += n,
        }
    }
    let mut c = Condition::all();
    if let Some(s) = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let s = MonitorStatus::parse(s)
            .ok_or_else(|| AppError::invalid([("status", MsgKey::FilterInvalid)]))?;
        c = c.add(monitor::Column::Status.eq(s.as_str()));
    }
    if let Some(server) = q.server_id {
        c = c.add(monitor::Column::ServerId.eq(server));
    }
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        c = c.add(
            Condition::any()
                .add(monitor::Column::Name.contains(text))
                .add(monitor::Column::Target.contains(text)),
        );
    }
    let per_page = page::per_page(q.per_page);
    if let Some(after) = page::parse_cursor(q.cursor.as_deref())? {
        c = c.add(monitor::Column::Id.gt(after));
    }
    let mut rows = monitor::Entity::find()
        .filter(c)
        .order_by_asc(monitor::Column::Id)
        .limit(per_page + 1)
        .all(ctx.db())
        .await?;
    let next_cursor = (rows.len() as u64 > per_page).then(|| {
        rows.truncate(per_page as usize);
        rows.last().map(|m| m.id.to_string()).unwrap_or_default()
    });
    let first_page = q.cursor.is_none();
    Ok(Overview {
        summary,
        monitors: rows.into_iter().map(row).collect(),
        next_cursor,
        worst: if first_page {
            worst(ctx.db()).await?
        } else {
            Vec::new()
        },
        changes: if first_page {
            changes(ctx.db()).await?
        } else {
            Vec::new()
        },
    })
}

/// Names and statuses of monitors `ids`.
async fn names(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, (String, MonitorStatus)>, AppError> {
    let rows: Vec<(i32, String, String)> = monitor::Entity::find()
        .select_only()
        .columns([
            monitor::Column::Id,
            monitor::Column::Name,
            monitor::Column::Status,
        ])
        .filter(monitor::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, s)| {
            (
                id,
                (
                    name,
                    MonitorStatus::parse(&s).unwrap_or(MonitorStatus::Pending),
                ),
            )
        })
        .collect())
}

/// The monitors that went down most often in the last 24 hours.
async fn worst(conn: &impl ConnectionTrait) -> Result<Vec<super::Offender>, AppError> {
    use monitor::event;
    let since = Utc::now() - chrono::Duration::hours(24);
    let counts: Vec<(i32, i64)> = event::Entity::find()
        .select_only()
        .column(event::Column::MonitorId)
        .column_as(event::Column::Id.count(), "downs")
        .filter(event::Column::Status.eq(MonitorStatus::Down.as_str()))
        .filter(event::Column::At.gte(since))
        .group_by(event::Column::MonitorId)
        .order_by_desc(event::Column::Id.count())
        .order_by_asc(event::Column::MonitorId)
        .limit(5)
        .into_tuple()
        .all(conn)
        .await?;
    let known = names(conn, counts.iter().map(|c| c.0)).await?;
    Ok(counts
        .into_iter()
        .filter_map(|(id, downs)| {
            let (name, status) = known.get(&id)?.clone();
            Some(super::Offender {
                id,
                name,
                status,
                downs: downs.max(0) as u32,
            })
        })
        .collect())
}

/// The latest changes of state, newest first.
async fn changes(conn: &impl ConnectionTrait) -> Result<Vec<super::StateChange>, AppError> {
    use monitor::event;
    let rows = event::Entity::find()
        .order_by_desc(event::Column::Id)
        .limit(10)
        .all(conn)
        .await?;
    let known = names(conn, rows.iter().map(|e| e.monitor_id)).await?;
    let status = |s: &str| MonitorStatus::parse(s).unwrap_or(MonitorStatus::Pending);
    Ok(rows
        .into_iter()
        .filter_map(|e| {
            Some(super::StateChange {
                monitor_id: e.monitor_id,
                name: known.get(&e.monitor_id)?.0.clone(),
                at: rfc3339(e.at),
                status: status(&e.status),
                previous: status(&e.previous),
                message: e.message,
            })
        })
        .collect())
}
