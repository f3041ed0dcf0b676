//! The inbox: writing a notification (other domains, inside their
//! transaction), reading one's own page with the unread count, marking
//! read. Nobody reads or marks another person's notifications: every
//! query is bound to the caller's id, so another id simply matches nothing.
use super::entity as notification;
use super::{Inbox, NoticeKind, NotificationAdded, NotificationView, ReadInput, Unread};
use crate::error::{AppError, MsgKey};
use crate::i18n::{Locale, td_string};
use crate::platform::events::EventBus;
use crate::platform::{Ctx, Permission, Severity, page, rfc3339};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, sea_query::Expr,
};

/// Ids one call may mark.
const MAX_IDS: usize = 200;

/// What to tell one person.
#[derive(Debug, Clone)]
pub struct Notice {
    pub user_id: i32,
    pub kind: NoticeKind,
    pub subject: String,
    pub severity: Severity,
    /// A path of this site.
    pub link: String,
}

/// Writes `notices` (inside the caller's transaction) and returns what to
/// announce once it commits ([`announce`]).
pub async fn notify(
    conn: &impl ConnectionTrait,
    notices: Vec<Notice>,
) -> Result<Vec<NotificationAdded>, AppError> {
    let now = Utc::now();
    // Each reader's preferences decide: their inbox, their mailbox.
    let readers: Vec<i32> = notices.iter().map(|n| n.user_id).collect();
    let mut plans = super::prefs::plans(conn, &readers).await?;
    let planned: Vec<(Notice, super::prefs::Plan)> = notices
        .into_iter()
        .map(|n| {
            let plan = plans.remove(&n.user_id).unwrap_or_default();
            plans.insert(n.user_id, plan.clone());
            (n, plan)
        })
        .collect();
    super::prefs::email(conn, &planned, now).await?;
    let mut added = Vec::with_capacity(planned.len());
    for n in planned
        .into_iter()
        .filter(|(n, plan)| plan.inbox(n.severity))
        .map(|(n, _)| n)
    {
        let m = notification::ActiveModel {
            user_id: Set(n.user_id),
            kind: Set(n.kind.as_str().into()),
            subject: Set(crate::platform::clip(&n.subject, 200)),
            severity: Set(n.severity.as_str().into()),
            link: Set(crate::platform::clip(&n.link, 200)),
            read_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        added.push(NotificationAdded {
            id: m.id,
            kind: n.kind,
            severity: n.severity,
            user_id: n.user_id,
        });
    }
    Ok(added)
}

/// Tells each reader's open pages (after the commit that wrote them).
pub fn announce(events: &EventBus, added: &[NotificationAdded]) {
    for a in added {
        events.publish(a);
    }
}

fn words(locale: Locale, kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::IncidentOpened => td_string!(locale, notice_incident_opened),
        NoticeKind::IncidentAssigned => td_string!(locale, notice_incident_assigned),
        NoticeKind::ReportMoved => td_string!(locale, notice_report_moved),
        NoticeKind::SlaMissed => td_string!(locale, notice_sla_missed),
        NoticeKind::AlertFiring => td_string!(locale, notice_alert_firing),
        NoticeKind::AlertResolved => td_string!(locale, notice_alert_resolved),
        NoticeKind::AlertEscalated => td_string!(locale, notice_alert_escalated),
    }
}

fn view(locale: Locale, m: notification::Model) -> NotificationView {
    let kind = NoticeKind::parse(&m.kind).unwrap_or(NoticeKind::IncidentOpened);
    NotificationView {
        id: m.id,
        kind,
        title: format!("{} {}", words(locale, kind), m.subject),
        subject: m.subject,
        severity: Severity::parse(&m.severity).unwrap_or(Severity::Info),
        link: m.link,
        read: m.read_at.is_some(),
        created_at: rfc3339(m.created_at),
    }
}

async fn unread(conn: &impl ConnectionTrait, user_id: i32) -> Result<u64, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(conn)
        .await?)
}

/// `GET /api/notifications`: the caller's own, newest first (`unread_only`
/// leaves out the read ones).
pub async fn list(
    ctx: &Ctx,
    unread_only: bool,
    cursor: Option<String>,
    per_page: Option<u64>,
) -> Result<Inbox, AppError> {
    let me = ctx.require(Permission::NotificationsRead)?.user_id;
    let mut query = notification::Entity::find().filter(notification::Column::UserId.eq(me));
    if unread_only {
        query = query.filter(notification::Column::ReadAt.is_null());
    }
    let rows = page::paginate(
        ctx.db(),
        query,
        notification::Column::Id,
        |m| i64::from(m.id),
        page::Direction::Descending,
        cursor.as_deref(),
        per_page,
    )
    .await?;
    let locale = crate::i18n_support::current_locale();
    Ok(Inbox {
        unread: unread(ctx.db(), me).await?,
        next_cursor: rows.next_cursor,
        items: rows.items.into_iter().map(|m| view(locale, m)).collect(),
    })
}

/// `POST /api/notifications/read`: marks those of `ids` that are the
/// caller's; answers the unread count left.
pub async fn mark(ctx: &Ctx, input: ReadInput) -> Result<Unread, AppError> {
    let me = ctx.require(Permission::NotificationsRead)?.user_id;
    if input.ids.is_empty() || input.ids.len() > MAX_IDS {
        return Err(AppError::invalid([("ids", MsgKey::NotificationIdsInvalid)]));
    }
    let read_at = input.read.then(Utc::now);
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(read_at))
        .filter(notification::Column::UserId.eq(me))
        .filter(notification::Column::Id.is_in(input.ids))
        .exec(ctx.db())
        .await?;
    Ok(Unread {
        unread: unread(ctx.db(), me).await?,
    })
}
