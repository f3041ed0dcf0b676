//! The live SLA timers on a ticket: "due in 12 min 05 s", "overdue by
//! 3 min 10 s", "met" or "met late". The deadlines are absolute instants
//! (business hours are already counted in them by the server), so the
//! browser recounts them every second from its own clock and a page left
//! open stays true without asking the server again.
use crate::i18n::{td_string, use_i18n};
use crate::ui::Timestamp;
use leptos::prelude::*;

/// Where one deadline stands at one instant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Standing {
    /// No target for this severity.
    NoTarget,
    /// Not met yet; this many seconds are left.
    Due(i64),
    /// Not met and past; by this many seconds.
    Overdue(i64),
    /// Met before the deadline.
    Met,
    /// Met, but after the deadline.
    MetLate,
}

/// The standing of `deadline` at `now_ms`, given when (if ever) it was met.
pub(crate) fn standing(deadline: Option<&str>, met_at: Option<&str>, now_ms: i64) -> Standing {
    let Some(due) = deadline.and_then(millis) else {
        return Standing::NoTarget;
    };
    match met_at.and_then(millis) {
        Some(met) if met <= due => Standing::Met,
        Some(_) => Standing::MetLate,
        None if now_ms < due => Standing::Due((due - now_ms + 999) / 1000),
        None => Standing::Overdue((now_ms - due) / 1000),
    }
}

fn millis(at: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|d| d.timestamp_millis())
}

/// Seconds as "2 d 3 h", "1 h 05 min" or "12 min 05 s": precise while
/// it matters, short when it is far.
pub(crate) fn span(secs: i64) -> String {
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else {
        format!("{m} min {s:02} s")
    }
}

/// The browser's clock; on the server, the server's (the first paint
/// only: the browser takes over within a second of hydrating).
fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(all(feature = "ssr", not(feature = "hydrate")))]
    {
        chrono::Utc::now().timestamp_millis()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        0
    }
}

/// One deadline with its live standing. `met_at` is when the ticket was
/// acknowledged (or resolved), if it was.
#[component]
pub fn SlaTimer(
    deadline: Option<String>,
    met_at: Option<String>,
    id: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let now = RwSignal::new(now_ms());
    let ticking = deadline.is_some() && met_at.is_none();
    // Effects run in the browser only, where `window` exists.
    Effect::new(move |_| {
        if ticking
            && let Ok(handle) = set_interval_with_handle(
                move || {
                    now.try_set(now_ms());
                },
                std::time::Duration::from_secs(1),
            )
        {
            on_cleanup(move || handle.clear());
        }
    });
    let at = deadline.clone();
    let state = Memo::new(move |_| standing(deadline.as_deref(), met_at.as_deref(), now.get()));
    let class = move || match state.get() {
        Standing::Overdue(_) | Standing::MetLate => "sla sla-missed",
        Standing::Met => "sla sla-met",
        _ => "sla",
    };
    let words = move || {
        let l = locale();
        match state.get() {
            Standing::NoTarget => String::new(),
            Standing::Due(s) => format!("{} {}", td_string!(l, sla_due_in), span(s)),
            Standing::Overdue(s) => format!("{} {}", td_string!(l, sla_overdue_by), span(s)),
            Standing::Met => td_string!(l, sla_met).to_string(),
            Standing::MetLate => td_string!(l, sla_met_late).to_string(),
        }
    };
    view! {
        <Timestamp at />
        // `role="timer"`: read when asked for, not announced every second.
        <span id=id role="timer" class=class>{words}</span>
    }
}

#[cfg(test)]
mod tests {
    use super::{Standing, span, standing};

    const DUE: &str = "2026-12-08T10:00:00Z";
    fn at(hms: &str) -> i64 {
        super::millis(&format!("2026-12-08T{hms}Z")).unwrap()
    }

    #[test]
    fn a_deadline_counts_down_then_up() {
        assert_eq!(
            standing(Some(DUE), None, at("09:47:55")),
            Standing::Due(725)
        );
        assert_eq!(span(725), "12 min 05 s");
        // Part of a second left still reads as one second, never "0 s".
        assert_eq!(
            standing(Some(DUE), None, at("09:59:59.500")),
            Standing::Due(1)
        );
        assert_eq!(
            standing(Some(DUE), None, at("10:00:00")),
            Standing::Overdue(0)
        );
        assert_eq!(
            standing(Some(DUE), None, at("11:03:10")),
            Standing::Overdue(3790)
        );
        assert_eq!(span(3790), "1 h 03 min");
        assert_eq!(span(2 * 86_400 + 3 * 3600 + 59), "2 d 3 h");
    }

    #[test]
    fn a_met_deadline_stops_and_says_whether_it_was_in_time() {
        let late = at("12:00:00");
        assert_eq!(
            standing(Some(DUE), Some("2026-12-08T09:30:00Z"), late),
            Standing::Met
        );
        assert_eq!(
            standing(Some(DUE), Some("2026-12-08T10:00:01Z"), late),
            Standing::MetLate
        );
        assert_eq!(standing(None, None, late), Standing::NoTarget);
        assert_eq!(standing(Some("not a time"), None, late), Standing::NoTarget);
    }
}
