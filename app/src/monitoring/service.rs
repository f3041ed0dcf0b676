//! Monitoring's rules: save, delete and test monitors, read a monitor and
//! its series, take heartbeats (the overview is in `overview.rs`). Each change is audited in its
//! own transaction and announced on the event bus (the engine reloads).
use super::checks::{Checker, Spec};
use super::entity::{self as monitor, chunk, rollup};
pub use super::overview::overview;
use super::validate::{self, ValidMonitor};
use super::{
    CheckOutcome, MonitorChanged, MonitorInput, MonitorKind, MonitorStatus, MonitorView, Series,
    series, store,
};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{Ctx, Permission, rfc3339};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr, TryIntoModel,
};
use serde_json::json;
use sha2::{Digest, Sha256};

fn settings_map(raw: &str) -> std::collections::BTreeMap<String, serde_json::Value> {
    serde_json::from_str(raw).unwrap_or_default()
}

pub(super) fn view(m: monitor::Model) -> MonitorView {
    MonitorView {
        id: m.id,
        kind: MonitorKind::parse(&m.kind).unwrap_or(MonitorKind::Http),
        interval_seconds: m.interval_seconds.max(0) as u32,
        timeout_seconds: m.timeout_seconds.max(0) as u32,
        retries: m.retries.max(0) as u32,
        settings: settings_map(&m.settings),
        status: MonitorStatus::parse(&m.status).unwrap_or(MonitorStatus::Pending),
        latency_ms: m.latency_ms.map(|l| l.max(0) as u32),
        last_checked_at: m.last_checked_at.map(rfc3339),
        push_url: None,
        name: m.name,
        target: m.target,
        server_id: m.server_id,
        paused: m.paused,
        message: m.message,
        uptime: Default::default(),
    }
}

fn name_taken() -> AppError {
    AppError::because(ErrorCode::Conflict, MsgKey::MonitorNameTaken)
        .with_field("name", MsgKey::MonitorNameTaken)
}

fn conflict_or(err: sea_orm::DbErr) -> AppError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => name_taken(),
        _ => AppError::from(err),
    }
}

fn push_hash(token: &str) -> String {
    crate::platform::hex(&Sha256::digest(token.as_bytes()))
}

/// What the audit log keeps of a monitor (headers may hold credentials:
/// only their names).
fn audit_fields(v: &ValidMonitor) -> serde_json::Value {
    json!({
        "name": v.name, "kind": v.kind.as_str(), "target": v.target,
        "interval_seconds": v.interval_seconds, "timeout_seconds": v.timeout_seconds,
        "retries": v.retries, "server_id": v.server_id, "paused": v.paused,
        "headers": v.settings.headers.keys().collect::<Vec<_>>(),
    })
}

/// A `command` monitor runs a program on this host: besides
/// `monitoring:write`, making or testing one needs `scripts:run`, so a role
/// allowed to edit monitors is not thereby allowed to run commands.
fn may_define(ctx: &Ctx, v: &ValidMonitor) -> Result<(), AppError> {
    ctx.require(Permission::MonitoringWrite)?;
    // Both run programs: on this host, or on a server over SSH.
    if matches!(v.kind, MonitorKind::Command | MonitorKind::Ssh) {
        ctx.require(Permission::ScriptsRun)?;
    }
    Ok(())
}

