//! `notifications`: each person's inbox — what happened that concerns
//! them (a ticket assigned to them, their report moved, a deadline
//! missed) — with an unread count that follows live. Other domains write
//! into it through [`service::notify`] inside their own transaction and
//! announce after their commit. Channels (`channels.rs`) take messages
//! beyond the inbox: email, webhooks, chat services. Each person chooses
//! what reaches their inbox and their mailbox, and when not (`prefs.rs`).
//! Owns `notifications`, `channels`, `deliveries` and `notification_prefs`.
//!
//! A notification is stored as its kind and subject, and worded when it
//! is read, in the reader's language.
use crate::i18n::td_string;
use crate::platform::{NavEntry, Permission, Severity};
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod channels;
#[cfg(feature = "ssr")]
mod email;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod migration;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod payload;
#[cfg(feature = "ssr")]
pub mod prefs;
#[cfg(feature = "ssr")]
mod send;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod settings;

crate::declare_domain!("notifications", module: Some("notifications"), nav: NAV);

pub const NAV: &[NavEntry] = &[NavEntry {
    path: "/app/notifications",
    label: |l| td_string!(l, notifications_title),
    needs: Permission::NotificationsRead,
}];

crate::wire_enum! {
    /// What a notification is about; each kind has its words.
    NoticeKind {
        IncidentOpened => "incident.opened",
        IncidentAssigned => "incident.assigned",
        ReportMoved => "incident.report_moved",
        SlaMissed => "incident.sla_missed",
        AlertFiring => "alert.firing",
        AlertResolved => "alert.resolved",
        AlertEscalated => "alert.escalated",
    }
}

/// `POST /api/notifications/preferences`: the caller's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PrefsInput {
    /// The least severity that reaches the inbox.
    pub inbox_min: String,
    /// The least severity also emailed; absent or empty: no email.
    pub email_min: Option<String>,
    /// Quiet hours, `HH:MM` local time, both or neither; may cross midnight.
    pub quiet_from: Option<String>,
    pub quiet_to: Option<String>,
    /// An IANA name (`Africa/Algiers`).
    pub time_zone: String,
}

/// A person's notification preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Prefs {
    pub inbox_min: Severity,
    pub email_min: Option<Severity>,
    pub quiet_from: Option<String>,
    pub quiet_to: Option<String>,
    pub time_zone: String,
    /// Whether the instance can email (an email channel is enabled).
    pub email_available: bool,
}

/// One notification as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NotificationView {
    pub id: i32,
    pub kind: NoticeKind,
    /// The kind's words and the subject, in the reader's language.
    pub title: String,
    /// What it is about (an incident's title).
    pub subject: String,
    pub severity: Severity,
    /// Where to look (a path of this site).
    pub link: String,
    pub read: bool,
    /// RFC 3339.
    pub created_at: String,
}

/// `GET /api/notifications`: a page of the caller's inbox, newest first,
/// with how many are unread in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub items: Vec<NotificationView>,
    pub unread: u64,
    pub next_cursor: Option<String>,
}

/// `POST /api/notifications/read`: marks the caller's `ids` read (or
/// unread again).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReadInput {
    /// At most 200 ids; others' ids are ignored.
    pub ids: Vec<i32>,
    pub read: bool,
}

/// `{"unread": n}` after marking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Unread {
    pub unread: u64,
}

/// Published after the commit that wrote a notification, addressed to its
/// reader (topic `notifications`): their inbox and counter update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationAdded {
    pub id: i32,
    pub kind: NoticeKind,
    pub severity: Severity,
    #[serde(skip)]
    pub user_id: i32,
}

#[cfg(feature = "ssr")]
impl crate::platform::events::Publish for NotificationAdded {
    const TOPIC: crate::platform::events::Topic = crate::platform::events::Topic::Notifications;
    const NAME: &'static str = "notification.added";
    fn recipient(&self) -> Option<i32> {
        Some(self.user_id)
    }
}

crate::wire_enum! {
    /// Where a channel sends.
    ChannelKind {
        Email => "email",
        Webhook => "webhook",
        Slack => "slack",
        Discord => "discord",
        Teams => "teams",
        Telegram => "telegram",
        Ntfy => "ntfy",
    }
}

/// `POST /api/notifications/channels`: creates a channel, or updates
/// channel `id`. `settings` by kind — email: `to`, `smtp_host`,
/// `smtp_port`, `smtp_from`, `smtp_user`, `smtp_tls` (`none`, `starttls`,
/// `tls`); webhook: `url`; telegram: `chat_id`, `api_url`; ntfy: `url`
/// (server and topic). `secret` — the SMTP password, the webhook's HMAC
/// key, Slack's, Discord's or Teams's webhook URL, the Telegram bot token,
/// the ntfy access token — is sealed and never returned; left empty, the
/// saved one stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelInput {
    pub id: Option<i32>,
    pub name: String,
    pub kind: String,
    pub settings: std::collections::BTreeMap<String, String>,
    pub secret: Option<String>,
    /// The least severe message it hears.
    pub min_severity: String,
    /// Label matchers a message must meet (empty: every message).
    pub matchers: String,
    pub enabled: bool,
}

/// One channel (its secret is never returned: `has_secret` says whether one is saved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelView {
    pub id: i32,
    pub name: String,
    pub kind: ChannelKind,
    pub settings: std::collections::BTreeMap<String, String>,
    pub has_secret: bool,
    pub min_severity: Severity,
    pub matchers: String,
    pub enabled: bool,
}

/// One delivery of a message through a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryView {
    pub id: i32,
    pub channel_id: i32,
    pub channel: String,
    /// `alert.firing`, `alert.resolved`, `test`.
    pub event: String,
    pub subject: String,
    pub severity: Severity,
    /// `queued`, `sent`, `retrying` (with `last_error`) or `given_up`.
    pub status: String,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// `GET /api/notifications/deliveries`: filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "ssr", into_params(parameter_in = Query))]
pub struct DeliveryQuery {
    pub channel: Option<i32>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub per_page: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DeliveryPage {
    pub items: Vec<DeliveryView>,
    pub next_cursor: Option<String>,
}
