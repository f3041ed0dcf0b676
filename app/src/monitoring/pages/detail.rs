//! One monitor: its settings and state, its last 24 hours by hour (as a
//! table; charts come with the dashboards), edit and delete.
use super::{PageState, status_label};
use crate::i18n::{td_string, use_i18n};
use crate::monitoring::api::{delete_monitor, monitor_series, read_monitor};
use crate::monitoring::{MonitorView, Series};
use crate::ui::{Bar, BarChart, ConfirmButton, FormAlert, FormStatus, Timestamp, use_form_action};
use leptos::prelude::*;

#[component]
pub fn MonitorDetailPanel(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let detail = Resource::new(
        move || (state.selected.get(), state.version.get()),
        |(id, _)| async move {
            let Some(id) = id else { return Ok(None) };
            let m = read_monitor(id).await?;
            // The server picks the range (the last day, to the next whole
            // hour): the browser's WASM has no clock of its own.
            let s = monitor_series(id, None, None, Some(3600)).await?;
            Ok::<_, crate::error::AppError>(Some((m, s)))
        },
    );
    let deleted = use_form_action(
        |id: &i32| delete_monitor(*id),
        move |_| {
            state.selected.set(None);
            state.changed();
            Some(td_string!(locale(), monitors_deleted).to_string())
        },
    );
    view! {
        <FormStatus message=deleted.done />
        <FormAlert errors=deleted.errors />
        {move || match detail.get() {
            Some(Ok(Some((m, s)))) => view! { <Detail m s state deleted=deleted.action /> }.into_any(),
            Some(Err(e)) => view! { <p class="form-alert" role="alert">{e.error.message}</p> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

#[component]
fn Detail(
    m: MonitorView,
    s: Series,
    state: PageState,
    deleted: Action<i32, Option<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let id = m.id;
    let status = m.status;
    let edit = m.clone();
    let hour = |at: i64| {
        chrono::DateTime::from_timestamp(at, 0)
            .map(|t| t.format("%Y-%m-%d %H:00").to_string())
            .unwrap_or_default()
    };
    let ms = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
    // One bar per hour of the range, empty hours included.
    let bars: Vec<Bar> = (0..(s.to - s.from) / s.step)
        .map(|k| {
            let at = s.from + k * s.step;
            let p = s.points.iter().find(|p| p.at == at);
            let label = hour(at);
            let tooltip = match p {
                Some(p) => format!(
                    "{label}: {} {:.1}, {} {}",
                    td_string!(locale(), field_uptime),
                    p.uptime,
                    td_string!(locale(), field_latency),
                    ms(p.avg_ms)
                ),
                None => format!("{label}: —"),
            };
            Bar {
                value: p.and_then(|p| p.avg_ms).map(f64::from),
                tone: match p.map(|p| p.uptime) {
                    Some(u) if u < 95.0 => "bad",
                    Some(u) if u < 99.9 => "warn",
                    _ => "good",
                },
                label,
                tooltip,
            }
        })
        .collect();
    view! {
        <section class="card" aria-labelledby="monitor-detail-h" id="monitor-detail">
            <h2 id="monitor-detail-h">{m.name.clone()}" "
                <span class=format!("badge status-{}", status.as_str())>{move || status_label(locale(), status)}</span>
            </h2>
            <dl class="facts">
                <dt>{crate::tr!(i18n, field_kind)}</dt><dd>{m.kind.as_str()}</dd>
                <dt>{crate::tr!(i18n, field_target)}</dt><dd class="mono wrap-anywhere">{m.target.clone()}</dd>
                <dt>{crate::tr!(i18n, field_interval)}</dt><dd>{m.interval_seconds}</dd>
                <dt>{crate::tr!(i18n, field_latency)}</dt><dd>{ms(m.latency_ms)}</dd>
                <dt>{crate::tr!(i18n, field_last_checked)}</dt><dd><Timestamp at=m.last_checked_at.clone() /></dd>
                <dt>{crate::tr!(i18n, field_message)}</dt><dd class="wrap-anywhere">{m.message.clone()}</dd>
            </dl>
            <h3>{crate::tr!(i18n, monitors_uptime)}</h3>
            <dl class="summary" id="monitor-uptime">
                {[
                    (crate::tr_signal!(i18n, uptime_day), m.uptime.day),
                    (crate::tr_signal!(i18n, uptime_week), m.uptime.week),
                    (crate::tr_signal!(i18n, uptime_month), m.uptime.month),
                    (crate::tr_signal!(i18n, uptime_quarter), m.uptime.quarter),
                ].into_iter().map(|(label, v)| view! {
                    <div>
                        <dt class="muted">{move || label.get()}</dt>
                        <dd><strong>{v.map(|v| format!("{v:.2} %")).unwrap_or_else(|| "—".into())}</strong></dd>
                    </div>
                }).collect_view()}
            </dl>
            <Show when=move || state.can_write.get()>
                <div class="row-actions">
                    {
                        let edit = edit.clone();
                        view! { <button type="button" class="button" on:click=move |_| state.editing.set(Some(edit.clone()))>{crate::tr!(i18n, action_edit)}</button> }
                    }
                    <ConfirmButton
                        label=crate::tr_signal!(i18n, monitors_delete)
                        question=crate::tr_signal!(i18n, confirm_monitor_delete)
                        cancel=crate::tr_signal!(i18n, action_cancel)
                        on_confirm=move || { deleted.dispatch(id); }
                    />
                </div>
            </Show>
            <BarChart id="monitor-chart" label=crate::tr_signal!(i18n, monitors_history) bars />
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby="monitor-detail-h">
                <table class="table" id="monitor-hours">
                    <caption>{crate::tr!(i18n, monitors_history)}</caption>
                    <thead><tr>
                        <th scope="col">{crate::tr!(i18n, field_hour)}</th>
                        <th scope="col">{crate::tr!(i18n, field_checks)}</th>
                        <th scope="col">{crate::tr!(i18n, field_uptime)}</th>
                        <th scope="col">{crate::tr!(i18n, field_latency)}</th>
                    </tr></thead>
                    <tbody>
                        {s.points.into_iter().rev().map(|p| view! {
                            <tr>
                                <td dir="ltr" class="nowrap">{hour(p.at)}</td>
                                <td>{p.checks}</td>
                                <td>{format!("{:.1}", p.uptime)}</td>
                                <td>{ms(p.avg_ms)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
