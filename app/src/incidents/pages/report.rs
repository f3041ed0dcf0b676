//! "Report a problem": the one form every signed-in person has, made for
//! a phone first (three fields, one column). The new ticket opens below.
use super::{PageState, severity_label};
use crate::i18n::{td_string, use_i18n};
use crate::incidents::api::report_incident;
use crate::incidents::{IncidentView, Severity};
use crate::ui::{Field, FormAlert, FormStatus, SelectField, TextareaField, use_form_action};
use leptos::prelude::*;

#[component]
pub fn ReportForm(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let (title, severity, description) = (
        RwSignal::new(String::new()),
        RwSignal::new(Severity::Medium.as_str().to_string()),
        RwSignal::new(String::new()),
    );
    let report = use_form_action(
        move |_: &()| {
            report_incident(
                title.get_untracked(),
                description.get_untracked(),
                severity.get_untracked(),
                Vec::new(),
            )
        },
        move |i: &IncidentView| {
            title.set(String::new());
            description.set(String::new());
            state.selected.set(Some(i.id));
            state.changed();
            Some(format!(
                "{} {}",
                td_string!(locale(), incident_reported),
                i.title
            ))
        },
    );
    let errors = report.errors;
    view! {
        <section class="card" aria-labelledby="report-h">
            <h2 id="report-h">{crate::tr!(i18n, incidents_report)}</h2>
            <p class="muted">{crate::tr!(i18n, incidents_report_intro)}</p>
            <form class="form" id="report-form" novalidate on:submit=move |ev| { ev.prevent_default(); report.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=report.done />
                <Field label=crate::tr_signal!(i18n, field_incident_title) name="title" form="report" value=title errors />
                <SelectField label=crate::tr_signal!(i18n, field_severity) name="severity" form="report" value=severity errors>
                    {Severity::ALL.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str() selected=move || severity.get() == s.as_str()>{move || severity_label(locale(), s)}</option> }
                    }).collect_view()}
                </SelectField>
                <TextareaField label=crate::tr_signal!(i18n, field_incident_description) name="description" form="report" value=description errors hint=crate::tr_signal!(i18n, hint_markdown) />
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || report.pending().get()>{crate::tr!(i18n, incidents_send)}</button>
                </div>
            </form>
        </section>
    }
}
