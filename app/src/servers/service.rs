//! The inventory's rules: list, save, move through the lifecycle, delete,
//! read one server with its history. Each change is audited in its own
//! transaction; the SSH credential is sealed before it is stored.
use super::entity::{self as server, tag};
use super::validate::{self, ValidServer};
use super::{
    CredentialKind, LifecycleInput, ServerChanged, ServerDetail, ServerEvent, ServerInput,
    ServerKind, ServerStatus, ServerView, SshProfileView,
};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{Ctx, Permission, rfc3339, secrets};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    QueryFilter, QueryOrder, SqlErr, TryIntoModel,
};
use serde_json::json;
use std::collections::BTreeMap;

pub use super::for_monitoring::{MonitoredServer, find_named, monitored, name_of, names, statuses};

/// Entries of a server's history shown on its page.
const HISTORY: u64 = 100;

/// The associated data a server's sealed credential is bound to.
pub(super) fn credential_aad(id: i32) -> String {
    secrets::aad("servers.ssh_credential", id)
}

/// The server's tags, by server id, for a page of rows.
/// The tags of each of `ids` (alerting's maintenance windows match them).
pub async fn tags_of(
    conn: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<BTreeMap<i32, Vec<String>>, AppError> {
    let mut out: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = tag::Entity::find()
        .filter(tag::Column::ServerId.is_in(ids.iter().copied()))
        .order_by_asc(tag::Column::Tag)
        .all(conn)
        .await?;
    for r in rows {
        out.entry(r.server_id).or_default().push(r.tag);
    }
    Ok(out)
}

fn view(m: server::Model, tags: Vec<String>) -> ServerView {
    ServerView {
        id: m.id,
        ip_addresses: serde_json::from_str(&m.ip_addresses).unwrap_or_default(),
        kind: ServerKind::parse(&m.kind).unwrap_or(ServerKind::Vm),
        status: ServerStatus::parse(&m.status).unwrap_or(ServerStatus::Planned),
        tags,
        cpu_cores: m.cpu_cores.and_then(|n| u32::try_from(n).ok()),
        ram_mb: m.ram_mb.and_then(|n| u64::try_from(n).ok()),
        disk_gb: m.disk_gb.and_then(|n| u64::try_from(n).ok()),
        ssh: SshProfileView {
            user: m.ssh_user,
            port: u16::try_from(m.ssh_port).unwrap_or(22),
            credential_kind: m
                .ssh_credential
                .as_ref()
                .and(m.ssh_credential_kind.as_deref())
                .and_then(CredentialKind::parse),
            // Shown as its type and fingerprint, the way `ssh-keygen -l`
            // and a first `ssh` connection print it.
            host_key: m
                .ssh_host_key
                .as_deref()
                .and_then(crate::platform::ssh::HostKey::parse)
                .map(|k| format!("{} {}", k.algorithm, k.fingerprint())),
        },
        created_at: rfc3339(m.created_at),
        updated_at: rfc3339(m.updated_at),
        name: m.name,
        hostname: m.hostname,
        os: m.os,
        provider: m.provider,
        environment: m.environment,
        owner: m.owner,
        notes: m.notes,
    }
}

pub(super) async fn views(
    conn: &impl ConnectionTrait,
    rows: Vec<server::Model>,
) -> Result<Vec<ServerView>, AppError> {
    let ids: Vec<i32> = rows.iter().map(|m| m.id).collect();
    let mut tags = tags_of(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let t = tags.remove(&m.id).unwrap_or_default();
            view(m, t)
        })
        .collect())
}

async fn find(conn: &impl ConnectionTrait, id: i32) -> Result<server::Model, AppError> {
    server::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(AppError::not_found)
}

/// 409 naming the field: another server already has this name.
fn name_taken() -> AppError {
    AppError::because(ErrorCode::Conflict, MsgKey::ServerNameTaken)
        .with_field("name", MsgKey::ServerNameTaken)
}

/// A unique index refused the row: two saves raced for one name.
fn conflict_or(err: sea_orm::DbErr) -> AppError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => name_taken(),
        _ => AppError::from(err),
    }
}

