//! Incidents as the API shows them: rows with the names of their people
//! and servers, read in bulk for a page.
use super::entity::{self as incident, server as link};
use super::{AffectedServer, IncidentStatus, IncidentView, Person, Severity};
use crate::error::AppError;
use crate::platform::rfc3339;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, BTreeSet};

/// The wire form of rows, with the people's and servers' names.
pub async fn views(
    conn: &impl ConnectionTrait,
    rows: Vec<incident::Model>,
) -> Result<Vec<IncidentView>, AppError> {
    let ids: Vec<i32> = rows.iter().map(|m| m.id).collect();
    let mut servers: BTreeMap<i32, Vec<i32>> = BTreeMap::new();
    for part in ids.chunks(500) {
        for l in link::Entity::find()
            .filter(link::Column::IncidentId.is_in(part.iter().copied()))
            .all(conn)
            .await?
        {
            servers.entry(l.incident_id).or_default().push(l.server_id);
        }
    }
    let server_ids: Vec<i32> = servers
        .values()
        .flatten()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let server_names = crate::servers::service::names(conn, &server_ids).await?;
    let people: Vec<i32> = rows
        .iter()
        .flat_map(|m| [m.reporter_id, m.assignee_id])
        .flatten()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let names = crate::users::service::names(conn, &people).await?;
    let person = |id: Option<i32>| {
        id.and_then(|id| {
            names.get(&id).map(|name| Person {
                id,
                name: name.clone(),
            })
        })
    };
    Ok(rows
        .into_iter()
        .map(|m| IncidentView {
            id: m.id,
            servers: servers
                .remove(&m.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|id| {
                    server_names.get(&id).map(|name| AffectedServer {
                        id,
                        name: name.clone(),
                    })
                })
                .collect(),
            reporter: person(m.reporter_id),
            assignee: person(m.assignee_id),
            severity: Severity::parse(&m.severity).unwrap_or(Severity::Medium),
            status: IncidentStatus::parse(&m.status).unwrap_or(IncidentStatus::Open),
            suspected_deployment_id: m.suspected_deployment_id,
            created_at: rfc3339(m.created_at),
            updated_at: rfc3339(m.updated_at),
            acknowledged_at: m.acknowledged_at.map(rfc3339),
            resolved_at: m.resolved_at.map(rfc3339),
            acknowledge_by: m.acknowledge_by.map(rfc3339),
            resolve_by: m.resolve_by.map(rfc3339),
            title: m.title,
            description: m.description,
        })
        .collect())
}

pub async fn view(
    conn: &impl ConnectionTrait,
    m: incident::Model,
) -> Result<IncidentView, AppError> {
    views(conn, vec![m])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("incident view vanished"))
}
