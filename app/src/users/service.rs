//! The one owner of the `users` table: finding, inserting and changing
//! accounts, and the rules that only need accounts and roles (who holds
//! what, the delegation rule, the last active admin). Administration with
//! its cascades (sessions, tokens) is in `admin`.
use super::{
    UserPage, UserQuery, UserStatus, UserView, entity as user, password, roles, validate::Email,
};
use crate::audit::{self, Event};
use crate::error::{AppError, MsgKey};
use crate::platform::{AuthMethod, Ctx, Permission, Principal, permission::ADMIN, rfc3339};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde_json::json;
use std::collections::BTreeSet;

/// An account as stored. Other domains read its fields and change it only
/// through this service's functions.
pub type Account = user::Model;

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
pub fn audit_view(m: &user::Model) -> serde_json::Value {
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

/// The active accounts that hold `p` now (through their role, with 2FA
/// on where the role requires it), at most `limit`: who to tell about a
/// new incident.
pub async fn holders_of(
    conn: &impl ConnectionTrait,
    p: Permission,
    limit: u64,
) -> Result<Vec<i32>, AppError> {
    use sea_orm::QuerySelect;
    let roles = roles::granting(conn, p).await?;
    if roles.is_empty() {
        return Ok(Vec::new());
    }
    let mut any = Condition::any();
    for (name, require_2fa) in roles {
        let mut c = Condition::all().add(user::Column::Role.eq(name));
        if require_2fa {
            c = c.add(user::Column::TotpEnabled.eq(true));
        }
        any = any.add(c);
    }
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Status.eq(UserStatus::Active.as_str()))
        .filter(any)
        .order_by_asc(user::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?)
}

pub use super::lookup::{emails, names};

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
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(UserPage {
        items: items.iter().map(view).collect(),
        total,
        page,
        per_page,
    })
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

/// A new account's fields; [`insert`] writes it.
pub struct NewAccount {
    pub email: Email,
    pub display_name: String,
    pub role: String,
    /// `None` for an account that signs in only through SSO.
    pub password_hash: Option<String>,
    pub locale: String,
    pub status: UserStatus,
    pub oidc_subject: Option<String>,
}

impl NewAccount {
    /// An active account with a password, in English (setup, CLI, admin).
    pub fn with_password(email: Email, display_name: String, role: &str, hash: String) -> Self {
        NewAccount {
            email,
            display_name,
            role: role.into(),
            password_hash: Some(hash),
            locale: "en".into(),
            status: UserStatus::Active,
            oidc_subject: None,
        }
    }
}