/// What the audit log keeps of a server (never the credential).
fn audit_fields(v: &ValidServer) -> serde_json::Value {
    json!({
        "name": v.name, "hostname": v.hostname, "ip_addresses": v.ip_addresses, "os": v.os,
        "kind": v.kind.as_str(), "provider": v.provider, "environment": v.environment,
        "tags": v.tags, "owner": v.owner, "cpu_cores": v.cpu_cores, "ram_mb": v.ram_mb,
        "disk_gb": v.disk_gb, "ssh_user": v.ssh_user, "ssh_port": v.ssh_port,
        "ssh_credential": v.credential.as_ref().map(|c| if c.is_some() { "changed" } else { "removed" }),
    })
}

/// `POST /api/servers`: creates (status `planned`) or updates by `id`.
pub async fn save(ctx: &Ctx, input: ServerInput) -> Result<ServerView, AppError> {
    ctx.require(Permission::ServersWrite)?;
    let valid = validate::server(&input).map_err(AppError::invalid)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = store(ctx, &tx, input.id, &valid).await?;
    let tags = tags_of(&tx, &[m.id])
        .await?
        .remove(&m.id)
        .unwrap_or_default();
    tx.commit().await?;
    let change = if input.id.is_some() {
        "updated"
    } else {
        "created"
    };
    announce(ctx, &m, change);
    Ok(view(m, tags))
}

/// Tells live pages (after the commit: never a change that rolled back).
pub fn announce(ctx: &Ctx, m: &server::Model, change: &str) {
    ctx.state.events.publish(&ServerChanged {
        id: m.id,
        name: m.name.clone(),
        status: ServerStatus::parse(&m.status).unwrap_or(ServerStatus::Planned),
        change: change.to_string(),
    });
}

/// Writes one valid server (new when `id` is `None`) and audits it, inside
/// the caller's transaction (the import stores many in one).
pub async fn store(
    ctx: &Ctx,
    conn: &impl ConnectionTrait,
    id: Option<i32>,
    v: &ValidServer,
) -> Result<server::Model, AppError> {
    let taken = server::Entity::find()
        .filter(server::Column::Name.eq(v.name.as_str()))
        .filter(id.map_or(Condition::all(), |id| {
            Condition::all().add(server::Column::Id.ne(id))
        }))
        .one(conn)
        .await?;
    if taken.is_some() {
        return Err(name_taken());
    }
    let now = Utc::now();
    let (mut row, action): (server::ActiveModel, _) = match id {
        Some(id) => (find(conn, id).await?.into(), "server.update"),
        None => (
            server::ActiveModel {
                status: Set(ServerStatus::Planned.as_str().into()),
                created_at: Set(now),
                ssh_credential: Set(None),
                ssh_credential_kind: Set(None),
                ssh_host_key: Set(None),
                ..Default::default()
            },
            "server.create",
        ),
    };
    // Another address is another host: its key must be confirmed again.
    let moved = row.hostname.try_as_ref().is_some_and(|h| *h != v.hostname)
        || row
            .ssh_port
            .try_as_ref()
            .is_some_and(|p| *p != i32::from(v.ssh_port));
    if moved {
        row.ssh_host_key = Set(None);
    }
    row.name = Set(v.name.clone());
    row.hostname = Set(v.hostname.clone());
    row.ip_addresses = Set(serde_json::to_string(&v.ip_addresses).map_err(AppError::internal)?);
    row.os = Set(v.os.clone());
    row.kind = Set(v.kind.as_str().into());
    row.provider = Set(v.provider.clone());
    row.environment = Set(v.environment.clone());
    row.owner = Set(v.owner.clone());
    row.cpu_cores = Set(v.cpu_cores.and_then(|n| i32::try_from(n).ok()));
    row.ram_mb = Set(v.ram_mb.and_then(|n| i64::try_from(n).ok()));
    row.disk_gb = Set(v.disk_gb.and_then(|n| i64::try_from(n).ok()));
    row.notes = Set(v.notes.clone());
    row.ssh_user = Set(v.ssh_user.clone());
    row.ssh_port = Set(i32::from(v.ssh_port));
    row.updated_at = Set(now);
    let mut m = row
        .save(conn)
        .await
        .map_err(conflict_or)?
        .try_into_model()?;
    if let Some(credential) = &v.credential {
        // Sealed after the insert: the row id is the associated data, so a
        // sealed value copied onto another server does not open there.
        let (kind, sealed) = match credential {
            Some((kind, secret)) => (
                Some(kind.as_str().to_string()),
                Some(
                    ctx.state
                        .secrets
                        .seal(&credential_aad(m.id), secret.as_bytes()),
                ),
            ),
            None => (None, None),
        };
        m = server::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(m.id),
            ssh_credential_kind: Set(kind),
            ssh_credential: Set(sealed),
            // A new credential is a new trust decision: pin the host key again.
            ssh_host_key: Set(None),
            ..Default::default()
        }
        .update(conn)
        .await?;
    }
    tag::Entity::delete_many()
        .filter(tag::Column::ServerId.eq(m.id))
        .exec(conn)
        .await?;
    if !v.tags.is_empty() {
        tag::Entity::insert_many(v.tags.iter().map(|t| tag::ActiveModel {
            server_id: Set(m.id),
            tag: Set(t.clone()),
        }))
        .exec_without_returning(conn)
        .await?;
    }
    audit::record(
        conn,
        ctx,
        Event::new(action, "server")
            .target(m.id)
            .diff(audit_fields(v)),
    )
    .await?;
    Ok(m)
}

