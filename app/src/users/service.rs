//! Rules for accounts: validation, the last-admin and own-role guards,
//! session revocation on privilege change, and an audit row per change.
use super::{
    SaveUser, UserPage, UserQuery, UserStatus, UserView, entity as user,
    password::{self, Password},
    roles,
    validate::{DisplayName, Email, locale},
};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{
    Ctx, Permission,
    audit::{self, Event},
    permission::ADMIN,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use serde_json::json;

use crate::platform::rfc3339;

pub fn view(m: &user::Model) -> UserView {
    UserView {
        id: m.id,
        email: m.email.clone(),
        display_name: m.display_name.clone(),
        role: m.role.clone(),
        locale: m.locale.clone(),
        theme: m.theme.clone(),
        status: UserStatus::parse(&m.status),
        totp_enabled: m.totp_enabled,
        created_at: rfc3339(m.created_at),
        last_sign_in_at: m.last_sign_in_at.map(rfc3339),
    }
}

/// What the audit log keeps of a user (no secrets by construction).
fn audit_view(m: &user::Model) -> serde_json::Value {
    json!({"email": m.email, "display_name": m.display_name, "role": m.role, "status": m.status, "locale": m.locale})
}

pub async fn find_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<user::Model>, AppError> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email.trim().to_lowercase()))
        .one(conn)
        .await
        .map_err(AppError::internal)
}

pub async fn find(conn: &impl ConnectionTrait, id: i32) -> Result<Option<user::Model>, AppError> {
    user::Entity::find_by_id(id)
        .one(conn)
        .await
        .map_err(AppError::internal)
}

pub async fn list(ctx: &Ctx, q: UserQuery) -> Result<UserPage, AppError> {
    ctx.require(Permission::UsersRead)?;
    let per_page = q.per_page.unwrap_or(25).clamp(1, 100);
    let page = crate::platform::clamp_page(q.page);
    let mut cond = Condition::all();
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let text: String = text.chars().take(100).collect::<String>().to_lowercase();
        cond = cond.add(
            Condition::any()
                .add(user::Column::Email.contains(&text))
                .add(user::Column::DisplayName.contains(&text)),
        );
    }
    if let Some(role) = q.role.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(user::Column::Role.eq(role));
    }
    if let Some(status) = q.status {
        cond = cond.add(user::Column::Status.eq(status.as_str()));
    }
    let (column, desc) = match q.sort.as_deref().unwrap_or("email") {
        "email" => (user::Column::Email, false),
        "-email" => (user::Column::Email, true),
        "created_at" => (user::Column::CreatedAt, false),
        "-created_at" => (user::Column::CreatedAt, true),
        "last_sign_in_at" => (user::Column::LastSignInAt, false),
        "-last_sign_in_at" => (user::Column::LastSignInAt, true),
        _ => return Err(AppError::invalid([("sort", MsgKey::BadRequest)])),
    };
    let query = user::Entity::find().filter(cond);
    let query = if desc {
        query.order_by_desc(column)
    } else {
        query.order_by_asc(column)
    }
    .order_by_asc(user::Column::Id);
    let paginator = query.paginate(ctx.db(), per_page);
    let total = paginator.num_items().await.map_err(AppError::internal)?;
    let items = paginator
        .fetch_page(page - 1)
        .await
        .map_err(AppError::internal)?;
    Ok(UserPage {
        items: items.iter().map(view).collect(),
        total,
        page,
        per_page,
    })
}

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

/// How many active admins there are besides account `id` (the last one is
/// never demoted nor disabled, by an admin or by an SSO groups claim).
pub async fn active_admins_other_than(
    conn: &impl ConnectionTrait,
    id: i32,
) -> Result<u64, AppError> {
    user::Entity::find()
        .filter(user::Column::Role.eq(ADMIN))
        .filter(user::Column::Status.eq(UserStatus::Active.as_str()))
        .filter(user::Column::Id.ne(id))
        .count(conn)
        .await
        .map_err(AppError::internal)
}

