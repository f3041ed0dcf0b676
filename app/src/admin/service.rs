//! Account administration: creating and changing accounts with their
//! cascades (a privilege or credential change ends the account's sessions,
//! a new password revokes its tokens), ending an account's sessions, and
//! the console's password reset. The rows are written through `users`.
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{Ctx, Permission, permission::ADMIN, throttle};
use crate::sessions::service as sessions;
use crate::tokens::service as tokens;
use crate::users::{
    SaveUser, UserStatus, UserView,
    password::{self, Password},
    roles,
    service::{self as users, Changes, NewAccount},
    validate::{DisplayName, Email, locale},
};
use serde_json::json;

/// Validated fields of a [`SaveUser`]; every invalid field is reported at once.
struct Valid {
    email: Email,
    name: DisplayName,
    locale: Option<String>,
    password: Option<Password>,
}

fn validate(input: &SaveUser, creating: bool) -> Result<Valid, AppError> {
    let mut errors = Vec::new();
    let email = Email::parse(&input.email)
        .map_err(|k| errors.push(("email", k)))
        .ok();
    let name = DisplayName::parse(&input.display_name)
        .map_err(|k| errors.push(("display_name", k)))
        .ok();
    let locale = match input.locale.as_deref() {
        Some(l) => locale(l).map_err(|k| errors.push(("locale", k))).ok(),
        None => None,
    };
    let password = match input.password.as_deref() {
        Some(p) if !p.is_empty() || creating => Password::parse(p)
            .map_err(|k| errors.push(("password", k)))
            .ok(),
        _ if creating => {
            errors.push(("password", MsgKey::PasswordTooShort));
            None
        }
        _ => None,
    };
    match (email, name) {
        (Some(email), Some(name)) if errors.is_empty() => Ok(Valid {
            email,
            name,
            locale,
            password,
        }),
        _ => Err(AppError::invalid(errors)),
    }
}

/// `POST /api/users`: create, or update when `input.id` is set.
pub async fn save(ctx: &Ctx, input: SaveUser) -> Result<UserView, AppError> {
    let event = match input.id {
        Some(id) => Event::new("user.update", "user").target(id),
        None => Event::new("user.create", "user"),
    };
    audit::refusals(ctx, event, save_checked(ctx, input).await).await
}

