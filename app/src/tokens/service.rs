//! Issue, list, revoke and verify API tokens.
use super::{CreateToken, NewToken, TokenView, entity as token};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{
    AppState, AuthMethod, Ctx, Permission, Principal, meta,
    secrets::{self, SecretBox},
};
use crate::users::{service as users, validate::DisplayName};
use chrono::{Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

const KEY_ROW: &str = "jwt_hs256_key";
const MAX_DAYS: u32 = 365;
/// `last_used_at` is written at most this often per token.
const TOUCH_EVERY_SECS: i64 = 60;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    scopes: Vec<String>,
    exp: i64,
    iat: i64,
    jti: String,
}

/// The signing key: generated on first start, stored sealed in `instance_meta`.
pub async fn load_or_create_key(
    db: &DatabaseConnection,
    sb: &SecretBox,
) -> Result<[u8; 32], AppError> {
    instance_key(db, sb, KEY_ROW).await
}

/// A 32-byte key of the instance under `row`: generated on first start,
/// stored sealed in `instance_meta` (the JWT key, the recovery-code key).
pub async fn instance_key(
    db: &DatabaseConnection,
    sb: &SecretBox,
    row: &str,
) -> Result<[u8; 32], AppError> {
    let aad = secrets::aad("instance_meta.value", row);
    if let Some(sealed) = meta::get(db, row).await? {
        let bytes = sb.open(&aad, &sealed).map_err(AppError::internal)?;
        return bytes
            .try_into()
            .map_err(|_| AppError::internal("bad instance key length"));
    }
    let key: [u8; 32] = rand::random();
    meta::put_new(db, row, sb.seal(&aad, &key)).await?;
    Ok(key)
}

fn scopes_of(json: &str) -> BTreeSet<Permission> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| Permission::parse(s))
        .collect()
}

use crate::platform::rfc3339;

fn view(m: token::Model) -> TokenView {
    TokenView {
        id: m.id,
        scopes: scopes_of(&m.scopes).into_iter().collect(),
        name: m.name,
        created_at: rfc3339(m.created_at),
        expires_at: rfc3339(m.expires_at),
        last_used_at: m.last_used_at.map(rfc3339),
        revoked: m.revoked_at.is_some(),
    }
}

