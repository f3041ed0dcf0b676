//! What status pages show of tickets: those that touch their servers (or
//! that their monitors' alerts opened) — title, severity, status and
//! times, never the description or people — with the post-mortem once
//! published. Status pages call it by this path.
use super::entity::{self as incident, server as link};
use super::{IncidentStatus, PublicIncident, Severity};
use crate::error::AppError;
use crate::platform::{markdown, rfc3339};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::BTreeSet;

/// Most tickets a page lists in its history.
const HISTORY: u64 = 50;

fn public(m: incident::Model) -> Option<PublicIncident> {
    Some(PublicIncident {
        id: m.id,
        title: m.title,
        severity: Severity::parse(&m.severity)?,
        status: IncidentStatus::parse(&m.status)?,
        opened_at: rfc3339(m.created_at),
        resolved_at: m.resolved_at.map(rfc3339),
        updated_at: rfc3339(m.updated_at),
        postmortem_html: m
            .postmortem_published_at
            .and(m.postmortem.as_deref())
            .map(markdown::to_safe_html),
    })
}

/// The tickets on `servers`, or among `also`: those not resolved yet, and
/// those resolved or closed that were opened since `since` (newest first).
pub async fn shown(
    conn: &impl ConnectionTrait,
    servers: &[i32],
    also: &[i32],
    since: DateTime<Utc>,
) -> Result<(Vec<PublicIncident>, Vec<PublicIncident>), AppError> {
    let mut ids: BTreeSet<i32> = also.iter().copied().collect();
    for part in servers.chunks(500) {
        let linked: Vec<i32> = link::Entity::find()
            .select_only()
            .column(link::Column::IncidentId)
            .filter(link::Column::ServerId.is_in(part.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        ids.extend(linked);
    }
    if ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let ids: Vec<i32> = ids.into_iter().collect();
    let done = [
        IncidentStatus::Resolved.as_str(),
        IncidentStatus::Closed.as_str(),
    ];
    let mut active = Vec::new();
    let mut history = Vec::new();
    for part in ids.chunks(500) {
        let in_part = incident::Column::Id.is_in(part.iter().copied());
        active.extend(
            incident::Entity::find()
                .filter(in_part.clone())
                .filter(incident::Column::Status.is_not_in(done))
                .all(conn)
                .await?,
        );
        history.extend(
            incident::Entity::find()
                .filter(in_part)
                .filter(
                    Condition::all()
                        .add(incident::Column::Status.is_in(done))
                        .add(incident::Column::CreatedAt.gte(since)),
                )
                .order_by_desc(incident::Column::CreatedAt)
                .limit(HISTORY)
                .all(conn)
                .await?,
        );
    }
    active.sort_by_key(|m| std::cmp::Reverse(m.created_at));
    history.sort_by_key(|m| std::cmp::Reverse(m.created_at));
    history.truncate(HISTORY as usize);
    Ok((
        active.into_iter().filter_map(public).collect(),
        history.into_iter().filter_map(public).collect(),
    ))
}
