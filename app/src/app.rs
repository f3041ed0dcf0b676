//! The root component and the HTML shell; the routes of every page but the
//! landing page are in `domains.rs`.
use crate::domains::DomainRoutes;
use crate::i18n::{Locale, use_i18n};
use crate::i18n_support::{dir_of, split_locale};
use crate::public_pages::{LandingPage, NotFoundPage};
use crate::shell::Layout;
use crate::ui::provide_theme;
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_i18n_router::I18nRoute;
use leptos_meta::{HashedStylesheet, Html, MetaTags, provide_meta_context};
use leptos_router::{
    components::{Outlet, Route, Router, Routes},
    path,
};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    provide_request_nonce();
    let og_image = format!("{}/og-image.png", crate::ui::public_origin());
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                // The same on every page: plain tags here rather than meta
                // components in `App`, whose code the browser would carry.
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/apple-touch-icon.png" />
                <meta name="theme-color" content="#0B5E8E" />
                {og_tags(og_image.clone())}
                <meta name="twitter:card" content="summary_large_image" />
                <meta name="twitter:image" content=og_image />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                {page_strings()}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The page's locale's strings for the browser (see `i18n_table`): a data
/// block, which the CSP does not govern and the browser does not run.
fn page_strings() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let block = {
        let locale = path_locale();
        view! {
            <script
                type="application/json"
                id=crate::i18n_table::ELEMENT_ID
                data-locale=locale.as_str()
                inner_html=crate::i18n_table::json(locale)
            ></script>
        }
    };
    #[cfg(not(feature = "ssr"))]
    let block = ();
    block
}

/// Open Graph tags that are the same on every page (`property` is not an
/// HTML attribute the view macro knows, hence the builder).
fn og_tags(image: String) -> impl IntoView {
    use leptos::html::meta;
    use leptos::tachys::html::attribute::custom::CustomAttribute;
    (
        meta().attr("property", "og:type").content("website"),
        meta().attr("property", "og:site_name").content("Dihya Ops"),
        meta().attr("property", "og:image").content(image),
    )
}

/// The CSP nonce is made by the server's security middleware for each
/// request; Leptos puts it on the scripts it emits.
#[cfg(feature = "ssr")]
fn provide_request_nonce() {
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<crate::CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Not leptos_i18n's provider: see `ui::provide_i18n`.
    crate::ui::provide_i18n();
    view! { <Document /> }
}

/// The locale named by the current URL (no prefix = the default locale). The
/// server has already redirected unprefixed first visits to the preferred one.
fn path_locale() -> Locale {
    #[cfg(feature = "ssr")]
    let path = use_context::<http::request::Parts>()
        .map(|p| p.uri.path().to_string())
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let path = window().location().pathname().unwrap_or_default();
    split_locale(&path).0.unwrap_or_default()
}

#[component]
fn Document() -> impl IntoView {
    let i18n = use_i18n();
    // The header renders before the routes: take the locale from the URL
    // prefix now so it is in the page's language from the first byte.
    let from_path = path_locale();
    if i18n.get_locale_untracked() != from_path {
        i18n.set_locale(from_path);
    }
    let theme = provide_theme();
    crate::ui::provide_current_user();
    // The private area's navigation: every domain's entries.
    provide_context(crate::ui::AppNav(crate::domains::ALL));
    let locale = crate::i18n_support::locale_reader(i18n);
    let dir = move || dir_of(locale());
    let lang = move || locale().as_str();
    let data_theme = move || theme.0.get().map(|t| t.as_str());
    // Lets tests and scripts know the page is interactive.
    Effect::new(move || {
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <I18nRoute<Locale, _, _> view=Outlet>
                        <Route path=path!("/") view=LandingPage />
                        <DomainRoutes />
                    </I18nRoute<Locale, _, _>>
                </Routes>
            </Layout>
        </Router>
        // After the routes, which set the locale from the URL while rendering.
        <Html attr:lang=lang attr:dir=dir attr:data-theme=data_theme />
    }
}
