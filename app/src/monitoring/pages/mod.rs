//! `/app/monitoring`: the day's worst monitors and latest changes (or, with
//! `?server=<id>`, that server's CPU, memory and disk), counts per status, the monitors table (updated live from the event bus), one monitor's detail with its last day by hour,
//! and the create/edit form with "test now".
use super::{MonitorStatus, MonitorView};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, use_current_user};
use leptos::prelude::*;

mod board;
mod definition;
mod detail;
mod form;
mod host;
mod list;

crate::lazy_page!(MonitoringRoute => MonitoringPage);

#[component]
fn MonitoringPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, monitoring_title)
            path="/app/monitoring"
            access=Access::Can(Permission::MonitoringRead)
        >
            <Monitoring />
        </AppFrame>
    }
}

/// What the page's parts share: the open monitor, the one being edited,
/// and a counter that reloads after a change or new results.
#[derive(Clone, Copy)]
struct PageState {
    selected: RwSignal<Option<i32>>,
    editing: RwSignal<Option<MonitorView>>,
    version: RwSignal<u32>,
    can_write: Signal<bool>,
    /// `?server=<id>`: the page shows that server's health and checks.
    server: Signal<Option<i32>>,
}

impl PageState {
    fn changed(self) {
        self.version.update(|v| *v += 1);
    }
}

/// The words of a status.
pub fn status_label(locale: Locale, s: MonitorStatus) -> &'static str {
    match s {
        MonitorStatus::Up => td_string!(locale, monitor_status_up),
        MonitorStatus::Down => td_string!(locale, monitor_status_down),
        MonitorStatus::Pending => td_string!(locale, monitor_status_pending),
        MonitorStatus::Maintenance => td_string!(locale, monitor_status_maintenance),
        MonitorStatus::Paused => td_string!(locale, monitor_status_paused),
    }
}

#[component]
fn Monitoring() -> impl IntoView {
    let user = use_current_user();
    let query = leptos_router::hooks::use_query_map();
    let state = PageState {
        server: Signal::derive(move || query.read().get("server").and_then(|s| s.parse().ok())),
        selected: RwSignal::new(None),
        editing: RwSignal::new(None),
        version: RwSignal::new(0),
        can_write: Signal::derive(move || {
            user.get()
                .is_some_and(|u| u.can(Permission::MonitoringWrite))
        }),
    };
    // New results and changes arrive from the engine: reload what is shown,
    // at most once a second however many batches come in (at 10,000
    // monitors the engine writes about two a second).
    let waiting = StoredValue::new(false);
    crate::ui::on_server_events(
        "monitoring",
        &["monitor.changed", "monitors.checked"],
        move || {
            if waiting.try_get_value().unwrap_or(true) {
                return;
            }
            waiting.set_value(true);
            // The page may be gone when the timer fires: nothing to reload.
            set_timeout(
                move || {
                    let _ = waiting.try_set_value(false);
                    let _ = state.version.try_update(|v| *v += 1);
                },
                std::time::Duration::from_secs(1),
            );
        },
    );
    view! {
        {move || match state.server.get() {
            Some(id) => view! { <host::ServerHealth id state /> }.into_any(),
            None => view! { <board::Boards state /> }.into_any(),
        }}
        <list::MonitorList state />
        <detail::MonitorDetailPanel state />
        <Show when=move || state.can_write.get()>
            <form::MonitorForm state />
        </Show>
    }
}
