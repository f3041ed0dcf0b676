//! The alerts: filters, a table with a checkbox per row, and the bulk
//! actions on the checked ones (acknowledge; silence for a while).
use super::PageState;
use crate::alerts::api::{acknowledge_alerts, list_alerts, silence_alerts};
use crate::alerts::{AlertStatus, AlertView};
use crate::i18n::{td_string, use_i18n};
use crate::platform::Severity;
use crate::ui::{Column, DataTable, Field, FormAlert, FormStatus, Timestamp, use_form_action};
use leptos::prelude::*;
use std::collections::BTreeSet;

fn columns(checked: RwSignal<BTreeSet<i32>>) -> Vec<Column<AlertView>> {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    vec![
        Column::new(
            crate::tr_signal!(i18n, alerts_pick),
            move |a: &AlertView| {
                let (id, name) = (a.id, a.name.clone());
                view! {
                    <input type="checkbox" class="alert-pick" aria-label=name
                        prop:checked=move || checked.with(|c| c.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            checked.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                        } />
                }
                .into_any()
            },
        ),
        Column::new(crate::tr_signal!(i18n, alerts_name), |a: &AlertView| {
            view! { <span class="alert-name">{a.name.clone()}</span><br /><span class="muted">{a.summary.clone()}</span> }
                .into_any()
        }),
        Column::new(
            crate::tr_signal!(i18n, field_severity),
            move |a: &AlertView| {
                let s = a.severity;
                view! { <span class=format!("badge severity-{}", s.as_str())>{move || s.label(locale())}</span> }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, field_status),
            move |a: &AlertView| {
                let (s, quiet) = (a.status, a.quiet);
                view! {
                <span class=format!("badge alert-{}", s.as_str())>{move || s.label(locale())}</span>
                {quiet.map(|q| view! { " " <span class="badge">{move || q.label(locale())}</span> })}
            }
            .into_any()
            },
        ),
        Column::new(crate::tr_signal!(i18n, alerts_since), |a: &AlertView| {
            view! { <Timestamp at=Some(a.started_at.clone()) /> }.into_any()
        }),
        Column::new(
            crate::tr_signal!(i18n, alerts_acknowledged_by),
            |a: &AlertView| {
                let incident = a.incident_id.map(|id| {
                view! { " " <a href=format!("/app/incidents?selected={id}")>{format!("#{id}")}</a> }
            });
                view! { {a.acknowledged_by.clone().unwrap_or_else(|| "—".into())} {incident} }
                    .into_any()
            },
        ),
    ]
}

#[component]
pub fn AlertList(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let (q, status, severity) = (
        RwSignal::new(String::new()),
        RwSignal::new("open".to_string()),
        RwSignal::new(String::new()),
    );
    let cursor = RwSignal::new(None::<String>);
    let checked = RwSignal::new(BTreeSet::<i32>::new());
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
            list_alerts(opt(status), opt(severity), opt(q), cursor, Some(50))
        },
    );
    let (minutes, reason) = (
        RwSignal::new("60".to_string()),
        RwSignal::new(String::new()),
    );
    let picked = move || checked.get().into_iter().collect::<Vec<_>>();
    let ack = use_form_action(
        move |_: &()| acknowledge_alerts(picked()),
        move |done: &Vec<AlertView>| {
            checked.set(BTreeSet::new());
            state.changed();
            Some(format!(
                "{} {}",
                done.len(),
                td_string!(locale(), alerts_acknowledged)
            ))
        },
    );
    let silence = use_form_action(
        move |_: &()| {
            silence_alerts(
                picked(),
                minutes.get_untracked().trim().parse().unwrap_or(0),
                reason.get_untracked(),
            )
        },
        move |done: &Vec<crate::alerts::SilenceView>| {
            checked.set(BTreeSet::new());
            reason.set(String::new());
            state.changed();
            Some(format!(
                "{} {}",
                done.len(),
                td_string!(locale(), alerts_silenced)
            ))
        },
    );
    let rows = Signal::derive(move || page.get().map(|r| r.map(|p| p.items)));
    let next = move || page.get().and_then(|r| r.ok()).and_then(|p| p.next_cursor);
    let firing = move || page.get().and_then(|r| r.ok()).map(|p| p.firing);
    let reset = move || cursor.set(None);
    let none_picked = move || checked.with(|c| c.is_empty());
    view! {
        <section class="card" aria-labelledby="alerts-h">
            <h2 id="alerts-h">
                {crate::tr!(i18n, alerts_title)}" "
                <span class="badge alert-firing" id="alerts-firing">
                    {move || firing().map(|n| format!("{n} {}", AlertStatus::Firing.label(locale())))}
                </span>
            </h2>
            <div class="filters" role="search">
                <div class="field">
                    <label for="alerts-q">{crate::tr!(i18n, alerts_search)}</label>
                    <input type="search" id="alerts-q" prop:value=move || q.get() on:input=move |ev| { reset(); q.set(event_target_value(&ev)) } />
                </div>
                <div class="field">
                    <label for="alerts-status">{crate::tr!(i18n, field_status)}</label>
                    <select id="alerts-status" prop:value=move || status.get() on:change=move |ev| { reset(); status.set(event_target_value(&ev)) }>
                        <option value="open">{crate::tr!(i18n, alerts_open)}</option>
                        {AlertStatus::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.as_str()>{move || s.label(locale())}</option> }
                        }).collect_view()}
                        <option value="">{crate::tr!(i18n, alerts_all)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="alerts-severity">{crate::tr!(i18n, field_severity)}</label>
                    <select id="alerts-severity" prop:value=move || severity.get() on:change=move |ev| { reset(); severity.set(event_target_value(&ev)) }>
                        <option value="">{crate::tr!(i18n, alerts_all)}</option>
                        {Severity::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.as_str()>{move || s.label(locale())}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <DataTable
                id="alerts-table"
                label=crate::tr_signal!(i18n, alerts_title)
                columns=columns(checked)
                rows
                empty=crate::tr_signal!(i18n, alerts_none)
                loading=crate::tr_signal!(i18n, loading)
            />
            <crate::ui::Pager cursor next=Signal::derive(next) />
            <Show when=move || state.manages.get()>
                <form class="form" id="alerts-bulk" novalidate on:submit=move |ev| { ev.prevent_default(); silence.dispatch(()); }>
                    <h3>{crate::tr!(i18n, alerts_bulk)}</h3>
                    <FormAlert errors=ack.errors />
                    <FormStatus message=ack.done />
                    <FormAlert errors=silence.errors />
                    <FormStatus message=silence.done />
                    <div class="form-actions">
                        <button type="button" class="button" id="alerts-ack" disabled=move || none_picked() || ack.pending().get()
                            on:click=move |_| { ack.dispatch(()); }>
                            {crate::tr!(i18n, alerts_acknowledge)}
                        </button>
                    </div>
                    <Field label=crate::tr_signal!(i18n, alerts_minutes) name="minutes" form="alerts-bulk" kind="number" value=minutes errors=silence.errors />
                    <Field label=crate::tr_signal!(i18n, alerts_reason) name="reason" form="alerts-bulk" value=reason errors=silence.errors />
                    <div class="form-actions">
                        <button type="submit" class="button" id="alerts-silence" disabled=move || none_picked() || silence.pending().get()>
                            {crate::tr!(i18n, alerts_silence)}
                        </button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
