//! Starting, finding, listing and ending sessions. The session id is a
//! bearer secret, so the API names each session by a SHA-256 prefix of it.
use super::{
    SessionView, entity as row,
    store::{KEY_IP, KEY_UA, KEY_USER},
};
use crate::audit::{self, Event};
use crate::error::AppError;
use crate::platform::{AppState, AuthMethod, Ctx, Permission, clip, hex, rfc3339};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};
use tower_sessions::Session;

/// Unix time of sign-in (for the absolute timeout).
const KEY_AUTH_AT: &str = "auth_at";
/// Unix time the session was last used (refreshed at most once a minute).
const KEY_SEEN: &str = "seen";
const SEEN_REFRESH_SECS: i64 = 60;

pub fn handle(session_id: &str) -> String {
    hex(&Sha256::digest(session_id.as_bytes())[..8])
}

pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The session of the current request (put there by the session layer).
pub fn current() -> Result<Session, AppError> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<Session>().cloned())
        .ok_or_else(|| AppError::internal("session layer missing"))
}

/// Makes `session` the signed-in session of `user_id`, under a fresh id: a
/// session id planted before sign-in is useless after it.
pub async fn start(ctx: &Ctx, session: &Session, user_id: i32) -> Result<(), AppError> {
    session.cycle_id().await?;
    let now = now_unix();
    let mut values = vec![
        (KEY_USER, serde_json::json!(user_id)),
        (KEY_AUTH_AT, serde_json::json!(now)),
        (KEY_SEEN, serde_json::json!(now)),
    ];
    if let Some(ip) = &ctx.client.ip {
        values.push((KEY_IP, serde_json::json!(clip(ip, 64))));
    }
    if let Some(ua) = &ctx.client.user_agent {
        values.push((KEY_UA, serde_json::json!(clip(ua, 256))));
    }
    for (key, value) in values {
        session.insert(key, value).await?;
    }
    Ok(())
}

/// The user id behind `session` and the session's id, enforcing the
/// absolute timeout (the idle one is the store's expiry, pushed forward at
/// most once a minute). An expired session is ended.
pub async fn signed_in(
    state: &AppState,
    session: &Session,
) -> Result<Option<(i32, String)>, AppError> {
    let uid: Option<i32> = session.get(KEY_USER).await?;
    let Some(uid) = uid else { return Ok(None) };
    let auth_at: i64 = session.get(KEY_AUTH_AT).await?.unwrap_or(0);
    let now = now_unix();
    if now - auth_at > state.auth.absolute.as_secs() as i64 {
        session.flush().await?;
        return Ok(None);
    }
    let seen: i64 = session.get(KEY_SEEN).await?.unwrap_or(0);
    if now - seen >= SEEN_REFRESH_SECS {
        session.insert(KEY_SEEN, now).await?;
    }
    let id = session.id().map(|i| i.to_string()).unwrap_or_default();
    Ok(Some((uid, id)))
}

/// Ends `session` (sign-out, or its account can no longer act).
pub async fn end(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(AppError::internal)
}

/// Deletes every session of `user_id` (privilege change, disable, admin action).
pub async fn revoke_all(conn: &impl ConnectionTrait, user_id: i32) -> Result<u64, AppError> {
    let res = row::Entity::delete_many()
        .filter(row::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
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
        .await?;
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
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let rows = row::Entity::find()
        .filter(row::Column::UserId.eq(actor.user_id))
        .all(&tx)
        .await?;
    let target = rows
        .into_iter()
        .find(|m| handle(&m.id) == handle_hex)
        .ok_or_else(AppError::not_found)?;
    row::Entity::delete_by_id(target.id).exec(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("session.revoke", "session").target(handle_hex),
    )
    .await?;
    Ok(tx.commit().await?)
}
