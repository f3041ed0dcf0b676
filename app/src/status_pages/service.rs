//! Status pages as their editors see them: listed, saved (every monitor
//! checked to exist, the slug unique), deleted; and what the public
//! routes read by slug (the logo, the sitemap's slugs). Saving or deleting
//! one tells the page cache (topic `status-pages`).
use super::entity as page;
use super::validate::{self, Logo};
use super::{
    ComponentInput, MonitorChoice, StatusPageChanged, StatusPageInput, StatusPageView, StatusPages,
};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::{Ctx, Permission, rfc3339};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr, TryIntoModel,
};

/// At most this many pages.
const MAX_PAGES: u64 = 100;

pub fn components_of(m: &page::Model) -> Vec<ComponentInput> {
    serde_json::from_str(&m.components).unwrap_or_default()
}

fn view(m: &page::Model) -> StatusPageView {
    StatusPageView {
        id: m.id,
        slug: m.slug.clone(),
        title: m.title.clone(),
        description: m.description.clone(),
        components: components_of(m),
        has_logo: m.logo.is_some(),
        updated_at: rfc3339(m.updated_at),
    }
}

fn slug_taken() -> AppError {
    AppError::because(ErrorCode::Conflict, MsgKey::SlugTaken).with_field("slug", MsgKey::SlugTaken)
}

/// `GET /api/status-pages`: the pages, and every monitor by name (a
/// component's choices: whoever edits pages picks among them, even
/// without `monitoring:read`).
pub async fn list(ctx: &Ctx) -> Result<StatusPages, AppError> {
    ctx.require(Permission::StatusPagesManage)?;
    let pages = page::Entity::find()
        .order_by_asc(page::Column::Slug)
        .limit(MAX_PAGES)
        .all(ctx.db())
        .await?
        .iter()
        .map(view)
        .collect();
    let monitors = crate::monitoring::for_status::names(ctx.db(), 10_000)
        .await?
        .into_iter()
        .map(|(id, name)| MonitorChoice { id, name })
        .collect();
    Ok(StatusPages { pages, monitors })
}

/// `POST /api/status-pages`: creates, or updates by `id`.
pub async fn save(ctx: &Ctx, input: StatusPageInput) -> Result<StatusPageView, AppError> {
    ctx.require(Permission::StatusPagesManage)?;
    let v = validate::validate(&input).map_err(AppError::invalid)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let wanted: Vec<i32> = v
        .components
        .iter()
        .flat_map(|c| c.monitor_ids.iter().copied())
        .collect();
    let known = crate::monitoring::for_status::now_of(&tx, &wanted).await?;
    if wanted.iter().any(|id| !known.contains_key(id)) {
        return Err(AppError::invalid([("components", MsgKey::MonitorUnknown)]));
    }
    let taken = page::Entity::find()
        .filter(page::Column::Slug.eq(&v.slug))
        .filter(page::Column::Id.ne(input.id.unwrap_or(0)))
        .count(&tx)
        .await?;
    if taken > 0 {
        return Err(slug_taken());
    }
    let now = Utc::now();
    let (mut row, action, old_slug) = match input.id {
        Some(id) => {
            let m = page::Entity::find_by_id(id)
                .one(&tx)
                .await?
                .ok_or_else(AppError::not_found)?;
            let old = m.slug.clone();
            (page::ActiveModel::from(m), "status_page.update", Some(old))
        }
        None => {
            if page::Entity::find().count(&tx).await? >= MAX_PAGES {
                return Err(AppError::invalid([("slug", MsgKey::StatusPagesFull)]));
            }
            let row = page::ActiveModel {
                created_at: Set(now),
                ..Default::default()
            };
            (row, "status_page.create", None)
        }
    };
    row.slug = Set(v.slug.clone());
    row.title = Set(v.title.clone());
    row.description = Set(v.description.clone());
    row.components = Set(serde_json::to_string(&v.components).map_err(AppError::internal)?);
    match v.logo {
        Logo::Keep => {}
        Logo::Remove => {
            row.logo = Set(None);
            row.logo_type = Set(None);
        }
        Logo::Set { bytes, media } => {
            row.logo = Set(Some(bytes));
            row.logo_type = Set(Some(media.to_string()));
        }
    }
    row.updated_at = Set(now);
    let m = match row.save(&tx).await {
        Ok(saved) => saved.try_into_model()?,
        // Two editors saving one slug at once: the index decides.
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(slug_taken());
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &tx,
        ctx,
        Event::new(action, "status_page")
            .target(m.id)
            .diff(serde_json::json!({
                "slug": m.slug, "title": m.title, "components": v.components.len(),
            })),
    )
    .await?;
    tx.commit().await?;
    for slug in old_slug.into_iter().chain([m.slug.clone()]) {
        ctx.state
            .events
            .publish(&StatusPageChanged { id: m.id, slug });
    }
    Ok(view(&m))
}

/// `POST /api/status-pages/delete`.
pub async fn delete(ctx: &Ctx, id: i32) -> Result<(), AppError> {
    ctx.require(Permission::StatusPagesManage)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = page::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    page::Entity::delete_by_id(id).exec(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("status_page.delete", "status_page")
            .target(id)
            .diff(serde_json::json!({"slug": m.slug})),
    )
    .await?;
    tx.commit().await?;
    ctx.state
        .events
        .publish(&StatusPageChanged { id, slug: m.slug });
    Ok(())
}

/// The page at `slug`, if there is one.
pub async fn by_slug(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<page::Model>, AppError> {
    if !validate::valid_slug(slug) {
        return Ok(None);
    }
    Ok(page::Entity::find()
        .filter(page::Column::Slug.eq(slug))
        .one(conn)
        .await?)
}

/// Every page's slug (the sitemap lists them).
pub async fn slugs(conn: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    Ok(page::Entity::find()
        .select_only()
        .column(page::Column::Slug)
        .order_by_asc(page::Column::Slug)
        .limit(MAX_PAGES)
        .into_tuple()
        .all(conn)
        .await?)
}

/// A page's logo and its media type.
pub async fn logo(
    conn: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<(Vec<u8>, String)>, AppError> {
    Ok(by_slug(conn, slug)
        .await?
        .and_then(|m| Some((m.logo?, m.logo_type?))))
}
