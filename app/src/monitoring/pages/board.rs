//! The overview's two boards: the monitors that went down most often in
//! the last 24 hours, and the latest changes of state. Both are tables
//! (readable by screen readers as they are) and follow live results.
use super::{PageState, status_label};
use crate::i18n::use_i18n;
use crate::monitoring::api::monitoring_overview;
use crate::monitoring::{Offender, StateChange};
use crate::ui::Timestamp;
use leptos::prelude::*;

#[component]
pub fn Boards(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    // The first page carries the boards; one row of it is enough.
    let boards = Resource::new(
        move || state.version.get(),
        |_| monitoring_overview(None, None, None, None, Some(1)),
    );
    let worst = move || {
        boards
            .get()
            .and_then(|r| r.ok())
            .map(|o| o.worst)
            .unwrap_or_default()
    };
    let changes = move || {
        boards
            .get()
            .and_then(|r| r.ok())
            .map(|o| o.changes)
            .unwrap_or_default()
    };
    let badge = move |s: crate::monitoring::MonitorStatus| {
        view! { <span class=format!("badge status-{}", s.as_str())>{status_label(locale(), s)}</span> }
    };
    let open = move |id: i32, name: String| {
        view! {
            <button type="button" class="link-button" on:click=move |_| state.selected.set(Some(id))>{name}</button>
        }
    };
    view! {
        <div class="boards">
            <section class="card" aria-labelledby="monitor-worst-h" id="monitor-worst">
                <h2 id="monitor-worst-h">{crate::tr!(i18n, monitoring_worst)}</h2>
                <Show
                    when=move || !worst().is_empty()
                    fallback=move || view! { <p class="muted">{crate::tr!(i18n, monitoring_worst_none)}</p> }
                >
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="monitor-worst-h">
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{crate::tr!(i18n, field_server_name)}</th>
                                <th scope="col">{crate::tr!(i18n, field_status)}</th>
                                <th scope="col">{crate::tr!(i18n, field_downs)}</th>
                            </tr></thead>
                            <tbody>
                                {move || worst().into_iter().map(|w: Offender| view! {
                                    <tr>
                                        <td class="wrap-anywhere">{open(w.id, w.name)}</td>
                                        <td>{badge(w.status)}</td>
                                        <td>{w.downs}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </Show>
            </section>
            <section class="card" aria-labelledby="monitor-changes-h" id="monitor-changes">
                <h2 id="monitor-changes-h">{crate::tr!(i18n, monitoring_changes)}</h2>
                <Show
                    when=move || !changes().is_empty()
                    fallback=move || view! { <p class="muted">{crate::tr!(i18n, monitoring_changes_none)}</p> }
                >
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="monitor-changes-h">
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{crate::tr!(i18n, field_when)}</th>
                                <th scope="col">{crate::tr!(i18n, field_server_name)}</th>
                                <th scope="col">{crate::tr!(i18n, field_change)}</th>
                            </tr></thead>
                            <tbody>
                                {move || changes().into_iter().map(|c: StateChange| view! {
                                    <tr>
                                        <td class="nowrap"><Timestamp at=Some(c.at) /></td>
                                        <td class="wrap-anywhere">{open(c.monitor_id, c.name)}</td>
                                        <td>
                                            {badge(c.previous)}" → "{badge(c.status)}
                                            <span class="muted wrap-anywhere">" "{c.message}</span>
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </Show>
            </section>
        </div>
    }
}
