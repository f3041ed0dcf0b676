//! What an alert's moves do in the database, for rules and Alertmanager
//! alike: open (pending or firing; one open alert per fingerprint), fire,
//! resolve, drop. A firing alert is checked against silences, maintenance
//! windows and flapping; unless one of them keeps it quiet it tells the
//! people who read alerts and, when asked, opens or joins an incident.
//! Everything is written in the caller's transaction and announced after
//! its commit ([`Effects::publish`]).
use super::entity as alert;
use super::entity::{silence, window};
use super::lifecycle::Escalation;
use super::{AlertChanged, AlertStatus, Quiet};
use crate::error::AppError;
use crate::incidents::from_alerts::{self, AlertTicket, Joined};
use crate::notifications::payload::Message;
use crate::notifications::service::{self as notifications, Notice};
use crate::notifications::{NoticeKind, NotificationAdded};
use crate::platform::events::EventBus;
use crate::platform::matchers::{self, Matcher};
use crate::platform::{Permission, Severity};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, TryIntoModel,
};
use std::collections::BTreeMap;

/// An alert that fires again within this long of resolving reopens the
/// same row and counts a flap.
pub const FLAP_WINDOW: Duration = Duration::minutes(15);
/// From this many flaps an alert is flapping: recorded, told to nobody.
pub const FLAP_LIMIT: i32 = 3;
/// Who is told of a firing alert (at most).
const TOLD: u64 = 500;

/// What a source says about one alert.
#[derive(Debug, Clone)]
pub struct Observation {
    pub fingerprint: String,
    /// `rule` or `alertmanager`.
    pub source: &'static str,
    pub rule_id: Option<i32>,
    pub name: String,
    pub summary: String,
    pub severity: Severity,
    pub labels: BTreeMap<String, String>,
    pub monitor_id: Option<i32>,
    pub server_id: Option<i32>,
    pub policy: Policy,
    pub at: DateTime<Utc>,
}

/// What a firing alert does besides telling: open an incident, escalate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    pub opens_incident: bool,
    /// The levels, in order.
    pub escalation: Vec<Escalation>,
}

/// What to announce once the transaction commits.
#[derive(Debug, Default)]
pub struct Effects {
    pub changed: Vec<AlertChanged>,
    pub notices: Vec<NotificationAdded>,
    pub tickets: Vec<Joined>,
}

impl Effects {
    pub(super) fn alert(&mut self, m: &alert::Model, change: &str) {
        self.changed.push(AlertChanged {
            id: m.id,
            status: AlertStatus::parse(&m.status).unwrap_or(AlertStatus::Firing),
            severity: Severity::parse(&m.severity).unwrap_or(Severity::Medium),
            change: change.into(),
        });
    }

    pub fn publish(self, events: &EventBus) {
        for c in &self.changed {
            events.publish(c);
        }
        notifications::announce(events, &self.notices);
        for t in &self.tickets {
            from_alerts::announce(events, t);
        }
    }
}

/// A maintenance window in force at the batch's time.
struct ActiveWindow {
    server_ids: Vec<i32>,
    tags: Vec<String>,
}

/// The silences and maintenance windows in force, read once per batch.
pub struct Quieting {
    silences: Vec<Vec<Matcher>>,
    windows: Vec<ActiveWindow>,
    server_tags: BTreeMap<i32, Vec<String>>,
}

