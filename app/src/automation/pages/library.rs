//! The script library: every script by name; choosing one puts it in the
//! editor and the run form.
use super::PageState;
use crate::automation::ScriptView;
use crate::automation::api::list_scripts;
use crate::i18n::use_i18n;
use crate::ui::{Column, DataTable, Timestamp};
use leptos::prelude::*;

#[component]
pub fn Library(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let scripts = Resource::new(move || state.version.get(), |_| list_scripts());
    let rows = Signal::derive(move || scripts.get());
    let columns = vec![
        Column::new(
            crate::tr_signal!(i18n, script_name),
            move |s: &ScriptView| {
                let id = s.id;
                view! {
                    <button type="button" class="link-button wrap-anywhere"
                        aria-pressed=move || (state.script.get() == Some(id)).to_string()
                        on:click=move |_| state.script.set(Some(id))>
                        {s.name.clone()}
                    </button>
                }
                .into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, script_language),
            |s: &ScriptView| view! { <span dir="ltr">{s.language.as_str()}</span> }.into_any(),
        ),
        Column::new(crate::tr_signal!(i18n, script_version), |s: &ScriptView| {
            view! { {s.version} }.into_any()
        }),
        Column::new(
            crate::tr_signal!(i18n, script_parameters),
            |s: &ScriptView| {
                let names = s
                    .parameters
                    .iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>()
                    .join(", ");
                view! { <span dir="ltr" class="wrap-anywhere">{names}</span> }.into_any()
            },
        ),
        Column::new(crate::tr_signal!(i18n, script_updated), |s: &ScriptView| {
            view! { <Timestamp at=Some(s.updated_at.clone()) /> }.into_any()
        }),
    ];
    view! {
        <section class="card" aria-labelledby="scripts-h">
            <h2 id="scripts-h">{crate::tr!(i18n, scripts_title)}</h2>
            <p class="muted">{crate::tr!(i18n, scripts_intro)}</p>
            <DataTable
                id="script-table"
                label=crate::tr_signal!(i18n, scripts_title)
                columns
                rows
                empty=crate::tr_signal!(i18n, scripts_empty)
                loading=crate::tr_signal!(i18n, loading)
            />
        </section>
    }
}
