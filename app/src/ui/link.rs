//! Links that keep the reader's language.
use crate::i18n::use_i18n;
use crate::i18n_support::localized_path;
use leptos::prelude::*;
use leptos_router::components::A;

/// A closure giving `path` in the current locale (reactive).
pub fn use_localized(path: &'static str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    move || localized_path(locale(), path)
}

/// An in-app link that keeps the reader's language.
#[component]
pub fn LocalLink(
    href: &'static str,
    #[prop(optional, into)] class: String,
    children: Children,
) -> impl IntoView {
    // The home link would otherwise be "current" on every page below it.
    let exact = href == "/";
    let href = use_localized(href);
    view! {
        <A href=href exact attr:class=class>
            {children()}
        </A>
    }
}
