//! The tickets: every one with filters (`incidents:read`, live over the
//! event bus), or the reader's own reports. More rows load by cursor.
use super::{PageState, severity_label, status_label};
use crate::i18n::use_i18n;
use crate::incidents::api::{list_incidents, my_incidents};
use crate::incidents::{IncidentPage, IncidentStatus, IncidentView, Severity};
use crate::ui::{Column, DataTable, Timestamp};
use leptos::prelude::*;

fn columns(state: PageState) -> Vec<Column<IncidentView>> {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    vec![
        Column::new(
            crate::tr_signal!(i18n, field_incident_title),
            move |i: &IncidentView| {
                let id = i.id;
                view! {
                    <button type="button" class="link-button" on:click=move |_| state.selected.set(Some(id))>
                        {i.title.clone()}
                    </button>
                }
                .into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, field_severity),
            move |i: &IncidentView| {
                let (class, s) = (
                    format!("badge severity-{}", i.severity.as_str()),
                    i.severity,
                );
                view! { <span class=class>{move || severity_label(locale(), s)}</span> }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, field_status),
            move |i: &IncidentView| {
                let (class, s) = (format!("badge incident-{}", i.status.as_str()), i.status);
                view! { <span class=class>{move || status_label(locale(), s)}</span> }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, field_assignee),
            |i: &IncidentView| {
                i.assignee
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_else(|| "—".into())
                    .into_any()
            },
        ),
        Column::new(crate::tr_signal!(i18n, field_opened), |i: &IncidentView| {
            view! { <Timestamp at=Some(i.created_at.clone()) /> }.into_any()
        }),
    ]
}

/// The table with its "first page" and "next page" buttons.
#[component]
fn Paged(
    id: &'static str,
    label: Signal<String>,
    state: PageState,
    page: Resource<Result<IncidentPage, crate::error::AppError>>,
    cursor: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = Signal::derive(move || page.get().map(|r| r.map(|p| p.items)));
    let next = move || page.get().and_then(|r| r.ok()).and_then(|p| p.next_cursor);
    view! {
        <DataTable
            id
            label
            columns=columns(state)
            rows
            empty=crate::tr_signal!(i18n, table_empty)
            loading=crate::tr_signal!(i18n, loading)
        />
        <crate::ui::Pager cursor next=Signal::derive(next) />
    }
}

#[component]
pub fn AllIncidents(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let (q, status, severity) = (
        RwSignal::new(String::new()),
        RwSignal::new("active".to_string()),
        RwSignal::new(String::new()),
    );
    let cursor = RwSignal::new(None::<String>);
    let opt = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let page = Resource::new(
        move || {
            (
                q.get(),
                status.get(),
                severity.get(),
                cursor.get(),
                state.version.get(),
            )
        },
        move |(q, status, severity, cursor, _)| {
            list_incidents(
                opt(status),
                opt(severity),
                None,
                None,
                opt(q),
                cursor,
                Some(50),
            )
        },
    );
    // A colleague, the reporter or an alert changed a ticket: reload.
    crate::ui::on_server_events("incidents", &["incident.changed"], move || state.changed());
    let reset = move || cursor.set(None);
    view! {
        <section class="card" aria-labelledby="incidents-all-h">
            <h2 id="incidents-all-h">{crate::tr!(i18n, incidents_all)}</h2>
            <div class="filters" role="search">
                <div class="field">
                    <label for="incident-search">{crate::tr!(i18n, incidents_search)}</label>
                    <input id="incident-search" type="search" prop:value=move || q.get() on:input=move |ev| { reset(); q.set(event_target_value(&ev)) } />
                </div>
                <div class="field">
                    <label for="incident-status-filter">{crate::tr!(i18n, field_status)}</label>
                    <select id="incident-status-filter" prop:value=move || status.get() on:change=move |ev| { reset(); status.set(event_target_value(&ev)) }>
                        <option value="active">{crate::tr!(i18n, incidents_active)}</option>
                        <option value="">{crate::tr!(i18n, admin_all)}</option>
                        {IncidentStatus::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.as_str()>{move || status_label(locale(), s)}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="incident-severity-filter">{crate::tr!(i18n, field_severity)}</label>
                    <select id="incident-severity-filter" prop:value=move || severity.get() on:change=move |ev| { reset(); severity.set(event_target_value(&ev)) }>
                        <option value="">{crate::tr!(i18n, admin_all)}</option>
                        {Severity::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.as_str()>{move || severity_label(locale(), s)}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <Paged id="incident-table" label=crate::tr_signal!(i18n, incidents_all) state page cursor />
            <super::figures::Figures version=state.version />
        </section>
    }
}

#[component]
pub fn MyIncidents(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let cursor = RwSignal::new(None::<String>);
    let page = Resource::new(
        move || (cursor.get(), state.version.get()),
        move |(cursor, _)| my_incidents(None, cursor, Some(50)),
    );
    // The reporter's own tickets, addressed to them alone.
    crate::ui::on_server_events("my-incidents", &["report.changed"], move || state.changed());
    view! {
        <section class="card" aria-labelledby="incidents-mine-h">
            <h2 id="incidents-mine-h">{crate::tr!(i18n, incidents_mine)}</h2>
            <Paged id="my-incident-table" label=crate::tr_signal!(i18n, incidents_mine) state page cursor />
        </section>
    }
}