pub async fn create(ctx: &Ctx, input: CreateToken) -> Result<NewToken, AppError> {
    let actor = ctx.require(Permission::TokensManage)?.clone();
    let mut errors = Vec::new();
    let name = DisplayName::parse(&input.name)
        .map_err(|k| errors.push(("name", k)))
        .ok();
    let mut scopes = BTreeSet::new();
    for s in &input.scopes {
        match Permission::parse(s).filter(|p| actor.permissions.contains(p)) {
            Some(p) => {
                scopes.insert(p);
            }
            None => errors.push(("scopes", MsgKey::ScopeUnknown)),
        }
    }
    if scopes.is_empty() && input.scopes.is_empty() {
        errors.push(("scopes", MsgKey::ScopeUnknown));
    }
    if !(1..=MAX_DAYS).contains(&input.expires_in_days) {
        errors.push(("expires_in_days", MsgKey::ExpiryInvalid));
    }
    let now = Utc::now();
    let exp = now + Duration::days(i64::from(input.expires_in_days));
    if let AuthMethod::Token(jti) = &actor.method
        && errors.is_empty()
        && exp > expiry_of(ctx, jti).await?
    {
        errors.push(("expires_in_days", MsgKey::TokenOutlives));
    }
    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return Err(AppError::invalid(errors));
    };
    let jti = format!("{:032x}", rand::random::<u128>());
    let scope_names: Vec<String> = scopes.iter().map(|p| p.as_str().to_string()).collect();
    let claims = Claims {
        sub: actor.user_id.to_string(),
        scopes: scope_names.clone(),
        exp: exp.timestamp(),
        iat: now.timestamp(),
        jti: jti.clone(),
    };
    let jwt = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&ctx.state.auth.jwt_key),
    )
    .map_err(AppError::internal)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = token::ActiveModel {
        jti: Set(jti),
        user_id: Set(actor.user_id),
        name: Set(name.into_string()),
        scopes: Set(serde_json::to_string(&scope_names).map_err(AppError::internal)?),
        created_at: Set(now),
        expires_at: Set(exp),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    audit::record(
        &tx,
        ctx,
        Event::new("token.create", "token")
            .target(m.id)
            .diff(serde_json::json!({
                "name": m.name, "scopes": scope_names, "expires_at": rfc3339(exp)
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(NewToken {
        id: m.id,
        token: jwt,
    })
}

/// When the token `jti` expires (a token creating another one may not
/// hand out a longer life than its own).
async fn expiry_of(ctx: &Ctx, jti: &str) -> Result<chrono::DateTime<Utc>, AppError> {
    token::Entity::find()
        .filter(token::Column::Jti.eq(jti))
        .one(ctx.db())
        .await?
        .map(|t| t.expires_at)
        .ok_or_else(|| AppError::code(ErrorCode::Unauthorized))
}

/// Revokes every live token of `user_id` (password change or reset).
pub async fn revoke_all(conn: &impl ConnectionTrait, user_id: i32) -> Result<u64, AppError> {
    let res = token::Entity::update_many()
        .col_expr(token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(token::Column::UserId.eq(user_id))
        .filter(token::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(res.rows_affected)
}

pub async fn list_own(ctx: &Ctx) -> Result<Vec<TokenView>, AppError> {
    let actor = ctx.require(Permission::TokensManage)?;
    let rows = token::Entity::find()
        .filter(token::Column::UserId.eq(actor.user_id))
        .order_by_desc(token::Column::CreatedAt)
        .all(ctx.db())
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// Revokes one of the caller's tokens (with `users:manage`: the token of an
/// account whose role grants nothing the caller lacks).
pub async fn revoke(ctx: &Ctx, id: i32) -> Result<(), AppError> {
    let event = Event::new("token.revoke", "token").target(id);
    audit::refusals(ctx, event, revoke_checked(ctx, id).await).await
}

async fn revoke_checked(ctx: &Ctx, id: i32) -> Result<(), AppError> {
    let actor = ctx.require(Permission::TokensManage)?.clone();
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = token::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .filter(|m| {
            m.user_id == actor.user_id || actor.permissions.contains(&Permission::UsersManage)
        })
        .ok_or_else(AppError::not_found)?;
    if m.user_id != actor.user_id {
        let owner = users::find(&tx, m.user_id)
            .await?
            .ok_or_else(AppError::not_found)?;
        users::require_may_act_on(ctx, &tx, &owner).await?;
    }
    if m.revoked_at.is_none() {
        let mut row: token::ActiveModel = m.into();
        row.revoked_at = Set(Some(Utc::now()));
        row.update(&tx).await?;
        audit::record(&tx, ctx, Event::new("token.revoke", "token").target(id)).await?;
    }
    Ok(tx.commit().await?)
}

/// The actor behind `Authorization: Bearer <jwt>`: signature and expiry,
/// then the stored row (revocation), then the owner's current permissions.
pub async fn resolve_bearer(state: &AppState, jwt: &str) -> Result<Principal, AppError> {
    let unauthorized = || AppError::code(ErrorCode::Unauthorized);
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let claims = jsonwebtoken::decode::<Claims>(
        jwt,
        &DecodingKey::from_secret(&state.auth.jwt_key),
        &validation,
    )
    .map_err(|_| unauthorized())?
    .claims;
    let now = Utc::now();
    let row = token::Entity::find()
        .filter(token::Column::Jti.eq(&claims.jti))
        .one(&state.db)
        .await?
        .filter(|r| r.revoked_at.is_none() && r.expires_at > now)
        .filter(|r| r.user_id.to_string() == claims.sub)
        .ok_or_else(unauthorized)?;
    let owner = users::find(&state.db, row.user_id)
        .await?
        .ok_or_else(unauthorized)?;
    let held = users::permissions_of(&state.db, &owner)
        .await?
        .ok_or_else(unauthorized)?;
    let permissions = scopes_of(&row.scopes)
        .intersection(&held)
        .copied()
        .collect();
    if row
        .last_used_at
        .is_none_or(|t| (now - t).num_seconds() >= TOUCH_EVERY_SECS)
    {
        token::Entity::update_many()
            .col_expr(token::Column::LastUsedAt, Expr::value(now))
            .filter(token::Column::Id.eq(row.id))
            .exec(&state.db)
            .await?;
    }
    Ok(Principal {
        user_id: owner.id,
        email: owner.email,
        display_name: owner.display_name,
        role: owner.role,
        permissions,
        method: AuthMethod::Token(claims.jti),
    })
}
