//! A policy checked, and the deadline arithmetic: around the clock a
//! target is plain minutes; in business hours only the minutes inside
//! opening hours count, so a critical ticket opened on Friday evening
//! with a 15-minute target and Monday–Friday 09:00–17:00 hours is due on
//! Monday at 09:15, local time, whatever the clocks did over the weekend.
use super::{MAX_MINUTES, SlaPolicy, SlaPolicyInput, targets};
use crate::error::MsgKey;
use crate::platform::Severity;
use crate::platform::calendar::{self, local_instant, time_of_day, weekday_names};
use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use chrono_tz::Tz;

type Errors = Vec<(&'static str, MsgKey)>;

/// At least this much of each open day, so a deadline is never years away.
const MIN_DAY_MINUTES: i64 = 30;
/// Days walked before giving up (MAX_MINUTES at 30 minutes a week is
/// under 1,400 weeks).
const MAX_DAYS: u32 = 10_000;

/// When the clock runs: `open..close` local time in `tz` on `days`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BusinessHours {
    /// Monday first.
    pub days: [bool; 7],
    pub open: NaiveTime,
    pub close: NaiveTime,
    pub tz: Tz,
}

impl BusinessHours {
    /// The instant `minutes` of business time after `from`.
    pub fn add(&self, from: DateTime<Utc>, minutes: u32) -> Option<DateTime<Utc>> {
        let mut left = Duration::minutes(i64::from(minutes));
        let mut day = from.with_timezone(&self.tz).date_naive();
        for _ in 0..MAX_DAYS {
            if self.days[day.weekday().num_days_from_monday() as usize] {
                let open = local_instant(self.tz, day, self.open)?;
                let close = local_instant(self.tz, day, self.close)?;
                let begin = open.max(from);
                if begin < close {
                    if left <= close - begin {
                        return Some(begin + left);
                    }
                    left -= close - begin;
                }
            }
            day = day.succ_opt()?;
        }
        None
    }
}

/// One severity's policy, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub severity: Severity,
    pub acknowledge_minutes: Option<u32>,
    pub resolve_minutes: Option<u32>,
    /// `None`: around the clock.
    pub hours: Option<BusinessHours>,
    pub tz: Tz,
    pub custom: bool,
}

impl Policy {
    /// The built-in policy of `severity`.
    pub fn builtin(severity: Severity) -> Policy {
        let t = targets(severity);
        Policy {
            severity,
            acknowledge_minutes: t.acknowledge_minutes,
            resolve_minutes: t.resolve_minutes,
            hours: None,
            tz: Tz::UTC,
            custom: false,
        }
    }

    fn due(&self, opened: DateTime<Utc>, minutes: Option<u32>) -> Option<DateTime<Utc>> {
        let m = minutes?;
        match &self.hours {
            None => Some(opened + Duration::minutes(i64::from(m))),
            Some(h) => h.add(opened, m),
        }
    }

    /// When a ticket opened at `opened` must be acknowledged and resolved by.
    pub fn deadlines(
        &self,
        opened: DateTime<Utc>,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        (
            self.due(opened, self.acknowledge_minutes),
            self.due(opened, self.resolve_minutes),
        )
    }

    pub fn wire(&self) -> SlaPolicy {
        let hhmm = |t: NaiveTime| t.format("%H:%M").to_string();
        SlaPolicy {
            severity: self.severity,
            acknowledge_minutes: self.acknowledge_minutes,
            resolve_minutes: self.resolve_minutes,
            business_days: self
                .hours
                .map(|h| weekday_names(&h.days))
                .unwrap_or_default(),
            day_start: self.hours.map(|h| hhmm(h.open)),
            day_end: self.hours.map(|h| hhmm(h.close)),
            time_zone: self.tz.name().to_string(),
            custom: self.custom,
        }
    }
}

