//! The maintenance calendar: two weeks of UTC days from today, each with
//! the windows that touch it (a window across midnight shows on both
//! days), moved a week at a time. Today comes from the server's clock. The occurrences come from the windows' rules on the
//! server, computed for the days asked — none is stored.
use super::PageState;
use crate::alerts::MaintenanceOccurrence;
use crate::alerts::api::maintenance_calendar;
use crate::i18n::{Locale, td_string, use_i18n};
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;

const DAYS: u32 = 14;

fn weekday(locale: Locale, d: NaiveDate) -> &'static str {
    match d.weekday().num_days_from_monday() {
        0 => td_string!(locale, day_mon),
        1 => td_string!(locale, day_tue),
        2 => td_string!(locale, day_wed),
        3 => td_string!(locale, day_thu),
        4 => td_string!(locale, day_fri),
        5 => td_string!(locale, day_sat),
        _ => td_string!(locale, day_sun),
    }
}

/// `HH:MM–HH:MM` of an occurrence as seen on `day` (a bound on another
/// day shows with its date).
fn span(o: &MaintenanceOccurrence, day: NaiveDate) -> String {
    let part = |at: &str| {
        let (date, rest) = at.split_at(at.len().min(10));
        let time = rest.get(1..6).unwrap_or("");
        if date == day.format("%Y-%m-%d").to_string() {
            time.to_string()
        } else {
            format!("{} {time}", date.get(5..).unwrap_or(date))
        }
    };
    format!("{}–{}", part(&o.starts_at), part(&o.ends_at))
}

/// Whether `o` overlaps the UTC day `day`.
fn touches(o: &MaintenanceOccurrence, day: NaiveDate) -> bool {
    let midnight = |d: NaiveDate| d.format("%Y-%m-%dT00:00:00Z").to_string();
    let (d, next) = (midnight(day), midnight(day + Duration::days(1)));
    // RFC 3339 UTC strings to the second (`platform::rfc3339`) sort as instants.
    o.starts_at.as_str() < next.as_str() && o.ends_at.as_str() > d.as_str()
}

#[component]
pub fn Calendar(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    // `None`: from today, as the server counts it.
    let from = RwSignal::new(None::<NaiveDate>);
    let calendar = Resource::new(
        move || (from.get(), state.version.get()),
        |(from, _)| {
            maintenance_calendar(from.map(|f| f.format("%Y-%m-%d").to_string()), Some(DAYS))
        },
    );
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let shown = move || {
        calendar
            .get()
            .and_then(Result::ok)
            .and_then(|c| Some((date(&c.from)?, date(&c.today)?, c.occurrences)))
    };
    let shift = move |weeks: i64| {
        if let Some((start, _, _)) = shown() {
            from.set(Some(start + Duration::days(7 * weeks)));
        }
    };
    let days = move || {
        let Some((start, today, occurrences)) = shown() else {
            return Vec::new();
        };
        (0..DAYS)
            .map(|n| {
                let day = start + Duration::days(i64::from(n));
                let here: Vec<MaintenanceOccurrence> =
                    occurrences.iter().filter(|o| touches(o, day)).cloned().collect();
                let iso = day.format("%Y-%m-%d").to_string();
                view! {
                    <li class="calendar-day" class:calendar-today={day == today}>
                        <h3><span>{move || weekday(locale(), day)}</span> " " <time datetime=iso.clone() dir="ltr">{day.format("%m-%d").to_string()}</time></h3>
                        {if here.is_empty() {
                            view! { <p class="muted">"—"</p> }.into_any()
                        } else {
                            view! {
                                <ul>
                                    {here.iter().map(|o| view! {
                                        <li class="calendar-item">
                                            <span dir="ltr" class="nowrap">{span(o, day)}</span>
                                            " " <span>{o.title.clone()}</span>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    let range = move || {
        shown().map(|(f, _, _)| {
            format!(
                "{} – {} UTC",
                f.format("%Y-%m-%d"),
                (f + Duration::days(i64::from(DAYS) - 1)).format("%Y-%m-%d")
            )
        })
    };
    view! {
        <section class="card" aria-labelledby="calendar-h" id="maintenance-calendar">
            <h2 id="calendar-h">{crate::tr!(i18n, calendar_title)}</h2>
            <div class="calendar-nav">
                <button type="button" class="button" id="calendar-earlier" on:click=move |_| shift(-1)>{crate::tr!(i18n, calendar_earlier)}</button>
                <p aria-live="polite" dir="ltr">{range}</p>
                <button type="button" class="button" id="calendar-later" on:click=move |_| shift(1)>{crate::tr!(i18n, calendar_later)}</button>
            </div>
            {move || calendar.get().and_then(Result::err).map(|e| view! { <p class="notice notice-danger" role="alert">{e.error.message}</p> })}
            <ol class="calendar" aria-labelledby="calendar-h">{days}</ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(start: &str, end: &str) -> MaintenanceOccurrence {
        MaintenanceOccurrence {
            window_id: 1,
            title: "Backups".into(),
            starts_at: start.into(),
            ends_at: end.into(),
            server_ids: vec![],
            tags: vec![],
        }
    }

    #[test]
    fn a_window_across_midnight_shows_on_both_days() {
        let o = occ("2026-12-06T23:00:00Z", "2026-12-07T02:00:00Z");
        let sun = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let mon = sun + Duration::days(1);
        assert!(touches(&o, sun) && touches(&o, mon));
        assert!(!touches(&o, mon + Duration::days(1)));
        assert!(!touches(&o, sun - Duration::days(1)));
        assert_eq!(span(&o, sun), "23:00–12-07 02:00");
        assert_eq!(span(&o, mon), "12-06 23:00–02:00");
        let ends_at_midnight = occ("2026-12-06T22:00:00Z", "2026-12-07T00:00:00Z");
        assert!(!touches(&ends_at_midnight, mon));
    }
}