/// The delegation rule for acting on an account (edit, disable, reset 2FA,
/// end sessions, revoke tokens): its role grants nothing the actor lacks.
pub async fn require_may_act_on(
    ctx: &Ctx,
    conn: &impl ConnectionTrait,
    target: &user::Model,
) -> Result<(), AppError> {
    let held = roles::permissions(conn, &target.role).await?;
    ctx.require_within(&held, MsgKey::TargetExceeds)?;
    Ok(())
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
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    let Some((role_perms, _)) = roles::lookup(&tx, &role).await? else {
        return Err(AppError::invalid([("role", MsgKey::RoleUnknown)]));
    };
    // Nobody hands out more than they hold (custom roles may differ from admin).
    ctx.require_within(&role_perms, MsgKey::GrantExceeds)?;
    if let Some(other) = find_by_email(&tx, valid.email.as_str()).await?
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
            let row = user::ActiveModel {
                email: Set(valid.email.into_string()),
                display_name: Set(valid.name.into_string()),
                password_hash: Set(hash),
                role: Set(role),
                locale: Set(valid.locale.unwrap_or_else(|| "en".into())),
                theme: Set("system".into()),
                status: Set(status.as_str().into()),
                totp_secret: Set(None),
                totp_enabled: Set(false),
                oidc_subject: Set(None),
                created_at: Set(chrono::Utc::now()),
                last_sign_in_at: Set(None),
                ..Default::default()
            };
            let m = row.insert(&tx).await.map_err(AppError::internal)?;
            audit::record(
                &tx,
                ctx,
                Event::new("user.create", "user")
                    .target(m.id)
                    .diff(json!({"after": audit_view(&m)})),
            )
            .await?;
            m
        }
        Some(id) => {
            let before = find(&tx, id).await?.ok_or_else(AppError::not_found)?;
            require_may_act_on(ctx, &tx, &before).await?;
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
                && active_admins_other_than(&tx, id).await? == 0
            {
                let field = if role_changed { "role" } else { "status" };
                return Err(AppError::invalid([(field, MsgKey::LastAdmin)]));
            }
            let mut row: user::ActiveModel = before.clone().into();
            row.email = Set(valid.email.into_string());
            row.display_name = Set(valid.name.into_string());
            row.role = Set(role);
            row.status = Set(status.as_str().into());
            if let Some(l) = valid.locale {
                row.locale = Set(l);
            }
            let password_changed = hash.is_some();
            if let Some(h) = hash {
                row.password_hash = Set(Some(h));
            }
            let m = row.update(&tx).await.map_err(AppError::internal)?;
            if role_changed || status_changed || password_changed {
                // A privilege or credential change ends every session of the account.
                crate::auth::sessions::revoke_all(&tx, id).await?;
            }
            if password_changed {
                crate::tokens::service::revoke_all(&tx, id).await?;
            }
            audit::record(
                &tx,
                ctx,
                Event::new("user.update", "user").target(id).diff(json!({
                    "before": audit_view(&before),
                    "after": audit_view(&m),
                    "password_changed": password_changed,
                })),
            )
            .await?;
            m
        }
    };
    tx.commit().await.map_err(AppError::internal)?;
    Ok(view(&saved))
}

/// Creates an account outside any session (first-run setup, CLI). The
/// caller audits it in the same transaction.
pub async fn insert_unchecked(
    conn: &impl ConnectionTrait,
    email: &Email,
    name: &str,
    role: &str,
    hash: String,
) -> Result<user::Model, AppError> {
    if find_by_email(conn, email.as_str()).await?.is_some() {
        return Err(AppError::invalid([("email", MsgKey::EmailTaken)]));
    }
    if !roles::exists(conn, role).await? {
        return Err(AppError::invalid([("role", MsgKey::RoleUnknown)]));
    }
    user::ActiveModel {
        email: Set(email.as_str().into()),
        display_name: Set(name.into()),
        password_hash: Set(Some(hash)),
        role: Set(role.into()),
        locale: Set("en".into()),
        theme: Set("system".into()),
        status: Set(UserStatus::Active.as_str().into()),
        totp_secret: Set(None),
        totp_enabled: Set(false),
        oidc_subject: Set(None),
        created_at: Set(chrono::Utc::now()),
        last_sign_in_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map_err(AppError::internal)
}

/// `dihya user create`: an account made from the console (audited as `cli`).
pub async fn create_from_cli(
    ctx: &Ctx,
    email: &str,
    role: &str,
    name: &str,
    password_raw: &str,
) -> Result<UserView, AppError> {
    // Without a name, the local part of the email stands in.
    let fallback = email.trim().split('@').next().unwrap_or("");
    let name = if name.trim().is_empty() {
        fallback
    } else {
        name
    };
    let (email, name, pw) = super::validate::new_account(email, name, password_raw)?;
    let hash = password::hash(&pw).await?;
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    let m = insert_unchecked(&tx, &email, &name.into_string(), role.trim(), hash).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("user.create", "user")
            .target(m.id)
            .actor_hint("cli")
            .diff(json!({"after": audit_view(&m)})),
    )
    .await?;
    tx.commit().await.map_err(AppError::internal)?;
    Ok(view(&m))
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
    let tx = ctx.db().begin().await.map_err(AppError::internal)?;
    let u = find_by_email(&tx, email.as_str())
        .await?
        .ok_or_else(AppError::not_found)?;
    let mut row: user::ActiveModel = u.clone().into();
    row.password_hash = Set(Some(hash));
    row.update(&tx).await.map_err(AppError::internal)?;
    crate::auth::sessions::revoke_all(&tx, u.id).await?;
    crate::tokens::service::revoke_all(&tx, u.id).await?;
    crate::auth::throttle::reset(&tx, email.as_str()).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("user.password_reset", "user")
            .target(u.id)
            .actor_hint("cli"),
    )
    .await?;
    tx.commit().await.map_err(AppError::internal)?;
    Ok(new_password)
}
