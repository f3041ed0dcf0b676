//! `/app/alerts`: what fires now (with bulk acknowledge and silence), the
//! rules, the silences and the maintenance windows. Reading needs
//! `alerts:read`; changing anything, `alerts:manage` (the server decides;
//! the page hides the forms of those who may not).
use crate::i18n::use_i18n;
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, use_current_user};
use leptos::prelude::*;

mod calendar;
mod channels;
mod list;
mod quiet;
mod rules;

crate::lazy_page!(AlertsRoute => AlertsPage);

#[component]
fn AlertsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, alerts_title)
            path="/app/alerts"
            access=Access::Can(Permission::AlertsRead)
        >
            <Alerts />
        </AppFrame>
    }
}

/// What the page's parts share.
#[derive(Clone, Copy)]
struct PageState {
    /// Bumped after a change, and when the bus says an alert moved.
    version: RwSignal<u32>,
    manages: Signal<bool>,
}

impl PageState {
    fn changed(self) {
        self.version.update(|v| *v += 1);
    }
}

#[component]
fn Alerts() -> impl IntoView {
    let user = use_current_user();
    let state = PageState {
        version: RwSignal::new(0),
        manages: Signal::derive(move || {
            user.get().is_some_and(|u| u.can(Permission::AlertsManage))
        }),
    };
    crate::ui::on_server_events("alerts", &["alert.changed"], move || state.changed());
    view! {
        <list::AlertList state />
        <rules::Rules state />
        <quiet::Silences state />
        <quiet::Maintenance state />
        <calendar::Calendar state />
        <channels::Channels state />
    }
}
