//! The recent runs, newest first; choosing one opens it in the run panel.
use super::{PageState, StatusBadge};
use crate::automation::RunView;
use crate::automation::api::list_runs;
use crate::i18n::use_i18n;
use crate::ui::{Column, DataTable, Timestamp};
use leptos::prelude::*;

#[component]
pub fn RecentRuns(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let runs = Resource::new(move || state.version.get(), |_| list_runs(None));
    let rows = Signal::derive(move || runs.get().map(|r| r.map(|p| p.items)));
    let columns = vec![
        Column::new(crate::tr_signal!(i18n, run_what), move |r: &RunView| {
            let id = r.id;
            view! {
                <button type="button" class="link-button wrap-anywhere"
                    aria-pressed=move || (state.run.get() == Some(id)).to_string()
                    on:click=move |_| state.run.set(Some(id))>
                    {format!("#{} {}", r.id, r.title)}
                </button>
            }
            .into_any()
        }),
        Column::new(crate::tr_signal!(i18n, run_status), |r: &RunView| {
            view! { <StatusBadge status=r.status /> }.into_any()
        }),
        Column::new(crate::tr_signal!(i18n, run_targets), |r: &RunView| {
            let hosts = r
                .targets
                .iter()
                .map(|t| t.label.clone())
                .collect::<Vec<_>>()
                .join(", ");
            view! { <span class="wrap-anywhere">{hosts}</span> }.into_any()
        }),
        Column::new(crate::tr_signal!(i18n, run_requested), |r: &RunView| {
            let who = r.requested_by.clone().unwrap_or_else(|| "—".into());
            view! { <Timestamp at=Some(r.created_at.clone()) />" · "{who} }.into_any()
        }),
    ];
    view! {
        <section class="card" aria-labelledby="runs-h">
            <h2 id="runs-h">{crate::tr!(i18n, runs_title)}</h2>
            <DataTable
                id="run-table"
                label=crate::tr_signal!(i18n, runs_title)
                columns
                rows
                empty=crate::tr_signal!(i18n, runs_empty)
                loading=crate::tr_signal!(i18n, loading)
            />
        </section>
    }
}
