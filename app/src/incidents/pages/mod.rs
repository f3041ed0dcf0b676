//! `/app/incidents`: report a problem (everyone signed in), follow one's
//! own reports, and — with `incidents:read` — every ticket, its timeline,
//! and with `incidents:manage` the moves, assignment and severity.
use crate::i18n::{Locale, td_string, use_i18n};
use crate::incidents::{IncidentStatus, Severity};
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, use_current_user};
use leptos::prelude::*;

mod detail;
mod list;
mod report;

crate::lazy_page!(IncidentsRoute => IncidentsPage);

#[component]
fn IncidentsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, incidents_title)
            path="/app/incidents"
            access=Access::Can(Permission::IncidentsCreate)
        >
            <Incidents />
        </AppFrame>
    }
}

/// What the page's parts share: the open ticket, a counter that reloads
/// the lists after a change, and what the reader may do.
#[derive(Clone, Copy)]
struct PageState {
    selected: RwSignal<Option<i32>>,
    version: RwSignal<u32>,
    reads_all: Signal<bool>,
}

impl PageState {
    fn changed(self) {
        self.version.update(|v| *v += 1);
    }
}

#[component]
fn Incidents() -> impl IntoView {
    let user = use_current_user();
    let query = leptos_router::hooks::use_query_map();
    let state = PageState {
        selected: RwSignal::new(
            query
                .read_untracked()
                .get("selected")
                .and_then(|s| s.parse().ok()),
        ),
        version: RwSignal::new(0),
        reads_all: Signal::derive(move || {
            user.get().is_some_and(|u| u.can(Permission::IncidentsRead))
        }),
    };
    view! {
        <report::ReportForm state />
        <detail::IncidentPanel state />
        <Show
            when=move || state.reads_all.get()
            fallback=move || view! { <list::MyIncidents state /> }
        >
            <list::AllIncidents state />
        </Show>
    }
}

pub fn severity_label(locale: Locale, s: Severity) -> &'static str {
    match s {
        Severity::Critical => td_string!(locale, severity_critical),
        Severity::High => td_string!(locale, severity_high),
        Severity::Medium => td_string!(locale, severity_medium),
        Severity::Low => td_string!(locale, severity_low),
        Severity::Info => td_string!(locale, severity_info),
    }
}

pub fn status_label(locale: Locale, s: IncidentStatus) -> &'static str {
    match s {
        IncidentStatus::Open => td_string!(locale, incident_status_open),
        IncidentStatus::Acknowledged => td_string!(locale, incident_status_acknowledged),
        IncidentStatus::Investigating => td_string!(locale, incident_status_investigating),
        IncidentStatus::Resolved => td_string!(locale, incident_status_resolved),
        IncidentStatus::Closed => td_string!(locale, incident_status_closed),
    }
}
