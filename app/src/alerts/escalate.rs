//! Escalation: when a rule asks for it, a firing alert queues a job for
//! `after_minutes` later (`alerts.escalate`, keyed by alert and firing, so
//! a re-fire queues its own). If by then nobody acknowledged it, it did not
//! resolve and nothing keeps it quiet, the alert managers are told again
//! and the escalation channel hears it whatever its own filters say. The
//! job runs at least once; the escalation is written once
//! (`alerts.escalated_at`).
use super::AlertStatus;
use super::entity as alert;
use super::fire::Effects;
use super::lifecycle::Escalation;
use crate::error::AppError;
use crate::notifications::NoticeKind;
use crate::notifications::payload::Message;
use crate::notifications::service::{self as notifications, Notice};
use crate::platform::events::EventBus;
use crate::platform::jobs::{self, NewJob};
use crate::platform::{Permission, Severity, rfc3339};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
};
use serde::{Deserialize, Serialize};

/// The job kind (registered by the server's worker).
pub const ESCALATE_JOB: &str = "alerts.escalate";
/// Alert managers told of an escalation (at most).
const TOLD: u64 = 500;

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    alert: i32,
    /// The firing this job watches (unix seconds).
    fired_at: i64,
    channel: Option<i32>,
}

/// Queues the escalation of `m`, which just fired (in the caller's transaction).
pub async fn schedule(
    conn: &impl ConnectionTrait,
    m: &alert::Model,
    e: Escalation,
) -> Result<(), AppError> {
    let fired = m.fired_at.unwrap_or_else(Utc::now);
    let payload = Payload {
        alert: m.id,
        fired_at: fired.timestamp(),
        channel: e.channel_id,
    };
    let key = format!("{ESCALATE_JOB}:{}:{}", m.id, payload.fired_at);
    let payload = serde_json::to_value(&payload).map_err(AppError::internal)?;
    let due = fired + Duration::minutes(i64::from(e.after_minutes));
    jobs::enqueue(conn, NewJob::new(ESCALATE_JOB, payload).key(key).at(due)).await?;
    Ok(())
}

/// Runs one `alerts.escalate` job; `Ok(true)` when it escalated.
pub async fn run(
    db: &DatabaseConnection,
    events: &EventBus,
    payload: &str,
) -> Result<bool, AppError> {
    let p: Payload = serde_json::from_str(payload).map_err(AppError::internal)?;
    let tx = crate::platform::db::begin(db).await?;
    let Some(m) = alert::Entity::find_by_id(p.alert).one(&tx).await? else {
        return Ok(false);
    };
    let due = m.status == AlertStatus::Firing.as_str()
        && m.acknowledged_at.is_none()
        && m.quiet.is_none()
        && m.escalated_at.is_none()
        && m.fired_at.map(|f| f.timestamp()) == Some(p.fired_at);
    if !due {
        return Ok(false);
    }
    let now = Utc::now();
    let mut row = alert::ActiveModel::from(m);
    row.escalated_at = Set(Some(now));
    row.updated_at = Set(now);
    let m = row.update(&tx).await?;
    let severity = Severity::parse(&m.severity).unwrap_or(Severity::Medium);
    let link = format!("/app/alerts?selected={}", m.id);
    let managers = crate::users::service::holders_of(&tx, Permission::AlertsManage, TOLD).await?;
    let notices = managers
        .into_iter()
        .map(|user_id| Notice {
            user_id,
            kind: NoticeKind::AlertEscalated,
            subject: m.name.clone(),
            severity,
            link: link.clone(),
        })
        .collect();
    let mut fx = Effects::default();
    fx.notices
        .extend(notifications::notify(&tx, notices).await?);
    if let Some(channel) = p.channel {
        let message = Message {
            event: "alert.escalated".into(),
            title: m.name.clone(),
            text: m.summary.clone(),
            severity,
            labels: serde_json::from_str(&m.labels).unwrap_or_default(),
            link,
            at: rfc3339(now),
            to: None,
        };
        crate::notifications::channels::deliver_to(&tx, channel, &message).await?;
    }
    fx.alert(&m, "escalated");
    tx.commit().await?;
    fx.publish(events);
    Ok(true)
}
