//! `/app/notifications`: the inbox. New ones arrive live (a polite status
//! line says so); each links to what it is about and can be marked read,
//! one by one or the whole page at once. Below it, the reader's own
//! preferences: what reaches the inbox, what is also emailed, and quiet
//! hours in their time zone.
use super::NotificationView;
use super::Prefs;
use super::api::{list_notifications, mark_notifications, read_preferences, save_preferences};
use crate::i18n::{td_string, use_i18n};
use crate::platform::Permission;
use crate::platform::Severity;
use crate::ui::{
    Access, AppFrame, Field, FormAlert, FormStatus, SelectField, Timestamp, use_form_action,
};
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
            <PrefsView />
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
    let bell = use_context::<crate::ui::UnreadChanged>();
    let mark = use_form_action(
        |(ids, read): &(Vec<i32>, bool)| mark_notifications(ids.clone(), *read),
        move |_| {
            version.update(|v| *v += 1);
            if let Some(b) = bell {
                b.0.update(|n| *n += 1);
            }
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

/// The reader's preferences: loaded once, saved whole.
#[component]
fn PrefsView() -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let s = |v: &str| RwSignal::new(v.to_string());
    let (inbox_min, email_min, quiet_from, quiet_to, tz) =
        (s("info"), s(""), s(""), s(""), s("UTC"));
    let email_available = RwSignal::new(true);
    let fill = move |p: &Prefs| {
        inbox_min.set(p.inbox_min.as_str().to_string());
        email_min.set(
            p.email_min
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
        );
        quiet_from.set(p.quiet_from.clone().unwrap_or_default());
        quiet_to.set(p.quiet_to.clone().unwrap_or_default());
        tz.set(p.time_zone.clone());
        email_available.set(p.email_available);
    };
    let loaded = Resource::new(|| (), |_| read_preferences());
    Effect::new(move || {
        if let Some(Ok(p)) = loaded.get() {
            fill(&p);
        }
    });
    let save = use_form_action(
        move |_: &()| {
            let opt =
                |v: RwSignal<String>| Some(v.get_untracked()).filter(|v| !v.trim().is_empty());
            save_preferences(
                inbox_min.get_untracked(),
                opt(email_min),
                opt(quiet_from),
                opt(quiet_to),
                tz.get_untracked(),
            )
        },
        move |p: &Prefs| {
            fill(p);
            Some(td_string!(locale(), prefs_saved).to_string())
        },
    );
    let options = move |chosen: RwSignal<String>| {
        Severity::ALL
            .iter()
            .map(|sev| {
                let sev = *sev;
                view! {
                    <option value=sev.as_str() selected=move || chosen.get() == sev.as_str()>
                        {move || format!("{} {}", sev.label(locale()), td_string!(locale(), prefs_and_worse))}
                    </option>
                }
            })
            .collect_view()
    };
    let errors = save.errors;
    view! {
        <section class="card" aria-labelledby="prefs-h" id="prefs">
            <h2 id="prefs-h">{crate::tr!(i18n, prefs_title)}</h2>
            <form class="form" id="prefs-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=save.done />
                <SelectField label=crate::tr_signal!(i18n, prefs_inbox_min) name="inbox_min" form="prefs" value=inbox_min errors>
                    {options(inbox_min)}
                </SelectField>
                <SelectField label=crate::tr_signal!(i18n, prefs_email_min) name="email_min" form="prefs" value=email_min errors
                    hint=Signal::derive(move || if email_available.get() { String::new() } else { td_string!(locale(), prefs_no_email).to_string() })>
                    <option value="" selected=move || email_min.get().is_empty()>{crate::tr!(i18n, prefs_email_never)}</option>
                    {options(email_min)}
                </SelectField>
                <fieldset>
                    <legend>{crate::tr!(i18n, prefs_quiet)}</legend>
                    <p class="field-hint">{crate::tr!(i18n, prefs_quiet_hint)}</p>
                    <Field label=crate::tr_signal!(i18n, prefs_quiet_from) name="quiet_from" form="prefs" kind="time" required=false value=quiet_from errors />
                    <Field label=crate::tr_signal!(i18n, prefs_quiet_to) name="quiet_to" form="prefs" kind="time" required=false value=quiet_to errors />
                    <Field label=crate::tr_signal!(i18n, alerts_time_zone) name="time_zone" form="prefs" value=tz errors
                        hint=crate::tr_signal!(i18n, prefs_time_zone_hint) />
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, action_save)}</button>
                </div>
            </form>
        </section>
    }
}