impl Quieting {
    /// What is in force at `at`; `servers` are those whose alerts may
    /// move (their tags are read when a window in force names tags).
    pub async fn load(
        conn: &impl ConnectionTrait,
        at: DateTime<Utc>,
        servers: &[i32],
    ) -> Result<Self, AppError> {
        let silences = silence::Entity::find()
            .filter(silence::Column::StartsAt.lte(at))
            .filter(silence::Column::EndsAt.gt(at))
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|s| {
                let written: Vec<String> = serde_json::from_str(&s.matchers).ok()?;
                matchers::parse_all(&written.join("\n")).ok()
            })
            .collect();
        let windows: Vec<ActiveWindow> = window::Entity::find()
            .all(conn)
            .await?
            .iter()
            .filter_map(super::service::recurrence_of)
            .filter(|(r, _)| r.active_at(at))
            .map(|(_, m)| ActiveWindow {
                server_ids: serde_json::from_str(&m.server_ids).unwrap_or_default(),
                tags: serde_json::from_str(&m.tags).unwrap_or_default(),
            })
            .collect();
        let server_tags = if windows.iter().any(|w| !w.tags.is_empty()) && !servers.is_empty() {
            crate::servers::service::tags_of(conn, servers).await?
        } else {
            BTreeMap::new()
        };
        Ok(Quieting {
            silences,
            windows,
            server_tags,
        })
    }

    /// Why a firing alert should tell nobody, if it should not.
    pub fn why(&self, m: &alert::Model) -> Option<Quiet> {
        let labels: BTreeMap<String, String> = serde_json::from_str(&m.labels).unwrap_or_default();
        if self
            .silences
            .iter()
            .any(|s| matchers::all_match(s, &labels))
        {
            return Some(Quiet::Silenced);
        }
        if let Some(server) = m.server_id {
            let tags = self.server_tags.get(&server);
            let covered = self.windows.iter().any(|w| {
                w.server_ids.contains(&server)
                    || tags.is_some_and(|t| t.iter().any(|t| w.tags.contains(t)))
            });
            if covered {
                return Some(Quiet::Maintenance);
            }
        }
        (m.flaps >= FLAP_LIMIT).then_some(Quiet::Flapping)
    }
}

/// The open alert of `fingerprint`, if any.
pub async fn open_alert(
    conn: &impl ConnectionTrait,
    fingerprint: &str,
) -> Result<Option<alert::Model>, AppError> {
    Ok(alert::Entity::find()
        .filter(alert::Column::OpenKey.eq(fingerprint))
        .one(conn)
        .await?)
}

/// Opens an alert for `o` as `status`. An alert of the same fingerprint
/// resolved within [`FLAP_WINDOW`] reopens instead, one flap more; one
/// already open is returned as it is.
pub async fn open(
    conn: &impl ConnectionTrait,
    o: &Observation,
    status: AlertStatus,
    quieting: &Quieting,
    fx: &mut Effects,
) -> Result<alert::Model, AppError> {
    if let Some(m) = open_alert(conn, &o.fingerprint).await? {
        return Ok(m);
    }
    let labels = serde_json::to_string(&o.labels).map_err(AppError::internal)?;
    let recent = alert::Entity::find()
        .filter(alert::Column::Fingerprint.eq(o.fingerprint.as_str()))
        .order_by_desc(alert::Column::Id)
        .one(conn)
        .await?
        .filter(|m| m.resolved_at.is_some_and(|r| o.at - r <= FLAP_WINDOW));
    let mut row = match recent {
        Some(m) => {
            let flaps = m.flaps + 1;
            let mut row = alert::ActiveModel::from(m);
            row.flaps = Set(flaps);
            row.resolved_at = Set(None);
            row
        }
        None => alert::ActiveModel {
            fingerprint: Set(o.fingerprint.clone()),
            source: Set(o.source.into()),
            flaps: Set(0),
            started_at: Set(o.at),
            acknowledged_by: Set(None),
            acknowledged_name: Set(None),
            acknowledged_at: Set(None),
            incident_id: Set(None),
            resolved_at: Set(None),
            escalated_at: Set(None),
            escalation_level: Set(0),
            ..Default::default()
        },
    };
    row.open_key = Set(Some(o.fingerprint.clone()));
    row.rule_id = Set(o.rule_id);
    row.name = Set(crate::platform::clip(&o.name, 200));
    row.summary = Set(crate::platform::clip(&o.summary, 2_000));
    row.severity = Set(o.severity.as_str().into());
    row.labels = Set(labels);
    row.monitor_id = Set(o.monitor_id);
    row.server_id = Set(o.server_id);
    row.status = Set(status.as_str().into());
    row.fired_at = Set(None);
    row.quiet = Set(None);
    row.updated_at = Set(o.at);
    let m = row.save(conn).await?.try_into_model()?;
    if status == AlertStatus::Firing {
        fired(conn, m, o.at, o.policy.clone(), quieting, fx).await
    } else {
        fx.alert(&m, "pending");
        Ok(m)
    }
}

