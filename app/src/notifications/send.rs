//! Sending one message through one channel, and the
//! `notifications.deliver` job that does it for the queue: the attempt is
//! recorded on the delivery (sent; retrying with the error; given up on
//! the last attempt).
use super::ChannelKind;
use super::entity::{channel, delivery};
use super::payload::{self, Message};
use crate::error::AppError;
use crate::platform::jobs;
use crate::platform::secrets::{self, SecretBox};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection, EntityTrait};
use std::collections::BTreeMap;

/// What a channel's sealed secret is bound to.
pub(super) fn secret_aad(id: i32) -> String {
    secrets::aad("channels.secret", id)
}

/// What sends: the shared HTTP client and the instance's secrets.
#[derive(Clone)]
pub struct Sender {
    pub http: reqwest::Client,
    pub secrets: std::sync::Arc<SecretBox>,
    /// Links in messages are paths of this site; this makes them absolute.
    pub public_url: std::sync::Arc<str>,
}

impl Sender {
    pub fn new(secrets: std::sync::Arc<SecretBox>, public_url: std::sync::Arc<str>) -> Self {
        Sender {
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_default(),
            secrets,
            public_url,
        }
    }

    fn secret(&self, c: &channel::Model) -> Result<Option<String>, String> {
        c.secret
            .as_deref()
            .map(|s| self.secrets.open_string(&secret_aad(c.id), s))
            .transpose()
            .map_err(|_| "the channel's secret cannot be opened with this instance's key".into())
    }

    /// Sends `m` through channel `c`; the error says why, never a secret.
    pub async fn send(&self, c: &channel::Model, m: &Message) -> Result<(), String> {
        let mut absolute = m.clone();
        if m.link.starts_with('/') {
            absolute.link = format!("{}{}", self.public_url.trim_end_matches('/'), m.link);
        }
        let m = &absolute;
        let kind = ChannelKind::parse(&c.kind).ok_or("unknown channel kind")?;
        let settings: BTreeMap<String, String> =
            serde_json::from_str(&c.settings).unwrap_or_default();
        let setting = |k: &str| settings.get(k).cloned().unwrap_or_default();
        let secret = self.secret(c)?;
        let need = || {
            secret
                .clone()
                .ok_or_else(|| "the channel has no secret".to_string())
        };
        let (url, body, signature) = match kind {
            ChannelKind::Email => return super::email::send(&settings, secret.as_deref(), m).await,
            ChannelKind::Webhook => {
                let body = serde_json::to_vec(&payload::webhook(m)).map_err(|e| e.to_string())?;
                let sig = payload::signature(need()?.as_bytes(), &body);
                (setting("url"), body, Some(sig))
            }
            ChannelKind::Slack => (need()?, to_vec(&payload::slack(m))?, None),
            ChannelKind::Discord => (need()?, to_vec(&payload::discord(m))?, None),
            ChannelKind::Teams => (need()?, to_vec(&payload::teams(m))?, None),
            ChannelKind::Telegram => (
                format!("{}/bot{}/sendMessage", setting("api_url"), need()?),
                to_vec(&payload::telegram(m, &setting("chat_id")))?,
                None,
            ),
            ChannelKind::Ntfy => {
                let url = setting("url");
                let (base, topic) = url.rsplit_once('/').ok_or("no topic")?;
                (base.to_string(), to_vec(&payload::ntfy(m, topic))?, None)
            }
        };
        let mut req = self
            .http
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        if let Some(sig) = signature {
            req = req.header("X-Dihya-Signature", sig);
        }
        if kind == ChannelKind::Ntfy
            && let Some(token) = &secret
        {
            req = req.bearer_auth(token);
        }
        let res = req.send().await.map_err(|e| {
            // The URL may hold the secret (Slack's, a bot token): never shown.
            let e = e.without_url();
            if e.is_timeout() {
                "the receiver did not answer within 10 s".to_string()
            } else if e.is_connect() {
                "the receiver could not be reached".to_string()
            } else {
                format!("the request failed: {e}")
            }
        })?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(format!("the receiver answered {}", res.status().as_u16()))
        }
    }
}

fn to_vec(v: &serde_json::Value) -> Result<Vec<u8>, String> {
    serde_json::to_vec(v).map_err(|e| e.to_string())
}

/// Records one attempt's outcome on the delivery.
pub(super) async fn record(
    db: &DatabaseConnection,
    d: delivery::Model,
    outcome: &Result<(), String>,
    last: bool,
) -> Result<delivery::Model, AppError> {
    let attempts = d.attempts + 1;
    let mut row = delivery::ActiveModel::from(d);
    row.attempts = Set(attempts);
    match outcome {
        Ok(()) => {
            row.status = Set("sent".into());
            row.sent_at = Set(Some(Utc::now()));
            row.last_error = Set(None);
        }
        Err(e) => {
            row.status = Set(if last { "given_up" } else { "retrying" }.into());
            row.last_error = Set(Some(crate::platform::clip(e, 500)));
        }
    }
    Ok(row.update(db).await?)
}

/// Runs one `notifications.deliver` job. An error makes the queue try
/// again later; on the last attempt the delivery is marked given up.
pub async fn deliver(
    db: &DatabaseConnection,
    sender: &Sender,
    job: &jobs::Job,
) -> Result<(), String> {
    #[derive(serde::Deserialize)]
    struct Payload {
        delivery: i32,
    }
    let p: Payload = serde_json::from_str(&job.payload).map_err(|e| e.to_string())?;
    let Some(d) = delivery::Entity::find_by_id(p.delivery)
        .one(db)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(()); // its channel was deleted since
    };
    if d.status == "sent" {
        return Ok(()); // a run that finished but lost its lease
    }
    let Some(c) = channel::Entity::find_by_id(d.channel_id)
        .one(db)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let m: Message = serde_json::from_str(&d.message).map_err(|e| e.to_string())?;
    let outcome = sender.send(&c, &m).await;
    let last = job.attempts >= job.max_attempts;
    record(db, d, &outcome, last)
        .await
        .map_err(|e| e.to_string())?;
    outcome
}
