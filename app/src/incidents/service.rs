//! The rules of incidents: open one, move it along, comment, read one with
//! its timeline. Every change writes its timeline line and its audit row
//! in the transaction of the change, then tells open pages.
//!
//! Who sees what: `incidents:read` sees every ticket; anyone else sees
//! only the tickets they reported, and another one is "not found" (a 404,
//! never a 403, so ids tell nothing about what exists).
use super::entity::{self as incident, event, server as link};
pub(super) use super::tell::{managers, notices};
use super::validate::{self, ValidIncident};
pub(super) use super::view::{view, views};
use super::{
    CommentInput, IncidentChanged, IncidentDetail, IncidentInput, IncidentStatus, IncidentUpdate,
    IncidentView, ReportChanged, Severity, TimelineEntry, TimelineKind, sla,
};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::notifications::NoticeKind;
use crate::notifications::service as notifications;
use crate::platform::events::EventBus;
use crate::platform::{Ctx, Permission, Principal, rfc3339};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::json;

/// Timeline lines shown with a ticket (the newest are kept).
const TIMELINE: u64 = 500;

/// The ticket `id` if the caller may see it, else 404 (whether or not it
/// exists: a `user` learns nothing from trying ids).
pub(super) async fn visible(
    ctx: &Ctx,
    conn: &impl ConnectionTrait,
    id: i32,
) -> Result<(incident::Model, bool), AppError> {
    let me = ctx.actor()?;
    let reads_all = me.permissions.contains(&Permission::IncidentsRead);
    let m = incident::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(AppError::not_found)?;
    let own = m.reporter_id == Some(me.user_id);
    if reads_all || (own && me.permissions.contains(&Permission::IncidentsCreate)) {
        Ok((m, reads_all))
    } else {
        Err(AppError::not_found())
    }
}