/// A pending alert fires.
pub async fn fire(
    conn: &impl ConnectionTrait,
    id: i32,
    at: DateTime<Utc>,
    policy: Policy,
    quieting: &Quieting,
    fx: &mut Effects,
) -> Result<Option<alert::Model>, AppError> {
    match alert::Entity::find_by_id(id).one(conn).await? {
        Some(m) if m.status == AlertStatus::Pending.as_str() => {
            Ok(Some(fired(conn, m, at, policy, quieting, fx).await?))
        }
        other => Ok(other),
    }
}

async fn fired(
    conn: &impl ConnectionTrait,
    m: alert::Model,
    at: DateTime<Utc>,
    policy: Policy,
    quieting: &Quieting,
    fx: &mut Effects,
) -> Result<alert::Model, AppError> {
    let quiet = quieting.why(&m);
    let mut row = alert::ActiveModel::from(m);
    row.status = Set(AlertStatus::Firing.as_str().into());
    row.fired_at = Set(Some(at));
    row.escalated_at = Set(None);
    row.escalation_level = Set(0);
    row.quiet = Set(quiet.map(|q| q.as_str().into()));
    row.updated_at = Set(at);
    let mut m = row.update(conn).await?;
    let severity = Severity::parse(&m.severity).unwrap_or(Severity::Medium);
    if quiet.is_none() && severity != Severity::Info {
        tell(conn, &m, NoticeKind::AlertFiring, fx).await?;
        super::escalate::schedule(conn, &m, &policy.escalation).await?;
        if policy.opens_incident && m.incident_id.is_none() {
            let joined = from_alerts::open_or_join(
                conn,
                &AlertTicket {
                    alert_id: m.id,
                    name: m.name.clone(),
                    summary: m.summary.clone(),
                    severity,
                    server_id: m.server_id,
                },
            )
            .await?;
            let mut row = alert::ActiveModel::from(m);
            row.incident_id = Set(Some(joined.incident.id));
            m = row.update(conn).await?;
            fx.tickets.push(joined);
        }
    }
    fx.alert(&m, "firing");
    Ok(m)
}

pub(super) async fn tell(
    conn: &impl ConnectionTrait,
    m: &alert::Model,
    kind: NoticeKind,
    fx: &mut Effects,
) -> Result<(), AppError> {
    let severity = Severity::parse(&m.severity).unwrap_or(Severity::Medium);
    let readers = crate::users::service::holders_of(conn, Permission::AlertsRead, TOLD).await?;
    let notices = readers
        .into_iter()
        .map(|user_id| Notice {
            user_id,
            kind,
            subject: m.name.clone(),
            severity,
            link: format!("/app/alerts?selected={}", m.id),
        })
        .collect();
    fx.notices
        .extend(notifications::notify(conn, notices).await?);
    let message = Message {
        event: kind.as_str().into(),
        title: m.name.clone(),
        text: m.summary.clone(),
        severity,
        labels: serde_json::from_str(&m.labels).unwrap_or_default(),
        link: format!("/app/alerts?selected={}", m.id),
        at: crate::platform::rfc3339(Utc::now()),
        to: None,
    };
    crate::notifications::channels::route(conn, &message).await?;
    Ok(())
}

/// An open alert resolves: a firing one tells whoever heard it fire (and
/// writes on its incident's timeline); a pending one that never fired is
/// deleted (it was never news).
pub async fn resolve(
    conn: &impl ConnectionTrait,
    id: i32,
    at: DateTime<Utc>,
    fx: &mut Effects,
) -> Result<(), AppError> {
    let Some(m) = alert::Entity::find_by_id(id).one(conn).await? else {
        return Ok(());
    };
    if m.status == AlertStatus::Pending.as_str() {
        alert::Entity::delete_by_id(id).exec(conn).await?;
        fx.alert(&m, "dropped");
        return Ok(());
    }
    if m.status != AlertStatus::Firing.as_str() {
        return Ok(());
    }
    let told = m.quiet.is_none() && m.severity != Severity::Info.as_str();
    let mut row = alert::ActiveModel::from(m);
    row.status = Set(AlertStatus::Resolved.as_str().into());
    row.open_key = Set(None);
    row.resolved_at = Set(Some(at));
    row.updated_at = Set(at);
    let m = row.update(conn).await?;
    if told {
        tell(conn, &m, NoticeKind::AlertResolved, fx).await?;
    }
    if let Some(incident) = m.incident_id {
        from_alerts::alert_resolved(conn, incident, m.id, &m.name).await?;
    }
    fx.alert(&m, "resolved");
    Ok(())
}
