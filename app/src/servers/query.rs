//! `GET /api/servers`: filters, sorts and keyset cursors over the inventory.
use super::entity::{self as server, tag};
use super::service::views;
use super::{ServerPage, ServerQuery, ServerStatus, validate};
use crate::error::{AppError, MsgKey};
use crate::platform::{Ctx, Page, Permission, page};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// The sort orders `GET /api/servers` accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    Name { desc: bool },
    Created { desc: bool },
}

impl Sort {
    fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        Ok(match raw.map(str::trim).unwrap_or("name") {
            "" | "name" => Sort::Name { desc: false },
            "-name" => Sort::Name { desc: true },
            "created" => Sort::Created { desc: false },
            "-created" => Sort::Created { desc: true },
            _ => return Err(AppError::invalid([("sort", MsgKey::FilterInvalid)])),
        })
    }
}

/// A cursor by name is the last row's name and id (`<id>.<hex name>`), so
/// the next page starts after it whatever was added or renamed meanwhile.
fn name_cursor(m: &server::Model) -> String {
    format!("{}.{}", m.id, crate::platform::hex(m.name.as_bytes()))
}

fn parse_name_cursor(raw: &str) -> Option<(i32, String)> {
    let (id, hex) = raw.split_once('.')?;
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some((id.parse().ok()?, String::from_utf8(bytes).ok()?))
}

/// Checks `q`'s filters and sort as the list would (saved views).
pub(super) fn check(q: &ServerQuery) -> Result<(), AppError> {
    filters(q)?;
    Sort::parse(q.sort.as_deref())?;
    Ok(())
}

fn filters(q: &ServerQuery) -> Result<Condition, AppError> {
    let some = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut c = Condition::all();
    let mut errors = Vec::new();
    if let Some(s) = some(&q.status) {
        match ServerStatus::parse(&s) {
            Some(s) => c = c.add(server::Column::Status.eq(s.as_str())),
            None => errors.push(("status", MsgKey::FilterInvalid)),
        }
    }
    if let Some(e) = some(&q.environment) {
        let e = e.to_lowercase();
        if validate::slug(&e, 32) {
            c = c.add(server::Column::Environment.eq(e));
        } else {
            errors.push(("environment", MsgKey::FilterInvalid));
        }
    }
    if let Some(t) = some(&q.tag) {
        match validate::tag_filter(&t) {
            Ok(t) => {
                c = c.add(
                    server::Column::Id.in_subquery(
                        Query::select()
                            .column(tag::Column::ServerId)
                            .from(tag::Entity)
                            .and_where(Expr::col(tag::Column::Tag).eq(t))
                            .to_owned(),
                    ),
                )
            }
            Err(_) => errors.push(("tag", MsgKey::FilterInvalid)),
        }
    }
    if let Some(text) = some(&q.q) {
        let text: String = text.chars().take(100).collect::<String>().to_lowercase();
        c = c.add(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(server::Column::Name)))
                        .like(format!("%{text}%")),
                )
                .add(server::Column::Hostname.contains(&text))
                .add(server::Column::IpAddresses.contains(&text)),
        );
    }
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(AppError::invalid(errors))
    }
}

/// `GET /api/servers`: filtered, sorted, a page at a time by cursor.
pub async fn list(ctx: &Ctx, q: ServerQuery) -> Result<ServerPage, AppError> {
    ctx.require(Permission::ServersRead)?;
    let sort = Sort::parse(q.sort.as_deref())?;
    let query = server::Entity::find().filter(filters(&q)?);
    let rows: Page<server::Model> = match sort {
        Sort::Created { desc } => {
            let direction = if desc {
                page::Direction::Descending
            } else {
                page::Direction::Ascending
            };
            page::paginate(
                ctx.db(),
                query,
                server::Column::Id,
                |m| i64::from(m.id),
                direction,
                q.cursor.as_deref(),
                q.per_page,
            )
            .await?
        }
        Sort::Name { desc } => by_name(ctx, query, desc, &q).await?,
    };
    let next_cursor = rows.next_cursor;
    Ok(Page {
        items: views(ctx.db(), rows.items).await?,
        next_cursor,
    })
}

/// A page in name order (then id, names being unique this only breaks ties
/// of a rename race), keyset on `(name, id)`.
async fn by_name(
    ctx: &Ctx,
    query: sea_orm::Select<server::Entity>,
    desc: bool,
    q: &ServerQuery,
) -> Result<Page<server::Model>, AppError> {
    use server::Column::{Id, Name};
    let limit = page::per_page(q.per_page);
    let mut query = query;
    if let Some(raw) = q.cursor.as_deref().filter(|c| !c.trim().is_empty()) {
        let (id, name) = parse_name_cursor(raw.trim())
            .ok_or_else(|| AppError::invalid([("cursor", MsgKey::BadRequest)]))?;
        let after = if desc {
            Condition::any()
                .add(Name.lt(name.clone()))
                .add(Name.eq(name).and(Id.lt(id)))
        } else {
            Condition::any()
                .add(Name.gt(name.clone()))
                .add(Name.eq(name).and(Id.gt(id)))
        };
        query = query.filter(after);
    }
    let query = if desc {
        query.order_by_desc(Name).order_by_desc(Id)
    } else {
        query.order_by_asc(Name).order_by_asc(Id)
    };
    let mut items = query.limit(limit + 1).all(ctx.db()).await?;
    let more = items.len() as u64 > limit;
    items.truncate(limit as usize);
    let next_cursor = more.then(|| items.last().map(name_cursor)).flatten();
    Ok(Page { items, next_cursor })
}
