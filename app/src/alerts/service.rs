//! Alerts as people see them: the list (filtered, newest first), and what
//! they do to them — acknowledge, or silence a handful at once. Silences
//! and maintenance windows are in `silences.rs` and `windows.rs`.
use super::entity::{self as alert, window};
use super::maintenance::{Recurrence, WEEKDAYS, time_zone};
use super::{
    AckInput, AlertChanged, AlertPage, AlertQuery, AlertStatus, AlertView, BulkSilenceInput, Quiet,
    SilenceInput, SilenceView,
};
use crate::audit::{self, Event};
use crate::error::{AppError, MsgKey};
use crate::platform::{Ctx, Permission, Severity, page, rfc3339};
use chrono::{NaiveTime, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, PaginatorTrait,
    QueryFilter,
};

/// At most this many alerts in one bulk action.
const BULK: usize = 200;

pub fn view(m: alert::Model) -> AlertView {
    AlertView {
        id: m.id,
        name: m.name,
        summary: m.summary,
        severity: Severity::parse(&m.severity).unwrap_or(Severity::Medium),
        status: AlertStatus::parse(&m.status).unwrap_or(AlertStatus::Firing),
        source: m.source,
        labels: serde_json::from_str(&m.labels).unwrap_or_default(),
        rule_id: m.rule_id,
        monitor_id: m.monitor_id,
        server_id: m.server_id,
        started_at: rfc3339(m.started_at),
        fired_at: m.fired_at.map(rfc3339),
        resolved_at: m.resolved_at.map(rfc3339),
        acknowledged_by: m.acknowledged_name,
        acknowledged_at: m.acknowledged_at.map(rfc3339),
        quiet: m.quiet.as_deref().and_then(Quiet::parse),
        flaps: m.flaps.max(0) as u32,
        incident_id: m.incident_id,
        escalated_at: m.escalated_at.map(rfc3339),
        escalation_level: m.escalation_level.max(0) as u32,
    }
}

fn filters(q: &AlertQuery) -> Result<Condition, AppError> {
    use sea_orm::sea_query::ExprTrait;
    let some = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut c = Condition::all();
    let mut errors = Vec::new();
    match some(&q.status).as_deref() {
        None => {}
        Some("open") => {
            c = c.add(alert::Column::OpenKey.is_not_null());
        }
        Some(s) => match AlertStatus::parse(s) {
            Some(s) => c = c.add(alert::Column::Status.eq(s.as_str())),
            None => errors.push(("status", MsgKey::FilterInvalid)),
        },
    }
    if let Some(s) = some(&q.severity) {
        match Severity::parse(&s) {
            Some(s) => c = c.add(alert::Column::Severity.eq(s.as_str())),
            None => errors.push(("severity", MsgKey::FilterInvalid)),
        }
    }
    if let Some(text) = some(&q.q) {
        let text: String = text.chars().take(100).collect::<String>().to_lowercase();
        let like = format!("%{text}%");
        c = c.add(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(alert::Column::Name))).like(like.clone()))
                .add(Expr::expr(Func::lower(Expr::col(alert::Column::Summary))).like(like.clone()))
                .add(Expr::expr(Func::lower(Expr::col(alert::Column::Labels))).like(like)),
        );
    }
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(AppError::invalid(errors))
    }
}

/// `GET /api/alerts`.
pub async fn list(ctx: &Ctx, q: AlertQuery) -> Result<AlertPage, AppError> {
    ctx.require(Permission::AlertsRead)?;
    let c = filters(&q)?;
    let rows = page::paginate(
        ctx.db(),
        alert::Entity::find().filter(c),
        alert::Column::Id,
        |m| i64::from(m.id),
        page::Direction::Descending,
        q.cursor.as_deref(),
        q.per_page,
    )
    .await?;
    let firing = alert::Entity::find()
        .filter(alert::Column::Status.eq(AlertStatus::Firing.as_str()))
        .count(ctx.db())
        .await?;
    Ok(AlertPage {
        items: rows.items.into_iter().map(view).collect(),
        next_cursor: rows.next_cursor,
        firing,
    })
}

