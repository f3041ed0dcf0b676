//! Times in tables: short, UTC, and always left-to-right.

use leptos::prelude::*;

/// An RFC 3339 UTC time (as the services send it) shown as
/// "2026-11-25 18:24 UTC". `dir="ltr"` keeps the digits in order inside
/// right-to-left pages, and the cell never breaks the date apart. `None`
/// shows a dash.
#[component]
pub fn Timestamp(#[prop(into)] at: Option<String>) -> impl IntoView {
    match at {
        Some(at) => {
            let short = short_utc(&at);
            view! { <time datetime=at dir="ltr" class="nowrap">{short}</time> }.into_any()
        }
        None => "—".into_any(),
    }
}

/// "2026-11-25T18:24:08Z" → "2026-11-25 18:24 UTC"; anything else unchanged.
pub fn short_utc(at: &str) -> String {
    let b = at.as_bytes();
    if b.len() >= 17 && b[10] == b'T' && b[13] == b':' && at.ends_with('Z') {
        format!("{} {} UTC", &at[..10], &at[11..16])
    } else {
        at.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::short_utc;

    #[test]
    fn shortens_utc_times_and_leaves_the_rest() {
        assert_eq!(short_utc("2026-11-25T18:24:08Z"), "2026-11-25 18:24 UTC");
        assert_eq!(
            short_utc("2026-11-25T18:24:08.123Z"),
            "2026-11-25 18:24 UTC"
        );
        assert_eq!(
            short_utc("2026-11-25T18:24:08+01:00"),
            "2026-11-25T18:24:08+01:00"
        );
        assert_eq!(short_utc("soon"), "soon");
    }
}
