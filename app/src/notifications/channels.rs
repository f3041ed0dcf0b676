//! Channels: where notifications go beyond the inbox — email (SMTP),
//! a generic webhook (signed), Slack, Discord, Microsoft Teams, Telegram
//! and ntfy. A channel hears the messages at or above its minimum
//! severity whose labels match its matchers ([`route`], inside the
//! transaction of what happened); each becomes a delivery, sent by the
//! job queue (`notifications.deliver`) with its retries and backoff, and
//! logged: queued, sent, retrying with the last error, or given up.
//! Secrets (webhook URLs, bot tokens, the SMTP password, the HMAC key)
//! are sealed at rest and never returned.
use super::entity::{channel, delivery};
use super::payload::Message;
pub use super::send::{Sender, deliver};
use super::send::{record, secret_aad};
use super::settings::{Errors, check};
use super::{ChannelInput, ChannelKind, ChannelView, DeliveryPage, DeliveryQuery, DeliveryView};
use crate::audit::{self, Event};
use crate::error::{AppError, MsgKey};
use crate::platform::jobs::{self, NewJob};
use crate::platform::matchers;
use crate::platform::{Ctx, Permission, Severity, page, rfc3339};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TryIntoModel,
};
use std::collections::BTreeMap;

/// The job kind that sends one delivery.
pub const DELIVER_JOB: &str = "notifications.deliver";
/// Attempts before a delivery is given up (backoff 2, 4, 8, 16 s …).
const ATTEMPTS: i32 = 6;
const MAX_CHANNELS: u64 = 200;

fn view(m: channel::Model) -> ChannelView {
    ChannelView {
        id: m.id,
        name: m.name,
        kind: ChannelKind::parse(&m.kind).unwrap_or(ChannelKind::Webhook),
        settings: serde_json::from_str(&m.settings).unwrap_or_default(),
        has_secret: m.secret.is_some(),
        min_severity: Severity::parse(&m.min_severity).unwrap_or(Severity::Info),
        matchers: m.matchers,
        enabled: m.enabled,
    }
}

fn delivery_view(m: delivery::Model, channel_name: String) -> DeliveryView {
    DeliveryView {
        id: m.id,
        channel_id: m.channel_id,
        channel: channel_name,
        event: m.event,
        subject: m.subject,
        severity: Severity::parse(&m.severity).unwrap_or(Severity::Info),
        status: m.status,
        attempts: m.attempts.max(0) as u32,
        last_error: m.last_error,
        created_at: rfc3339(m.created_at),
        sent_at: m.sent_at.map(rfc3339),
    }
}