fn minutes(field: &'static str, v: Option<u32>, errors: &mut Errors) -> Option<u32> {
    if v.is_some_and(|m| !(1..=MAX_MINUTES).contains(&m)) {
        errors.push((field, MsgKey::NumberInvalid));
    }
    v
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Checks every field at once.
pub fn validate(input: &SlaPolicyInput) -> Result<Policy, Errors> {
    let mut errors = Errors::new();
    let severity = Severity::parse(input.severity.trim());
    if severity.is_none() {
        errors.push(("severity", MsgKey::ChoiceInvalid));
    }
    let ack = minutes(
        "acknowledge_minutes",
        input.acknowledge_minutes,
        &mut errors,
    );
    let resolve = minutes("resolve_minutes", input.resolve_minutes, &mut errors);
    if let (Some(a), Some(r)) = (ack, resolve)
        && a > r
    {
        errors.push(("resolve_minutes", MsgKey::TimeRangeInvalid));
    }
    let tz = calendar::time_zone(Some(input.time_zone.as_str()));
    if tz.is_none() {
        errors.push(("time_zone", MsgKey::TimeZoneInvalid));
    }
    let hours = if input.business_days.is_empty() {
        None
    } else {
        let days = calendar::weekdays(&input.business_days);
        if days.is_none() || input.business_days.len() > 7 {
            errors.push(("business_days", MsgKey::WeekdaysInvalid));
        }
        let open = blank(&input.day_start).and_then(time_of_day);
        if open.is_none() {
            errors.push(("day_start", MsgKey::TimeOfDayInvalid));
        }
        let close = blank(&input.day_end).and_then(time_of_day);
        if close.is_none() {
            errors.push(("day_end", MsgKey::TimeOfDayInvalid));
        }
        if let (Some(o), Some(c)) = (open, close)
            && (c - o).num_minutes() < MIN_DAY_MINUTES
        {
            errors.push(("day_end", MsgKey::TimeRangeInvalid));
        }
        match (days, open, close, tz) {
            (Some(days), Some(open), Some(close), Some(tz)) => Some(BusinessHours {
                days,
                open,
                close,
                tz,
            }),
            _ => None,
        }
    };
    match (severity, tz) {
        (Some(severity), Some(tz)) if errors.is_empty() => Ok(Policy {
            severity,
            acknowledge_minutes: ack,
            resolve_minutes: resolve,
            hours,
            tz,
            custom: true,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn office(tz: &str) -> SlaPolicyInput {
        SlaPolicyInput {
            severity: "critical".into(),
            acknowledge_minutes: Some(15),
            resolve_minutes: Some(8 * 60),
            business_days: ["mon", "tue", "wed", "thu", "fri"]
                .map(String::from)
                .to_vec(),
            day_start: Some("09:00".into()),
            day_end: Some("17:00".into()),
            time_zone: tz.into(),
        }
    }

    #[test]
    fn around_the_clock_is_plain_minutes_and_info_has_no_target() {
        let p = Policy::builtin(Severity::Critical);
        let (ack, resolve) = p.deadlines(at("2026-12-04T18:00:00Z"));
        assert_eq!(ack, Some(at("2026-12-04T18:15:00Z")));
        assert_eq!(resolve, Some(at("2026-12-04T22:00:00Z")));
        assert_eq!(
            Policy::builtin(Severity::Info).deadlines(at("2026-12-04T18:00:00Z")),
            (None, None)
        );
    }

    #[test]
    fn business_hours_skip_nights_and_weekends_in_local_time() {
        // Algiers is UTC+1 all year: 17:00 local is 16:00 UTC.
        let p = validate(&office("Africa/Algiers")).unwrap();
        // Friday 2026-12-04, 18:00 local: after hours; Monday 09:15 local.
        let (ack, resolve) = p.deadlines(at("2026-12-04T17:00:00Z"));
        assert_eq!(ack, Some(at("2026-12-07T08:15:00Z")));
        assert_eq!(resolve, Some(at("2026-12-07T16:00:00Z")), "a full day");
        // Monday 16:50 local: 10 minutes today, 5 on Tuesday.
        let (ack, resolve) = p.deadlines(at("2026-12-07T15:50:00Z"));
        assert_eq!(ack, Some(at("2026-12-08T08:05:00Z")));
        assert_eq!(resolve, Some(at("2026-12-08T15:50:00Z")));
        // Saturday 03:00 local: Monday.
        let (ack, _) = p.deadlines(at("2026-12-05T02:00:00Z"));
        assert_eq!(ack, Some(at("2026-12-07T08:15:00Z")));
    }

    #[test]
    fn opening_hours_follow_the_clock_change() {
        // Paris: CET (UTC+1) until 2026-03-29, CEST (UTC+2) from then on.
        let p = validate(&office("Europe/Paris")).unwrap();
        // Friday 2026-03-27 16:55 CET: 5 minutes, then Monday 09:10 CEST.
        let (ack, _) = p.deadlines(at("2026-03-27T15:55:00Z"));
        assert_eq!(ack, Some(at("2026-03-30T07:10:00Z")));
    }

    #[test]
    fn every_bad_field_is_named_and_nothing_else() {
        let bad = SlaPolicyInput {
            severity: "apocalyptic".into(),
            acknowledge_minutes: Some(0),
            resolve_minutes: Some(MAX_MINUTES + 1),
            business_days: vec!["mon".into(), "someday".into()],
            day_start: Some("9h".into()),
            day_end: None,
            time_zone: "Mars/Olympus".into(),
        };
        let fields: Vec<&str> = validate(&bad).unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(
            fields,
            [
                "severity",
                "acknowledge_minutes",
                "resolve_minutes",
                "time_zone",
                "business_days",
                "day_start",
                "day_end"
            ]
        );
        let mut late = office("UTC");
        late.acknowledge_minutes = Some(600);
        late.day_end = Some("09:20".into());
        let fields: Vec<&str> = validate(&late).unwrap_err().iter().map(|e| e.0).collect();
        assert_eq!(fields, ["resolve_minutes", "day_end"]);
        let mut none = office("");
        none.business_days.clear();
        none.day_start = Some("nonsense ignored without days".into());
        none.acknowledge_minutes = None;
        let p = validate(&none).unwrap();
        assert_eq!(
            (p.hours, p.tz, p.acknowledge_minutes),
            (None, Tz::UTC, None)
        );
    }

    #[test]
    fn the_wire_form_reads_back_as_the_same_policy() {
        let p = validate(&office("Africa/Algiers")).unwrap();
        let w = p.wire();
        assert_eq!(w.business_days, ["mon", "tue", "wed", "thu", "fri"]);
        assert_eq!(
            (w.day_start.as_deref(), w.day_end.as_deref()),
            (Some("09:00"), Some("17:00"))
        );
        let back = SlaPolicyInput {
            severity: w.severity.as_str().into(),
            acknowledge_minutes: w.acknowledge_minutes,
            resolve_minutes: w.resolve_minutes,
            business_days: w.business_days,
            day_start: w.day_start,
            day_end: w.day_end,
            time_zone: w.time_zone,
        };
        assert_eq!(validate(&back).unwrap(), p);
    }
}
