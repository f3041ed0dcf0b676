//! SLA breaches: when a ticket gets a deadline, a job is queued for that
//! moment (`incidents.sla`, keyed by ticket, target and deadline, so
//! saving twice queues once); when it runs, a ticket still not
//! acknowledged (or resolved) gets an `sla_breach` line on its timeline
//! and open pages hear of it. A deadline moved since (the severity
//! changed) or already met makes the job a no-op, and so does a second
//! run: the job runs at least once, the line is written once.
use super::entity::{self as incident, event};
use super::{IncidentStatus, TimelineKind};
use crate::error::AppError;
use crate::notifications::NoticeKind;
use crate::notifications::service as notifications;
use crate::platform::events::EventBus;
use crate::platform::jobs::{self, NewJob};
use crate::platform::rfc3339;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter,
};
use serde::{Deserialize, Serialize};

/// The job kind (registered by the server's worker).
pub const SLA_JOB: &str = "incidents.sla";

/// Which deadline a job watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Acknowledge,
    Resolve,
}

impl Target {
    fn as_str(self) -> &'static str {
        match self {
            Target::Acknowledge => "acknowledge",
            Target::Resolve => "resolve",
        }
    }

    fn deadline(self, m: &incident::Model) -> Option<DateTime<Utc>> {
        match self {
            Target::Acknowledge => m.acknowledge_by,
            Target::Resolve => m.resolve_by,
        }
    }

    fn met(self, m: &incident::Model) -> bool {
        let status = IncidentStatus::parse(&m.status).unwrap_or(IncidentStatus::Open);
        match self {
            Target::Acknowledge => status.is_acknowledged(),
            Target::Resolve => status.is_resolved(),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    id: i32,
    target: Target,
    /// The deadline the job was queued for (unix seconds).
    due: i64,
}

/// Queues a job for each deadline of `m` not met yet (inside the caller's
/// transaction: a ticket that rolled back queues nothing); the jobs' ids.
pub async fn schedule(
    conn: &impl ConnectionTrait,
    m: &incident::Model,
) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::new();
    for target in [Target::Acknowledge, Target::Resolve] {
        let Some(due) = target.deadline(m) else {
            continue;
        };
        if target.met(m) {
            continue;
        }
        let payload = Payload {
            id: m.id,
            target,
            due: due.timestamp(),
        };
        let key = format!("{SLA_JOB}:{}:{}:{}", m.id, target.as_str(), payload.due);
        let payload = serde_json::to_value(&payload).map_err(AppError::internal)?;
        ids.push(jobs::enqueue(conn, NewJob::new(SLA_JOB, payload).key(key).at(due)).await?);
    }
    Ok(ids)
}