/// `POST /api/servers/lifecycle`: one allowed move, or a 422 on `to`.
pub async fn lifecycle(ctx: &Ctx, input: LifecycleInput) -> Result<ServerView, AppError> {
    ctx.require(Permission::ServersWrite)?;
    let to = ServerStatus::parse(input.to.trim())
        .ok_or_else(|| AppError::invalid([("to", MsgKey::ChoiceInvalid)]))?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = find(&tx, input.id).await?;
    let from = ServerStatus::parse(&m.status).unwrap_or(ServerStatus::Planned);
    if !from.may_become(to) {
        return Err(AppError::invalid([("to", MsgKey::TransitionInvalid)]));
    }
    // Conditional on the status read above: of two racing moves, one wins.
    let moved = server::Entity::update_many()
        .col_expr(server::Column::Status, Expr::value(to.as_str()))
        .col_expr(server::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(server::Column::Id.eq(m.id))
        .filter(server::Column::Status.eq(from.as_str()))
        .exec(&tx)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::invalid([("to", MsgKey::TransitionInvalid)]));
    }
    audit::record(
        &tx,
        ctx,
        Event::new("server.lifecycle", "server")
            .target(m.id)
            .diff(json!({"from": from.as_str(), "to": to.as_str()})),
    )
    .await?;
    let m = find(&tx, m.id).await?;
    let tags = tags_of(&tx, &[m.id])
        .await?
        .remove(&m.id)
        .unwrap_or_default();
    tx.commit().await?;
    announce(ctx, &m, "moved");
    Ok(view(m, tags))
}

/// `POST /api/servers/delete`: only a decommissioned server is deleted
/// (its audit history stays).
pub async fn delete(ctx: &Ctx, id: i32) -> Result<(), AppError> {
    ctx.require(Permission::ServersWrite)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = find(&tx, id).await?;
    if m.status != ServerStatus::Decommissioned.as_str() {
        return Err(AppError::because(
            ErrorCode::Conflict,
            MsgKey::NotDecommissioned,
        ));
    }
    tag::Entity::delete_many()
        .filter(tag::Column::ServerId.eq(id))
        .exec(&tx)
        .await?;
    server::Entity::delete_by_id(id).exec(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("server.delete", "server")
            .target(id)
            .diff(json!({"name": m.name, "hostname": m.hostname})),
    )
    .await?;
    tx.commit().await?;
    announce(ctx, &m, "deleted");
    Ok(())
}

/// `GET /api/servers/detail`: the server, its rendered notes, its allowed
/// moves and its history.
pub async fn detail(ctx: &Ctx, id: i32) -> Result<ServerDetail, AppError> {
    ctx.require(Permission::ServersRead)?;
    let m = find(ctx.db(), id).await?;
    let tags = tags_of(ctx.db(), &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let server = view(m, tags);
    let history = audit::service::history(ctx.db(), "server", &id.to_string(), HISTORY)
        .await?
        .into_iter()
        .map(|e| ServerEvent {
            at: e.at,
            actor: e.actor,
            action: e.action,
            diff: e.diff,
        })
        .collect();
    Ok(ServerDetail {
        notes_html: crate::platform::markdown::to_safe_html(&server.notes),
        next_statuses: server.status.next().to_vec(),
        history,
        server,
    })
}
