//! `GET /api/incidents` (every ticket, filtered) and `GET
//! /api/incidents/mine` (the caller's own), newest first by keyset.
use super::entity::{self as incident, server as link};
use super::{IncidentPage, IncidentQuery, IncidentStatus, Severity};
use crate::error::{AppError, MsgKey};
use crate::platform::{Ctx, Permission, page};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

fn filters(q: &IncidentQuery) -> Result<Condition, AppError> {
    let some = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut c = Condition::all();
    let mut errors = Vec::new();
    if let Some(s) = some(&q.status) {
        if s == "active" {
            c = c.add(incident::Column::Status.is_in([
                IncidentStatus::Open.as_str(),
                IncidentStatus::Acknowledged.as_str(),
                IncidentStatus::Investigating.as_str(),
            ]));
        } else {
            match IncidentStatus::parse(&s) {
                Some(s) => c = c.add(incident::Column::Status.eq(s.as_str())),
                None => errors.push(("status", MsgKey::FilterInvalid)),
            }
        }
    }
    if let Some(s) = some(&q.severity) {
        match Severity::parse(&s) {
            Some(s) => c = c.add(incident::Column::Severity.eq(s.as_str())),
            None => errors.push(("severity", MsgKey::FilterInvalid)),
        }
    }
    if let Some(a) = some(&q.assignee) {
        if a == "none" {
            c = c.add(incident::Column::AssigneeId.is_null());
        } else {
            match a.parse::<i32>() {
                Ok(id) if id > 0 => c = c.add(incident::Column::AssigneeId.eq(id)),
                _ => errors.push(("assignee", MsgKey::FilterInvalid)),
            }
        }
    }
    if let Some(server) = q.server {
        c = c.add(
            incident::Column::Id.in_subquery(
                Query::select()
                    .column(link::Column::IncidentId)
                    .from(link::Entity)
                    .and_where(Expr::col(link::Column::ServerId).eq(server))
                    .to_owned(),
            ),
        );
    }
    if let Some(text) = some(&q.q) {
        let text: String = text.chars().take(100).collect::<String>().to_lowercase();
        c = c.add(
            Expr::expr(Func::lower(Expr::col(incident::Column::Title))).like(format!("%{text}%")),
        );
    }
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(AppError::invalid(errors))
    }
}

async fn page_of(ctx: &Ctx, c: Condition, q: &IncidentQuery) -> Result<IncidentPage, AppError> {
    let rows = page::paginate(
        ctx.db(),
        incident::Entity::find().filter(c),
        incident::Column::Id,
        |m| i64::from(m.id),
        page::Direction::Descending,
        q.cursor.as_deref(),
        q.per_page,
    )
    .await?;
    Ok(IncidentPage {
        items: super::service::views(ctx.db(), rows.items).await?,
        next_cursor: rows.next_cursor,
    })
}

/// `GET /api/incidents`: every ticket (`incidents:read`).
pub async fn list(ctx: &Ctx, q: IncidentQuery) -> Result<IncidentPage, AppError> {
    ctx.require(Permission::IncidentsRead)?;
    let c = filters(&q)?;
    page_of(ctx, c, &q).await
}

/// `GET /api/incidents/mine`: the tickets the caller reported, with the
/// same filters (every signed-in caller).
pub async fn mine(ctx: &Ctx, q: IncidentQuery) -> Result<IncidentPage, AppError> {
    let me = ctx.actor()?.user_id;
    let c = filters(&q)?.add(incident::Column::ReporterId.eq(me));
    page_of(ctx, c, &q).await
}
