//! Silences: label matchers over a time range, with an author and a
//! reason. A firing alert that an active silence matches is recorded and
//! told to nobody. Ending one early sets its end to now; silences are
//! history and are never deleted.
use super::entity::silence;
use super::{SilenceInput, SilenceView};
use crate::audit::{self, Event};
use crate::error::{AppError, MsgKey};
use crate::platform::matchers;
use crate::platform::{Ctx, Permission, rfc3339};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

/// A silence lasts at most a year.
const LONGEST: Duration = Duration::days(366);
/// The list shows the silences that ended within this long.
const RECENT: Duration = Duration::days(7);

fn view(m: silence::Model, now: DateTime<Utc>) -> SilenceView {
    let state = if m.ends_at <= now {
        "expired"
    } else if m.starts_at > now {
        "pending"
    } else {
        "active"
    };
    SilenceView {
        id: m.id,
        matchers: serde_json::from_str(&m.matchers).unwrap_or_default(),
        starts_at: rfc3339(m.starts_at),
        ends_at: rfc3339(m.ends_at),
        author: m.author_name,
        reason: m.reason,
        state: state.into(),
    }
}

fn instant(field: &'static str, v: &str) -> Result<DateTime<Utc>, (&'static str, MsgKey)> {
    DateTime::parse_from_rfc3339(v.trim())
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| (field, MsgKey::DateInvalid))
}

/// A checked silence: its matchers as written back, start, end, reason.
type ValidSilence = (Vec<String>, DateTime<Utc>, DateTime<Utc>, String);
type Errors = Vec<(&'static str, MsgKey)>;

/// Checks every field: the matchers, a range that ends after it starts,
/// in the future and within a year, and a reason.
fn validate(input: &SilenceInput, now: DateTime<Utc>) -> Result<ValidSilence, Errors> {
    let mut errors = Vec::new();
    let written = match matchers::parse_all(&input.matchers) {
        Ok(m) => m.iter().map(ToString::to_string).collect(),
        Err(k) => {
            errors.push(("matchers", k));
            Vec::new()
        }
    };
    let starts = match input.starts_at.as_deref().filter(|s| !s.trim().is_empty()) {
        None => Some(now),
        Some(s) => instant("starts_at", s).map_err(|e| errors.push(e)).ok(),
    };
    let ends = match (
        input.ends_at.as_deref().filter(|s| !s.trim().is_empty()),
        input.minutes,
    ) {
        (Some(s), _) => instant("ends_at", s).map_err(|e| errors.push(e)).ok(),
        (None, Some(m)) if m > 0 => starts.map(|s| s + Duration::minutes(i64::from(m))),
        _ => {
            errors.push(("ends_at", MsgKey::DateInvalid));
            None
        }
    };
    if let (Some(s), Some(e)) = (starts, ends)
        && (e <= s || e <= now || e - s > LONGEST)
    {
        errors.push(("ends_at", MsgKey::TimeRangeInvalid));
    }
    let reason = input.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        errors.push(("reason", MsgKey::ReasonInvalid));
    }
    match (starts, ends) {
        (Some(s), Some(e)) if errors.is_empty() => Ok((written, s, e, reason.into())),
        _ => Err(errors),
    }
}

/// Stores one silence in `conn` (the caller's transaction), audited.
pub(super) async fn insert(
    ctx: &Ctx,
    conn: &impl ConnectionTrait,
    input: &SilenceInput,
) -> Result<SilenceView, AppError> {
    let me = ctx.actor()?.clone();
    let now = Utc::now();
    let (written, starts, ends, reason) = validate(input, now).map_err(AppError::invalid)?;
    let m = silence::ActiveModel {
        matchers: Set(serde_json::to_string(&written).map_err(AppError::internal)?),
        starts_at: Set(starts),
        ends_at: Set(ends),
        author_id: Set(Some(me.user_id)),
        author_name: Set(crate::platform::clip(&me.display_name, 100)),
        reason: Set(reason),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        ctx,
        Event::new("silence.create", "silence")
            .target(m.id)
            .diff(serde_json::json!({"matchers": written, "ends_at": rfc3339(ends)})),
    )
    .await?;
    Ok(view(m, now))
}

/// `POST /api/alerts/silences`.
pub async fn create(ctx: &Ctx, input: SilenceInput) -> Result<SilenceView, AppError> {
    ctx.require(Permission::AlertsManage)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let out = insert(ctx, &tx, &input).await?;
    tx.commit().await?;
    Ok(out)
}

/// `GET /api/alerts/silences`: active and pending ones, and those that
/// ended in the last week.
pub async fn list(ctx: &Ctx) -> Result<Vec<SilenceView>, AppError> {
    ctx.require(Permission::AlertsRead)?;
    let now = Utc::now();
    Ok(silence::Entity::find()
        .filter(silence::Column::EndsAt.gt(now - RECENT))
        .order_by_desc(silence::Column::EndsAt)
        .limit(500)
        .all(ctx.db())
        .await?
        .into_iter()
        .map(|m| view(m, now))
        .collect())
}

/// `POST /api/alerts/silences/expire`: ends a silence now.
pub async fn expire(ctx: &Ctx, id: i32) -> Result<SilenceView, AppError> {
    ctx.require(Permission::AlertsManage)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let m = silence::Entity::find_by_id(id)
        .one(&tx)
        .await?
        .ok_or_else(AppError::not_found)?;
    let now = Utc::now();
    let m = if m.ends_at > now {
        let mut row = silence::ActiveModel::from(m);
        row.ends_at = Set(now);
        row.update(&tx).await?
    } else {
        m
    };
    audit::record(&tx, ctx, Event::new("silence.expire", "silence").target(id)).await?;
    tx.commit().await?;
    Ok(view(m, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_silence_needs_matchers_a_future_range_and_a_reason() {
        let now = Utc::now();
        let ok = SilenceInput {
            matchers: "alertname=HostDown".into(),
            minutes: Some(60),
            reason: "reboot".into(),
            ..Default::default()
        };
        let (m, s, e, _) = validate(&ok, now).unwrap();
        assert_eq!(
            (m, e - s),
            (vec!["alertname=HostDown".to_string()], Duration::hours(1))
        );
        let bad = SilenceInput {
            matchers: "x=~.*".into(),
            starts_at: Some("2026-12-02T10:00:00Z".into()),
            ends_at: Some("2026-12-02T09:00:00Z".into()),
            reason: " ".into(),
            ..Default::default()
        };
        let fields: Vec<_> = validate(&bad, now)
            .unwrap_err()
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(fields, ["matchers", "ends_at", "reason"]);
    }
}