/// `POST /api/monitors`: creates, or updates by `id`. A new heartbeat
/// monitor gets its push URL in this answer only.
pub async fn save(ctx: &Ctx, input: MonitorInput) -> Result<MonitorView, AppError> {
    ctx.require(Permission::MonitoringWrite)?;
    let v = validate::monitor(&input).map_err(AppError::invalid)?;
    may_define(ctx, &v)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    if let Some(server) = v.server_id
        && crate::servers::service::statuses(&tx, &[server])
            .await?
            .is_empty()
    {
        return Err(AppError::invalid([("server_id", MsgKey::ServerUnknown)]));
    }
    let taken = monitor::Entity::find()
        .filter(monitor::Column::Name.eq(v.name.as_str()))
        .filter(input.id.map_or(Condition::all(), |id| {
            Condition::all().add(monitor::Column::Id.ne(id))
        }))
        .count(&tx)
        .await?;
    if taken > 0 {
        return Err(name_taken());
    }
    let now = Utc::now();
    let (mut row, action) = match input.id {
        Some(id) => {
            let m = find(&tx, id).await?;
            let revision = m.revision + 1;
            let mut row: monitor::ActiveModel = m.into();
            row.revision = Set(revision);
            (row, "monitor.update")
        }
        None => (
            monitor::ActiveModel {
                status: Set(MonitorStatus::Pending.as_str().into()),
                failures: Set(0),
                message: Set(String::new()),
                revision: Set(1),
                created_at: Set(now),
                push_token_hash: Set(None),
                origin: Set(None),
                ..Default::default()
            },
            "monitor.create",
        ),
    };
    let mut token = None;
    let has_token = matches!(
        &row.push_token_hash,
        sea_orm::ActiveValue::Unchanged(Some(_))
    );
    if v.kind == MonitorKind::Heartbeat && !has_token {
        let t = crate::platform::hex(&rand::random::<[u8; 24]>());
        row.push_token_hash = Set(Some(push_hash(&t)));
        token = Some(t);
    } else if v.kind != MonitorKind::Heartbeat {
        row.push_token_hash = Set(None);
    }
    row.name = Set(v.name.clone());
    row.kind = Set(v.kind.as_str().into());
    row.target = Set(v.target.clone());
    row.interval_seconds = Set(v.interval_seconds as i32);
    row.timeout_seconds = Set(v.timeout_seconds as i32);
    row.retries = Set(v.retries as i32);
    row.server_id = Set(v.server_id);
    row.paused = Set(v.paused);
    row.settings = Set(serde_json::to_string(&v.settings).map_err(AppError::internal)?);
    if v.paused {
        row.status = Set(MonitorStatus::Paused.as_str().into());
    } else if matches!(&row.status, sea_orm::ActiveValue::Unchanged(s) if s == MonitorStatus::Paused.as_str())
    {
        row.status = Set(MonitorStatus::Pending.as_str().into());
    }
    row.updated_at = Set(now);
    let m = row.save(&tx).await.map_err(conflict_or)?.try_into_model()?;
    audit::record(
        &tx,
        ctx,
        Event::new(action, "monitor")
            .target(m.id)
            .diff(audit_fields(&v)),
    )
    .await?;
    tx.commit().await?;
    announce(ctx, &m, "saved");
    let mut out = view(m);
    out.push_url = token.map(|t| format!("{}/api/push/{t}", ctx.state.public_url));
    Ok(out)
}

fn announce(ctx: &Ctx, m: &monitor::Model, change: &str) {
    ctx.state.events.publish(&MonitorChanged {
        id: m.id,
        status: MonitorStatus::parse(&m.status).unwrap_or(MonitorStatus::Pending),
        latency_ms: m.latency_ms.map(|l| l.max(0) as u32),
        change: change.into(),
    });
}

async fn find(conn: &impl ConnectionTrait, id: i32) -> Result<monitor::Model, AppError> {
    monitor::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(AppError::not_found)
}

/// `POST /api/monitors/delete`: the monitor and its series.
pub async fn delete(ctx: &Ctx, id: i32) -> Result<(), AppError> {
    ctx.require(Permission::MonitoringWrite)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = find(&tx, id).await?;
    chunk::Entity::delete_many()
        .filter(chunk::Column::MonitorId.eq(id))
        .exec(&tx)
        .await?;
    rollup::Entity::delete_many()
        .filter(rollup::Column::MonitorId.eq(id))
        .exec(&tx)
        .await?;
    monitor::event::Entity::delete_many()
        .filter(monitor::event::Column::MonitorId.eq(id))
        .exec(&tx)
        .await?;
    monitor::host_chunk::Entity::delete_many()
        .filter(monitor::host_chunk::Column::MonitorId.eq(id))
        .exec(&tx)
        .await?;
    monitor::Entity::delete_by_id(id).exec(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("monitor.delete", "monitor")
            .target(id)
            .diff(json!({"name": m.name, "target": m.target})),
    )
    .await?;
    tx.commit().await?;
    announce(ctx, &m, "deleted");
    Ok(())
}

