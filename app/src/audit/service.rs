//! Reading, exporting and (retention only) purging the audit log.
use super::{AuditEntry, AuditPage, AuditQuery, entity};
use crate::error::{AppError, MsgKey};
use crate::platform::{Ctx, Permission};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// Most rows one export returns.
pub const EXPORT_LIMIT: u64 = 100_000;

fn view(m: entity::Model) -> AuditEntry {
    AuditEntry {
        id: m.id,
        at: crate::platform::rfc3339(m.at),
        actor: m.actor,
        actor_id: m.actor_id,
        ip: m.ip,
        user_agent: m.user_agent,
        action: m.action,
        target_type: m.target_type,
        target_id: m.target_id,
        diff: m.diff,
        result: m.result,
    }
}

fn parse_time(raw: &str, end_of_day: bool) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    let d = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
    let t = if end_of_day {
        d.and_hms_opt(23, 59, 59)?
    } else {
        d.and_hms_opt(0, 0, 0)?
    };
    Some(t.and_utc())
}

fn condition(q: &AuditQuery) -> Result<Condition, AppError> {
    let mut c = Condition::all();
    let some = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(100).collect::<String>())
    };
    if let Some(a) = some(&q.actor) {
        c = c.add(entity::Column::Actor.contains(a.to_lowercase()));
    }
    if let Some(a) = some(&q.action) {
        c = c.add(entity::Column::Action.starts_with(a));
    }
    if let Some(r) = some(&q.result) {
        c = c.add(entity::Column::Result.eq(r));
    }
    if let Some(f) = some(&q.from) {
        let t = parse_time(&f, false)
            .ok_or_else(|| AppError::invalid([("from", MsgKey::BadRequest)]))?;
        c = c.add(entity::Column::At.gte(t));
    }
    if let Some(f) = some(&q.to) {
        let t =
            parse_time(&f, true).ok_or_else(|| AppError::invalid([("to", MsgKey::BadRequest)]))?;
        c = c.add(entity::Column::At.lte(t));
    }
    Ok(c)
}

