//! Roles: built-in permissions come from `platform::permission` (synced into
//! the table at start), custom roles are sets of permissions chosen by admins.
use super::{RoleView, SaveRole, role_entity as role};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{
    Ctx, Permission,
    permission::{BUILTIN_ROLES, builtin_permissions},
};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder,
    sea_query::OnConflict,
};
use std::collections::BTreeSet;

fn encode(perms: &BTreeSet<Permission>) -> String {
    serde_json::to_string(&perms.iter().map(|p| p.as_str()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into())
}

fn decode(json: &str) -> BTreeSet<Permission> {
    serde_json::from_str::<Vec<String>>(json)
        .unwrap_or_default()
        .iter()
        .filter_map(|s| Permission::parse(s))
        .collect()
}

fn view(m: role::Model) -> RoleView {
    RoleView {
        permissions: decode(&m.permissions).into_iter().collect(),
        name: m.name,
        builtin: m.builtin,
        require_2fa: m.require_2fa,
    }
}

/// At start: write the built-in roles' permissions from code, keeping each
/// role's 2FA requirement as the admin set it.
pub async fn sync_builtin(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    for name in BUILTIN_ROLES {
        let perms = builtin_permissions(name).unwrap_or_default();
        let row = role::ActiveModel {
            name: Set((*name).into()),
            builtin: Set(true),
            permissions: Set(encode(&perms)),
            require_2fa: Set(false),
        };
        role::Entity::insert(row)
            .on_conflict(
                OnConflict::column(role::Column::Name)
                    .update_columns([role::Column::Permissions, role::Column::Builtin])
                    .to_owned(),
            )
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The role's permissions and 2FA requirement, `None` when it does not exist.
pub async fn lookup(
    conn: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<(BTreeSet<Permission>, bool)>, AppError> {
    let row = role::Entity::find_by_id(name.to_string()).one(conn).await?;
    Ok(row.map(|r| (decode(&r.permissions), r.require_2fa)))
}

pub async fn list(ctx: &Ctx) -> Result<Vec<RoleView>, AppError> {
    ctx.require(Permission::UsersRead)?;
    let rows = role::Entity::find()
        .order_by_desc(role::Column::Builtin)
        .order_by_asc(role::Column::Name)
        .all(ctx.db())
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

fn role_name(raw: &str) -> Result<String, MsgKey> {
    let s = raw.trim().to_lowercase();
    let ok = (2..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok { Ok(s) } else { Err(MsgKey::NameInvalid) }
}

pub async fn save(ctx: &Ctx, input: SaveRole) -> Result<RoleView, AppError> {
    ctx.require(Permission::RolesManage)?;
    let name = role_name(&input.name).map_err(|k| AppError::invalid([("name", k)]))?;
    let mut perms = BTreeSet::new();
    for p in &input.permissions {
        let p = Permission::parse(p)
            .ok_or_else(|| AppError::invalid([("permissions", MsgKey::ScopeUnknown)]))?;
        perms.insert(p);
    }
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let before = role::Entity::find_by_id(name.clone()).one(&tx).await?;
    let builtin = before.as_ref().is_some_and(|b| b.builtin);
    if builtin {
        // Built-in permissions are fixed in code; only the 2FA policy changes.
        perms = builtin_permissions(&name).unwrap_or_default();
    }
    // Delegation never grows: the actor may touch only a role whose old and
    // new permissions it holds itself, and never the role it holds (editing
    // it would change the actor's own rights on its next request).
    let old = before
        .as_ref()
        .map(|b| decode(&b.permissions))
        .unwrap_or_default();
    let refusal = if before.is_some() && ctx.actor()?.role == name {
        Some(AppError::because(ErrorCode::Forbidden, MsgKey::OwnRoleEdit))
    } else {
        let union: BTreeSet<Permission> = old.union(&perms).copied().collect();
        ctx.require_within(&union, MsgKey::GrantExceeds).err()
    };
    if let Some(refusal) = refusal {
        drop(tx);
        let event = Event::new("role.update", "role").target(&name);
        return Err(audit::denied(ctx, event, refusal).await);
    }
    let row = role::ActiveModel {
        name: Set(name.clone()),
        builtin: Set(builtin),
        permissions: Set(encode(&perms)),
        require_2fa: Set(input.require_2fa),
    };
    role::Entity::insert(row)
        .on_conflict(
            OnConflict::column(role::Column::Name)
                .update_columns([role::Column::Permissions, role::Column::Require2fa])
                .to_owned(),
        )
        .exec(&tx)
        .await?;
    let after = RoleView {
        name: name.clone(),
        builtin,
        permissions: perms.into_iter().collect(),
        require_2fa: input.require_2fa,
    };
    audit::record(
        &tx,
        ctx,
        Event::new(
            if before.is_some() {
                "role.update"
            } else {
                "role.create"
            },
            "role",
        )
        .target(&name)
        .diff(serde_json::json!({
            "before": before.map(view),
            "after": &after,
        })),
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Whether `name` exists; used by user validation.
pub async fn exists(conn: &impl ConnectionTrait, name: &str) -> Result<bool, AppError> {
    Ok(lookup(conn, name).await?.is_some())
}

/// The roles that grant `p`, each with whether it requires 2FA.
pub async fn granting(
    conn: &impl ConnectionTrait,
    p: Permission,
) -> Result<Vec<(String, bool)>, AppError> {
    Ok(role::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .filter(|r| decode(&r.permissions).contains(&p))
        .map(|r| (r.name, r.require_2fa))
        .collect())
}

/// The permissions `role` grants (nothing for a role that vanished): what
/// an actor must hold to hand it out or to act on an account holding it.
pub async fn permissions(
    conn: &impl ConnectionTrait,
    role: &str,
) -> Result<BTreeSet<Permission>, AppError> {
    Ok(lookup(conn, role)
        .await?
        .map(|(p, _)| p)
        .unwrap_or_default())
}
