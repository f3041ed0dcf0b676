//! Saved views of the servers list: a name for a set of filters and a
//! sort, kept per user (`server_views`), so "production web servers in
//! maintenance" is one click away. A view is its owner's alone: another
//! user's view is not found, whatever their role.
use super::entity::view;
use super::{SavedView, SavedViewInput, ServerQuery};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{Ctx, Permission};
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

/// Views one user may keep.
const MAX_VIEWS: u64 = 50;

fn saved(m: view::Model) -> SavedView {
    let q: ServerQuery = serde_json::from_str(&m.filters).unwrap_or_default();
    SavedView {
        id: m.id,
        name: m.name,
        status: q.status,
        environment: q.environment,
        tag: q.tag,
        q: q.q,
        sort: q.sort,
    }
}

/// `GET /api/servers/views`: the caller's views, by name.
pub async fn list(ctx: &Ctx) -> Result<Vec<SavedView>, AppError> {
    let me = ctx.require(Permission::ServersRead)?.user_id;
    let rows = view::Entity::find()
        .filter(view::Column::UserId.eq(me))
        .order_by_asc(view::Column::Name)
        .all(ctx.db())
        .await?;
    Ok(rows.into_iter().map(saved).collect())
}

/// `POST /api/servers/views`: saves the caller's view under its name
/// (replacing one of the same name). Its filters are checked like the
/// list's own, so a saved view always loads.
pub async fn save(ctx: &Ctx, input: SavedViewInput) -> Result<SavedView, AppError> {
    let me = ctx.require(Permission::ServersRead)?.user_id;
    let name = input.name.trim().to_string();
    super::validate::text(&name, 1, 60, MsgKey::NameInvalid)
        .map_err(|k| AppError::invalid([("name", k)]))?;
    let blank = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let q = ServerQuery {
        status: blank(input.status),
        environment: blank(input.environment),
        tag: blank(input.tag),
        q: blank(input.q),
        sort: blank(input.sort),
        cursor: None,
        per_page: None,
    };
    super::query::check(&q)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let exists = view::Entity::find()
        .filter(view::Column::UserId.eq(me))
        .filter(view::Column::Name.eq(name.as_str()))
        .count(&tx)
        .await?
        > 0;
    if !exists {
        let held = view::Entity::find()
            .filter(view::Column::UserId.eq(me))
            .count(&tx)
            .await?;
        if held >= MAX_VIEWS {
            return Err(AppError::because(ErrorCode::Conflict, MsgKey::TooManyViews));
        }
    }
    let row = view::ActiveModel {
        user_id: Set(me),
        name: Set(name.clone()),
        filters: Set(serde_json::to_string(&q).map_err(AppError::internal)?),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    view::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([view::Column::UserId, view::Column::Name])
                .update_column(view::Column::Filters)
                .to_owned(),
        )
        .exec_without_returning(&tx)
        .await?;
    let m = view::Entity::find()
        .filter(view::Column::UserId.eq(me))
        .filter(view::Column::Name.eq(name.as_str()))
        .one(&tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    tx.commit().await?;
    Ok(saved(m))
}

/// `POST /api/servers/views/delete`: one of the caller's views.
pub async fn delete(ctx: &Ctx, id: i32) -> Result<(), AppError> {
    let me = ctx.require(Permission::ServersRead)?.user_id;
    let gone = view::Entity::delete_many()
        .filter(view::Column::Id.eq(id))
        .filter(view::Column::UserId.eq(me))
        .exec(ctx.db())
        .await?;
    if gone.rows_affected == 0 {
        return Err(AppError::not_found());
    }
    Ok(())
}
