//! Bulk import: paste CSV or JSON, preview the per-line report (a dry run),
//! then import — every row, or only the valid ones when asked.
use super::PageState;
use crate::i18n::{td_string, use_i18n};
use crate::servers::ImportReport;
use crate::servers::api::import_servers;
use crate::ui::{
    CheckboxField, FormAlert, FormStatus, SelectField, TextareaField, use_form_action,
};
use leptos::prelude::*;

#[component]
pub fn ServerImport(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let format = RwSignal::new("csv".to_string());
    let data = RwSignal::new(String::new());
    let skip_invalid = RwSignal::new(false);
    let report = RwSignal::new(None::<ImportReport>);
    let run = use_form_action(
        move |dry_run: &bool| {
            import_servers(
                format.get_untracked(),
                data.get_untracked(),
                *dry_run,
                skip_invalid.get_untracked(),
            )
        },
        move |r: &ImportReport| {
            report.set(Some(r.clone()));
            if r.dry_run {
                return None;
            }
            state.changed();
            Some(format!(
                "{} {}",
                td_string!(locale(), servers_imported),
                r.imported
            ))
        },
    );
    let errors = run.errors;
    view! {
        <section class="card" aria-labelledby="server-import-h">
            <h2 id="server-import-h">{crate::tr!(i18n, servers_import)}</h2>
            <form class="form" id="server-import" novalidate on:submit=move |ev| { ev.prevent_default(); run.dispatch(false); }>
                <FormAlert errors />
                <FormStatus message=run.done />
                <SelectField label=crate::tr_signal!(i18n, field_import_format) name="format" form="import" value=format errors>
                    <option value="csv" selected=move || format.get() == "csv">"CSV"</option>
                    <option value="json" selected=move || format.get() == "json">"JSON"</option>
                </SelectField>
                <TextareaField label=crate::tr_signal!(i18n, field_import_data) name="data" form="import" value=data errors rows=6 hint=crate::tr_signal!(i18n, hint_import) />
                <CheckboxField label=crate::tr_signal!(i18n, field_skip_invalid) name="skip_invalid" form="import" checked=skip_invalid errors />
                <div class="form-actions">
                    <button type="button" class="button" id="server-import-preview" disabled=move || run.pending().get() on:click=move |_| run.dispatch(true)>
                        {crate::tr!(i18n, servers_preview)}
                    </button>
                    <button type="submit" class="button button-primary" disabled=move || run.pending().get()>{crate::tr!(i18n, servers_import)}</button>
                </div>
            </form>
            {move || report.get().map(|r| view! { <Report r /> })}
        </section>
    }
}

/// The preview: one line per row, its errors beside it.
#[component]
fn Report(r: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let (valid, invalid) = (r.valid, r.invalid);
    view! {
        <p id="server-import-summary">{move || crate::i18n::td!(locale(), servers_import_summary, valid = valid, invalid = invalid)}</p>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="server-import-h">
            <table class="table" id="server-import-report">
                <thead><tr>
                    <th scope="col">{crate::tr!(i18n, col_line)}</th>
                    <th scope="col">{crate::tr!(i18n, field_server_name)}</th>
                    <th scope="col">{crate::tr!(i18n, col_result)}</th>
                </tr></thead>
                <tbody>
                    {r.rows.into_iter().map(|row| {
                        let ok = row.errors.is_empty();
                        let result = if ok {
                            td_string!(locale(), import_row_ok).to_string()
                        } else {
                            row.errors.iter().map(|(f, m)| format!("{f}: {m}")).collect::<Vec<_>>().join(" · ")
                        };
                        view! {
                            <tr class=if ok { "" } else { "row-invalid" }>
                                <td>{row.line}</td>
                                <td>{row.name}</td>
                                <td>{result}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
