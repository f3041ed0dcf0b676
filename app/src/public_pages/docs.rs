//! The user guide: Markdown files under `docs/guide/`, rendered to HTML by
//! `build.rs` so pages are server-rendered and no parser ships to browsers.
use super::NotFoundPage;
use crate::i18n::{t_string, use_i18n};
use crate::ui::{LocalLink, Seo};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// Guide pages in navigation order.
pub const GUIDE_SLUGS: &[&str] = &["getting-started", "configuration", "api"];

fn guide_html(slug: &str) -> Option<&'static str> {
    match slug {
        "getting-started" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/getting-started.html"
        ))),
        "configuration" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/configuration.html"
        ))),
        "api" => Some(include_str!(concat!(env!("OUT_DIR"), "/guide/api.html"))),
        _ => None,
    }
}

#[component]
fn DocsNav() -> impl IntoView {
    let i18n = use_i18n();
    let links = view! {
        <ul class="docs-nav-list">
            <li><LocalLink href="/docs/getting-started">{crate::tr!(i18n, docs_getting_started)}</LocalLink></li>
            <li><LocalLink href="/docs/configuration">{crate::tr!(i18n, docs_configuration)}</LocalLink></li>
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
                    <li class="card"><LocalLink href="/docs/api">{crate::tr!(i18n, docs_api)}</LocalLink></li>
                </ul>
            </article>
        </div>
    }
}

#[component]
pub fn DocsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.with(|p| p.get("page").unwrap_or_default());
    move || {
        let slug = slug();
        let Some(html) = guide_html(&slug) else {
            return view! { <NotFoundPage /> }.into_any();
        };
        let title = Signal::derive({
            let slug = slug.clone();
            move || {
                match slug.as_str() {
                    "configuration" => t_string!(i18n, docs_configuration),
                    "api" => t_string!(i18n, docs_api),
                    _ => t_string!(i18n, docs_getting_started),
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
                    // Our own Markdown, rendered at build time: trusted HTML.
                    <div lang="en" dir="ltr" inner_html=html></div>
                </article>
            </div>
        }
        .into_any()
    }
}
