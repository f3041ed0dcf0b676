//! Maintenance windows as rules, not time slots: a one-off window is its
//! two instants, a weekly one its days, start time, length and time zone,
//! and whether it is in force is computed when asked. *Why:* generating
//! the occurrences of recurring windows is what grew Uptime Kuma's SQLite
//! to gigabytes; a rule is one row however long it recurs.
use super::MaintenanceInput;
use crate::error::MsgKey;
pub use crate::platform::calendar::{WEEKDAYS, time_zone};
use crate::platform::calendar::{local_instant, time_of_day, weekdays};
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

/// A weekly window lasts at most a week.
pub const MAX_MINUTES: u32 = 7 * 24 * 60;

#[derive(Debug, Clone, PartialEq)]
pub enum Recurrence {
    Once {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    Weekly {
        /// Monday first.
        days: [bool; 7],
        start: NaiveTime,
        minutes: u32,
        tz: Tz,
    },
}

impl Recurrence {
    /// The starts of a weekly window's occurrences on local days `from..=to`
    /// days after `t`'s local day (a start in a DST gap moves an hour on).
    fn weekly_starts(&self, t: DateTime<Utc>, from: i64, to: i64) -> Vec<DateTime<Utc>> {
        let Recurrence::Weekly {
            days, start, tz, ..
        } = self
        else {
            return Vec::new();
        };
        let today = t.with_timezone(tz).date_naive();
        (from..=to)
            .filter_map(|n| {
                let day = today + Duration::days(n);
                if !days[day.weekday().num_days_from_monday() as usize] {
                    return None;
                }
                local_instant(*tz, day, *start)
            })
            .collect()
    }

    /// In force at `t`.
    pub fn active_at(&self, t: DateTime<Utc>) -> bool {
        match self {
            Recurrence::Once { start, end } => *start <= t && t < *end,
            Recurrence::Weekly { minutes, .. } => {
                let back = i64::from(*minutes).div_euclid(1440) + 1;
                self.weekly_starts(t, -back, 0)
                    .into_iter()
                    .any(|s| s <= t && t < s + Duration::minutes(i64::from(*minutes)))
            }
        }
    }

    /// Every occurrence `(start, end)` that overlaps `from..to`, in order.
    pub fn occurrences(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        match self {
            Recurrence::Once { start, end } => {
                if *start < to && *end > from {
                    vec![(*start, *end)]
                } else {
                    Vec::new()
                }
            }
            Recurrence::Weekly { minutes, .. } => {
                let length = Duration::minutes(i64::from(*minutes));
                let back = i64::from(*minutes).div_euclid(1440) + 1;
                // One local day more than the UTC span covers either way.
                let ahead = (to - from).num_days() + 2;
                self.weekly_starts(from, -back, ahead)
                    .into_iter()
                    .map(|s| (s, s + length))
                    .filter(|(s, e)| *s < to && *e > from)
                    .collect()
            }
        }
    }

    /// The first start after `t` (`None` once a one-off window has begun).
    pub fn next_start(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Recurrence::Once { start, .. } => (*start > t).then_some(*start),
            Recurrence::Weekly { .. } => self.weekly_starts(t, 0, 8).into_iter().find(|s| *s > t),
        }
    }
}

/// A window as the service stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidWindow {
    pub title: String,
    pub server_ids: Vec<i32>,
    pub tags: Vec<String>,
    pub recurrence: Recurrence,
}

type Errors = Vec<(&'static str, MsgKey)>;

fn instant(field: &'static str, v: Option<&str>, errors: &mut Errors) -> Option<DateTime<Utc>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.push((field, MsgKey::DateInvalid));
            None
        }
        Some(s) => DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|_| errors.push((field, MsgKey::DateInvalid)))
            .ok(),
    }
}

