//! The audit writer. Every change writes one row through [`record`], inside
//! the same transaction as the change; nothing updates or deletes rows except
//! the retention purge.
use super::entity;
use crate::{error::AppError, platform::Ctx};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::Value;

/// How the audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Denied,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// One audited action.
#[derive(Debug, Clone)]
pub struct Event {
    pub action: &'static str,
    pub target_type: &'static str,
    pub target_id: Option<String>,
    /// `{"before": …, "after": …}` or any JSON describing the change.
    pub diff: Option<Value>,
    pub outcome: Outcome,
    /// Who acted when nobody is signed in yet (a sign-in attempt's email).
    pub actor_hint: Option<String>,
}

impl Event {
    pub fn new(action: &'static str, target_type: &'static str) -> Self {
        Event {
            action,
            target_type,
            target_id: None,
            diff: None,
            outcome: Outcome::Ok,
            actor_hint: None,
        }
    }

    pub fn target(mut self, id: impl ToString) -> Self {
        self.target_id = Some(id.to_string());
        self
    }

    pub fn diff(mut self, diff: Value) -> Self {
        self.diff = Some(diff);
        self
    }

    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }

    pub fn actor_hint(mut self, who: impl Into<String>) -> Self {
        self.actor_hint = Some(who.into());
        self
    }
}

/// Field names whose values never reach the audit log.
fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["password", "secret", "token", "hash", "totp", "code", "key"]
        .iter()
        .any(|s| k.contains(s))
}

/// Replaces the value of every secret-looking field with `"[redacted]"`.
pub fn redact(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if is_secret_key(&k) && !v.is_null() {
                        Value::String("[redacted]".into())
                    } else {
                        redact(v)
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        other => other,
    }
}

use crate::platform::clip;

/// Appends one audit row on `conn` (pass the transaction of the change).
pub async fn record(conn: &impl ConnectionTrait, ctx: &Ctx, event: Event) -> Result<(), AppError> {
    let (actor_id, actor) = match (&ctx.principal, &event.actor_hint) {
        (Some(p), _) => (Some(p.user_id), p.email.clone()),
        (None, Some(hint)) => (None, clip(hint, 254)),
        (None, None) => (None, "anonymous".into()),
    };
    let row = entity::ActiveModel {
        at: Set(chrono::Utc::now()),
        actor_id: Set(actor_id),
        actor: Set(actor),
        ip: Set(ctx.client.ip.as_deref().map(|s| clip(s, 64))),
        user_agent: Set(ctx.client.user_agent.as_deref().map(|s| clip(s, 256))),
        action: Set(event.action.into()),
        target_type: Set(event.target_type.into()),
        target_id: Set(event.target_id.map(|s| clip(&s, 64))),
        diff: Set(event.diff.map(|d| redact(d).to_string())),
        result: Set(event.outcome.as_str().into()),
        ..Default::default()
    };
    entity::Entity::insert(row).exec(conn).await?;
    Ok(())
}

/// Appends one audit row for what the product did by itself (an alert
/// opening an incident), with `system` as the actor.
pub async fn record_system(conn: &impl ConnectionTrait, event: Event) -> Result<(), AppError> {
    let row = entity::ActiveModel {
        at: Set(chrono::Utc::now()),
        actor_id: Set(None),
        actor: Set("system".into()),
        ip: Set(None),
        user_agent: Set(None),
        action: Set(event.action.into()),
        target_type: Set(event.target_type.into()),
        target_id: Set(event.target_id.map(|s| clip(&s, 64))),
        diff: Set(event.diff.map(|d| redact(d).to_string())),
        result: Set(event.outcome.as_str().into()),
        ..Default::default()
    };
    entity::Entity::insert(row).exec(conn).await?;
    Ok(())
}

/// Records a refused attempt (outside the refused change's transaction,
/// which is rolled back) and hands the refusal back to return.
pub async fn denied(ctx: &Ctx, event: Event, refusal: AppError) -> AppError {
    let event = event.outcome(Outcome::Denied).diff(serde_json::json!({
        "reason": refusal.error.message,
    }));
    match record(ctx.db(), ctx, event).await {
        Ok(()) => refusal,
        Err(e) => e,
    }
}

/// The result of a change, with a 403 it ended in (a delegation rule, say)
/// audited as a denied attempt under `event`.
pub async fn refusals<T>(
    ctx: &Ctx,
    event: Event,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    match result {
        Err(e) if e.error.code == crate::error::ErrorCode::Forbidden => {
            Err(denied(ctx, event, e).await)
        }
        other => other,
    }
}

/// [`Ctx::require_session`] with its refusal (a call made with an API
/// token) audited as denied under `event`.
pub async fn require_session(ctx: &Ctx, event: Event) -> Result<(), AppError> {
    match ctx.require_session() {
        Ok(_) => Ok(()),
        Err(refusal) => Err(denied(ctx, event, refusal).await),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_redacted_at_any_depth() {
        let v = redact(json!({
            "email": "a@b.c",
            "password": "hunter2hunter2",
            "after": {"client_secret": "s3cr3t", "totp_enabled": true, "role": "admin"},
            "list": [{"token": "abc"}]
        }));
        let s = v.to_string();
        for secret in ["hunter2hunter2", "s3cr3t", "abc"] {
            assert!(!s.contains(secret), "{secret} leaked: {s}");
        }
        assert_eq!(v["email"], "a@b.c");
        assert_eq!(v["after"]["role"], "admin");
    }
}
