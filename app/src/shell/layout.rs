//! The application shell: skip link, header with navigation, language and
//! theme switches, the main landmark and the footer.
use crate::i18n::use_i18n;
use crate::system::pages::FooterVersion;
use crate::ui::{CurrentUser, LangSwitch, LocalLink, ThemeSwitch, use_current_user, use_localized};
use leptos::prelude::*;

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
/// Anonymous: the sign-in link.
#[component]
fn AccountMenu() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let login = use_localized("/login");
    let profile = use_localized("/app/profile");
    let admin = use_localized("/app/admin/users");
    let sign_out = sign_out(user);
    move || {
        match user.get() {
        Some(me) => {
            let may_admin = me.can(crate::platform::Permission::UsersRead);
            let (admin, sign_out) = (admin.clone(), sign_out.clone());
            view! {
                <details id="account-menu" class="menu">
                    <summary class="icon-button" aria-label=crate::tr!(i18n, account_menu)>
                        <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
                            <path d="M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0 2c-4 0-8 2-8 5v3h16v-3c0-3-4-5-8-5z" fill="currentColor" />
                        </svg>
                        <span class="hide-narrow" id="account-name">{me.display_name}</span>
                    </summary>
                    <div class="menu-list">
                        <a href=profile.clone()>{crate::tr!(i18n, nav_profile)}</a>
                        {may_admin.then(|| view! { <a href=admin>{crate::tr!(i18n, nav_admin)}</a> })}
                        <button type="button" class="menu-button" id="sign-out" on:click=move |_| sign_out()>
                            {crate::tr!(i18n, nav_sign_out)}
                        </button>
                    </div>
                </details>
            }
            .into_any()
        }
        None => view! {
            <a href=login.clone() class="button button-primary sign-in">{crate::tr!(i18n, nav_sign_in)}</a>
        }
        .into_any(),
    }
    }
}

/// Signs out, then shows the home page. The call and its reply's decoding
/// live in a split WASM file, fetched on the first click.
fn sign_out(user: CurrentUser) -> impl Fn() + Clone + 'static {
    let home = use_localized("/");
    let navigate = leptos_router::hooks::use_navigate();
    move || {
        let (home, navigate) = (home(), navigate.clone());
        leptos::task::spawn_local(async move {
            crate::server_calls::call(crate::server_calls::ServerCall::Logout).await;
            user.set(None);
            navigate(&home, Default::default());
        });
    }
}

/// The sign-in link inside the phone menu (the header button is hidden there).
#[component]
fn MobileSignIn() -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let login = use_localized("/login");
    move || {
        user.get().is_none().then(|| {
            view! { <ul class="nav-list"><li><a href=login.clone()>{crate::tr!(i18n, nav_sign_in)}</a></li></ul> }
        })
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
