//! Incidents that alerts open: a firing alert whose rule asks for it opens
//! a ticket, or joins the open ticket of the same server, and its
//! resolution is written on that ticket's timeline. Called by `alerts`
//! inside its transaction; [`announce`] after the commit.
use super::entity::{self as incident, server as link};
use super::service::{managers, note, notices};
use super::{IncidentStatus, Severity, TimelineKind};
use crate::audit::{self, Event};
use crate::error::AppError;
use crate::notifications::service as notifications;
use crate::notifications::{NoticeKind, NotificationAdded};
use crate::platform::events::EventBus;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};

/// What an alert tells the ticket.
#[derive(Debug, Clone)]
pub struct AlertTicket {
    pub alert_id: i32,
    /// The alert's name (`API down`), the ticket's title.
    pub name: String,
    /// What was seen, for the timeline.
    pub summary: String,
    pub severity: Severity,
    pub server_id: Option<i32>,
}

/// A ticket an alert opened or joined, to announce after the commit.
#[derive(Debug, Clone)]
pub struct Joined {
    pub incident: incident::Model,
    pub opened: bool,
    pub added: Vec<NotificationAdded>,
}

/// The open ticket (not resolved nor closed) of `server`, newest first.
async fn open_ticket_of(
    conn: &impl ConnectionTrait,
    server: i32,
) -> Result<Option<incident::Model>, AppError> {
    let ids: Vec<i32> = link::Entity::find()
        .filter(link::Column::ServerId.eq(server))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| l.incident_id)
        .collect();
    if ids.is_empty() {
        return Ok(None);
    }
    Ok(incident::Entity::find()
        .filter(incident::Column::Id.is_in(ids))
        .filter(incident::Column::Status.is_not_in([
            IncidentStatus::Resolved.as_str(),
            IncidentStatus::Closed.as_str(),
        ]))
        .order_by_desc(incident::Column::Id)
        .one(conn)
        .await?)
}

/// Opens a ticket for a firing alert, or writes the alert on the open
/// ticket of its server.
pub async fn open_or_join(
    conn: &impl ConnectionTrait,
    t: &AlertTicket,
) -> Result<Joined, AppError> {
    let line = format!("#{} {} — {}", t.alert_id, t.name, t.summary);
    if let Some(server) = t.server_id
        && let Some(m) = open_ticket_of(conn, server).await?
    {
        note(conn, m.id, TimelineKind::Alert, None, line).await?;
        return Ok(Joined {
            incident: m,
            opened: false,
            added: Vec::new(),
        });
    }
    let title = crate::platform::clip(&t.name, 200);
    let m = super::service::opened(conn, &title, &t.summary, t.severity, None)
        .await?
        .insert(conn)
        .await?;
    if let Some(server) = t.server_id
        && !crate::servers::service::names(conn, &[server])
            .await?
            .is_empty()
    {
        link::ActiveModel {
            incident_id: Set(m.id),
            server_id: Set(server),
        }
        .insert(conn)
        .await?;
    }
    super::breach::schedule(conn, &m).await?;
    note(
        conn,
        m.id,
        TimelineKind::Created,
        None,
        t.severity.as_str().into(),
    )
    .await?;
    note(conn, m.id, TimelineKind::Alert, None, line).await?;
    audit::record_system(
        conn,
        Event::new("incident.create", "incident").target(m.id).diff(
            serde_json::json!({"title": m.title, "severity": m.severity, "alert_id": t.alert_id}),
        ),
    )
    .await?;
    let told = notices(managers(conn).await?, None, NoticeKind::IncidentOpened, &m);
    let added = notifications::notify(conn, told).await?;
    Ok(Joined {
        incident: m,
        opened: true,
        added,
    })
}

/// Writes an alert's resolution on its ticket's timeline (the ticket
/// stays where it is: people close tickets, not alerts).
pub async fn alert_resolved(
    conn: &impl ConnectionTrait,
    incident_id: i32,
    alert_id: i32,
    name: &str,
) -> Result<(), AppError> {
    if incident::Entity::find_by_id(incident_id)
        .one(conn)
        .await?
        .is_some()
    {
        note(
            conn,
            incident_id,
            TimelineKind::Alert,
            None,
            format!("#{alert_id} {name} — resolved"),
        )
        .await?;
    }
    Ok(())
}

/// Tells open pages after the commit.
pub fn announce(events: &EventBus, j: &Joined) {
    super::service::announce(
        events,
        &j.incident,
        if j.opened { "created" } else { "updated" },
    );
    notifications::announce(events, &j.added);
}
