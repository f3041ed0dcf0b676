//! `/app/incidents`: report a problem (everyone signed in), follow one's
//! own reports, and — with `incidents:read` — every ticket, its timeline,
//! and with `incidents:manage` the moves, assignment and severity.
use crate::i18n::{Locale, use_i18n};
use crate::incidents::{IncidentStatus, Severity};
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, use_current_user};
use leptos::prelude::*;

mod detail;
mod figures;
mod list;
mod postmortem;
mod report;
mod sla;
mod timer;

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
    // Those who handle tickets see the list first; a reporter, the form.
    view! {
        <Show
            when=move || state.reads_all.get()
            fallback=move || view! {
                <report::ReportForm state />
                <detail::IncidentPanel state />
                <list::MyIncidents state />
            }
        >
            <list::AllIncidents state />
            <detail::IncidentPanel state />
            <report::ReportForm state />
            <sla::SlaPolicies state />
        </Show>
    }
}

pub fn severity_label(locale: Locale, s: Severity) -> &'static str {
    s.label(locale)
}

pub fn status_label(locale: Locale, s: IncidentStatus) -> &'static str {
    s.label(locale)
}
