//! Each person's notification preferences: the least severity that
//! reaches their inbox, the least that is also emailed to them (through
//! the instance's first enabled email channel, to their own address), and
//! quiet hours in their time zone during which emails wait for nobody —
//! they are not sent, except critical ones. The inbox is never quiet: it
//! makes no sound. Read and written by their owner only (no id on the
//! wire). Owns `notification_prefs`.
use super::entity::{channel, pref};
use super::payload::Message;
use super::service::Notice;
use super::{ChannelKind, Prefs, PrefsInput};
use crate::error::{AppError, MsgKey};
use crate::platform::calendar::time_of_day;
use crate::platform::{Ctx, Permission, Severity, rfc3339};
use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use std::collections::BTreeMap;

type Errors = Vec<(&'static str, MsgKey)>;

/// Whether `s` is at least as severe as `min`.
pub fn reaches(s: Severity, min: Severity) -> bool {
    let rank = |s: Severity| Severity::ALL.iter().position(|x| *x == s).unwrap_or(0);
    rank(s) <= rank(min)
}

/// Quiet hours: `[from, to)` local time in `tz`, across midnight when
/// `to` is earlier than `from`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quiet {
    pub from: NaiveTime,
    pub to: NaiveTime,
    pub tz: Tz,
}

impl Quiet {
    pub fn holds(&self, at: DateTime<Utc>) -> bool {
        let t = at.with_timezone(&self.tz).time();
        if self.from < self.to {
            self.from <= t && t < self.to
        } else {
            t >= self.from || t < self.to
        }
    }
}

/// A person's preferences, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub inbox_min: Severity,
    pub email_min: Option<Severity>,
    pub quiet: Option<Quiet>,
    pub tz: Tz,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            inbox_min: Severity::Info,
            email_min: None,
            quiet: None,
            tz: Tz::UTC,
        }
    }
}

impl Plan {
    /// Whether a notice of `s` goes in the inbox.
    pub fn inbox(&self, s: Severity) -> bool {
        reaches(s, self.inbox_min)
    }

