//! `/app/automation`: the script library and its editor, the form that
//! runs a script on servers (or this instance), the recent runs, and the
//! run panel with its live output.
use crate::automation::RunStatus;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, use_current_user};
use leptos::prelude::*;

mod ansi;
mod editor;
mod library;
mod output;
mod params;
mod run_form;
mod runs;

crate::lazy_page!(AutomationRoute => AutomationPage);

#[component]
fn AutomationPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, automation_title)
            path="/app/automation"
            access=Access::Can(Permission::ScriptsRead)
        >
            <Automation />
        </AppFrame>
    }
}

/// What the page's parts share: the script in the editor and run form,
/// the run in the panel, a counter that reloads the lists, and what the
/// reader may do.
#[derive(Clone, Copy)]
struct PageState {
    script: RwSignal<Option<i32>>,
    run: RwSignal<Option<i32>>,
    version: RwSignal<u32>,
    writes: Signal<bool>,
    runs: Signal<bool>,
}

impl PageState {
    fn changed(self) {
        self.version.update(|v| *v += 1);
    }
}

#[component]
fn Automation() -> impl IntoView {
    let user = use_current_user();
    let can = move |p: Permission| Signal::derive(move || user.get().is_some_and(|u| u.can(p)));
    let state = PageState {
        script: RwSignal::new(None),
        run: RwSignal::new(None),
        version: RwSignal::new(0),
        writes: can(Permission::ScriptsWrite),
        runs: can(Permission::ScriptsRun),
    };
    view! {
        <library::Library state />
        <Show when=move || state.writes.get()>
            <editor::Editor state />
        </Show>
        <Show when=move || state.runs.get()>
            <run_form::RunForm state />
        </Show>
        <output::RunPanel state />
        <runs::RecentRuns state />
    }
}

/// A run's (or a host's) status in words.
fn status_label(locale: Locale, s: RunStatus) -> &'static str {
    match s {
        RunStatus::Queued => td_string!(locale, run_queued),
        RunStatus::Running => td_string!(locale, run_running),
        RunStatus::Succeeded => td_string!(locale, run_succeeded),
        RunStatus::Failed => td_string!(locale, run_failed),
        RunStatus::Cancelled => td_string!(locale, run_cancelled),
        RunStatus::Interrupted => td_string!(locale, run_interrupted),
    }
}

/// The badge of a status: a word beside its colour.
#[component]
fn StatusBadge(status: RunStatus) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    view! {
        <span class=format!("badge run-{}", status.as_str())>{move || status_label(locale(), status)}</span>
    }
}
