//! What other domains read of the inventory: servers' statuses (a server
//! in maintenance puts its checks in maintenance), their names (monitoring's
//! host view, incidents), and the servers whose status decides about
//! checks. Re-exported by `service`.
use super::ServerStatus;
use super::entity as server;
use super::service::tags_of;
use crate::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// The lifecycle status of each of `ids` that exists (monitoring reads it:
/// a server in maintenance puts its checks in maintenance).
pub async fn statuses(
    conn: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<BTreeMap<i32, ServerStatus>, AppError> {
    use sea_orm::QuerySelect;
    let mut out = BTreeMap::new();
    for part in ids.chunks(500) {
        let rows: Vec<(i32, String)> = server::Entity::find()
            .select_only()
            .columns([server::Column::Id, server::Column::Status])
            .filter(server::Column::Id.is_in(part.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        for (id, status) in rows {
            if let Some(s) = ServerStatus::parse(&status) {
                out.insert(id, s);
            }
        }
    }
    Ok(out)
}

/// What monitoring needs of a server to derive its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitoredServer {
    pub id: i32,
    pub name: String,
    pub hostname: String,
    pub ssh_port: u16,
    pub environment: String,
    pub status: ServerStatus,
    pub tags: Vec<String>,
}

/// A server's name and status, for domains that show it beside their own
/// data (monitoring's host view); `None` when there is no such server.
pub async fn name_of(
    conn: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<(String, ServerStatus)>, AppError> {
    use sea_orm::QuerySelect;
    let row: Option<(String, String)> = server::Entity::find_by_id(id)
        .select_only()
        .columns([server::Column::Name, server::Column::Status])
        .into_tuple()
        .one(conn)
        .await?;
    Ok(row.map(|(name, status)| {
        (
            name,
            ServerStatus::parse(&status).unwrap_or(ServerStatus::Planned),
        )
    }))
}

/// The server an outside alert names: by name (`server` label) or by
/// host name (`instance`, its port left out). Alertmanager's alerts are
/// tied to the inventory this way. The first by id when several match.
pub async fn find_named(
    conn: &impl ConnectionTrait,
    name: Option<&str>,
    instance: Option<&str>,
) -> Result<Option<i32>, AppError> {
    use sea_orm::{Condition, QuerySelect};
    let host = instance.map(|i| {
        // `db1:9100`, `[2001:db8::1]:9100`, `db1`.
        match i.rsplit_once(':') {
            Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => {
                h.trim_start_matches('[').trim_end_matches(']')
            }
            _ => i,
        }
    });
    let mut any = Condition::any();
    if let Some(n) = name.filter(|n| !n.is_empty()) {
        any = any.add(server::Column::Name.eq(n));
    }
    if let Some(h) = host.filter(|h| !h.is_empty()) {
        any = any.add(server::Column::Hostname.eq(h));
    }
    if any.is_empty() {
        return Ok(None);
    }
    Ok(server::Entity::find()
        .select_only()
        .column(server::Column::Id)
        .filter(any)
        .order_by_asc(server::Column::Id)
        .into_tuple()
        .one(conn)
        .await?)
}

/// The names of those of `ids` that exist (incidents name the servers
/// they touch; a server deleted since is left out).
pub async fn names(
    conn: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<BTreeMap<i32, String>, AppError> {
    use sea_orm::QuerySelect;
    let mut out = BTreeMap::new();
    for part in ids.chunks(500) {
        let rows: Vec<(i32, String)> = server::Entity::find()
            .select_only()
            .columns([server::Column::Id, server::Column::Name])
            .filter(server::Column::Id.is_in(part.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Servers whose status decides about checks: active and in maintenance
/// (checked), decommissioned (checks stopped).
pub async fn monitored(conn: &impl ConnectionTrait) -> Result<Vec<MonitoredServer>, AppError> {
    let rows = server::Entity::find()
        .filter(server::Column::Status.is_in([
            ServerStatus::Active.as_str(),
            ServerStatus::Maintenance.as_str(),
            ServerStatus::Decommissioned.as_str(),
        ]))
        .order_by_asc(server::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<i32> = rows.iter().map(|m| m.id).collect();
    let mut tags = BTreeMap::new();
    for part in ids.chunks(500) {
        tags.append(&mut tags_of(conn, part).await?);
    }
    Ok(rows
        .into_iter()
        .map(|m| MonitoredServer {
            tags: tags.remove(&m.id).unwrap_or_default(),
            status: ServerStatus::parse(&m.status).unwrap_or(ServerStatus::Planned),
            ssh_port: u16::try_from(m.ssh_port).unwrap_or(22),
            id: m.id,
            name: m.name,
            hostname: m.hostname,
            environment: m.environment,
        })
        .collect())
}
