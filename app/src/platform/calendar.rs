//! Week days, times of day and time zones as people write them, shared by
//! every rule that follows a local calendar (maintenance windows, SLA
//! business hours). One place decides what a local time means on a day
//! the clocks change.
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Monday first, as `Datelike::weekday().num_days_from_monday()` counts.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The days named in `names` (`mon`…`sun`, any case, repeats allowed);
/// `None` when one is unknown or none is given.
pub fn weekdays(names: &[String]) -> Option<[bool; 7]> {
    let mut days = [false; 7];
    for name in names {
        let i = WEEKDAYS
            .iter()
            .position(|w| *w == name.trim().to_lowercase())?;
        days[i] = true;
    }
    days.contains(&true).then_some(days)
}

/// The names of the days set in `days`, Monday first.
pub fn weekday_names(days: &[bool; 7]) -> Vec<String> {
    WEEKDAYS
        .iter()
        .zip(days)
        .filter(|(_, on)| **on)
        .map(|(d, _)| d.to_string())
        .collect()
}

/// `HH:MM`, 24-hour.
pub fn time_of_day(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    (s.len() == 5)
        .then(|| NaiveTime::parse_from_str(s, "%H:%M").ok())
        .flatten()
}

/// An IANA time zone name; UTC when none is given.
pub fn time_zone(name: Option<&str>) -> Option<Tz> {
    match name.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(Tz::UTC),
        Some(n) => n.parse().ok(),
    }
}

/// The instant of local time `time` on `day` in `tz`. On the night the
/// clocks go back, the first of the two; in the hour skipped when they go
/// forward, an hour later (what a wall clock shows then).
pub fn local_instant(tz: Tz, day: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let local = day.and_time(time);
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|s| s.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_in_any_case_and_an_unknown_one_refuses_all() {
        let d = weekdays(&["Mon".into(), " fri ".into(), "mon".into()]).unwrap();
        assert_eq!(weekday_names(&d), ["mon", "fri"]);
        assert_eq!(weekdays(&["mon".into(), "funday".into()]), None);
        assert_eq!(weekdays(&[]), None);
    }

    #[test]
    fn times_and_zones() {
        assert_eq!(time_of_day("09:30"), NaiveTime::from_hms_opt(9, 30, 0));
        assert_eq!(time_of_day("9:30"), None);
        assert_eq!(time_of_day("24:00"), None);
        assert_eq!(time_zone(None), Some(Tz::UTC));
        assert_eq!(time_zone(Some("Europe/Paris")), Some(Tz::Europe__Paris));
        assert_eq!(time_zone(Some("Mars/Olympus")), None);
    }

    #[test]
    fn a_time_skipped_by_the_clocks_is_an_hour_later() {
        // Paris skipped 02:00–03:00 on 2026-03-29.
        let day = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let t = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        let at = local_instant(Tz::Europe__Paris, day, t).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-03-29T01:30:00+00:00");
    }
}
