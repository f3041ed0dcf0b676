//! The user guide: Markdown files under `docs/guide/`, rendered to HTML by
//! `build.rs` (see `guide`) so no parser ships to browsers.
use super::NotFoundPage;
use crate::i18n::{td_string, use_i18n};
use crate::server_calls::{ServerCall, call};
use crate::ui::{JsonResource, LocalLink, Seo};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Guide pages in navigation order.
pub const GUIDE_SLUGS: &[&str] = &[
    "getting-started",
    "configuration",
    "servers",
    "monitoring",
    "alerting",
    "status-pages",
    "notifications",
    "incidents",
    "automation",
    "api",
];

/// The guide page named in the URL, made before the split boundary (see
/// `ui::lazy`). The server renders it in place; the browser keeps the HTML it
/// received and, after a move inside the app, fetches the next page's.
#[derive(Clone, Copy)]
pub struct DocsData {
    page: JsonResource<String>,
}

impl DocsData {
    pub fn load() -> Self {
        let params = use_params_map();
        Self {
            page: JsonResource::new(
                move || params.with(|p| p.get("page").unwrap_or_default()),
                |slug| call(ServerCall::GuidePage { slug }),
                true,
            ),
        }
    }
}

#[component]
fn DocsNav() -> impl IntoView {
    let i18n = use_i18n();
    let links = view! {
        <ul class="docs-nav-list">
            <li><LocalLink href="/docs/getting-started">{crate::tr!(i18n, docs_getting_started)}</LocalLink></li>
            <li><LocalLink href="/docs/configuration">{crate::tr!(i18n, docs_configuration)}</LocalLink></li>
            <li><LocalLink href="/docs/servers">{crate::tr!(i18n, docs_servers)}</LocalLink></li>
            <li><LocalLink href="/docs/monitoring">{crate::tr!(i18n, docs_monitoring)}</LocalLink></li>
            <li><LocalLink href="/docs/alerting">{crate::tr!(i18n, docs_alerting)}</LocalLink></li>
            <li><LocalLink href="/docs/status-pages">{crate::tr!(i18n, docs_status_pages)}</LocalLink></li>
            <li><LocalLink href="/docs/notifications">{crate::tr!(i18n, docs_notifications)}</LocalLink></li>
            <li><LocalLink href="/docs/incidents">{crate::tr!(i18n, docs_incidents)}</LocalLink></li>
            <li><LocalLink href="/docs/api">{crate::tr!(i18n, docs_api)}</LocalLink></li>
            <li><a href="/api/openapi.json">{crate::tr!(i18n, docs_openapi_link)}</a></li>
        </ul>
    };
    // One list: a sidebar on wide screens, a collapsible menu on phones
    // (under 768 px only the summary shows; above, CSS reveals the list).
    view! {
        <nav class="docs-nav" aria-label=crate::tr!(i18n, docs_nav_label)>
            <details class="menu docs-menu">
                <summary class="icon-button">{crate::tr!(i18n, docs_nav_label)}</summary>
                {links}
            </details>
        </nav>
    }
}

#[component]
pub fn DocsIndexPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Seo
            title=crate::tr_signal!(i18n, docs_title)
            description=crate::tr_signal!(i18n, docs_description)
            path="/docs"
        />
        <div class="docs-layout">
            <DocsNav />
            <article class="prose">
                <h1>{crate::tr!(i18n, docs_title)}</h1>
                <p class="lead">{crate::tr!(i18n, docs_description)}</p>
                <ul class="card-list">
                    <li class="card"><LocalLink href="/docs/getting-started">{crate::tr!(i18n, docs_getting_started)}</LocalLink></li>
                    <li class="card"><LocalLink href="/docs/configuration">{crate::tr!(i18n, docs_configuration)}</LocalLink></li>
                    <li class="card"><LocalLink href="/docs/servers">{crate::tr!(i18n, docs_servers)}</LocalLink></li>
                    <li class="card"><LocalLink href="/docs/monitoring">{crate::tr!(i18n, docs_monitoring)}</LocalLink></li>
                    <li class="card"><LocalLink href="/docs/alerting">{crate::tr!(i18n, docs_alerting)}</LocalLink></li>
                    <li class="card"><LocalLink href="/docs/status-pages">{crate::tr!(i18n, docs_status_pages)}</LocalLink></li>
                    <li class="card"><LocalLink href="/docs/notifications">{crate::tr!(i18n, docs_notifications)}</LocalLink></li>
                    <li class="card"><LocalLink href="/docs/incidents">{crate::tr!(i18n, docs_incidents)}</LocalLink></li>
                    <li class="card"><LocalLink href="/docs/api">{crate::tr!(i18n, docs_api)}</LocalLink></li>
                </ul>
            </article>
        </div>
    }
}

#[component]
pub fn DocsPage(data: DocsData) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("page").unwrap_or_default());
    move || {
        let slug = slug();
        if !GUIDE_SLUGS.contains(&slug.as_str()) {
            return view! { <NotFoundPage /> }.into_any();
        }
        let title = Signal::derive({
            let slug = slug.clone();
            move || {
                match slug.as_str() {
                    "configuration" => td_string!(locale(), docs_configuration),
                    "servers" => td_string!(locale(), docs_servers),
                    "monitoring" => td_string!(locale(), docs_monitoring),
                    "alerting" => td_string!(locale(), docs_alerting),
                    "status-pages" => td_string!(locale(), docs_status_pages),
                    "notifications" => td_string!(locale(), docs_notifications),
                    "incidents" => td_string!(locale(), docs_incidents),
                    "automation" => td_string!(locale(), docs_automation),
                    "api" => td_string!(locale(), docs_api),
                    _ => td_string!(locale(), docs_getting_started),
                }
                .to_string()
            }
        });
        view! {
            <Seo
                title=title
                description=crate::tr_signal!(i18n, docs_description)
                path=format!("/docs/{slug}")
            />
            <div class="docs-layout">
                <DocsNav />
                <article class="prose">
                    <h1>{move || title.get()}</h1>
                    <p class="muted" lang="en">{crate::tr!(i18n, docs_content_language_note)}</p>
                    // Reads no signal while suspended (see `i18n_support::locale_reader`).
                    <Suspense fallback=|| view! { <div lang="en" dir="ltr"></div> }>
                        {move || Suspend::new(async move {
                            // Our own Markdown, rendered at build time: trusted HTML.
                            let html = data.page.get().await.unwrap_or_default();
                            view! { <div lang="en" dir="ltr" inner_html=html></div> }
                        })}
                    </Suspense>
                </article>
            </div>
        }
        .into_any()
    }
}
