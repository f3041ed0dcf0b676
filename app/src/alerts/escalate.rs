//! Escalation levels: when a rule has some, a firing alert queues one job
//! per level for its `after_minutes` later (`alerts.escalate`, keyed by
//! alert, firing and level, so a re-fire queues its own). If by then
//! nobody acknowledged it, it did not resolve and nothing keeps it quiet,
//! the alert managers are told again and the level's channel hears it
//! whatever its own filters say. Each job runs at least once; each level
//! is done once (`alerts.escalation_level` counts the levels done, so a
//! late job of a lower level after a higher one is a no-op).
use super::entity as alert;
use super::entity::rule;
use super::fire::Effects;
use super::lifecycle::Escalation;
use super::{AlertStatus, EscalationStep};
use crate::error::{AppError, MsgKey};
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
/// Levels a rule may have.
pub const MAX_LEVELS: usize = 5;
/// The latest a level may come, in minutes after firing (a day).
const MAX_MINUTES: u32 = 1_440;

/// Checks a rule's levels: at most [`MAX_LEVELS`], each 1 to 1,440
/// minutes after firing and later than the one before.
pub fn levels(steps: &[EscalationStep]) -> Result<Vec<Escalation>, MsgKey> {
    if steps.len() > MAX_LEVELS {
        return Err(MsgKey::EscalationInvalid);
    }
    let mut last = 0;
    steps
        .iter()
        .map(|s| {
            if s.after_minutes <= last || s.after_minutes > MAX_MINUTES {
                return Err(MsgKey::EscalationInvalid);
            }
            last = s.after_minutes;
            Ok(Escalation {
                after_minutes: s.after_minutes,
                channel_id: s.channel_id,
            })
        })
        .collect()
}

/// The levels as the API shows them.
pub fn steps(levels: &[Escalation]) -> Vec<EscalationStep> {
    levels
        .iter()
        .map(|e| EscalationStep {
            after_minutes: e.after_minutes,
            channel_id: e.channel_id,
        })
        .collect()
}

/// A stored rule's levels: its `escalation` list, or for a rule saved
/// before there were levels, its one level.
pub fn stored(m: &rule::Model) -> Vec<Escalation> {
    match &m.escalation {
        Some(json) => serde_json::from_str::<Vec<EscalationStep>>(json)
            .ok()
            .and_then(|s| levels(&s).ok())
            .unwrap_or_default(),
        None => m
            .escalate_after_minutes
            .filter(|after| *after > 0)
            .map(|after| Escalation {
                after_minutes: after as u32,
                channel_id: m.escalate_channel_id,
            })
            .into_iter()
            .collect(),
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    alert: i32,
    /// The firing this job watches (unix seconds).
    fired_at: i64,
    channel: Option<i32>,
    /// The level, from 0 (jobs queued before there were levels: 0).
    #[serde(default)]
    level: u32,
}

/// Queues every escalation level of `m`, which just fired (in the
/// caller's transaction).
pub async fn schedule(
    conn: &impl ConnectionTrait,
    m: &alert::Model,
    levels: &[Escalation],
) -> Result<(), AppError> {
    let fired = m.fired_at.unwrap_or_else(Utc::now);
    for (level, e) in (0u32..).zip(levels) {
        let payload = Payload {
            alert: m.id,
            fired_at: fired.timestamp(),
            channel: e.channel_id,
            level,
        };
        let key = format!("{ESCALATE_JOB}:{}:{}:{level}", m.id, payload.fired_at);
        let payload = serde_json::to_value(&payload).map_err(AppError::internal)?;
        let due = fired + Duration::minutes(i64::from(e.after_minutes));
        jobs::enqueue(conn, NewJob::new(ESCALATE_JOB, payload).key(key).at(due)).await?;
    }
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
        && i64::from(m.escalation_level) <= i64::from(p.level)
        && m.fired_at.map(|f| f.timestamp()) == Some(p.fired_at);
    if !due {
        return Ok(false);
    }
    let now = Utc::now();
    let first = m.escalated_at.unwrap_or(now);
    let mut row = alert::ActiveModel::from(m);
    row.escalated_at = Set(Some(first));
    row.escalation_level = Set(p.level as i32 + 1);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn step(after_minutes: u32, channel_id: Option<i32>) -> EscalationStep {
        EscalationStep {
            after_minutes,
            channel_id,
        }
    }

    #[test]
    fn levels_come_later_each_time_and_within_a_day() {
        let ok = levels(&[step(5, Some(1)), step(15, None), step(60, Some(2))]).unwrap();
        assert_eq!(ok.len(), 3);
        assert_eq!(
            steps(&ok),
            [step(5, Some(1)), step(15, None), step(60, Some(2))]
        );
        assert_eq!(levels(&[]), Ok(Vec::new()));
        for bad in [
            vec![step(0, None)],
            vec![step(15, None), step(15, None)],
            vec![step(30, None), step(10, None)],
            vec![step(1_441, None)],
            (1..=6).map(|m| step(m, None)).collect(),
        ] {
            assert_eq!(levels(&bad), Err(MsgKey::EscalationInvalid), "{bad:?}");
        }
    }
}