/// Writes one timeline line (inside the caller's transaction).
pub(super) async fn note(
    conn: &impl ConnectionTrait,
    incident_id: i32,
    kind: TimelineKind,
    actor: Option<&Principal>,
    body: String,
) -> Result<event::Model, AppError> {
    Ok(event::ActiveModel {
        incident_id: Set(incident_id),
        at: Set(Utc::now()),
        kind: Set(kind.as_str().into()),
        actor_id: Set(actor.map(|p| p.user_id)),
        actor_name: Set(actor.map(|p| crate::platform::clip(&p.display_name, 100))),
        body: Set(body),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// Tells open pages, after the commit: every reader, and the reporter.
pub(super) fn announce(events: &EventBus, m: &incident::Model, change: &str) {
    let status = IncidentStatus::parse(&m.status).unwrap_or(IncidentStatus::Open);
    events.publish(&IncidentChanged {
        id: m.id,
        status,
        severity: Severity::parse(&m.severity).unwrap_or(Severity::Medium),
        change: change.into(),
    });
    if let Some(reporter) = m.reporter_id {
        events.publish(&ReportChanged {
            id: m.id,
            status,
            reporter,
        });
    }
}

/// A new open ticket, its SLA deadlines counted from now (`reporter`
/// `None`: the product opened it, for an alert).
pub(super) async fn opened(
    conn: &impl ConnectionTrait,
    title: &str,
    description: &str,
    severity: Severity,
    reporter: Option<i32>,
) -> Result<incident::ActiveModel, AppError> {
    let now = Utc::now();
    let (ack_by, resolve_by) = sla::policy::deadlines(conn, severity, now).await?;
    Ok(incident::ActiveModel {
        title: Set(title.to_string()),
        description: Set(description.to_string()),
        severity: Set(severity.as_str().into()),
        status: Set(IncidentStatus::Open.as_str().into()),
        reporter_id: Set(reporter),
        assignee_id: Set(None),
        suspected_deployment_id: Set(None),
        acknowledge_by: Set(ack_by),
        resolve_by: Set(resolve_by),
        acknowledged_at: Set(None),
        resolved_at: Set(None),
        postmortem: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
}

/// `POST /api/incidents`: opens a ticket, reported by the caller.
pub async fn create(ctx: &Ctx, input: IncidentInput) -> Result<IncidentView, AppError> {
    let me = ctx.require(Permission::IncidentsCreate)?.clone();
    let v: ValidIncident = validate::incident(&input).map_err(AppError::invalid)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let known = crate::servers::service::names(&tx, &v.server_ids).await?;
    if known.len() != v.server_ids.len() {
        return Err(AppError::invalid([("server_ids", MsgKey::ServerUnknown)]));
    }
    let m = opened(&tx, &v.title, &v.description, v.severity, Some(me.user_id))
        .await?
        .insert(&tx)
        .await?;
    if !v.server_ids.is_empty() {
        link::Entity::insert_many(v.server_ids.iter().map(|s| link::ActiveModel {
            incident_id: Set(m.id),
            server_id: Set(*s),
        }))
        .exec_without_returning(&tx)
        .await?;
    }
    super::breach::schedule(&tx, &m).await?;
    note(
        &tx,
        m.id,
        TimelineKind::Created,
        Some(&me),
        v.severity.as_str().into(),
    )
    .await?;
    audit::record(
        &tx,
        ctx,
        Event::new("incident.create", "incident").target(m.id).diff(
            json!({"title": v.title, "severity": v.severity.as_str(), "server_ids": v.server_ids}),
        ),
    )
    .await?;
    let told = notices(
        managers(&tx).await?,
        Some(me.user_id),
        NoticeKind::IncidentOpened,
        &m,
    );
    let added = notifications::notify(&tx, told).await?;
    let out = view(&tx, m.clone()).await?;
    tx.commit().await?;
    announce(&ctx.state.events, &m, "created");
    notifications::announce(&ctx.state.events, &added);
    Ok(out)
}

/// The assignee `id` if it may be given incidents: an active account
/// that holds `incidents:read` now.
async fn assignee(conn: &impl ConnectionTrait, id: i32) -> Result<(i32, String), AppError> {
    let invalid = || AppError::invalid([("assignee_id", MsgKey::AssigneeInvalid)]);
    let account = crate::users::service::find(conn, id)
        .await?
        .ok_or_else(invalid)?;
    let perms = crate::users::service::permissions_of(conn, &account)
        .await?
        .unwrap_or_default();
    if !perms.contains(&Permission::IncidentsRead) {
        return Err(invalid());
    }
    Ok((account.id, account.display_name))
}

/// `POST /api/incidents/update`: status, assignee and severity, each a
/// timeline line. A new severity moves the SLA deadlines with it.
pub async fn update(ctx: &Ctx, input: IncidentUpdate) -> Result<IncidentView, AppError> {
    let me = ctx.require(Permission::IncidentsManage)?.clone();
    let status = match input.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            IncidentStatus::parse(s)
                .ok_or_else(|| AppError::invalid([("status", MsgKey::ChoiceInvalid)]))?,
        ),
    };
    let severity = match input.severity.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(validate::severity(s).map_err(|k| AppError::invalid([("severity", k)]))?),
    };
    if status.is_none() && severity.is_none() && input.assignee_id.is_none() {
        return Err(AppError::invalid([("status", MsgKey::UpdateEmpty)]));
    }
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let (m, _) = visible(ctx, &tx, input.id).await?;
    let before = m.clone();
    let now = Utc::now();
    let mut row: incident::ActiveModel = m.clone().into();
    let mut lines: Vec<(TimelineKind, String)> = Vec::new();
    if let Some(to) = status {
        let from = IncidentStatus::parse(&m.status).unwrap_or(IncidentStatus::Open);
        if from != to {
            if !from.may_become(to) {
                return Err(AppError::because(
                    ErrorCode::Validation,
                    MsgKey::IncidentTransitionInvalid,
                )
                .with_field("status", MsgKey::IncidentTransitionInvalid));
            }
            if to.is_acknowledged() && m.acknowledged_at.is_none() {
                row.acknowledged_at = Set(Some(now));
            }
            if to.is_resolved() && m.resolved_at.is_none() {
                row.resolved_at = Set(Some(now));
            }
            // Reopened: the resolution is undone, the SLA clock runs again.
            if !to.is_resolved() && m.resolved_at.is_some() {
                row.resolved_at = Set(None);
            }
            row.status = Set(to.as_str().into());
            lines.push((
                TimelineKind::Status,
                format!("{} → {}", from.as_str(), to.as_str()),
            ));
        }
    }
    if let Some(id) = input.assignee_id {
        let to = if id <= 0 {
            None
        } else {
            Some(assignee(&tx, id).await?)
        };
        if to.as_ref().map(|(id, _)| *id) != m.assignee_id {
            row.assignee_id = Set(to.as_ref().map(|(id, _)| *id));
            lines.push((
                TimelineKind::Assignee,
                to.map(|(_, name)| name).unwrap_or_default(),
            ));
        }
    }
    if let Some(to) = severity
        && to.as_str() != m.severity
    {
        let (ack_by, resolve_by) = sla::policy::deadlines(&tx, to, m.created_at).await?;
        row.severity = Set(to.as_str().into());
        row.acknowledge_by = Set(ack_by);
        row.resolve_by = Set(resolve_by);
        lines.push((
            TimelineKind::Severity,
            format!("{} → {}", m.severity, to.as_str()),
        ));
    }
    if lines.is_empty() {
        // Nothing differs from what is stored: no line, no audit row.
        let out = view(&tx, m).await?;
        tx.commit().await?;
        return Ok(out);
    }
    row.updated_at = Set(now);
    let m = row.update(&tx).await?;
    if m.severity != before.severity {
        // New deadlines, new jobs; the old ones find theirs moved.
        super::breach::schedule(&tx, &m).await?;
    }
    let mut told = Vec::new();
    for (kind, body) in lines {
        match kind {
            TimelineKind::Assignee => told.extend(notices(
                m.assignee_id,
                Some(me.user_id),
                NoticeKind::IncidentAssigned,
                &m,
            )),
            TimelineKind::Status => told.extend(notices(
                m.reporter_id,
                Some(me.user_id),
                NoticeKind::ReportMoved,
                &m,
            )),
            _ => {}
        }
        note(&tx, m.id, kind, Some(&me), body).await?;
    }
    let added = notifications::notify(&tx, told).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("incident.update", "incident").target(m.id).diff(json!({
            "before": {"status": before.status, "severity": before.severity, "assignee_id": before.assignee_id},
            "after": {"status": m.status, "severity": m.severity, "assignee_id": m.assignee_id},
        })),
    )
    .await?;
    let out = view(&tx, m.clone()).await?;
    tx.commit().await?;
    announce(&ctx.state.events, &m, "updated");
    notifications::announce(&ctx.state.events, &added);
    Ok(out)
}

/// Whether the caller may comment on `m`: a manager, or its reporter.
fn may_comment(me: &Principal, m: &incident::Model) -> bool {
    me.permissions.contains(&Permission::IncidentsManage)
        || (m.reporter_id == Some(me.user_id)
            && me.permissions.contains(&Permission::IncidentsCreate))
}

pub(super) fn entry(e: event::Model) -> TimelineEntry {
    TimelineEntry {
        id: e.id,
        at: rfc3339(e.at),
        kind: TimelineKind::parse(&e.kind).unwrap_or(TimelineKind::Comment),
        actor: e.actor_name,
        body: e.body,
    }
}

/// `POST /api/incidents/comment`: a timeline line from a manager or the
/// ticket's reporter. Someone who may see the ticket but not comment gets
/// 403; someone who may not see it, 404.
pub async fn comment(ctx: &Ctx, input: CommentInput) -> Result<TimelineEntry, AppError> {
    let me = ctx.actor()?.clone();
    let body = validate::comment(&input).map_err(|k| AppError::invalid([("body", k)]))?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let (m, _) = visible(ctx, &tx, input.id).await?;
    if !may_comment(&me, &m) {
        return Err(AppError::code(ErrorCode::Forbidden));
    }
    let e = note(&tx, m.id, TimelineKind::Comment, Some(&me), body).await?;
    incident::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(m.id),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event::new("incident.comment", "incident")
            .target(m.id)
            .diff(json!({"event_id": e.id})),
    )
    .await?;
    tx.commit().await?;
    announce(&ctx.state.events, &m, "commented");
    Ok(entry(e))
}

/// `GET /api/incidents/detail`: a ticket, its rendered description and
/// its timeline, oldest first.
pub async fn detail(ctx: &Ctx, id: i32) -> Result<IncidentDetail, AppError> {
    let me = ctx.actor()?.clone();
    let (m, _) = visible(ctx, ctx.db(), id).await?;
    let mut lines = event::Entity::find()
        .filter(event::Column::IncidentId.eq(m.id))
        .order_by_desc(event::Column::Id)
        .limit(TIMELINE)
        .all(ctx.db())
        .await?;
    lines.reverse();
    let status = IncidentStatus::parse(&m.status).unwrap_or(IncidentStatus::Open);
    let can_comment = may_comment(&me, &m);
    let manages = me.permissions.contains(&Permission::IncidentsManage);
    let description_html = crate::platform::markdown::to_safe_html(&m.description);
    Ok(IncidentDetail {
        incident: view(ctx.db(), m).await?,
        description_html,
        timeline: lines.into_iter().map(entry).collect(),
        next: if manages {
            status.next().to_vec()
        } else {
            Vec::new()
        },
        can_comment,
        can_manage: manages,
        caller_id: me.user_id,
    })
}