/// `POST /api/monitors/test`: runs one check of the given definition now
/// (saved or not) and returns what it found; nothing is stored.
pub async fn test(ctx: &Ctx, input: MonitorInput) -> Result<CheckOutcome, AppError> {
    ctx.require(Permission::MonitoringWrite)?;
    let v = validate::monitor(&input).map_err(AppError::invalid)?;
    may_define(ctx, &v)?;
    if v.kind == MonitorKind::Heartbeat {
        return Err(AppError::invalid([("kind", MsgKey::HeartbeatNotTestable)]));
    }
    let mut spec = Spec::new(v.kind, &v.target, v.timeout_seconds, v.settings);
    if v.kind == MonitorKind::Ssh {
        let server = v.server_id.unwrap_or_default();
        match crate::servers::ssh::access(ctx.db(), &ctx.state.secrets, server).await {
            Ok(access) => spec.ssh = Some(std::sync::Arc::new(access)),
            Err(reason) => return Ok(CheckOutcome::down(reason)),
        }
    }
    Ok(Checker::new().run(&spec).await)
}

/// `GET /api/monitors/detail?id=`.
pub async fn detail(ctx: &Ctx, id: i32) -> Result<MonitorView, AppError> {
    ctx.require(Permission::MonitoringRead)?;
    let mut v = view(find(ctx.db(), id).await?);
    v.uptime = store::uptime(ctx.db(), id, Utc::now().timestamp()).await?;
    Ok(v)
}

/// `GET /api/monitoring/series`: a monitor's results in `[from, to)`,
/// bucketed by `step` seconds (min, avg, max, p95 latency and uptime).
pub async fn series(
    ctx: &Ctx,
    monitor_id: i32,
    from: Option<i64>,
    to: Option<i64>,
    step: Option<i64>,
) -> Result<Series, AppError> {
    ctx.require(Permission::MonitoringRead)?;
    let (from, to, step) = series::window(from, to, step, Utc::now().timestamp())?;
    find(ctx.db(), monitor_id).await?;
    Ok(store::series(
        ctx.db(),
        monitor_id,
        (from, to, step),
        Utc::now().timestamp(),
    )
    .await?)
}

/// `GET /api/monitoring/host?server_id=`: the server's CPU, memory, disk
/// and load over `[from, to)` by `step`, from its node_exporter check.
pub async fn host(
    ctx: &Ctx,
    server_id: i32,
    from: Option<i64>,
    to: Option<i64>,
    step: Option<i64>,
) -> Result<super::HostSeries, AppError> {
    ctx.require(Permission::MonitoringRead)?;
    let (from, to, step) = series::window(from, to, step, Utc::now().timestamp())?;
    let (name, _) = crate::servers::service::name_of(ctx.db(), server_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    // The inventory's own node_exporter check first, else one made by hand.
    let exporter: Option<i32> = monitor::Entity::find()
        .select_only()
        .column(monitor::Column::Id)
        .filter(monitor::Column::ServerId.eq(server_id))
        .filter(monitor::Column::Kind.eq(MonitorKind::NodeExporter.as_str()))
        .order_by_desc(monitor::Column::Origin.is_not_null())
        .order_by_asc(monitor::Column::Id)
        .into_tuple()
        .one(ctx.db())
        .await?;
    let samples = match exporter {
        Some(id) => store::host_samples(ctx.db(), id, from, to).await?,
        None => Vec::new(),
    };
    Ok(super::host::bucket(
        (server_id, name),
        exporter,
        from,
        to,
        step,
        &samples,
    ))
}

/// `GET|POST /api/push/<token>`: a heartbeat. `false` when no heartbeat
/// monitor has this token.
pub async fn beat(db: &sea_orm::DatabaseConnection, token: &str) -> Result<bool, AppError> {
    if token.len() != 48 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(false);
    }
    let res = monitor::Entity::update_many()
        .col_expr(
            monitor::Column::LastBeatAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .filter(monitor::Column::PushTokenHash.eq(push_hash(token)))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}
