//! The frame of every private page: title and `noindex`, the access check,
//! the private area's navigation, the bell (unread count and toasts, see
//! [`super::Bell`]) and the content, which loads in the browser once the
//! page has hydrated (see [`super::AfterHydration`]).
//!
//! The navigation is data: each domain declares its entries (the `nav` of
//! its `DOMAIN`, in its `mod.rs`), `app.rs` provides `domains::ALL` as
//! [`AppNav`], and the frame shows the entries the signed-in user may open.
//! A new domain adds rows, not code.
use super::{
    Access, AfterHydration, Bell, LocalLink, RequireAccess, Seo, UnreadChanged, use_current_user,
};
use crate::i18n::use_i18n;
use crate::platform::Domain;
use leptos::prelude::*;

/// Every domain, in menu order (provided by `app.rs`).
#[derive(Clone, Copy)]
pub struct AppNav(pub &'static [Domain]);

/// A private page: `title` is its heading and document title, `path` its
/// canonical path, `access` what it needs.
#[component]
pub fn AppFrame(
    title: Signal<String>,
    path: &'static str,
    access: Access,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let nav = use_context::<AppNav>().map_or(&[][..], |n| n.0);
    let children = StoredValue::new(children);
    // The inbox bumps it when it marks notifications read.
    provide_context(UnreadChanged(RwSignal::new(0)));
    let locale = crate::i18n_support::locale_reader(i18n);
    let entries = move || {
        let locale = locale();
        let me = user.get();
        nav.iter()
            .flat_map(|domain| domain.nav.iter())
            .filter(|e| me.as_ref().is_some_and(|m| m.can(e.needs)))
            .map(|e| view! { <li><LocalLink href=e.path>{(e.label)(locale)}</LocalLink></li> })
            .collect_view()
    };
    view! {
        <Seo title description=title path noindex=true />
        <RequireAccess access>
            <div class="page docs-layout admin-layout">
                <nav class="docs-nav" aria-label=crate::tr!(i18n, admin_nav_label)>
                    <ul class="docs-nav-list">{entries}</ul>
                </nav>
                <div class="stack admin-main">
                    <div class="frame-head">
                        <h1>{title}</h1>
                        <AfterHydration><Bell /></AfterHydration>
                    </div>
                    <AfterHydration>{move || children.with_value(|c| c())}</AfterHydration>
                </div>
            </div>
        </RequireAccess>
    }
}
