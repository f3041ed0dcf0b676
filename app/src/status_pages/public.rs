//! What a public page shows, assembled from monitoring (state now, checks
//! per day), incidents (those on the page's servers or opened by its
//! monitors' alerts) and alerting (maintenance over its servers). Read by
//! anyone: nothing here names a person or a description, and a monitor
//! only shows through its component.
use super::service::{by_slug, components_of};
use super::{DAYS, Health, PublicComponent, PublicStatus};
use crate::error::AppError;
use crate::monitoring::MonitorStatus;
use crate::monitoring::for_status::{self, MonitorNow};
use crate::platform::rfc3339;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use std::collections::{BTreeMap, BTreeSet};

const DAY: i64 = 86_400;

/// A monitor's health now (`maintenance` also when a window covers its
/// server).
fn health_of(m: &MonitorNow, quiet: &BTreeSet<i32>) -> Health {
    if m.server_id.is_some_and(|s| quiet.contains(&s)) {
        return Health::Maintenance;
    }
    match m.status {
        _ if m.paused => Health::Unknown,
        MonitorStatus::Up => Health::Operational,
        MonitorStatus::Down => Health::Outage,
        MonitorStatus::Maintenance => Health::Maintenance,
        MonitorStatus::Pending | MonitorStatus::Paused => Health::Unknown,
    }
}

/// A component's health from its monitors': all down is an outage, some
/// down is degraded; otherwise the worst of the rest.
pub fn component_health(each: &[Health]) -> Health {
    let down = each.iter().filter(|h| **h == Health::Outage).count();
    if down > 0 {
        return if down == each.len() {
            Health::Outage
        } else {
            Health::Degraded
        };
    }
    each.iter()
        .copied()
        .reduce(Health::worst)
        .unwrap_or(Health::Unknown)
}

/// The page's health: an outage anywhere is a partial outage of the page
/// unless every component is out.
pub fn page_health(each: &[Health]) -> Health {
    let worst = each
        .iter()
        .copied()
        .reduce(Health::worst)
        .unwrap_or(Health::Unknown);
    if worst == Health::Outage && each.iter().any(|h| *h != Health::Outage) {
        Health::Degraded
    } else {
        worst
    }
}

/// The first of the [`DAYS`] days up to `now`, and each day's uptime in
/// per mille, from `(day start, checks, up)` summed over a component's
/// monitors.
pub fn bars(sums: &BTreeMap<i64, (u64, u64)>, now: i64) -> (String, Vec<Option<u32>>) {
    let today = now.div_euclid(DAY);
    let first = (today - (DAYS as i64 - 1)) * DAY;
    let first_day = DateTime::from_timestamp(first, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let daily = (0..DAYS as i64)
        .map(|n| {
            sums.get(&(first + n * DAY))
                .filter(|(checks, _)| *checks > 0)
                .map(|(checks, up)| (up * 1000 / checks) as u32)
        })
        .collect();
    (first_day, daily)
}

/// The page at `slug`, as visitors see it now (`None`: no such page).
pub async fn status(
    conn: &impl ConnectionTrait,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<PublicStatus>, AppError> {
    let Some(page) = by_slug(conn, slug).await? else {
        return Ok(None);
    };
    let components = components_of(&page);
    let ids: Vec<i32> = components
        .iter()
        .flat_map(|c| c.monitor_ids.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let monitors = for_status::now_of(conn, &ids).await?;
    let servers: Vec<i32> = monitors
        .values()
        .filter_map(|m| m.server_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let tags = crate::servers::service::tags_of(conn, &servers).await?;
    let maintenance = crate::alerts::for_status::maintenance(conn, &servers, &tags, now).await?;
    // Servers under a window in force: which windows are in force is known
    // per window, so ask per server only when one is.
    let mut quiet = BTreeSet::new();
    if maintenance.iter().any(|m| m.active) {
        for s in &servers {
            let one = BTreeMap::from([(*s, tags.get(s).cloned().unwrap_or_default())]);
            let mine = crate::alerts::for_status::maintenance(conn, &[*s], &one, now).await?;
            if mine.iter().any(|m| m.active) {
                quiet.insert(*s);
            }
        }
    }
    let mut daily: BTreeMap<i32, Vec<(i64, u32, u32)>> = BTreeMap::new();
    for id in monitors.keys() {
        daily.insert(
            *id,
            for_status::daily(conn, *id, DAYS as i64, now.timestamp()).await?,
        );
    }
    let public: Vec<PublicComponent> = components
        .iter()
        .map(|c| {
            let each: Vec<Health> = c
                .monitor_ids
                .iter()
                .filter_map(|id| monitors.get(id))
                .map(|m| health_of(m, &quiet))
                .collect();
            let mut sums: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
            for id in &c.monitor_ids {
                for (at, checks, up) in daily.get(id).into_iter().flatten() {
                    let e = sums.entry(*at).or_default();
                    e.0 += u64::from(*checks);
                    e.1 += u64::from(*up);
                }
            }
            let (checks, up) = sums.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
            let (first_day, daily) = bars(&sums, now.timestamp());
            PublicComponent {
                name: c.name.clone(),
                health: component_health(&each),
                permille: (checks > 0).then(|| (up * 1000 / checks) as u32),
                first_day,
                daily,
            }
        })
        .collect();
    let since = now - Duration::days(DAYS as i64);
    let opened_by_alerts = crate::alerts::for_status::incidents_of(conn, &ids, since).await?;
    let (active, history) =
        crate::incidents::for_status::shown(conn, &servers, &opened_by_alerts, since).await?;
    let each: Vec<Health> = public.iter().map(|c| c.health).collect();
    Ok(Some(PublicStatus {
        slug: page.slug,
        title: page.title,
        description: page.description,
        has_logo: page.logo.is_some(),
        health: page_health(&each),
        components: public,
        active,
        maintenance,
        history,
        generated_at: rfc3339(now),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn some_monitors_down_is_degraded_and_all_down_an_outage() {
        use Health::*;
        assert_eq!(component_health(&[Operational, Outage]), Degraded);
        assert_eq!(component_health(&[Outage, Outage]), Outage);
        assert_eq!(component_health(&[Operational, Maintenance]), Maintenance);
        assert_eq!(component_health(&[]), Unknown);
        assert_eq!(page_health(&[Operational, Outage]), Degraded);
        assert_eq!(page_health(&[Outage]), Outage);
        assert_eq!(page_health(&[Operational, Operational]), Operational);
    }

    #[test]
    fn ninety_bars_end_today_and_days_without_checks_stay_empty() {
        let now = 100 * DAY + 3_600;
        let sums = BTreeMap::from([
            (100 * DAY, (200, 199)),
            (99 * DAY, (0, 0)),
            (11 * DAY, (10, 5)),
        ]);
        let (first_day, b) = bars(&sums, now);
        assert_eq!(b.len(), DAYS);
        assert_eq!(b[DAYS - 1], Some(995), "today, 1970-04-11");
        assert_eq!(b[DAYS - 2], None);
        assert_eq!(first_day, "1970-01-12");
        assert_eq!(b[0], Some(500));
    }
}
