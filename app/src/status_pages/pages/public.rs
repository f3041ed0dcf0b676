//! `/status/<slug>`: one status page as anyone sees it — the state now,
//! each component with 90 days of uptime, incidents in progress and
//! maintenance, then the incident history with published post-mortems.
//! Rendered on the server (cached by the server, see `page_cache.rs`);
//! an unknown slug is a 404.
use super::bars::{UptimeBars, percent};
use crate::i18n::{td_string, use_i18n};
use crate::public_pages::NotFoundPage;
use crate::server_calls::{ServerCall, call};
use crate::status_pages::{Health, PublicIncident, PublicStatus};
use crate::ui::{JsonResource, Seo, Timestamp};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The page named in the URL, made before the split boundary (see `ui::lazy`).
#[derive(Clone, Copy)]
pub struct StatusData {
    status: JsonResource<PublicStatus>,
}

impl StatusData {
    pub fn load() -> Self {
        let params = use_params_map();
        Self {
            status: JsonResource::new(
                move || params.with(|p| p.get("slug").unwrap_or_default()),
                |slug| call(ServerCall::StatusPage { slug }),
                true,
            ),
        }
    }
}

crate::lazy_page!(StatusRoute => StatusPage(StatusData));

/// A status page is read, not used: all of it is in the HTML, and nothing
/// on it needs the WASM before it hydrates. So it does not ask the browser
/// to preload the split WASM files of its route — about 190 `<link>` tags,
/// 29 KB, a third of the page, sent on every visit — and hydration fetches
/// them when it runs. (Leptos collects a page's preloads in this context
/// while it renders, and writes them in the head once it is done.)
#[cfg(feature = "ssr")]
fn no_preloads() {
    use leptos::prelude::WriteValue;
    if let Some(p) = use_context::<leptos::PrefetchLazyFn>()
        && let Some(mut set) = p.0.try_write_value()
    {
        set.clear();
    }
}

#[component]
fn StatusPage(data: StatusData) -> impl IntoView {
    #[cfg(feature = "ssr")]
    no_preloads();
    let i18n = use_i18n();
    view! {
        // Reads no signal while suspended (see `i18n_support::locale_reader`).
        <Suspense fallback=move || view! { <p role="status" class="page">{crate::tr!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.status.get().await {
                    Ok(s) => view! { <Shown s /> }.into_any(),
                    Err(_) => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn health_class(h: Health) -> String {
    format!("health health-{}", h.as_str())
}

#[component]
fn Shown(s: PublicStatus) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let slug = s.slug.clone();
    let (title, description) = (s.title.clone(), s.description.clone());
    let seo_description = if description.is_empty() {
        td_string!(locale(), status_page_description).to_string()
    } else {
        description.clone()
    };
    let feed = format!("/status/{slug}/feed.atom");
    let health = s.health;
    let components = s
        .components
        .into_iter()
        .map(|c| {
            let uptime = c.permille.map(percent);
            let label = format!(
                "{} — {}: {}",
                c.name,
                td_string!(locale(), status_ninety_days),
                uptime.clone().unwrap_or_else(|| td_string!(locale(), status_no_data).into())
            );
            let h = c.health;
            view! {
                <li class="status-component">
                    <div class="status-component-head">
                        <h3 dir="auto">{c.name.clone()}</h3>
                        <span class=health_class(h)>{move || h.label(locale())}</span>
                    </div>
                    <UptimeBars first_day=c.first_day daily=c.daily label />
                    <p class="muted status-uptime">
                        {move || td_string!(locale(), status_ninety_days)} " · "
                        {uptime.clone().unwrap_or_else(|| td_string!(locale(), status_no_data).into())}
                    </p>
                </li>
            }
        })
        .collect_view();
    let maintenance = (!s.maintenance.is_empty()).then(|| {
        let items = s
            .maintenance
            .into_iter()
            .map(|m| {
                let active = m.active;
                view! {
                    <li>
                        <strong dir="auto">{m.title}</strong> " — "
                        {move || if active { td_string!(locale(), status_maintenance_now) } else { td_string!(locale(), status_maintenance_next) }}
                        " " <Timestamp at=m.next_start />
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="status-maintenance-h" id="status-maintenance">
                <h2 id="status-maintenance-h">{crate::tr!(i18n, status_maintenance_title)}</h2>
                <ul class="status-list">{items}</ul>
            </section>
        }
    });
    let active = (!s.active.is_empty()).then(|| {
        let items = s
            .active
            .into_iter()
            .map(|i| view! { <Incident i /> })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="status-active-h" id="status-active">
                <h2 id="status-active-h">{crate::tr!(i18n, status_active_incidents)}</h2>
                <ul class="status-list">{items}</ul>
            </section>
        }
    });
    let history = if s.history.is_empty() {
        view! { <p class="muted" id="status-no-history">{crate::tr!(i18n, status_no_incidents)}</p> }.into_any()
    } else {
        let items = s
            .history
            .into_iter()
            .map(|i| view! { <Incident i /> })
            .collect_view();
        view! { <ul class="status-list" id="status-history-list">{items}</ul> }.into_any()
    };
    view! {
        <Seo title=title.clone() description=seo_description path=format!("/status/{slug}") />
        <leptos_meta::Link rel="alternate" type_="application/atom+xml" href=feed.clone() />
        <div class="page status-page" data-slug=slug.clone()>
            <header class="status-head">
                {s.has_logo.then(|| view! {
                    <img src=format!("/status/{slug}/logo") alt="" height="48" class="status-logo" />
                })}
                <div>
                    // What people typed, in whatever direction it is written.
                    <h1 dir="auto">{title}</h1>
                    {(!description.is_empty()).then(|| view! { <p class="muted" dir="auto">{description.clone()}</p> })}
                </div>
            </header>
            <p class=move || format!("status-banner {}", health_class(health)) id="status-overall">
                {move || health.label(locale())}
            </p>
            {active}
            {maintenance}
            <section class="card" aria-labelledby="status-components-h">
                <h2 id="status-components-h">{crate::tr!(i18n, status_components)}</h2>
                <ul class="status-components">{components}</ul>
            </section>
            <section class="card" aria-labelledby="status-history-h" id="status-history">
                <h2 id="status-history-h">{crate::tr!(i18n, status_incident_history)}</h2>
                {history}
            </section>
            <p><a href=feed>{crate::tr!(i18n, status_feed)}</a></p>
        </div>
    }
}

#[component]
fn Incident(i: PublicIncident) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let (severity, status) = (i.severity, i.status);
    view! {
        <li class="status-incident" id=format!("incident-{}", i.id)>
            <div class="status-incident-head">
                <strong class="wrap-anywhere" dir="auto">{i.title}</strong>
                <span class=format!("badge severity-{}", severity.as_str())>{move || severity.label(locale())}</span>
                <span class=format!("badge incident-{}", status.as_str())>{move || status.label(locale())}</span>
            </div>
            <p class="muted">
                {crate::tr!(i18n, field_opened)} " " <Timestamp at=Some(i.opened_at) />
                {i.resolved_at.map(|at| view! { " · " {crate::tr!(i18n, incident_status_resolved)} " " <Timestamp at=Some(at) /> })}
            </p>
            {i.postmortem_html.map(|html| view! {
                <details class="status-postmortem">
                    <summary>{crate::tr!(i18n, status_postmortem)}</summary>
                    // Rendered by `platform::markdown::to_safe_html`: no raw
                    // HTML, only safe link targets.
                    <div class="prose" inner_html=html></div>
                </details>
            })}
        </li>
    }
}
