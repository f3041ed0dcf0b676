//! Listing and revoking sessions. The session id is a bearer secret, so the
//! API names each session by a SHA-256 prefix of it instead.
use super::{SessionView, session_entity as row};
use crate::error::AppError;
use crate::platform::{
    AuthMethod, Ctx, Permission,
    audit::{self, Event},
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use sha2::{Digest, Sha256};

pub fn handle(session_id: &str) -> String {
    Sha256::digest(session_id.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

use crate::platform::rfc3339;

/// Deletes every session of `user_id` (privilege change, disable, admin action).
pub async fn revoke_all(conn: &impl ConnectionTrait, user_id: i32) -> Result<u64, AppError> {
    let res = row::Entity::delete_many()
        .filter(row::Column::UserId.eq(user_id))
        .exec(conn)
        .await
        .map_err(AppError::internal)?;
    Ok(res.rows_affected)
}

fn current_id(ctx: &Ctx) -> Option<&str> {
    match &ctx.principal.as_ref()?.method {
        AuthMethod::Session(id) => Some(id),
        AuthMethod::Token(_) => None,
    }
}

/// The caller's live sessions, newest first.
pub async fn list_own(ctx: &Ctx) -> Result<Vec<SessionView>, AppError> {
    let actor = ctx.require(Permission::ProfileManage)?;
    let rows = row::Entity::find()
        .filter(row::Column::UserId.eq(actor.user_id))
        .filter(row::Column::ExpiresAt.gt(chrono::Utc::now()))
        .order_by_desc(row::Column::CreatedAt)
        .all(ctx.db())
        .await
        .map_err(AppError::internal)?;
    let current = current_id(ctx);
    Ok(rows
        .into_iter()
        .map(|m| SessionView {
            current: current == Some(m.id.as_str()),
            id: handle(&m.id),
            created_at: rfc3339(m.created_at),
            expires_at: rfc3339(m.expires_at),
            ip: m.ip,
            user_agent: m.user_agent,
        })
        .collect())
}

/// Revokes one of the caller's own sessions by its handle.
pub async fn revoke_own(ctx: &Ctx, handle_hex: &str) -> Result<(), AppError> {
    let actor = ctx.require(Permission::ProfileManage)?;
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    let rows = row::Entity::find()
        .filter(row::Column::UserId.eq(actor.user_id))
        .all(&tx)
        .await
        .map_err(AppError::internal)?;
    let target = rows
        .into_iter()
        .find(|m| handle(&m.id) == handle_hex)
        .ok_or_else(AppError::not_found)?;
    row::Entity::delete_by_id(target.id)
        .exec(&tx)
        .await
        .map_err(AppError::internal)?;
    audit::record(
        &tx,
        ctx,
        Event::new("session.revoke", "session").target(handle_hex),
    )
    .await?;
    tx.commit().await.map_err(AppError::internal)
}

/// Admin: ends every session of a user whose role grants nothing the
/// admin lacks.
pub async fn revoke_user(ctx: &Ctx, user_id: i32) -> Result<u64, AppError> {
    let event = Event::new("user.sessions_revoke", "user").target(user_id);
    audit::refusals(ctx, event, revoke_user_checked(ctx, user_id).await).await
}

async fn revoke_user_checked(ctx: &Ctx, user_id: i32) -> Result<u64, AppError> {
    ctx.require(Permission::UsersManage)?;
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    let target = crate::users::service::find(&tx, user_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    crate::users::service::require_may_act_on(ctx, &tx, &target).await?;
    let n = revoke_all(&tx, user_id).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("user.sessions_revoke", "user")
            .target(user_id)
            .diff(serde_json::json!({"sessions": n})),
    )
    .await?;
    tx.commit().await.map_err(AppError::internal)?;
    Ok(n)
}
