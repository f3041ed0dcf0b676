//! Maintenance windows: stored as their rule (see `maintenance.rs`),
//! listed with whether they are in force and when they next start.
use super::entity::window;
use super::maintenance::{self, Recurrence, WEEKDAYS};
use super::service::recurrence_of;
use super::{MaintenanceCalendar, MaintenanceInput, MaintenanceOccurrence, MaintenanceView};
use crate::audit::{self, Event};
use crate::error::{AppError, MsgKey};
use crate::platform::{Ctx, Permission, rfc3339};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect,
    TryIntoModel,
};

const MAX_WINDOWS: u64 = 500;

fn view(m: &window::Model, now: DateTime<Utc>) -> MaintenanceView {
    let r = recurrence_of(m).map(|(r, _)| r);
    MaintenanceView {
        id: m.id,
        title: m.title.clone(),
        server_ids: serde_json::from_str(&m.server_ids).unwrap_or_default(),
        tags: serde_json::from_str(&m.tags).unwrap_or_default(),
        kind: m.kind.clone(),
        starts_at: m.starts_at.map(rfc3339),
        ends_at: m.ends_at.map(rfc3339),
        weekdays: m
            .weekdays
            .split(',')
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .collect(),
        start_time: m.start_time.clone(),
        duration_minutes: m.duration_minutes.map(|d| d.max(0) as u32),
        time_zone: m.time_zone.clone(),
        active: r.as_ref().is_some_and(|r| r.active_at(now)),
        next_start: r.and_then(|r| r.next_start(now)).map(rfc3339),
    }
}

/// `GET /api/alerts/maintenance`.
pub async fn list(ctx: &Ctx) -> Result<Vec<MaintenanceView>, AppError> {
    ctx.require(Permission::AlertsRead)?;
    let now = Utc::now();
    Ok(window::Entity::find()
        .order_by_asc(window::Column::Id)
        .limit(MAX_WINDOWS)
        .all(ctx.db())
        .await?
        .iter()
        .map(|m| view(m, now))
        .collect())
}

/// The calendar shows at most this many days at once.
const MAX_CALENDAR_DAYS: u32 = 62;

/// `GET /api/alerts/maintenance/calendar`: every occurrence overlapping
/// `days` (14 by default) from `from` (`YYYY-MM-DD`, UTC; today by
/// default), computed from the windows' rules.
pub async fn calendar(
    ctx: &Ctx,
    from: Option<String>,
    days: Option<u32>,
) -> Result<MaintenanceCalendar, AppError> {
    ctx.require(Permission::AlertsRead)?;
    let mut errors = Vec::new();
    let today = Utc::now().date_naive();
    let start = match from.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(today),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
    };
    if start.is_none() {
        errors.push(("from", MsgKey::DateInvalid));
    }
    let days = days.unwrap_or(14);
    if !(1..=MAX_CALENDAR_DAYS).contains(&days) {
        errors.push(("days", MsgKey::NumberInvalid));
    }
    let (Some(start), true) = (start, errors.is_empty()) else {
        return Err(AppError::invalid(errors));
    };
    let from = start.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let to = from + Duration::days(i64::from(days));
    let windows = window::Entity::find()
        .order_by_asc(window::Column::Id)
        .limit(MAX_WINDOWS)
        .all(ctx.db())
        .await?;
    let mut occurrences: Vec<MaintenanceOccurrence> = windows
        .iter()
        .filter_map(recurrence_of)
        .flat_map(|(r, m)| {
            let v = view(m, from);
            r.occurrences(from, to)
                .into_iter()
                .map(move |(s, e)| MaintenanceOccurrence {
                    window_id: m.id,
                    title: v.title.clone(),
                    starts_at: rfc3339(s),
                    ends_at: rfc3339(e),
                    server_ids: v.server_ids.clone(),
                    tags: v.tags.clone(),
                })
        })
        .collect();
    occurrences.sort_by(|a, b| (&a.starts_at, a.window_id).cmp(&(&b.starts_at, b.window_id)));
    Ok(MaintenanceCalendar {
        from: start.format("%Y-%m-%d").to_string(),
        days,
        today: today.format("%Y-%m-%d").to_string(),
        occurrences,
    })
}

/// `POST /api/alerts/maintenance`: creates, or updates by `id`.
pub async fn save(ctx: &Ctx, input: MaintenanceInput) -> Result<MaintenanceView, AppError> {
    ctx.require(Permission::AlertsManage)?;
    let now = Utc::now();
    let v = maintenance::parse(&input, now).map_err(AppError::invalid)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    if crate::servers::service::names(&tx, &v.server_ids)
        .await?
        .len()
        != v.server_ids.len()
    {
        return Err(AppError::invalid([("server_ids", MsgKey::ServerUnknown)]));
    }
    let (mut row, action) = match input.id {
        Some(id) => {
            let m = window::Entity::find_by_id(id)
                .one(&tx)
                .await?
                .ok_or_else(AppError::not_found)?;
            (window::ActiveModel::from(m), "maintenance.update")
        }
        None => {
            if window::Entity::find().count(&tx).await? >= MAX_WINDOWS {
                return Err(AppError::invalid([("title", MsgKey::TooManyRules)]));
            }
            (
                window::ActiveModel {
                    created_at: Set(now),
                    ..Default::default()
                },
                "maintenance.create",
            )
        }
    };
    row.title = Set(v.title.clone());
    row.server_ids = Set(serde_json::to_string(&v.server_ids).map_err(AppError::internal)?);
    row.tags = Set(serde_json::to_string(&v.tags).map_err(AppError::internal)?);
    match &v.recurrence {
        Recurrence::Once { start, end } => {
            row.kind = Set("once".into());
            row.starts_at = Set(Some(*start));
            row.ends_at = Set(Some(*end));
            row.weekdays = Set(String::new());
            row.start_time = Set(None);
            row.duration_minutes = Set(None);
            row.time_zone = Set("UTC".into());
        }
        Recurrence::Weekly {
            days,
            start,
            minutes,
            tz,
        } => {
            let names: Vec<&str> = WEEKDAYS
                .iter()
                .zip(days)
                .filter(|(_, on)| **on)
                .map(|(d, _)| *d)
                .collect();
            row.kind = Set("weekly".into());
            row.starts_at = Set(None);
            row.ends_at = Set(None);
            row.weekdays = Set(names.join(","));
            row.start_time = Set(Some(start.format("%H:%M").to_string()));
            row.duration_minutes = Set(Some(*minutes as i32));
            row.time_zone = Set(tz.name().into());
        }
    }
    row.updated_at = Set(now);
    let m = row.save(&tx).await?.try_into_model()?;
    audit::record(
        &tx,
        ctx,
        Event::new(action, "maintenance")
            .target(m.id)
            .diff(serde_json::json!({
                "title": m.title, "kind": m.kind, "server_ids": v.server_ids, "tags": v.tags,
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(view(&m, now))
}

/// `POST /api/alerts/maintenance/delete`.
pub async fn delete(ctx: &Ctx, id: i32) -> Result<(), AppError> {
    ctx.require(Permission::AlertsManage)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = window::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    window::Entity::delete_by_id(id).exec(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("maintenance.delete", "maintenance")
            .target(id)
            .diff(serde_json::json!({"title": m.title})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
