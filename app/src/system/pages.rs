//! Pages of the `system` domain: the About page and the footer's version.
use super::{ModuleStatus, SystemInfo, VERSION};
use crate::i18n::use_i18n;
use crate::server_calls::{ServerCall, call};
use crate::ui::{JsonResource, Seo};
use leptos::prelude::*;

/// The version in the footer comes from the same constant `/api/system` reports.
#[component]
pub fn FooterVersion() -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    view! { <span id="footer-version">{crate::i18n::td!(locale(), footer_version, version = VERSION)}</span> }
}

/// What the About page reads, made before its split boundary (see `ui::lazy`).
#[derive(Clone, Copy)]
pub struct AboutData {
    info: JsonResource<SystemInfo>,
}

impl AboutData {
    pub fn load() -> Self {
        Self {
            info: JsonResource::new(|| (), |_| call(ServerCall::SystemInfo), true),
        }
    }
}

crate::lazy_page!(AboutRoute => AboutPage(AboutData));

#[component]
fn AboutPage(data: AboutData) -> impl IntoView {
    let info = data.info;
    let i18n = use_i18n();
    view! {
        <Seo
            title=crate::tr_signal!(i18n, about_title)
            description=crate::tr_signal!(i18n, about_description)
            path="/about"
        />
        <div class="page narrow">
            <h1>{crate::tr!(i18n, about_title)}</h1>
            <Suspense fallback=move || view! { <p role="status">{crate::tr!(i18n, about_loading)}</p> }>
                {move || Suspend::new(async move {
                    match info.get().await {
                        Ok(info) => view! { <SystemFacts info /> }.into_any(),
                        Err(_) => view! { <p role="alert" class="notice notice-danger">{crate::tr!(i18n, about_error)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <section id="source" class="card">
                <h2>{crate::tr!(i18n, footer_source)}</h2>
                <p>
                    <a href="/license.txt">"GNU Affero General Public License v3.0 or later"</a>
                </p>
            </section>
        </div>
    }
}

#[component]
fn SystemFacts(info: SystemInfo) -> impl IntoView {
    let i18n = use_i18n();
    // Read inside the page's suspense boundary: see `locale_reader`.
    let locale = crate::i18n_support::locale_reader(i18n);
    let modules = info
        .modules
        .into_iter()
        .map(|m| {
            let state = if m.enabled {
                "badge badge-success"
            } else {
                "badge badge-muted"
            };
            let icon = if m.enabled { "✓" } else { "○" };
            view! {
                <li>
                    <span class=state>
                        <span aria-hidden="true">{icon}</span>
                        " "
                        <code>{m.id}</code>
                    </span>
                    " "
                    <span class="muted">
                        {match m.status {
                            ModuleStatus::Available => crate::i18n::td!(locale(), status_available).into_any(),
                            ModuleStatus::Planned => crate::i18n::td!(locale(), status_planned).into_any(),
                        }}
                    </span>
                </li>
            }
        })
        .collect_view();
    let uptime = info.uptime_seconds;
    view! {
        <dl class="facts card" id="system-facts">
            <dt>{crate::tr!(i18n, about_version)}</dt>
            <dd id="system-version">{info.version}</dd>
            <dt>{crate::tr!(i18n, about_database)}</dt>
            <dd id="system-database">{info.database}</dd>
            <dt>{crate::tr!(i18n, about_uptime)}</dt>
            <dd id="system-uptime">{move || crate::i18n::td!(locale(), about_seconds, count = uptime)}</dd>
            {info.source_url.map(|url| {
                let label = url.clone();
                view! {
                    <dt>{crate::tr!(i18n, footer_source)}</dt>
                    <dd id="system-source"><a href=url rel="noopener">{label}</a></dd>
                }
            })}
        </dl>
        <h2>{crate::tr!(i18n, about_modules)}</h2>
        <ul class="module-badges">{modules}</ul>
    }
}