    /// Whether a notice of `s` is emailed at `at`.
    pub fn email(&self, s: Severity, at: DateTime<Utc>) -> bool {
        self.email_min.is_some_and(|min| reaches(s, min))
            && (s == Severity::Critical || !self.quiet.is_some_and(|q| q.holds(at)))
    }
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Checks every field at once.
pub fn validate(input: &PrefsInput) -> Result<Plan, Errors> {
    let mut errors = Errors::new();
    let inbox_min = Severity::parse(input.inbox_min.trim());
    if inbox_min.is_none() {
        errors.push(("inbox_min", MsgKey::ChoiceInvalid));
    }
    let email_min = match blank(&input.email_min) {
        None => Some(None),
        Some(s) => Severity::parse(s).map(Some),
    };
    if email_min.is_none() {
        errors.push(("email_min", MsgKey::ChoiceInvalid));
    }
    let tz = input.time_zone.trim().parse::<Tz>().ok();
    if tz.is_none() {
        errors.push(("time_zone", MsgKey::TimeZoneInvalid));
    }
    let from = blank(&input.quiet_from).map(|s| time_of_day(s).ok_or(()));
    let to = blank(&input.quiet_to).map(|s| time_of_day(s).ok_or(()));
    if matches!(from, Some(Err(()))) {
        errors.push(("quiet_from", MsgKey::TimeOfDayInvalid));
    }
    if matches!(to, Some(Err(()))) {
        errors.push(("quiet_to", MsgKey::TimeOfDayInvalid));
    }
    let quiet = match (from, to) {
        (None, None) => None,
        (Some(Ok(from)), Some(Ok(to))) if from != to => Some((from, to)),
        (Some(Ok(_)), Some(Ok(_))) | (Some(_), None) => {
            errors.push(("quiet_to", MsgKey::TimeRangeInvalid));
            None
        }
        (None, Some(_)) => {
            errors.push(("quiet_from", MsgKey::TimeRangeInvalid));
            None
        }
        _ => None,
    };
    match (inbox_min, email_min, tz) {
        (Some(inbox_min), Some(email_min), Some(tz)) if errors.is_empty() => Ok(Plan {
            inbox_min,
            email_min,
            quiet: quiet.map(|(from, to)| Quiet { from, to, tz }),
            tz,
        }),
        _ => Err(errors),
    }
}

fn plan_of(m: &pref::Model) -> Plan {
    let input = PrefsInput {
        inbox_min: m.inbox_min.clone(),
        email_min: m.email_min.clone(),
        quiet_from: m.quiet_from.clone(),
        quiet_to: m.quiet_to.clone(),
        time_zone: m.time_zone.clone(),
    };
    validate(&input).unwrap_or_default()
}

/// The preferences of those of `users` who saved some (the others keep
/// the defaults: everything in the inbox, no email).
pub(super) async fn plans(
    conn: &impl ConnectionTrait,
    users: &[i32],
) -> Result<BTreeMap<i32, Plan>, AppError> {
    let mut out = BTreeMap::new();
    for part in users.chunks(500) {
        for m in pref::Entity::find()
            .filter(pref::Column::UserId.is_in(part.iter().copied()))
            .all(conn)
            .await?
        {
            out.insert(m.user_id, plan_of(&m));
        }
    }
    Ok(out)
}

/// The instance's mail server: its first enabled email channel.
async fn mail_channel(conn: &impl ConnectionTrait) -> Result<Option<channel::Model>, AppError> {
    Ok(channel::Entity::find()
        .filter(channel::Column::Kind.eq(ChannelKind::Email.as_str()))
        .filter(channel::Column::Enabled.eq(true))
        .order_by_asc(channel::Column::Id)
        .one(conn)
        .await?)
}

/// Inside the caller's transaction: emails the notices whose readers
/// asked for them now, each to its reader's address.
pub(super) async fn email(
    conn: &impl ConnectionTrait,
    notices: &[(Notice, Plan)],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let wanted: Vec<&Notice> = notices
        .iter()
        .filter(|(n, p)| p.email(n.severity, now))
        .map(|(n, _)| n)
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let Some(mail) = mail_channel(conn).await? else {
        return Ok(());
    };
    let ids: Vec<i32> = wanted.iter().map(|n| n.user_id).collect();
    let addresses = crate::users::service::emails(conn, &ids).await?;
    for n in wanted {
        let Some(to) = addresses.get(&n.user_id) else {
            continue;
        };
        let m = Message {
            event: n.kind.as_str().into(),
            title: n.subject.clone(),
            text: String::new(),
            severity: n.severity,
            labels: BTreeMap::new(),
            link: n.link.clone(),
            at: rfc3339(now),
            to: Some(to.clone()),
        };
        super::channels::queue(conn, &mail, &m).await?;
    }
    Ok(())
}

fn wire(p: &Plan, email_available: bool) -> Prefs {
    Prefs {
        inbox_min: p.inbox_min,
        email_min: p.email_min,
        quiet_from: p.quiet.map(|q| q.from.format("%H:%M").to_string()),
        quiet_to: p.quiet.map(|q| q.to.format("%H:%M").to_string()),
        time_zone: p.tz.name().to_string(),
        email_available,
    }
}

/// `GET /api/notifications/preferences`: the caller's own.
pub async fn read(ctx: &Ctx) -> Result<Prefs, AppError> {
    let me = ctx.require(Permission::NotificationsRead)?;
    let plan = plans(ctx.db(), &[me.user_id])
        .await?
        .remove(&me.user_id)
        .unwrap_or_default();
    Ok(wire(&plan, mail_channel(ctx.db()).await?.is_some()))
}

/// `POST /api/notifications/preferences`: replaces the caller's own.
pub async fn save(ctx: &Ctx, input: PrefsInput) -> Result<Prefs, AppError> {
    let me = ctx.require(Permission::NotificationsRead)?.clone();
    let plan = validate(&input).map_err(AppError::invalid)?;
    let p = wire(&plan, false);
    let row = pref::ActiveModel {
        user_id: Set(me.user_id),
        inbox_min: Set(p.inbox_min.as_str().into()),
        email_min: Set(p.email_min.map(|s| s.as_str().into())),
        quiet_from: Set(p.quiet_from.clone()),
        quiet_to: Set(p.quiet_to.clone()),
        time_zone: Set(p.time_zone.clone()),
        updated_at: Set(Utc::now()),
    };
    let tx = crate::platform::db::begin(ctx.db()).await?;
    match pref::Entity::find_by_id(me.user_id).one(&tx).await? {
        Some(_) => row.update(&tx).await?,
        None => row.insert(&tx).await?,
    };
    tx.commit().await?;
    read(ctx).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(from: &str, to: &str) -> PrefsInput {
        PrefsInput {
            inbox_min: "high".into(),
            email_min: Some("medium".into()),
            quiet_from: Some(from.into()),
            quiet_to: Some(to.into()),
            time_zone: "Africa/Algiers".into(),
        }
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        // Algiers is UTC+1 all year.
        chrono::NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
            .and_utc()
            - chrono::Duration::hours(1)
    }

    #[test]
    fn quiet_hours_cross_midnight_in_the_persons_time_zone() {
        let p = validate(&input("22:00", "07:00")).unwrap();
        assert!(p.email(Severity::High, at(21, 59)));
        assert!(p.email(Severity::High, at(7, 0)));
        for (h, m) in [(22, 0), (23, 30), (0, 0), (6, 59)] {
            assert!(!p.email(Severity::High, at(h, m)), "{h}:{m}");
            assert!(
                p.email(Severity::Critical, at(h, m)),
                "critical breaks through"
            );
        }
        assert!(
            !p.email(Severity::Low, at(12, 0)),
            "below the email threshold"
        );
        assert!(p.inbox(Severity::Critical) && !p.inbox(Severity::Medium));
    }

    #[test]
    fn a_window_inside_one_day_and_no_window_at_all() {
        let p = validate(&input("12:00", "14:00")).unwrap();
        assert!(!p.email(Severity::High, at(13, 0)));
        assert!(p.email(Severity::High, at(14, 0)));
        let mut none = input("", "");
        none.email_min = None;
        let p = validate(&none).unwrap();
        assert_eq!(p.quiet, None);
        assert!(!p.email(Severity::Critical, at(3, 0)), "no email asked for");
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = PrefsInput {
            inbox_min: "loud".into(),
            email_min: Some("soft".into()),
            quiet_from: Some("25:00".into()),
            quiet_to: Some("7h".into()),
            time_zone: "Mars/Olympus".into(),
        };
        let fields: Vec<&str> = validate(&bad).unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(
            fields,
            [
                "inbox_min",
                "email_min",
                "time_zone",
                "quiet_from",
                "quiet_to"
            ]
        );
        let fields: Vec<&str> = validate(&input("22:00", "22:00"))
            .unwrap_err()
            .iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(fields, ["quiet_to"]);
        let fields: Vec<&str> = validate(&input("", "07:00"))
            .unwrap_err()
            .iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(fields, ["quiet_from"]);
    }
}
