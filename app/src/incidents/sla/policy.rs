//! The SLA policies as stored: read by every ticket that gets deadlines,
//! listed to those who read every ticket, saved by an administrator
//! (`settings:manage`). *Why not `incidents:manage`:* the people held to a
//! target should not be the ones who can loosen it (GoAlert #700).
//! Owns `sla_policies`.
use super::hours::{self, Policy};
use super::{SlaPolicy, SlaPolicyInput};
use crate::audit::{self, Event};
use crate::error::AppError;
use crate::incidents::entity::sla_policy as row;
use crate::platform::{Ctx, Permission, Severity};
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};

fn policy_of(m: &row::Model) -> Option<Policy> {
    let input = SlaPolicyInput {
        severity: m.severity.clone(),
        acknowledge_minutes: m.acknowledge_minutes.and_then(|v| u32::try_from(v).ok()),
        resolve_minutes: m.resolve_minutes.and_then(|v| u32::try_from(v).ok()),
        business_days: m
            .business_days
            .split(',')
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .collect(),
        day_start: m.day_start.clone(),
        day_end: m.day_end.clone(),
        time_zone: m.time_zone.clone(),
    };
    hours::validate(&input).ok()
}

/// The policy tickets of `severity` are held to now.
pub async fn current(conn: &impl ConnectionTrait, severity: Severity) -> Result<Policy, AppError> {
    Ok(row::Entity::find_by_id(severity.as_str())
        .one(conn)
        .await?
        .and_then(|m| policy_of(&m))
        .unwrap_or_else(|| Policy::builtin(severity)))
}

/// The deadlines of a ticket of `severity` opened at `opened`.
pub async fn deadlines(
    conn: &impl ConnectionTrait,
    severity: Severity,
    opened: DateTime<Utc>,
) -> Result<(Option<DateTime<Utc>>, Option<DateTime<Utc>>), AppError> {
    Ok(current(conn, severity).await?.deadlines(opened))
}

/// `GET /api/incidents/sla`: every severity's policy, worst first.
pub async fn list(ctx: &Ctx) -> Result<Vec<SlaPolicy>, AppError> {
    ctx.require(Permission::IncidentsRead)?;
    let stored = row::Entity::find().all(ctx.db()).await?;
    Ok(Severity::ALL
        .iter()
        .map(|s| {
            stored
                .iter()
                .find(|m| m.severity == s.as_str())
                .and_then(policy_of)
                .unwrap_or_else(|| Policy::builtin(*s))
                .wire()
        })
        .collect())
}

/// `POST /api/incidents/sla`: replaces one severity's policy. Tickets
/// opened (or re-graded) from now on get its deadlines.
pub async fn save(ctx: &Ctx, input: SlaPolicyInput) -> Result<SlaPolicy, AppError> {
    ctx.require(Permission::SettingsManage)?;
    let p = hours::validate(&input).map_err(AppError::invalid)?;
    let w = p.wire();
    let minutes = |m: Option<u32>| m.map(|m| m as i32);
    let new = row::ActiveModel {
        severity: Set(w.severity.as_str().into()),
        acknowledge_minutes: Set(minutes(w.acknowledge_minutes)),
        resolve_minutes: Set(minutes(w.resolve_minutes)),
        business_days: Set(w.business_days.join(",")),
        day_start: Set(w.day_start.clone()),
        day_end: Set(w.day_end.clone()),
        time_zone: Set(w.time_zone.clone()),
        updated_at: Set(Utc::now()),
    };
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let before = current(&tx, p.severity).await?.wire();
    match row::Entity::find_by_id(w.severity.as_str())
        .one(&tx)
        .await?
    {
        Some(_) => new.update(&tx).await?,
        None => new.insert(&tx).await?,
    };
    audit::record(
        &tx,
        ctx,
        Event::new("sla.update", "sla_policy")
            .target(w.severity.as_str())
            .diff(serde_json::json!({"before": before, "after": w})),
    )
    .await?;
    tx.commit().await?;
    Ok(w)
}