pub async fn list(ctx: &Ctx, q: AuditQuery) -> Result<AuditPage, AppError> {
    ctx.require(Permission::AuditRead)?;
    let per_page = q.per_page.unwrap_or(50).clamp(1, 200);
    let page = crate::platform::clamp_page(q.page);
    let paginator = entity::Entity::find()
        .filter(condition(&q)?)
        .order_by_desc(entity::Column::Id)
        .paginate(ctx.db(), per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(AuditPage {
        items: items.into_iter().map(view).collect(),
        total,
        page,
        per_page,
    })
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// A CSV cell, quoted, with formula-looking values neutralised (a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return would run as
/// a formula in spreadsheets).
fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Rows read per database query while exporting.
const EXPORT_BATCH: u64 = 1_000;

fn csv_line(e: AuditEntry) -> String {
    let cols = [
        e.id.to_string(),
        e.at,
        e.actor,
        e.actor_id.map(|i| i.to_string()).unwrap_or_default(),
        e.ip.unwrap_or_default(),
        e.user_agent.unwrap_or_default(),
        e.action,
        e.target_type,
        e.target_id.unwrap_or_default(),
        e.result,
        e.diff.unwrap_or_default(),
    ];
    let mut line = cols.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    line.push('\n');
    line
}

/// Where an export stream is: the last id sent and how many rows so far.
struct Cursor {
    db: sea_orm::DatabaseConnection,
    cond: Condition,
    format: Format,
    after: Option<i64>,
    sent: u64,
    stage: Stage,
}

#[derive(PartialEq)]
enum Stage {
    Head,
    Rows,
    Done,
}

/// One chunk of the export: the head, one batch of rows, or the tail.
async fn next_chunk(mut c: Cursor) -> Option<(Result<String, AppError>, Cursor)> {
    match c.stage {
        Stage::Done => None,
        Stage::Head => {
            c.stage = Stage::Rows;
            let head = match c.format {
                Format::Csv => {
                    "id,at,actor,actor_id,ip,user_agent,action,target_type,target_id,result,diff\n"
                }
                Format::Json => "[",
            };
            Some((Ok(head.to_string()), c))
        }
        Stage::Rows => {
            let limit = EXPORT_BATCH.min(EXPORT_LIMIT - c.sent);
            let mut query = entity::Entity::find().filter(c.cond.clone());
            if let Some(after) = c.after {
                query = query.filter(entity::Column::Id.gt(after));
            }
            let rows = match query
                .order_by_asc(entity::Column::Id)
                .limit(limit)
                .all(&c.db)
                .await
            {
                Ok(rows) => rows,
                Err(e) => {
                    c.stage = Stage::Done;
                    return Some((Err(AppError::internal(e)), c));
                }
            };
            let mut out = String::new();
            for m in rows.iter().cloned() {
                match c.format {
                    Format::Csv => out.push_str(&csv_line(view(m))),
                    Format::Json => {
                        if c.sent > 0 {
                            out.push(',');
                        }
                        out.push_str(&serde_json::to_string(&view(m)).unwrap_or_default());
                    }
                }
                c.sent += 1;
            }
            c.after = rows.last().map(|m| i64::from(m.id));
            if (rows.len() as u64) < limit || c.sent >= EXPORT_LIMIT {
                c.stage = Stage::Done;
                if c.format == Format::Json {
                    out.push(']');
                }
            }
            Some((Ok(out), c))
        }
    }
}

/// The audit log as CSV or JSON, oldest first, at most [`EXPORT_LIMIT`]
/// rows. A stream of chunks read in batches by id, so an export of 100,000
/// rows never sits in memory at once.
pub fn export(
    ctx: &Ctx,
    q: AuditQuery,
    format: Format,
) -> Result<impl futures::Stream<Item = Result<String, AppError>> + Send + 'static, AppError> {
    ctx.require(Permission::AuditRead)?;
    let start = Cursor {
        db: ctx.db().clone(),
        cond: condition(&q)?,
        format,
        after: None,
        sent: 0,
        stage: Stage::Head,
    };
    Ok(futures::stream::unfold(start, next_chunk))
}

/// The newest `limit` rows about one record (`server`, `42`), newest first:
/// a record's event history. The caller has authorized reading the record;
/// the index `idx_audit_target` makes this a range scan.
pub async fn history(
    conn: &impl ConnectionTrait,
    target_type: &str,
    target_id: &str,
    limit: u64,
) -> Result<Vec<AuditEntry>, AppError> {
    let rows = entity::Entity::find()
        .filter(entity::Column::TargetType.eq(target_type))
        .filter(entity::Column::TargetId.eq(target_id))
        .order_by_desc(entity::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(view).collect())
}

/// Retention: deletes rows older than `days` (the only deletion there is).
pub async fn purge_older_than(conn: &impl ConnectionTrait, days: u32) -> Result<u64, AppError> {
    let cutoff = Utc::now() - chrono::Duration::days(i64::from(days));
    let res = entity::Entity::delete_many()
        .filter(entity::Column::At.lt(cutoff))
        .exec(conn)
        .await?;
    Ok(res.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("a\"b"), "\"a\"\"b\"");
        assert_eq!(cell("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
        assert_eq!(cell("x,y"), "\"x,y\"");
        assert_eq!(cell("\t=1+1"), "\"'\t=1+1\"");
        assert_eq!(cell("\r=1+1"), "\"'\r=1+1\"");
    }

    /// An audit row by actor `a<i>@b.c`, for tests that need many.
    fn test_row(i: usize) -> entity::ActiveModel {
        use sea_orm::ActiveValue::Set;
        entity::ActiveModel {
            at: Set(Utc::now()),
            actor: Set(format!("a{i}@b.c")),
            action: Set("test.row".into()),
            target_type: Set("x".into()),
            result: Set("ok".into()),
            ..Default::default()
        }
    }

    /// An export larger than one batch: every row once, valid JSON across
    /// batch boundaries, one CSV line per row.
    #[tokio::test]
    async fn export_streams_every_row_across_batches() {
        use crate::platform::{AuthMethod, Principal};
        use futures::StreamExt;
        let ctx = crate::testing::test_ctx().await;
        let rows = (0..2_345).map(test_row);
        for chunk in rows.collect::<Vec<_>>().chunks(500) {
            entity::Entity::insert_many(chunk.to_vec())
                .exec(ctx.db())
                .await
                .unwrap();
        }
        let ctx = ctx.with_principal(Some(Principal {
            user_id: 1,
            email: "auditor@b.c".into(),
            display_name: "Auditor".into(),
            role: "admin".into(),
            permissions: [Permission::AuditRead].into(),
            method: AuthMethod::Session(String::new()),
        }));
        let collect = |format| {
            let ctx = ctx.clone();
            async move {
                let chunks: Vec<_> = export(&ctx, AuditQuery::default(), format)
                    .unwrap()
                    .collect()
                    .await;
                assert!(chunks.len() >= 4, "head, three batches: {}", chunks.len());
                chunks.into_iter().map(Result::unwrap).collect::<String>()
            }
        };
        let json: Vec<serde_json::Value> =
            serde_json::from_str(&collect(Format::Json).await).unwrap();
        assert_eq!(json.len(), 2_345);
        assert_eq!(json[2_344]["actor"], "a2344@b.c");
        assert_eq!(collect(Format::Csv).await.lines().count(), 2_346);
    }

    /// `platform::paginate` on a real table: pages of at most the size
    /// asked, every row once, in id order both ways, and the last page
    /// says so.
    #[tokio::test]
    async fn keyset_pages_cover_every_row_once() {
        use crate::platform::{Direction, page::paginate};
        use sea_orm::{ActiveModelTrait, EntityTrait};
        let ctx = crate::testing::test_ctx().await;
        for i in 0..7 {
            test_row(i).insert(ctx.db()).await.unwrap();
        }
        for direction in [Direction::Ascending, Direction::Descending] {
            let (mut seen, mut cursor, mut pages) = (Vec::new(), None::<String>, 0);
            loop {
                let page = paginate(
                    ctx.db(),
                    entity::Entity::find(),
                    entity::Column::Id,
                    |m| i64::from(m.id),
                    direction,
                    cursor.as_deref(),
                    Some(3),
                )
                .await
                .unwrap();
                assert!(page.items.len() <= 3);
                seen.extend(page.items.iter().map(|m| m.id));
                pages += 1;
                match page.next_cursor {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
            }
            assert_eq!(pages, 3, "3 + 3 + 1 rows");
            let mut sorted = seen.clone();
            sorted.sort_unstable();
            if direction == Direction::Descending {
                sorted.reverse();
            }
            assert_eq!(seen, sorted, "{direction:?}: in id order");
            sorted.dedup();
            assert_eq!(sorted.len(), 7, "{direction:?}: every row once");
        }
    }

    #[test]
    fn dates_and_times_parse() {
        assert!(parse_time("2026-11-25", false).is_some());
        assert!(parse_time("2026-11-25T10:00:00Z", false).is_some());
        assert!(parse_time("yesterday", false).is_none());
        assert!(parse_time("2026-11-25", true).unwrap() > parse_time("2026-11-25", false).unwrap());
    }
}
