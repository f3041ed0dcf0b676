//! `/app/notifications`: the inbox. New ones arrive live (a polite status
//! line says so); each links to what it is about and can be marked read,
//! one by one or the whole page at once.
use super::NotificationView;
use super::api::{list_notifications, mark_notifications};
use crate::i18n::{td_string, use_i18n};
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, FormAlert, Timestamp, use_form_action};
use leptos::prelude::*;

crate::lazy_page!(NotificationsRoute => NotificationsPage);

#[component]
fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, notifications_title)
            path="/app/notifications"
            access=Access::Can(Permission::NotificationsRead)
        >
            <InboxView />
        </AppFrame>
    }
}

#[component]
fn InboxView() -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let version = RwSignal::new(0u32);
    let unread_only = RwSignal::new(false);
    let cursor = RwSignal::new(None::<String>);
    let arrived = RwSignal::new(0u32);
    let inbox = Resource::new(
        move || (unread_only.get(), cursor.get(), version.get()),
        |(unread, cursor, _)| list_notifications(unread, cursor, Some(50)),
    );
    crate::ui::on_server_events("notifications", &["notification.added"], move || {
        arrived.update(|n| *n += 1);
        version.update(|v| *v += 1);
    });
    let mark = use_form_action(
        |(ids, read): &(Vec<i32>, bool)| mark_notifications(ids.clone(), *read),
        move |_| {
            version.update(|v| *v += 1);
            None
        },
    );
    let page_ids = move || {
        inbox
            .get()
            .and_then(|r| r.ok())
            .map(|i| {
                i.items
                    .iter()
                    .filter(|n| !n.read)
                    .map(|n| n.id)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let next = move || inbox.get().and_then(|r| r.ok()).and_then(|i| i.next_cursor);
    view! {
        <section class="card" aria-labelledby="inbox-h">
            <h2 id="inbox-h">
                {crate::tr!(i18n, notifications_title)}" "
                <span class="badge" id="inbox-unread">
                    {move || inbox.get().and_then(|r| r.ok()).map(|i| format!("{} {}", i.unread, td_string!(locale(), notifications_unread)))}
                </span>
            </h2>
            <p role="status" class="form-alert-slot" id="inbox-live">
                {move || (arrived.get() > 0).then(|| td_string!(locale(), notifications_arrived))}
            </p>
            <FormAlert errors=mark.errors />
            <div class="form-actions">
                <label class="check">
                    <input type="checkbox" id="inbox-unread-only" prop:checked=move || unread_only.get()
                        on:change=move |ev| { cursor.set(None); unread_only.set(event_target_checked(&ev)) } />
                    {crate::tr!(i18n, notifications_unread_only)}
                </label>
                <button type="button" class="button" id="inbox-mark-all"
                    disabled=move || page_ids().is_empty()
                    on:click=move |_| { mark.dispatch((page_ids(), true)); }>
                    {crate::tr!(i18n, notifications_mark_all)}
                </button>
            </div>
            {move || match inbox.get() {
                None => view! { <p class="muted">{crate::tr!(i18n, loading)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-alert" role="alert">{e.error.message}</p> }.into_any(),
                Some(Ok(i)) if i.items.is_empty() => view! { <p class="muted" id="inbox-empty">{crate::tr!(i18n, table_empty)}</p> }.into_any(),
                Some(Ok(i)) => view! {
                    <ul class="inbox" id="inbox-list">
                        {i.items.into_iter().map(|n| view! { <Item n mark=mark.action /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <crate::ui::Pager cursor next=Signal::derive(next) />
        </section>
    }
}

type MarkAction = Action<(Vec<i32>, bool), Option<super::Unread>>;

#[component]
fn Item(n: NotificationView, mark: MarkAction) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let (id, read, severity) = (n.id, n.read, n.severity);
    let class = if read {
        "inbox-item"
    } else {
        "inbox-item unread"
    };
    view! {
        <li class=class>
            <span class=format!("badge severity-{}", severity.as_str())>{move || severity.label(locale())}</span>
            <a href=n.link.clone()>{n.title.clone()}</a>
            <Timestamp at=Some(n.created_at.clone()) />
            <button type="button" class="button"
                on:click=move |_| { mark.dispatch((vec![id], !read)); }>
                {move || if read { td_string!(locale(), notifications_mark_unread) } else { td_string!(locale(), notifications_mark_read) }}
            </button>
        </li>
    }
}
