//! Per-page head tags: title, description, canonical, Open Graph, Twitter
//! card and hreflang alternates for every locale. (The tags that are the
//! same on every page are in the server-only shell, see `app::shell`.)
use crate::i18n::{Locale, use_i18n};
use crate::i18n_support::{all_locales, localized_path};
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_meta::{Link, Meta, Title};

/// Scheme and host used in absolute URLs (canonical, hreflang, Open Graph).
pub fn public_origin() -> String {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::platform::AppState>()
            .map(|s| s.public_url.trim_end_matches('/').to_string())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}

#[component]
pub fn Seo(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] description: Signal<String>,
    /// The page's path without locale prefix, e.g. `/docs`.
    #[prop(into)]
    path: String,
    /// Private pages are kept out of search engines.
    #[prop(optional)]
    noindex: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let origin = public_origin();
    let url_of = {
        let (origin, path) = (origin.clone(), path.clone());
        move |l: Locale| format!("{origin}{}", localized_path(l, &path))
    };
    // Pages are re-created when the locale (URL prefix) changes, so the
    // canonical URL is computed once per render.
    let canonical = url_of(i18n.get_locale_untracked());
    let locale = crate::i18n_support::locale_reader(i18n);
    let og_locale = move || locale().as_str().replace('-', "_");
    let alternates = all_locales()
        .iter()
        .map(|l| view! { <Link rel="alternate" hreflang=l.as_str() href=url_of(*l) /> })
        .collect_view();
    let x_default = url_of(Locale::en);
    // On the server the title is read once more after the page has rendered
    // (leptos_meta puts it into <head> after the first chunk), when the
    // request's reactive owner may already be disposed: reading the signal
    // then panicked ("already been disposed", ~5% of concurrent renders).
    // The server renders one locale, so it takes the text now.
    #[cfg(feature = "ssr")]
    let title_text = {
        let text = format!("{} · Dihya Ops", title.get_untracked());
        move || text.clone()
    };
    #[cfg(not(feature = "ssr"))]
    let title_text = move || format!("{} · Dihya Ops", title.get());
    view! {
        <Title text=title_text />
        <Meta name="description" content=description />
        <Link rel="canonical" href=canonical.clone() />
        {alternates}
        <Link rel="alternate" hreflang="x-default" href=x_default />
        <Meta property="og:title" content=title />
        <Meta property="og:description" content=description />
        <Meta property="og:url" content=canonical />
        <Meta property="og:locale" content=og_locale />
        <Meta name="twitter:title" content=title />
        <Meta name="twitter:description" content=description />
        {noindex.then(|| view! { <Meta name="robots" content="noindex, nofollow" /> })}
    }
}