async fn save_checked(ctx: &Ctx, input: SaveUser) -> Result<UserView, AppError> {
    let actor = ctx.require(Permission::UsersManage)?.clone();
    let valid = validate(&input, input.id.is_none())?;
    let role = input.role.trim().to_string();
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let Some((role_perms, _)) = roles::lookup(&tx, &role).await? else {
        return Err(AppError::invalid([("role", MsgKey::RoleUnknown)]));
    };
    // Nobody hands out more than they hold (custom roles may differ from admin).
    ctx.require_within(&role_perms, MsgKey::GrantExceeds)?;
    if let Some(other) = users::find_by_email(&tx, valid.email.as_str()).await?
        && Some(other.id) != input.id
    {
        return Err(AppError::invalid([("email", MsgKey::EmailTaken)]));
    }
    let hash = match &valid.password {
        Some(p) => Some(password::hash(p).await?),
        None => None,
    };
    let saved = match input.id {
        None => {
            let status = input.status.unwrap_or_default();
            let new = NewAccount {
                email: valid.email,
                display_name: valid.name.into_string(),
                role,
                password_hash: hash,
                locale: valid.locale.unwrap_or_else(|| "en".into()),
                status,
                oidc_subject: None,
            };
            let m = users::insert(&tx, new).await?;
            audit::record(
                &tx,
                ctx,
                Event::new("user.create", "user")
                    .target(m.id)
                    .diff(json!({"after": users::audit_view(&m)})),
            )
            .await?;
            m
        }
        Some(id) => {
            let before = users::find(&tx, id)
                .await?
                .ok_or_else(AppError::not_found)?;
            users::require_may_act_on(ctx, &tx, &before).await?;
            // Left out, the status stays as it is (never re-enables by default).
            let status = input
                .status
                .unwrap_or_else(|| UserStatus::parse(&before.status));
            let role_changed = before.role != role;
            let status_changed = before.status != status.as_str();
            if id == actor.user_id && (role_changed || status_changed) {
                return Err(AppError::because(ErrorCode::Forbidden, MsgKey::OwnRole));
            }
            let was_active_admin =
                before.role == ADMIN && before.status == UserStatus::Active.as_str();
            let stays_active_admin = role == ADMIN && status == UserStatus::Active;
            if was_active_admin
                && !stays_active_admin
                && users::active_admins_other_than(&tx, id).await? == 0
            {
                let field = if role_changed { "role" } else { "status" };
                return Err(AppError::invalid([(field, MsgKey::LastAdmin)]));
            }
            let password_changed = hash.is_some();
            let changes = Changes {
                email: Some(valid.email),
                display_name: Some(valid.name.into_string()),
                role: Some(role),
                status: Some(status),
                locale: valid.locale,
                password_hash: hash,
                ..Default::default()
            };
            let m = users::update(&tx, before.clone(), changes).await?;
            if role_changed || status_changed || password_changed {
                // A privilege or credential change ends every session of the account.
                sessions::revoke_all(&tx, id).await?;
            }
            if password_changed {
                tokens::revoke_all(&tx, id).await?;
            }
            audit::record(
                &tx,
                ctx,
                Event::new("user.update", "user").target(id).diff(json!({
                    "before": users::audit_view(&before),
                    "after": users::audit_view(&m),
                    "password_changed": password_changed,
                })),
            )
            .await?;
            m
        }
    };
    tx.commit().await?;
    Ok(users::view(&saved))
}

/// A random password that passes the policy: 20 characters, ~114 bits.
fn random_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    (0..20)
        .map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// `dihya user reset-password`: sets a new random password (returned to be
/// shown once), ends the account's sessions and clears its sign-in lockout.
pub async fn reset_password_from_cli(ctx: &Ctx, email: &str) -> Result<String, AppError> {
    let email = Email::parse(email).map_err(|k| AppError::invalid([("email", k)]))?;
    let new_password = random_password();
    let pw = Password::parse(&new_password).map_err(|k| AppError::invalid([("password", k)]))?;
    let hash = password::hash(&pw).await?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let u = users::find_by_email(&tx, email.as_str())
        .await?
        .ok_or_else(AppError::not_found)?;
    let changes = Changes {
        password_hash: Some(hash),
        ..Default::default()
    };
    let u = users::update(&tx, u, changes).await?;
    sessions::revoke_all(&tx, u.id).await?;
    tokens::revoke_all(&tx, u.id).await?;
    throttle::reset(&tx, email.as_str()).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("user.password_reset", "user")
            .target(u.id)
            .actor_hint("cli"),
    )
    .await?;
    tx.commit().await?;
    Ok(new_password)
}

/// Ends every session of an account whose role grants nothing the actor
/// lacks.
pub async fn end_sessions(ctx: &Ctx, user_id: i32) -> Result<u64, AppError> {
    let event = Event::new("user.sessions_revoke", "user").target(user_id);
    audit::refusals(ctx, event, end_sessions_checked(ctx, user_id).await).await
}

async fn end_sessions_checked(ctx: &Ctx, user_id: i32) -> Result<u64, AppError> {
    ctx.require(Permission::UsersManage)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let target = users::find(&tx, user_id)
        .await?
        .ok_or_else(AppError::not_found)?;
    users::require_may_act_on(ctx, &tx, &target).await?;
    let n = sessions::revoke_all(&tx, user_id).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("user.sessions_revoke", "user")
            .target(user_id)
            .diff(json!({"sessions": n})),
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}