/// Checks every field of `input` at once; `now` refuses a one-off window
/// that is already over.
pub fn parse(input: &MaintenanceInput, now: DateTime<Utc>) -> Result<ValidWindow, Errors> {
    let mut errors = Errors::new();
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(("title", MsgKey::IncidentTitleInvalid));
    }
    let mut tags: Vec<String> = input.tags.iter().map(|t| t.trim().to_lowercase()).collect();
    tags.retain(|t| !t.is_empty());
    tags.sort();
    tags.dedup();
    if tags.len() > 20 || tags.iter().any(|t| t.len() > 50) {
        errors.push(("tags", MsgKey::TagInvalid));
    }
    let mut server_ids = input.server_ids.clone();
    server_ids.sort_unstable();
    server_ids.dedup();
    if server_ids.len() > 500 {
        errors.push(("server_ids", MsgKey::ServerUnknown));
    }
    if server_ids.is_empty() && tags.is_empty() {
        errors.push(("server_ids", MsgKey::MaintenanceScope));
    }
    let recurrence = match input.kind.trim() {
        "once" => {
            let start = instant("starts_at", input.starts_at.as_deref(), &mut errors);
            let end = instant("ends_at", input.ends_at.as_deref(), &mut errors);
            match (start, end) {
                (Some(start), Some(end)) if end <= start || end <= now => {
                    errors.push(("ends_at", MsgKey::TimeRangeInvalid));
                    None
                }
                (Some(start), Some(end)) => Some(Recurrence::Once { start, end }),
                _ => None,
            }
        }
        "weekly" => {
            let days = weekdays(&input.weekdays).filter(|_| input.weekdays.len() <= 7);
            if days.is_none() {
                errors.push(("weekdays", MsgKey::WeekdaysInvalid));
            }
            let start = input.start_time.as_deref().and_then(time_of_day);
            if start.is_none() {
                errors.push(("start_time", MsgKey::TimeOfDayInvalid));
            }
            let minutes = input
                .duration_minutes
                .filter(|m| (1..=MAX_MINUTES).contains(m));
            if minutes.is_none() {
                errors.push(("duration_minutes", MsgKey::NumberInvalid));
            }
            let tz = time_zone(input.time_zone.as_deref());
            if tz.is_none() {
                errors.push(("time_zone", MsgKey::TimeZoneInvalid));
            }
            match (days, start, minutes, tz) {
                (Some(days), Some(start), Some(minutes), Some(tz)) => Some(Recurrence::Weekly {
                    days,
                    start,
                    minutes,
                    tz,
                }),
                _ => None,
            }
        }
        _ => {
            errors.push(("kind", MsgKey::ChoiceInvalid));
            None
        }
    };
    match recurrence {
        Some(recurrence) if errors.is_empty() => Ok(ValidWindow {
            title: title.into(),
            server_ids,
            tags,
            recurrence,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_in_a_range_are_computed_not_stored() {
        let r = parse(
            &weekly(&["sun", "wed"], "23:00", 180, "UTC"),
            at("2026-12-01T00:00:00Z"),
        )
        .unwrap()
        .recurrence;
        // Monday 7 to Monday 14 December 2026: Wed 9 and Sun 13, and the
        // Sunday 6 window that runs into Monday 7 until 02:00.
        let got = r.occurrences(at("2026-12-07T00:00:00Z"), at("2026-12-14T00:00:00Z"));
        let starts: Vec<String> = got.iter().map(|(s, _)| s.to_rfc3339()).collect();
        assert_eq!(
            starts,
            [
                "2026-12-06T23:00:00+00:00",
                "2026-12-09T23:00:00+00:00",
                "2026-12-13T23:00:00+00:00"
            ]
        );
        assert_eq!(got[0].1, at("2026-12-07T02:00:00Z"));
        let once = Recurrence::Once {
            start: at("2026-12-20T10:00:00Z"),
            end: at("2026-12-20T12:00:00Z"),
        };
        assert!(
            once.occurrences(at("2026-12-07T00:00:00Z"), at("2026-12-14T00:00:00Z"))
                .is_empty()
        );
        assert_eq!(
            once.occurrences(at("2026-12-20T11:00:00Z"), at("2026-12-21T00:00:00Z"))
                .len(),
            1
        );
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn weekly(days: &[&str], start: &str, minutes: u32, tz: &str) -> MaintenanceInput {
        MaintenanceInput {
            title: "Backups".into(),
            tags: vec!["db".into()],
            kind: "weekly".into(),
            weekdays: days.iter().map(|d| d.to_string()).collect(),
            start_time: Some(start.into()),
            duration_minutes: Some(minutes),
            time_zone: Some(tz.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_weekly_window_follows_its_time_zone_across_midnight() {
        let now = at("2026-12-01T00:00:00Z");
        // Sundays 23:00 Paris time for three hours: 22:00–01:00 UTC in winter.
        let w = parse(&weekly(&["sun"], "23:00", 180, "Europe/Paris"), now).unwrap();
        let r = &w.recurrence;
        assert!(!r.active_at(at("2026-12-06T21:59:00Z")));
        assert!(r.active_at(at("2026-12-06T22:00:00Z")));
        assert!(
            r.active_at(at("2026-12-07T00:59:00Z")),
            "the Monday part of Sunday's window"
        );
        assert!(!r.active_at(at("2026-12-07T01:00:00Z")));
        assert_eq!(
            r.next_start(at("2026-12-07T01:00:00Z")),
            Some(at("2026-12-13T22:00:00Z"))
        );
        // In summer Paris is UTC+2: the same window starts an hour earlier in UTC.
        assert!(r.active_at(at("2027-06-06T21:30:00Z")));
    }

    #[test]
    fn a_one_off_window_is_its_two_instants() {
        let now = at("2026-12-01T00:00:00Z");
        let input = MaintenanceInput {
            title: "Disk swap".into(),
            server_ids: vec![3],
            kind: "once".into(),
            starts_at: Some("2026-12-02T10:00:00Z".into()),
            ends_at: Some("2026-12-02T11:00:00+00:00".into()),
            ..Default::default()
        };
        let r = parse(&input, now).unwrap().recurrence;
        assert!(r.active_at(at("2026-12-02T10:30:00Z")));
        assert!(!r.active_at(at("2026-12-02T11:00:00Z")));
        assert_eq!(r.next_start(now), Some(at("2026-12-02T10:00:00Z")));
        assert_eq!(r.next_start(at("2026-12-02T10:00:01Z")), None);
    }

    #[test]
    fn bad_windows_name_every_field() {
        let now = at("2026-12-01T00:00:00Z");
        let inverted = MaintenanceInput {
            title: " ".into(),
            kind: "once".into(),
            starts_at: Some("2026-12-02T10:00:00Z".into()),
            ends_at: Some("2026-12-02T09:00:00Z".into()),
            ..Default::default()
        };
        let fields: Vec<_> = parse(&inverted, now)
            .unwrap_err()
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(fields, ["title", "server_ids", "ends_at"]);
        let bad = weekly(&["someday"], "25:00", 0, "Mars/Olympus");
        let fields: Vec<_> = parse(&bad, now)
            .unwrap_err()
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(
            fields,
            ["weekdays", "start_time", "duration_minutes", "time_zone"]
        );
        let mut past = weekly(&[], "", 1, "");
        past.kind = "once".into();
        past.starts_at = Some("2026-11-01T00:00:00Z".into());
        past.ends_at = Some("2026-11-02T00:00:00Z".into());
        let fields: Vec<_> = parse(&past, now)
            .unwrap_err()
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert_eq!(fields, ["ends_at"]);
    }
}
