//! The application shell: skip link, header with navigation, language and
//! theme switches, the main landmark and the footer.
use super::{LangSwitch, ThemeSwitch};
use crate::i18n::use_i18n;
use crate::i18n_support::localized_path;
use crate::system::pages::FooterVersion;
use crate::ui::session::use_current_user;
use leptos::prelude::*;
use leptos_router::components::A;

/// A closure giving `path` in the current locale (reactive).
pub fn use_localized(path: &'static str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let i18n = use_i18n();
    move || localized_path(i18n.get_locale(), path)
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

#[component]
fn NavLinks() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="nav-list">
            <li><LocalLink href="/">{crate::tr!(i18n, nav_home)}</LocalLink></li>
            <li><LocalLink href="/docs">{crate::tr!(i18n, nav_docs)}</LocalLink></li>
            <li><LocalLink href="/about">{crate::tr!(i18n, nav_about)}</LocalLink></li>
            <li><LocalLink href="/accessibility">{crate::tr!(i18n, nav_accessibility)}</LocalLink></li>
        </ul>
    }
}

/// Signed in: a menu with the profile, administration and sign-out.
/// Anonymous: the sign-in link. The part that waits for the user reads no
/// signal: its words and links are fixed per locale, and the menu is rebuilt
/// when the locale changes. (A suspense boundary re-checks its content after
/// the request may be over; a signal read there would be a disposed one.)
#[component]
fn AccountMenu() -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let locale = i18n.get_locale();
        view! { <AccountMenuIn locale /> }
    }
}

#[component]
fn AccountMenuIn(locale: crate::i18n::Locale) -> impl IntoView {
    use crate::i18n::td_string;
    let user = use_current_user();
    let navigate = leptos_router::hooks::use_navigate();
    let home = localized_path(locale, "/");
    let sign_out = Action::new(move |_: &()| {
        let navigate = navigate.clone();
        let home = home.clone();
        async move {
            let _ = crate::auth::api::logout().await;
            user.0.refetch();
            navigate(&home, Default::default());
        }
    });
    let sign_in_label = td_string!(locale, nav_sign_in).to_string();
    let login_href = localized_path(locale, "/login");
    let sign_in = {
        let (label, href) = (sign_in_label.clone(), login_href.clone());
        move || view! { <a href=href.clone() class="button button-primary sign-in">{label.clone()}</a> }
    };
    let labels = (
        td_string!(locale, account_menu).to_string(),
        td_string!(locale, nav_profile).to_string(),
        td_string!(locale, nav_admin).to_string(),
        td_string!(locale, nav_sign_out).to_string(),
    );
    let (profile_href, admin_href) = (
        localized_path(locale, "/app/profile"),
        localized_path(locale, "/app/admin/users"),
    );
    view! {
        <Transition fallback=sign_in.clone()>
            {
                let (labels, profile_href, admin_href, sign_in) = (labels.clone(), profile_href.clone(), admin_href.clone(), sign_in.clone());
                move || {
                    let (labels, profile_href, admin_href, sign_in) = (labels.clone(), profile_href.clone(), admin_href.clone(), sign_in.clone());
                    Suspend::new(async move {
                        match user.0.await {
                            Ok(Some(me)) => {
                                let admin = me.can(crate::platform::Permission::UsersRead);
                                let (menu, profile, admin_label, out) = labels;
                                view! {
                                    <details id="account-menu" class="menu">
                                        <summary class="icon-button" aria-label=menu>
                                            <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                                                <path d="M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0 2c-4 0-8 2-8 5v3h16v-3c0-3-4-5-8-5z" fill="currentColor" />
                                            </svg>
                                            <span class="hide-narrow" id="account-name">{me.user.display_name.clone()}</span>
                                        </summary>
                                        <div class="menu-list">
                                            <a href=profile_href>{profile}</a>
                                            {admin.then(|| view! { <a href=admin_href>{admin_label}</a> })}
                                            <button type="button" class="menu-button" id="sign-out" on:click=move |_| { sign_out.dispatch(()); }>
                                                {out}
                                            </button>
                                        </div>
                                    </details>
                                }.into_any()
                            }
                            _ => sign_in().into_any(),
                        }
                    })
                }
            }
        </Transition>
    }
}

/// The sign-in link inside the phone menu (the header button is hidden there).
#[component]
fn MobileSignIn() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    move || {
        let locale = i18n.get_locale();
        let label = crate::i18n::td_string!(locale, nav_sign_in).to_string();
        let href = localized_path(locale, "/login");
        view! {
            <Transition fallback=|| ()>
                {move || {
                    let (label, href) = (label.clone(), href.clone());
                    Suspend::new(async move {
                        matches!(user.0.await, Ok(None)).then(|| view! {
                            <ul class="nav-list"><li><a href=href>{label}</a></li></ul>
                        })
                    })
                }}
            </Transition>
        }
    }
}

/// The router handles in-page links itself, so the skip link moves focus
/// explicitly (without JavaScript the browser does it natively).
fn focus_main(ev: leptos::ev::MouseEvent) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(main) = document()
            .get_element_by_id("main")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            ev.prevent_default();
            let _ = main.focus();
            main.scroll_into_view();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

/// `TypedChildren` rather than `Children`: boxed children would make the
/// page area an `AnyView`, whose table of render functions keeps code the
/// browser never runs for the shell.
#[component]
pub fn Layout<C: IntoView + 'static>(children: TypedChildren<C>) -> impl IntoView {
    let i18n = use_i18n();
    let children = children.into_inner();
    view! {
        <a class="skip-link" href="#main" on:click=focus_main>{crate::tr!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <div class="header-inner">
                <LocalLink href="/" class="brand">
                    <img src="/logo.svg" alt="" width="32" height="32" />
                    <span>{crate::tr!(i18n, brand)}</span>
                </LocalLink>
                <nav class="nav-desktop" aria-label=crate::tr!(i18n, nav_label)>
                    <NavLinks />
                </nav>
                <div class="header-tools">
                    <LangSwitch />
                    <ThemeSwitch />
                    <AccountMenu />
                    <details id="nav-menu" class="menu nav-mobile">
                        <summary class="icon-button">
                            <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                                <path d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" fill="currentColor" />
                            </svg>
                            <span>{crate::tr!(i18n, nav_menu)}</span>
                        </summary>
                        <nav class="menu-list" aria-label=crate::tr!(i18n, nav_label)>
                            <NavLinks />
                            <MobileSignIn />
                        </nav>
                    </details>
                </div>
            </div>
            <div class="motif-band" aria-hidden="true"></div>
        </header>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="footer-inner">
                <p class="motto">{crate::tr!(i18n, footer_motto)}</p>
                <ul class="footer-links">
                    <li><LocalLink href="/about#source">{crate::tr!(i18n, footer_source)}</LocalLink></li>
                    <li><LocalLink href="/accessibility">{crate::tr!(i18n, footer_accessibility)}</LocalLink></li>
                    <li><FooterVersion /></li>
                </ul>
            </div>
        </footer>
    }
}