/// `GET /api/notifications/channels`.
pub async fn list(ctx: &Ctx) -> Result<Vec<ChannelView>, AppError> {
    ctx.require(Permission::AlertsRead)?;
    Ok(channel::Entity::find()
        .order_by_asc(channel::Column::Name)
        .limit(MAX_CHANNELS)
        .all(ctx.db())
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// `POST /api/notifications/channels`: creates, or updates by `id`; a
/// secret left empty keeps the saved one.
pub async fn save(ctx: &Ctx, input: ChannelInput) -> Result<ChannelView, AppError> {
    ctx.require(Permission::AlertsManage)?;
    let mut errors = Errors::new();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        errors.push(("name", MsgKey::NameInvalid));
    }
    let kind = ChannelKind::parse(input.kind.trim());
    if kind.is_none() {
        errors.push(("kind", MsgKey::ChoiceInvalid));
    }
    let min = Severity::parse(input.min_severity.trim());
    if min.is_none() {
        errors.push(("min_severity", MsgKey::ChoiceInvalid));
    }
    let matchers_text = input.matchers.trim().to_string();
    if !matchers_text.is_empty() && matchers::parse_all(&matchers_text).is_err() {
        errors.push(("matchers", MsgKey::MatcherInvalid));
    }
    let secret = input
        .secret
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let existing = match input.id {
        Some(id) => Some(
            channel::Entity::find_by_id(id)
                .one(&tx)
                .await?
                .ok_or_else(AppError::not_found)?,
        ),
        None => None,
    };
    let has_secret = existing.as_ref().is_some_and(|m| {
        m.secret.is_some() && Some(m.kind.as_str()) == kind.map(ChannelKind::as_str)
    });
    let settings = match kind.map(|k| check(k, &input.settings, secret, has_secret)) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            errors.extend(e);
            None
        }
        None => None,
    };
    let (Some(kind), Some(min), Some(settings), true) = (kind, min, settings, errors.is_empty())
    else {
        return Err(AppError::invalid(errors));
    };
    let mut same = channel::Entity::find().filter(channel::Column::Name.eq(name.as_str()));
    if let Some(id) = input.id {
        same = same.filter(channel::Column::Id.ne(id));
    }
    if same.count(&tx).await? > 0 {
        return Err(AppError::invalid([("name", MsgKey::ChannelNameTaken)]));
    }
    if existing.is_none() && channel::Entity::find().count(&tx).await? >= MAX_CHANNELS {
        return Err(AppError::invalid([("name", MsgKey::TooManyRules)]));
    }
    let now = Utc::now();
    let (mut row, action) = match existing {
        Some(m) => {
            let kind_changed = m.kind != kind.as_str();
            let mut row = channel::ActiveModel::from(m);
            if kind_changed {
                row.secret = Set(None);
            }
            (row, "channel.update")
        }
        None => (
            channel::ActiveModel {
                created_at: Set(now),
                secret: Set(None),
                ..Default::default()
            },
            "channel.create",
        ),
    };
    row.name = Set(name);
    row.kind = Set(kind.as_str().into());
    row.settings = Set(serde_json::to_string(&settings).map_err(AppError::internal)?);
    row.min_severity = Set(min.as_str().into());
    row.matchers = Set(matchers_text);
    row.enabled = Set(input.enabled);
    row.updated_at = Set(now);
    let mut m = row.save(&tx).await?.try_into_model()?;
    if let Some(s) = secret {
        let sealed = ctx.state.secrets.seal(&secret_aad(m.id), s.as_bytes());
        let mut row = channel::ActiveModel::from(m);
        row.secret = Set(Some(sealed));
        m = row.update(&tx).await?;
    }
    audit::record(
        &tx,
        ctx,
        Event::new(action, "channel")
            .target(m.id)
            .diff(serde_json::json!({
                "name": m.name, "kind": m.kind, "min_severity": m.min_severity,
                "enabled": m.enabled, "secret_changed": secret.is_some(),
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(view(m))
}

/// `POST /api/notifications/channels/delete`: the channel and its log.
pub async fn delete(ctx: &Ctx, id: i32) -> Result<(), AppError> {
    ctx.require(Permission::AlertsManage)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = channel::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    delivery::Entity::delete_many()
        .filter(delivery::Column::ChannelId.eq(id))
        .exec(&tx)
        .await?;
    channel::Entity::delete_by_id(id).exec(&tx).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("channel.delete", "channel")
            .target(id)
            .diff(serde_json::json!({"name": m.name})),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn accepts(c: &channel::Model, m: &Message) -> bool {
    let min = Severity::parse(&c.min_severity).unwrap_or(Severity::Info);
    let rank = |s: Severity| Severity::ALL.iter().position(|x| *x == s).unwrap_or(0);
    c.enabled
        && rank(m.severity) <= rank(min)
        && (c.matchers.trim().is_empty()
            || matchers::parse_all(&c.matchers)
                .is_ok_and(|set| matchers::all_match(&set, &m.labels)))
}

async fn insert_delivery(
    conn: &impl ConnectionTrait,
    c: &channel::Model,
    m: &Message,
) -> Result<delivery::Model, AppError> {
    Ok(delivery::ActiveModel {
        channel_id: Set(c.id),
        event: Set(crate::platform::clip(&m.event, 40)),
        subject: Set(crate::platform::clip(&m.title, 200)),
        severity: Set(m.severity.as_str().into()),
        message: Set(serde_json::to_string(m).map_err(AppError::internal)?),
        status: Set("queued".into()),
        attempts: Set(0),
        last_error: Set(None),
        created_at: Set(Utc::now()),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// Whether channel `id` exists (a rule's escalation names one).
pub async fn exists(conn: &impl ConnectionTrait, id: i32) -> Result<bool, AppError> {
    Ok(channel::Entity::find_by_id(id).one(conn).await?.is_some())
}

pub(super) async fn queue(
    conn: &impl ConnectionTrait,
    c: &channel::Model,
    m: &Message,
) -> Result<(), AppError> {
    let d = insert_delivery(conn, c, m).await?;
    let job = NewJob::new(DELIVER_JOB, serde_json::json!({ "delivery": d.id }))
        .key(format!("{DELIVER_JOB}:{}", d.id))
        .attempts(ATTEMPTS);
    jobs::enqueue(conn, job).await?;
    Ok(())
}

/// Inside the caller's transaction: `m` through channel `id` (if it is
/// enabled), whatever its severity and matchers say (an escalation).
pub async fn deliver_to(
    conn: &impl ConnectionTrait,
    id: i32,
    m: &Message,
) -> Result<bool, AppError> {
    match channel::Entity::find_by_id(id).one(conn).await? {
        Some(c) if c.enabled => {
            queue(conn, &c, m).await?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Inside the caller's transaction: a delivery, queued as a job, for each
/// channel that hears `m`; how many.
pub async fn route(conn: &impl ConnectionTrait, m: &Message) -> Result<usize, AppError> {
    let channels = channel::Entity::find()
        .filter(channel::Column::Enabled.eq(true))
        .all(conn)
        .await?;
    let mut n = 0;
    for c in channels.iter().filter(|c| accepts(c, m)) {
        queue(conn, c, m).await?;
        n += 1;
    }
    Ok(n)
}

/// `POST /api/notifications/channels/test`: sends a test message now and
/// logs it; the answer says whether it went.
pub async fn test(ctx: &Ctx, id: i32) -> Result<DeliveryView, AppError> {
    let me = ctx.require(Permission::AlertsManage)?.clone();
    let c = channel::Entity::find_by_id(id)
        .one(ctx.db())
        .await?
        .ok_or_else(AppError::not_found)?;
    let m = Message {
        event: "test".into(),
        title: format!("Test of \"{}\"", c.name),
        text: format!("Sent by {} from Dihya Ops.", me.display_name),
        severity: Severity::Info,
        labels: BTreeMap::new(),
        link: "/app/alerts".into(),
        at: rfc3339(Utc::now()),
        to: None,
    };
    let d = insert_delivery(ctx.db(), &c, &m).await?;
    let sender = Sender::new(ctx.state.secrets.clone(), ctx.state.public_url.clone());
    let outcome = sender.send(&c, &m).await;
    let d = record(ctx.db(), d, &outcome, true).await?;
    audit::record(
        ctx.db(),
        ctx,
        Event::new("channel.test", "channel")
            .target(id)
            .diff(serde_json::json!({"sent": outcome.is_ok()})),
    )
    .await?;
    Ok(delivery_view(d, c.name))
}

/// `GET /api/notifications/deliveries`: the log, newest first.
pub async fn deliveries(ctx: &Ctx, q: DeliveryQuery) -> Result<DeliveryPage, AppError> {
    ctx.require(Permission::AlertsRead)?;
    let mut query = delivery::Entity::find();
    if let Some(c) = q.channel {
        query = query.filter(delivery::Column::ChannelId.eq(c));
    }
    if let Some(s) = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if !matches!(s, "queued" | "sent" | "retrying" | "given_up") {
            return Err(AppError::invalid([("status", MsgKey::FilterInvalid)]));
        }
        query = query.filter(delivery::Column::Status.eq(s));
    }
    let rows = page::paginate(
        ctx.db(),
        query,
        delivery::Column::Id,
        |m| i64::from(m.id),
        page::Direction::Descending,
        q.cursor.as_deref(),
        q.per_page,
    )
    .await?;
    let names: BTreeMap<i32, String> = channel::Entity::find()
        .all(ctx.db())
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    Ok(DeliveryPage {
        items: rows
            .items
            .into_iter()
            .map(|d| {
                let name = names.get(&d.channel_id).cloned().unwrap_or_default();
                delivery_view(d, name)
            })
            .collect(),
        next_cursor: rows.next_cursor,
    })
}
