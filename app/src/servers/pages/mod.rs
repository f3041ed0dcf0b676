//! `/app/servers`: the inventory — filters and the table, one server's
//! detail with its lifecycle actions and history, the create/edit form and
//! the bulk import with its preview.
use super::ServerView;
use crate::i18n::use_i18n;
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, use_current_user};
use leptos::prelude::*;

mod detail;
mod form;
mod import;
mod list;
mod ssh;
mod views;

crate::lazy_page!(ServersRoute => ServersPage);

#[component]
fn ServersPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, servers_title)
            path="/app/servers"
            access=Access::Can(Permission::ServersRead)
        >
            <Servers />
        </AppFrame>
    }
}

/// What the page's parts share: which server is open, which is being
/// edited, and a counter that reloads the list after a change.
#[derive(Clone, Copy)]
struct PageState {
    selected: RwSignal<Option<i32>>,
    editing: RwSignal<Option<ServerView>>,
    version: RwSignal<u32>,
    can_write: Signal<bool>,
    can_monitor: Signal<bool>,
}

impl PageState {
    fn changed(self) {
        self.version.update(|v| *v += 1);
    }
}

#[component]
fn Servers() -> impl IntoView {
    let user = use_current_user();
    // `?selected=<id>` opens a server (monitoring's host view links back).
    let query = leptos_router::hooks::use_query_map();
    let state = PageState {
        selected: RwSignal::new(
            query
                .read_untracked()
                .get("selected")
                .and_then(|s| s.parse().ok()),
        ),
        editing: RwSignal::new(None),
        version: RwSignal::new(0),
        can_write: Signal::derive(move || {
            user.get().is_some_and(|u| u.can(Permission::ServersWrite))
        }),
        can_monitor: Signal::derive(move || {
            user.get()
                .is_some_and(|u| u.can(Permission::MonitoringRead))
        }),
    };
    // Another tab, a colleague or an import changed the inventory: reload.
    crate::ui::on_server_events("servers", &["server.changed"], move || state.changed());
    view! {
        <list::ServerList state />
        <detail::ServerDetailPanel state />
        <Show when=move || state.can_write.get()>
            <form::ServerForm state />
            <import::ServerImport state />
        </Show>
    }
}
