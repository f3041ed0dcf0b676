//! Counts per status and the monitors table with its filters.
use super::{PageState, status_label};
use crate::i18n::use_i18n;
use crate::monitoring::api::monitoring_overview;
use crate::monitoring::{MonitorRow, MonitorStatus};
use crate::ui::{Column, DataTable, Timestamp};
use leptos::prelude::*;

#[component]
pub fn MonitorList(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let (q, status) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let cursor = RwSignal::new(None::<String>);
    let opt = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let page = Resource::new(
        move || {
            (
                q.get(),
                status.get(),
                cursor.get(),
                state.version.get(),
                state.server.get(),
            )
        },
        move |(q, status, cursor, _, server)| {
            monitoring_overview(opt(status), server, opt(q), cursor, Some(50))
        },
    );
    let rows = Signal::derive(move || page.get().map(|r| r.map(|p| p.monitors)));
    let next = move || page.get().and_then(|r| r.ok()).and_then(|p| p.next_cursor);
    let summary = move || page.get().and_then(|r| r.ok()).map(|p| p.summary);
    let columns = vec![
        Column::new(
            crate::tr_signal!(i18n, field_status),
            move |m: &MonitorRow| {
                let class = format!("badge status-{}", m.status.as_str());
                view! { <span class=class>{status_label(locale(), m.status)}</span> }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, field_server_name),
            move |m: &MonitorRow| {
                let id = m.id;
                view! {
                <button type="button" class="link-button" on:click=move |_| state.selected.set(Some(id))>
                    {m.name.clone()}
                </button>
            }
            .into_any()
            },
        ),
        Column::new(crate::tr_signal!(i18n, field_target), |m: &MonitorRow| {
            view! { <span class="mono wrap-anywhere">{m.target.clone()}</span> }.into_any()
        }),
        Column::new(crate::tr_signal!(i18n, field_latency), |m: &MonitorRow| {
            m.latency_ms
                .map(|l| l.to_string())
                .unwrap_or_else(|| "—".into())
                .into_any()
        }),
        Column::new(
            crate::tr_signal!(i18n, field_last_checked),
            |m: &MonitorRow| view! { <Timestamp at=m.last_checked_at.clone() /> }.into_any(),
        ),
        Column::new(crate::tr_signal!(i18n, field_message), |m: &MonitorRow| {
            view! { <span class="wrap-anywhere">{m.message.clone()}</span> }.into_any()
        }),
    ];
    view! {
        <section class="card" aria-labelledby="monitor-summary-h">
            <h2 id="monitor-summary-h">{crate::tr!(i18n, monitoring_summary)}</h2>
            <ul class="summary" id="monitor-summary">
                {MonitorStatus::ALL.iter().map(|s| {
                    let s = *s;
                    let count = move || summary().map(|c| match s {
                        MonitorStatus::Up => c.up,
                        MonitorStatus::Down => c.down,
                        MonitorStatus::Pending => c.pending,
                        MonitorStatus::Maintenance => c.maintenance,
                        MonitorStatus::Paused => c.paused,
                    }).unwrap_or(0);
                    view! {
                        <li class=format!("summary-{}", s.as_str())>
                            <span class=format!("badge status-{}", s.as_str())>{move || status_label(locale(), s)}</span>
                            " "<strong data-count=s.as_str()>{count}</strong>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <div class="filters" role="search">
            <div class="field">
                <label for="monitor-search">{crate::tr!(i18n, monitoring_search)}</label>
                <input id="monitor-search" type="search" on:input=move |ev| { cursor.set(None); q.set(event_target_value(&ev)) } />
            </div>
            <div class="field">
                <label for="monitor-status-filter">{crate::tr!(i18n, field_status)}</label>
                <select id="monitor-status-filter" on:change=move |ev| { cursor.set(None); status.set(event_target_value(&ev)) }>
                    <option value="">{crate::tr!(i18n, admin_all)}</option>
                    {MonitorStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str()>{move || status_label(locale(), *s)}</option>
                    }).collect_view()}
                </select>
            </div>
        </div>
        <DataTable
            id="monitor-table"
            label=crate::tr_signal!(i18n, monitoring_title)
            columns
            rows
            empty=crate::tr_signal!(i18n, table_empty)
            loading=crate::tr_signal!(i18n, loading)
        />
        <crate::ui::Pager cursor next=Signal::derive(next) />
    }
}