/// Runs one `incidents.sla` job: writes the breach line if it is due.
/// `Ok(true)` when a line was written.
pub async fn check(
    db: &DatabaseConnection,
    events: &EventBus,
    payload: &str,
) -> Result<bool, AppError> {
    let p: Payload = serde_json::from_str(payload).map_err(AppError::internal)?;
    let tx = crate::platform::db::begin(db).await?;
    let Some(m) = incident::Entity::find_by_id(p.id).one(&tx).await? else {
        return Ok(false);
    };
    let moved = p.target.deadline(&m).map(|d| d.timestamp()) != Some(p.due);
    if moved || p.target.met(&m) || Utc::now().timestamp() < p.due {
        return Ok(false);
    }
    let body = format!(
        "{} {}",
        p.target.as_str(),
        rfc3339(DateTime::from_timestamp(p.due, 0).unwrap_or_default())
    );
    let written = event::Entity::find()
        .filter(event::Column::IncidentId.eq(m.id))
        .filter(event::Column::Kind.eq(TimelineKind::SlaBreach.as_str()))
        .filter(event::Column::Body.eq(body.as_str()))
        .count(&tx)
        .await?;
    if written > 0 {
        return Ok(false);
    }
    event::ActiveModel {
        incident_id: Set(m.id),
        at: Set(Utc::now()),
        kind: Set(TimelineKind::SlaBreach.as_str().into()),
        actor_id: Set(None),
        actor_name: Set(None),
        body: Set(body),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    // Its assignee hears of it; a ticket nobody holds goes to every manager.
    let users = match m.assignee_id {
        Some(a) => vec![a],
        None => super::service::managers(&tx).await?,
    };
    let told = super::service::notices(users, None, NoticeKind::SlaMissed, &m);
    let added = notifications::notify(&tx, told).await?;
    tx.commit().await?;
    super::service::announce(events, &m, "sla");
    notifications::announce(events, &added);
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::{IncidentInput, IncidentUpdate, service};
    use crate::platform::{AuthMethod, Permission, Principal};
    use crate::users::service::{NewAccount, insert};

    async fn ctx() -> crate::platform::Ctx {
        let ctx = crate::testing::test_ctx().await;
        let email = crate::users::validate::Email::parse("ops@b.c").unwrap();
        let account = insert(
            ctx.db(),
            NewAccount::with_password(email, "Ops".into(), "devops", "x".into()),
        )
        .await
        .unwrap();
        ctx.with_principal(Some(Principal {
            user_id: account.id,
            email: "ops@b.c".into(),
            display_name: "Ops".into(),
            role: "devops".into(),
            permissions: crate::platform::permission::builtin_permissions("devops").unwrap(),
            method: AuthMethod::Session(String::new()),
        }))
    }

    /// The SLA jobs of ticket `id`, by deadline: scheduling again returns
    /// the jobs already queued (same keys) rather than adding any.
    async fn queued(db: &DatabaseConnection, id: i32) -> Vec<jobs::Job> {
        let m = incident::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let mut out = Vec::new();
        for job in schedule(db, &m).await.unwrap() {
            out.push(jobs::get(db, job).await.unwrap().unwrap());
        }
        out
    }

    /// Moves every deadline of ticket `id` (and its jobs) `secs` earlier,
    /// as if that much time had passed.
    async fn age(db: &DatabaseConnection, id: i32, secs: i64) -> incident::Model {
        let m = incident::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let shift = |t: Option<DateTime<Utc>>| t.map(|t| t - chrono::Duration::seconds(secs));
        incident::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(id),
            acknowledge_by: Set(shift(m.acknowledge_by)),
            resolve_by: Set(shift(m.resolve_by)),
            ..Default::default()
        }
        .update(db)
        .await
        .unwrap()
    }

    fn payload(m: &incident::Model, target: Target) -> String {
        serde_json::to_string(&Payload {
            id: m.id,
            target,
            due: target.deadline(m).unwrap().timestamp(),
        })
        .unwrap()
    }

    #[tokio::test]
    async fn a_missed_deadline_is_written_once_and_a_met_one_never() {
        let ctx = ctx().await;
        assert!(
            ctx.principal
                .as_ref()
                .unwrap()
                .permissions
                .contains(&Permission::IncidentsManage)
        );
        let t = service::create(
            &ctx,
            IncidentInput {
                title: "Queue stuck".into(),
                severity: "critical".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // Opening it queued both deadlines, each at its moment.
        let jobs = queued(ctx.db(), t.id).await;
        assert_eq!(jobs.len(), 2, "{jobs:?}");
        assert_eq!(Some(rfc3339(jobs[0].run_at)), t.acknowledge_by);
        assert_eq!(Some(rfc3339(jobs[1].run_at)), t.resolve_by);
        assert!(
            jobs.iter()
                .all(|j| j.kind == SLA_JOB && j.status == "queued")
        );
        assert_ne!(jobs[0].id, jobs[1].id);

        // Before the deadline: nothing.
        let m = incident::Entity::find_by_id(t.id)
            .one(ctx.db())
            .await
            .unwrap()
            .unwrap();
        let events = &ctx.state.events;
        assert!(
            !check(ctx.db(), events, &payload(&m, Target::Acknowledge))
                .await
                .unwrap()
        );

        // Past it, still open: one line, and a second run writes none.
        let m = age(ctx.db(), t.id, 3600).await;
        let mut live = events.subscribe(vec![crate::platform::events::Topic::Incidents]);
        assert!(
            check(ctx.db(), events, &payload(&m, Target::Acknowledge))
                .await
                .unwrap()
        );
        assert!(
            !check(ctx.db(), events, &payload(&m, Target::Acknowledge))
                .await
                .unwrap()
        );
        let heard = tokio::time::timeout(std::time::Duration::from_secs(5), live.next(|_| true))
            .await
            .unwrap();
        assert!(matches!(
            heard,
            Some(crate::platform::events::Received::Event(e)) if e.name == "incident.changed"
        ));
        let d = service::detail(&ctx, t.id).await.unwrap();
        let breaches: Vec<_> = d
            .timeline
            .iter()
            .filter(|e| e.kind == TimelineKind::SlaBreach)
            .collect();
        assert_eq!(breaches.len(), 1);
        assert!(breaches[0].body.starts_with("acknowledge "), "{breaches:?}");
        assert_eq!(breaches[0].actor, None);
        // Nobody holds the ticket: its managers are told (the one here
        // opened it, and was not told of that).
        let inbox = crate::notifications::service::list(&ctx, false, None, None)
            .await
            .unwrap();
        let kinds: Vec<_> = inbox.items.iter().map(|n| n.kind).collect();
        assert_eq!(kinds, [crate::notifications::NoticeKind::SlaMissed]);
        assert_eq!(inbox.items[0].subject, "Queue stuck");

        // Acknowledged, then past its resolve deadline too... but resolved
        // first: the resolution job finds the target met.
        for to in ["acknowledged", "resolved"] {
            service::update(
                &ctx,
                IncidentUpdate {
                    id: t.id,
                    status: Some(to.into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let m = age(ctx.db(), t.id, 5 * 3600).await;
        assert!(
            !check(ctx.db(), events, &payload(&m, Target::Resolve))
                .await
                .unwrap()
        );

        // A deadline that moved (the severity changed) ignores its old job.
        let stale = Payload {
            id: t.id,
            target: Target::Resolve,
            due: m.resolve_by.unwrap().timestamp() - 60,
        };
        let stale = serde_json::to_string(&stale).unwrap();
        assert!(!check(ctx.db(), events, &stale).await.unwrap());
    }
}
