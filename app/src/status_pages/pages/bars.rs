//! 90 days of uptime as one small SVG: a bar per day, its colour from its
//! uptime and a word for it in the bar's title (and the figure in the
//! image's label), so colour is never the only sign.
use crate::i18n::td_string;
use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

/// The class of a day's bar.
fn tone(permille: Option<u32>) -> &'static str {
    match permille {
        None => "bar-none",
        Some(p) if p >= 999 => "bar-up",
        Some(p) if p >= 950 => "bar-partial",
        Some(_) => "bar-down",
    }
}

/// `99.95 %` from per mille (tenths of a percent are enough here).
pub fn percent(permille: u32) -> String {
    format!("{}.{} %", permille / 10, permille % 10)
}

/// `YYYY-MM-DD` of the day `n` days after `first` (itself if unreadable).
fn day_after(first: &str, n: usize) -> String {
    NaiveDate::parse_from_str(first, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.checked_add_signed(Duration::days(n as i64)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| first.to_string())
}

#[component]
pub fn UptimeBars(
    /// The first bar's day, `YYYY-MM-DD`.
    first_day: String,
    /// Each day's uptime in per mille, oldest first.
    daily: Vec<Option<u32>>,
    #[prop(into)] label: String,
) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let width = daily.len() * 5;
    let bars = daily
        .into_iter()
        .enumerate()
        .map(|(i, permille)| {
            let day = day_after(&first_day, i);
            let title = match permille {
                Some(p) => format!("{day}: {}", percent(p)),
                None => format!("{day}: {}", td_string!(locale(), status_no_data)),
            };
            view! {
                <rect x=i * 5 width="3" height="34" rx="1" class=tone(permille)>
                    <title>{title}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <svg class="uptime-bars" viewBox=format!("0 0 {width} 34") preserveAspectRatio="none"
            role="img" aria-label=label>
            {bars}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_on_from_the_first_across_months() {
        assert_eq!(day_after("2026-09-09", 0), "2026-09-09");
        assert_eq!(day_after("2026-09-09", 89), "2026-12-07");
        assert_eq!(day_after("garbage", 3), "garbage");
        assert_eq!(
            (
                tone(None),
                tone(Some(1000)),
                tone(Some(960)),
                tone(Some(10))
            ),
            ("bar-none", "bar-up", "bar-partial", "bar-down")
        );
    }
}
