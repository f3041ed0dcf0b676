//! The servers table and its filters; more rows load by cursor.
use super::PageState;
use crate::i18n::{td_string, use_i18n};
use crate::servers::{ENVIRONMENTS, ServerStatus, ServerView, api::list_servers};
use crate::ui::{Column, DataTable};
use leptos::prelude::*;

/// The words of a status, for the table, the filter and the detail.
pub fn status_label(locale: crate::i18n::Locale, s: ServerStatus) -> &'static str {
    match s {
        ServerStatus::Planned => td_string!(locale, server_status_planned),
        ServerStatus::Provisioning => td_string!(locale, server_status_provisioning),
        ServerStatus::Active => td_string!(locale, server_status_active),
        ServerStatus::Maintenance => td_string!(locale, server_status_maintenance),
        ServerStatus::Decommissioned => td_string!(locale, server_status_decommissioned),
    }
}

#[component]
pub fn ServerList(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let (q, status, environment, tag) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    // The cursors of the pages shown after the first ("Load more").
    let cursor = RwSignal::new(None::<String>);
    let opt = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    let page = Resource::new(
        move || {
            (
                q.get(),
                status.get(),
                environment.get(),
                tag.get(),
                cursor.get(),
                state.version.get(),
            )
        },
        move |(q, status, environment, tag, cursor, _)| {
            list_servers(
                opt(status),
                opt(environment),
                opt(tag),
                opt(q),
                None,
                cursor,
                Some(50),
            )
        },
    );
    let filter_changed = move || cursor.set(None);
    let rows = Signal::derive(move || page.get().map(|r| r.map(|p| p.items)));
    let next = move || page.get().and_then(|r| r.ok()).and_then(|p| p.next_cursor);
    let columns = vec![
        Column::new(
            crate::tr_signal!(i18n, field_server_name),
            move |s: &ServerView| {
                let id = s.id;
                view! {
                <button type="button" class="link-button" on:click=move |_| state.selected.set(Some(id))>
                    {s.name.clone()}
                </button>
            }
            .into_any()
            },
        ),
        Column::new(crate::tr_signal!(i18n, field_hostname), |s: &ServerView| {
            view! { <span class="mono">{s.hostname.clone()}</span> }.into_any()
        }),
        Column::new(
            crate::tr_signal!(i18n, field_environment),
            |s: &ServerView| s.environment.clone().into_any(),
        ),
        Column::new(
            crate::tr_signal!(i18n, field_status),
            move |s: &ServerView| {
                let class = format!("badge status-{}", s.status.as_str());
                view! { <span class=class>{status_label(locale(), s.status)}</span> }.into_any()
            },
        ),
        Column::new(crate::tr_signal!(i18n, field_tags), |s: &ServerView| {
            view! {
                <ul class="tags">
                    {s.tags.iter().map(|t| view! { <li>{t.clone()}</li> }).collect_view()}
                </ul>
            }
            .into_any()
        }),
    ];
    let filters = super::views::Filters {
        q,
        status,
        environment,
        tag,
    };
    view! {
        <super::views::SavedViews filters on_apply=Callback::new(move |_| filter_changed()) />
        <div class="filters" role="search">
            <div class="field">
                <label for="server-search">{crate::tr!(i18n, servers_search)}</label>
                <input id="server-search" type="search" prop:value=move || q.get() on:input=move |ev| { filter_changed(); q.set(event_target_value(&ev)) } />
            </div>
            <div class="field">
                <label for="server-status-filter">{crate::tr!(i18n, field_status)}</label>
                <select id="server-status-filter" prop:value=move || status.get() on:change=move |ev| { filter_changed(); status.set(event_target_value(&ev)) }>
                    <option value="">{crate::tr!(i18n, admin_all)}</option>
                    {ServerStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str()>{move || status_label(locale(), *s)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="server-env-filter">{crate::tr!(i18n, field_environment)}</label>
                <input id="server-env-filter" list="server-envs" prop:value=move || environment.get() on:change=move |ev| { filter_changed(); environment.set(event_target_value(&ev)) } />
                <datalist id="server-envs">
                    {ENVIRONMENTS.iter().map(|e| view! { <option value=*e></option> }).collect_view()}
                </datalist>
            </div>
            <div class="field">
                <label for="server-tag-filter">{crate::tr!(i18n, servers_filter_tag)}</label>
                <input id="server-tag-filter" prop:value=move || tag.get() on:change=move |ev| { filter_changed(); tag.set(event_target_value(&ev)) } />
            </div>
        </div>
        <DataTable
            id="server-table"
            label=crate::tr_signal!(i18n, servers_title)
            columns
            rows
            empty=crate::tr_signal!(i18n, table_empty)
            loading=crate::tr_signal!(i18n, loading)
        />
        <crate::ui::Pager cursor next=Signal::derive(next) id="server-more" />
    }
}
