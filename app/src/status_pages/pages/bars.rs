//! 90 days of uptime as one small SVG: a bar per day, its colour from its
//! uptime and a word for it in the bar's title (and the figure in the
//! image's label), so colour is never the only sign.
use crate::i18n::td_string;
use crate::status_pages::DayBar;
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

#[component]
pub fn UptimeBars(days: Vec<DayBar>, #[prop(into)] label: String) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let width = days.len() * 5;
    let bars = days
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let title = match d.permille {
                Some(p) => format!("{}: {}", d.day, percent(p)),
                None => format!("{}: {}", d.day, td_string!(locale(), status_no_data)),
            };
            view! {
                <rect x=i * 5 y="0" width="3" height="34" rx="1" class=tone(d.permille)>
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
