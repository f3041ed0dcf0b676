//! `GET /api/incidents` (every ticket, filtered) and `GET
//! /api/incidents/mine` (the caller's own), newest first by keyset.
use super::entity::{self as incident, event, server as link};
use super::{
    IncidentPage, IncidentQuery, IncidentReport, IncidentStatus, Means, Severity, SeverityMeans,
    TimelineKind,
};
use crate::error::{AppError, MsgKey};
use crate::platform::{Ctx, Permission, page};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};

fn filters(q: &IncidentQuery) -> Result<Condition, AppError> {
    // Here only: its `max`, `eq`, … would shadow the integers' elsewhere.
    use sea_orm::sea_query::ExprTrait;
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

/// A ticket's `(created, acknowledged, resolved)` times.
type Times = (DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Adds up tickets' times.
fn means<'a>(rows: impl Iterator<Item = &'a Times>) -> Means {
    let (mut opened, mut acked, mut resolved, mut ack_s, mut res_s) =
        (0u64, 0u64, 0u64, 0i64, 0i64);
    for (created, ack, res) in rows {
        opened += 1;
        if let Some(a) = ack {
            acked += 1;
            ack_s += (*a - *created).num_seconds().max(0);
        }
        if let Some(r) = res {
            resolved += 1;
            res_s += (*r - *created).num_seconds().max(0);
        }
    }
    let mean = |total: i64, n: u64| (n > 0).then(|| total as u64 / n);
    Means {
        opened,
        acknowledged: acked,
        resolved,
        mtta_seconds: mean(ack_s, acked),
        mttr_seconds: mean(res_s, resolved),
    }
}

/// The most tickets one report reads (a year of a busy team).
const REPORT_ROWS: u64 = 100_000;

/// `GET /api/incidents/report`: how many tickets were opened in the last
/// `days` (1 to 366, 30 by default), how fast they were acknowledged and
/// resolved, per severity, and how many deadlines were missed.
pub async fn report(ctx: &Ctx, days: Option<u32>) -> Result<IncidentReport, AppError> {
    ctx.require(Permission::IncidentsRead)?;
    let days = days.unwrap_or(30);
    if !(1..=366).contains(&days) {
        return Err(AppError::invalid([("days", MsgKey::RangeInvalid)]));
    }
    let from = Utc::now() - Duration::days(i64::from(days));
    type Row = (
        String,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
        Option<DateTime<Utc>>,
    );
    let rows: Vec<Row> = incident::Entity::find()
        .select_only()
        .columns([
            incident::Column::Severity,
            incident::Column::CreatedAt,
            incident::Column::AcknowledgedAt,
            incident::Column::ResolvedAt,
        ])
        .filter(incident::Column::CreatedAt.gte(from))
        .limit(REPORT_ROWS)
        .into_tuple()
        .all(ctx.db())
        .await?;
    let times: Vec<(Severity, Times)> = rows
        .into_iter()
        .map(|(s, c, a, r)| (Severity::parse(&s).unwrap_or(Severity::Medium), (c, a, r)))
        .collect();
    let breaches = event::Entity::find()
        .filter(event::Column::Kind.eq(TimelineKind::SlaBreach.as_str()))
        .filter(event::Column::At.gte(from))
        .count(ctx.db())
        .await?;
    Ok(IncidentReport {
        days,
        all: means(times.iter().map(|(_, t)| t)),
        by_severity: Severity::ALL
            .iter()
            .filter(|s| times.iter().any(|(x, _)| x == *s))
            .map(|s| SeverityMeans {
                severity: *s,
                means: means(times.iter().filter(|(x, _)| x == s).map(|(_, t)| t)),
            })
            .collect(),
        breaches,
    })
}