fn ids_of(ids: &[i32]) -> Result<Vec<i32>, AppError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() || ids.len() > BULK {
        return Err(AppError::invalid([("ids", MsgKey::AlertIdsInvalid)]));
    }
    Ok(ids)
}

fn announce(ctx: &Ctx, rows: &[alert::Model], change: &str) {
    for m in rows {
        ctx.state.events.publish(&AlertChanged {
            id: m.id,
            status: AlertStatus::parse(&m.status).unwrap_or(AlertStatus::Firing),
            severity: Severity::parse(&m.severity).unwrap_or(Severity::Medium),
            change: change.into(),
        });
    }
}

/// `POST /api/alerts/acknowledge`: the open alerts among `ids` are
/// acknowledged by the caller (someone is on it); others are left alone.
pub async fn acknowledge(ctx: &Ctx, input: AckInput) -> Result<Vec<AlertView>, AppError> {
    let me = ctx.require(Permission::AlertsManage)?.clone();
    let ids = ids_of(&input.ids)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let rows = alert::Entity::find()
        .filter(alert::Column::Id.is_in(ids))
        .filter(alert::Column::OpenKey.is_not_null())
        .filter(alert::Column::AcknowledgedAt.is_null())
        .all(&tx)
        .await?;
    let now = Utc::now();
    let mut done = Vec::with_capacity(rows.len());
    for m in rows {
        let mut row = alert::ActiveModel::from(m);
        row.acknowledged_by = Set(Some(me.user_id));
        row.acknowledged_name = Set(Some(crate::platform::clip(&me.display_name, 100)));
        row.acknowledged_at = Set(Some(now));
        row.updated_at = Set(now);
        done.push(row.update(&tx).await?);
    }
    let ids: Vec<i32> = done.iter().map(|m| m.id).collect();
    audit::record(
        &tx,
        ctx,
        Event::new("alert.acknowledge", "alert").diff(serde_json::json!({ "ids": ids })),
    )
    .await?;
    tx.commit().await?;
    announce(ctx, &done, "acknowledged");
    Ok(done.into_iter().map(view).collect())
}

/// `POST /api/alerts/silence`: a silence per alert among `ids`, matching
/// its own labels, for `minutes`.
pub async fn silence_alerts(
    ctx: &Ctx,
    input: BulkSilenceInput,
) -> Result<Vec<SilenceView>, AppError> {
    ctx.require(Permission::AlertsManage)?;
    let ids = ids_of(&input.ids)?;
    let rows = alert::Entity::find()
        .filter(alert::Column::Id.is_in(ids))
        .all(ctx.db())
        .await?;
    if rows.is_empty() {
        return Err(AppError::not_found());
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut inputs = Vec::with_capacity(rows.len());
    for m in &rows {
        let labels: std::collections::BTreeMap<String, String> =
            serde_json::from_str(&m.labels).unwrap_or_default();
        let matchers: Vec<String> = labels
            .iter()
            .filter(|(k, v)| crate::platform::matchers::valid_name(k) && !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        inputs.push(SilenceInput {
            matchers: matchers.join("\n"),
            starts_at: None,
            ends_at: None,
            minutes: Some(input.minutes),
            reason: input.reason.clone(),
        });
    }
    let tx = crate::platform::db::begin(ctx.db()).await?;
    for i in &inputs {
        out.push(super::silences::insert(ctx, &tx, i).await?);
    }
    tx.commit().await?;
    announce(ctx, &rows, "silenced");
    Ok(out)
}

/// A stored window's recurrence (`None` for a row this version cannot read).
pub fn recurrence_of(m: &window::Model) -> Option<(Recurrence, &window::Model)> {
    let r = match m.kind.as_str() {
        "once" => Recurrence::Once {
            start: m.starts_at?,
            end: m.ends_at?,
        },
        "weekly" => {
            let mut days = [false; 7];
            for d in m.weekdays.split(',') {
                days[WEEKDAYS.iter().position(|w| *w == d)?] = true;
            }
            Recurrence::Weekly {
                days,
                start: NaiveTime::parse_from_str(m.start_time.as_deref()?, "%H:%M").ok()?,
                minutes: u32::try_from(m.duration_minutes?).ok()?,
                tz: time_zone(Some(&m.time_zone))?,
            }
        }
        _ => return None,
    };
    Some((r, m))
}
