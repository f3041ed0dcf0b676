//! One server's health (`/app/monitoring?server=<id>`): its CPU, memory
//! and disk over the last day by hour from its node_exporter check, as
//! three charts and one table of the same numbers. The page lists the
//! server's checks below it and adds new ones for this server.
use super::PageState;
use crate::i18n::{td_string, use_i18n};
use crate::monitoring::api::read_host;
use crate::monitoring::{HostPoint, HostSeries};
use crate::ui::{Bar, BarChart};
use leptos::prelude::*;

fn hour(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|t| t.format("%Y-%m-%d %H:00").to_string())
        .unwrap_or_default()
}

fn pct(v: Option<f32>) -> String {
    v.map(|v| format!("{v:.1} %")).unwrap_or_else(|| "—".into())
}

/// One bar per hour of `h`'s range for the figure `pick` takes out of a
/// point, coloured by how full it is.
fn bars(h: &HostSeries, name: &str, pick: fn(&HostPoint) -> Option<f32>) -> Vec<Bar> {
    (0..(h.to - h.from) / h.step)
        .map(|k| {
            let at = h.from + k * h.step;
            let value = h.points.iter().find(|p| p.at == at).and_then(pick);
            let label = hour(at);
            Bar {
                tooltip: format!("{label}: {name} {}", pct(value)),
                value: value.map(f64::from),
                tone: match value {
                    Some(v) if v >= 90.0 => "bad",
                    Some(v) if v >= 75.0 => "warn",
                    _ => "good",
                },
                label,
            }
        })
        .collect()
}

#[component]
pub fn ServerHealth(id: i32, state: PageState) -> impl IntoView {
    let host = Resource::new(
        move || state.version.get(),
        // The server picks the range (the WASM has no clock of its own).
        move |_| read_host(id, None, None, Some(3600)),
    );
    view! {
        {move || match host.get() {
            Some(Ok(h)) => view! { <Health h /> }.into_any(),
            Some(Err(e)) => view! { <p class="form-alert" role="alert">{e.error.message}</p> }.into_any(),
            None => ().into_any(),
        }}
    }
}

#[component]
fn Health(h: HostSeries) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let has_exporter = h.monitor.is_some();
    let (cpu, memory, disk) = (
        td_string!(locale(), field_cpu),
        td_string!(locale(), field_memory),
        td_string!(locale(), field_disk),
    );
    let charts = [
        ("host-cpu", cpu, bars(&h, cpu, |p| p.cpu_pct)),
        ("host-memory", memory, bars(&h, memory, |p| p.memory_pct)),
        ("host-disk", disk, bars(&h, disk, |p| p.disk_pct)),
    ];
    view! {
        <section class="card" aria-labelledby="host-h" id="server-health">
            <h2 id="host-h">{h.server_name.clone()}</h2>
            <p><a href=format!("/app/servers?selected={}", h.server_id)>{crate::tr!(i18n, monitoring_server_record)}</a></p>
            <Show
                when=move || has_exporter
                fallback=move || view! { <p class="muted">{crate::tr!(i18n, monitoring_no_exporter)}</p> }
            >
                <div class="boards">
                    {charts.clone().into_iter().map(|(id, name, bars)| view! {
                        <div>
                            <h3>{name}</h3>
                            // Percentages: a bar's height is its share of 100.
                            <BarChart id label=Signal::derive(move || name.to_string()) bars max=100.0 />
                        </div>
                    }).collect_view()}
                </div>
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="host-h">
                    <table class="table" id="host-hours">
                        <caption>{crate::tr!(i18n, monitors_history)}</caption>
                        <thead><tr>
                            <th scope="col">{crate::tr!(i18n, field_hour)}</th>
                            <th scope="col">{cpu}</th>
                            <th scope="col">{memory}</th>
                            <th scope="col">{disk}</th>
                            <th scope="col">{crate::tr!(i18n, field_load)}</th>
                        </tr></thead>
                        <tbody>
                            {h.points.clone().into_iter().rev().map(|p| view! {
                                <tr>
                                    <td dir="ltr" class="nowrap">{hour(p.at)}</td>
                                    <td>{pct(p.cpu_pct)}</td>
                                    <td>{pct(p.memory_pct)}</td>
                                    <td>{pct(p.disk_pct)}</td>
                                    <td>{p.load.map(|l| format!("{l:.2}")).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
