//! Theme and language switches. Both work without JavaScript (links and a
//! cookie) and, once hydrated, switch in place without reloading the page.
use crate::i18n::{Locale, use_i18n};
use crate::i18n_support::{all_locales, dir_of, localized_path, split_locale};
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_router::hooks::use_location;

pub const THEME_COOKIE: &str = "dihya_theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// The chosen theme; `None` follows the system (`prefers-color-scheme`).
#[derive(Clone, Copy)]
pub struct ThemeState(pub RwSignal<Option<Theme>>);

/// Reads the choice the server rendered (cookie on the server, the `<html
/// data-theme>` attribute in the browser) so hydration sees the same value.
fn initial_theme() -> Option<Theme> {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(http::header::COOKIE)?
                    .to_str()
                    .ok()
                    .map(str::to_owned)
            })
            .and_then(|c| {
                crate::i18n_support::cookie_value(&c, THEME_COOKIE).and_then(Theme::parse)
            })
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|e| e.get_attribute("data-theme"))
            .and_then(|t| Theme::parse(&t))
    }
}

pub fn provide_theme() -> ThemeState {
    let state = ThemeState(RwSignal::new(initial_theme()));
    provide_context(state);
    state
}

#[cfg(feature = "hydrate")]
fn system_prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .map(|m| m.matches())
        .unwrap_or(false)
}

/// Remembers a reader's choice (theme, language) for a year.
#[cfg(feature = "hydrate")]
fn remember(cookie: &str, value: &str) {
    use wasm_bindgen::JsCast;
    if let Ok(doc) = document().dyn_into::<web_sys::HtmlDocument>() {
        let _ = doc.set_cookie(&format!(
            "{cookie}={value}; Path=/; Max-Age=31536000; SameSite=Lax"
        ));
    }
}

#[cfg(feature = "hydrate")]
fn persist_theme(theme: Theme) {
    remember(THEME_COOKIE, theme.as_str());
}

#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let ThemeState(theme) = expect_context::<ThemeState>();
    let toggle = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let dark_now = match theme.get_untracked() {
                Some(t) => t == Theme::Dark,
                None => system_prefers_dark(),
            };
            let next = if dark_now { Theme::Light } else { Theme::Dark };
            theme.set(Some(next));
            persist_theme(next);
        }
    };
    let pressed = move || {
        theme
            .get()
            .map(|t| if t == Theme::Dark { "true" } else { "false" })
    };
    view! {
        <button
            id="theme-toggle"
            type="button"
            class="icon-button"
            aria-pressed=pressed
            aria-label=crate::tr!(i18n, theme_label)
            title=crate::tr!(i18n, theme_label)
            on:click=toggle
        >
            <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" class="theme-icon">
                <path d="M12 3a9 9 0 1 0 9 9 7 7 0 0 1-9-9z" fill="currentColor" />
            </svg>
            <span class="hide-narrow">{crate::tr!(i18n, theme_label)}</span>
        </button>
    }
}

/// Native name of each language, written in its own script.
pub fn native_name(l: Locale) -> &'static str {
    match l {
        Locale::en => "English",
        Locale::fr => "Français",
        Locale::ar => "العربية",
        Locale::ar_DZ => "الدارجة الجزائرية",
        Locale::kab => "Taqbaylit",
        Locale::zgh => "ⵜⴰⵎⴰⵣⵉⵖⵜ",
    }
}

#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let details = NodeRef::<leptos::html::Details>::new();
    let locale = crate::i18n_support::locale_reader(i18n);
    let items = all_locales()
        .iter()
        .copied()
        .map(|l| {
            let href = move || {
                let path = location.pathname.get();
                localized_path(l, &split_locale(&path).1)
            };
            let current = move || (locale() == l).then_some("true");
            let on_click = move |ev: leptos::ev::MouseEvent| {
                // Without JS the link navigates; hydrated, the locale switches
                // in place once its strings are fetched (the page carries only
                // its own, see `i18n_table`), leptos_i18n updates the URL, and
                // the choice is remembered for the server's next first visit.
                // Should the fetch fail, the link navigates after all.
                ev.prevent_default();
                if let Some(d) = details.get_untracked() {
                    d.set_open(false);
                }
                #[cfg(feature = "hydrate")]
                leptos::task::spawn_local(async move {
                    remember(crate::i18n_support::LANG_COOKIE, l.as_str());
                    if crate::i18n_table::load(l).await.is_ok() {
                        i18n.set_locale(l);
                    } else {
                        let path = location.pathname.get_untracked();
                        let _ = window()
                            .location()
                            .set_href(&localized_path(l, &split_locale(&path).1));
                    }
                });
            };
            view! {
                <li>
                    <a
                        href=href
                        hreflang=l.as_str()
                        lang=l.as_str()
                        dir=dir_of(l)
                        data-locale=l.as_str()
                        aria-current=current
                        on:click=on_click
                    >
                        {native_name(l)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <details id="lang-switch" class="menu" node_ref=details>
            <summary class="icon-button" aria-label=crate::tr!(i18n, lang_label)>
                <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                    <path
                        d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm6.9 6h-3a15.7 15.7 0 0 0-1.4-3.6A8 8 0 0 1 18.9 8zM12 4c.8 1.2 1.5 2.5 1.9 4h-3.8c.4-1.5 1.1-2.8 1.9-4zM4.3 14a8.2 8.2 0 0 1 0-4h3.4a16.5 16.5 0 0 0 0 4H4.3zm.8 2h3a15.7 15.7 0 0 0 1.4 3.6A8 8 0 0 1 5.1 16zm3-8h-3a8 8 0 0 1 4.4-3.6C8 5.5 7.5 6.7 8.1 8zM12 20c-.8-1.2-1.5-2.5-1.9-4h3.8c-.4 1.5-1.1 2.8-1.9 4zm2.3-6H9.7a14.7 14.7 0 0 1 0-4h4.6a14.7 14.7 0 0 1 0 4zm.3 5.6c.6-1.1 1.1-2.3 1.4-3.6h3a8 8 0 0 1-4.4 3.6zm1.7-5.6a16.5 16.5 0 0 0 0-4h3.4a8.2 8.2 0 0 1 0 4h-3.4z"
                        fill="currentColor"
                    />
                </svg>
                <span>{move || native_name(locale())}</span>
            </summary>
            <ul class="menu-list">{items}</ul>
        </details>
    }
}