/// Inserts an account (the caller has authorized it and audits it in the
/// same transaction): 422 when the email is taken or the role unknown.
pub async fn insert(conn: &impl ConnectionTrait, new: NewAccount) -> Result<Account, AppError> {
    if find_by_email(conn, new.email.as_str()).await?.is_some() {
        return Err(AppError::invalid([("email", MsgKey::EmailTaken)]));
    }
    if !roles::exists(conn, &new.role).await? {
        return Err(AppError::invalid([("role", MsgKey::RoleUnknown)]));
    }
    Ok(user::ActiveModel {
        email: Set(new.email.into_string()),
        display_name: Set(new.display_name),
        password_hash: Set(new.password_hash),
        role: Set(new.role),
        locale: Set(new.locale),
        theme: Set("system".into()),
        status: Set(new.status.as_str().into()),
        totp_secret: Set(None),
        totp_enabled: Set(false),
        oidc_subject: Set(new.oidc_subject),
        created_at: Set(chrono::Utc::now()),
        last_sign_in_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// Columns to change on an account; `None` leaves a column as it is.
#[derive(Default)]
pub struct Changes {
    pub email: Option<Email>,
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub status: Option<UserStatus>,
    pub locale: Option<String>,
    pub theme: Option<String>,
    pub password_hash: Option<String>,
    /// `Some(None)` removes the TOTP secret.
    pub totp_secret: Option<Option<String>>,
    pub totp_enabled: Option<bool>,
    pub oidc_subject: Option<String>,
    /// Records a successful sign-in now.
    pub signed_in: bool,
}

/// Writes `changes` to account `u` and returns the row as stored.
pub async fn update(
    conn: &impl ConnectionTrait,
    u: Account,
    changes: Changes,
) -> Result<Account, AppError> {
    let mut row: user::ActiveModel = u.into();
    if let Some(v) = changes.email {
        row.email = Set(v.into_string());
    }
    if let Some(v) = changes.display_name {
        row.display_name = Set(v);
    }
    if let Some(v) = changes.role {
        row.role = Set(v);
    }
    if let Some(v) = changes.status {
        row.status = Set(v.as_str().into());
    }
    if let Some(v) = changes.locale {
        row.locale = Set(v);
    }
    if let Some(v) = changes.theme {
        row.theme = Set(v);
    }
    if let Some(v) = changes.password_hash {
        row.password_hash = Set(Some(v));
    }
    if let Some(v) = changes.totp_secret {
        row.totp_secret = Set(v);
    }
    if let Some(v) = changes.totp_enabled {
        row.totp_enabled = Set(v);
    }
    if let Some(v) = changes.oidc_subject {
        row.oidc_subject = Set(Some(v));
    }
    if changes.signed_in {
        row.last_sign_in_at = Set(Some(chrono::Utc::now()));
    }
    Ok(row.update(conn).await?)
}

/// Records TOTP time step `step` as used by account `id`, only when it is
/// later than the last one: a conditional update, so two requests racing
/// with the same code cannot both pass. `false` when the step was used.
pub async fn accept_totp_step(
    conn: &impl ConnectionTrait,
    id: i32,
    step: i64,
) -> Result<bool, AppError> {
    let res = user::Entity::update_many()
        .col_expr(user::Column::TotpLastStep, Expr::value(step))
        .filter(user::Column::Id.eq(id))
        .filter(
            Condition::any()
                .add(user::Column::TotpLastStep.is_null())
                .add(user::Column::TotpLastStep.lt(step)),
        )
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

/// The account linked to a provider identity (`issuer#subject`).
pub async fn find_by_oidc_subject(
    conn: &impl ConnectionTrait,
    subject: &str,
) -> Result<Option<Account>, AppError> {
    Ok(user::Entity::find()
        .filter(user::Column::OidcSubject.eq(subject))
        .one(conn)
        .await?)
}

/// The permissions `u` holds right now, or `None` when the account may not
/// act (disabled, or its role vanished). A role that requires 2FA grants
/// nothing but the profile (to enrol) until 2FA is on.
pub async fn permissions_of(
    conn: &impl ConnectionTrait,
    u: &Account,
) -> Result<Option<BTreeSet<Permission>>, AppError> {
    if UserStatus::parse(&u.status) != UserStatus::Active {
        return Ok(None);
    }
    let Some((perms, require_2fa)) = roles::lookup(conn, &u.role).await? else {
        return Ok(None);
    };
    if require_2fa && !u.totp_enabled {
        return Ok(Some(BTreeSet::from([Permission::ProfileManage])));
    }
    Ok(Some(perms))
}

/// The actor `u` is when signed in with `method`; `None` when it may not act.
pub async fn principal_of(
    conn: &impl ConnectionTrait,
    u: &Account,
    method: AuthMethod,
) -> Result<Option<Principal>, AppError> {
    Ok(permissions_of(conn, u).await?.map(|permissions| Principal {
        user_id: u.id,
        email: u.email.clone(),
        display_name: u.display_name.clone(),
        role: u.role.clone(),
        permissions,
        method,
    }))
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
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let new = NewAccount::with_password(email, name.into_string(), role.trim(), hash);
    let m = insert(&tx, new).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("user.create", "user")
            .target(m.id)
            .actor_hint("cli")
            .diff(json!({"after": audit_view(&m)})),
    )
    .await?;
    tx.commit().await?;
    Ok(view(&m))
}
