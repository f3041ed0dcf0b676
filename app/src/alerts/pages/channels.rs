//! Where alerts go besides the inbox: the channels (email, webhook,
//! Slack, Discord, Teams, Telegram, ntfy), their editor with the fields
//! of the chosen kind, "send test", and the delivery log.
use super::PageState;
use crate::i18n::{td_string, use_i18n};
use crate::notifications::api::{
    delete_channel, list_channels, list_deliveries, save_channel, test_channel,
};
use crate::notifications::{ChannelKind, ChannelView, DeliveryView};
use crate::platform::Severity;
use crate::ui::{
    CheckboxField, Column, ConfirmButton, DataTable, Field, FormAlert, FormStatus, SelectField,
    Timestamp, use_form_action,
};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The settings each kind asks for, as (key, label key).
fn fields(kind: ChannelKind) -> &'static [&'static str] {
    match kind {
        ChannelKind::Email => &[
            "to",
            "smtp_host",
            "smtp_port",
            "smtp_from",
            "smtp_user",
            "smtp_tls",
        ],
        ChannelKind::Webhook | ChannelKind::Ntfy => &["url"],
        ChannelKind::Telegram => &["chat_id", "api_url"],
        ChannelKind::Slack | ChannelKind::Discord | ChannelKind::Teams => &[],
    }
}

#[component]
pub fn Channels(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let channels = Resource::new(move || state.version.get(), |_| list_channels());
    let log = Resource::new(
        move || state.version.get(),
        |_| list_deliveries(None, None, None, Some(50)),
    );
    let s = |v: &str| RwSignal::new(v.to_string());
    let (id, name, kind, min, matchers, secret) = (
        RwSignal::new(None::<i32>),
        s(""),
        s("webhook"),
        s("high"),
        s(""),
        s(""),
    );
    let enabled = RwSignal::new(true);
    let settings: [RwSignal<String>; 7] = std::array::from_fn(|_| RwSignal::new(String::new()));
    const KEYS: [&str; 7] = [
        "to",
        "smtp_host",
        "smtp_port",
        "smtp_from",
        "smtp_user",
        "smtp_tls",
        "url",
    ];
    let extra = [s(""), s("")]; // chat_id, api_url
    let setting = move |k: &str| -> RwSignal<String> {
        match k {
            "chat_id" => extra[0],
            "api_url" => extra[1],
            _ => settings[KEYS.iter().position(|x| *x == k).unwrap_or(6)],
        }
    };
    let load = move |c: &ChannelView| {
        id.set(Some(c.id));
        name.set(c.name.clone());
        kind.set(c.kind.as_str().into());
        min.set(c.min_severity.as_str().into());
        matchers.set(c.matchers.clone());
        secret.set(String::new());
        enabled.set(c.enabled);
        for k in KEYS.iter().chain(["chat_id", "api_url"].iter()) {
            setting(k).set(c.settings.get(*k).cloned().unwrap_or_default());
        }
    };
    let save = use_form_action(
        move |_: &()| {
            let kind_now =
                ChannelKind::parse(&kind.get_untracked()).unwrap_or(ChannelKind::Webhook);
            let map: BTreeMap<String, String> = fields(kind_now)
                .iter()
                .map(|k| (k.to_string(), setting(k).get_untracked()))
                .collect();
            save_channel(
                id.get_untracked(),
                name.get_untracked(),
                kind.get_untracked(),
                map,
                Some(secret.get_untracked()).filter(|s| !s.trim().is_empty()),
                min.get_untracked(),
                matchers.get_untracked(),
                enabled.get_untracked(),
            )
        },
        move |c: &ChannelView| {
            id.set(Some(c.id));
            secret.set(String::new());
            state.changed();
            Some(td_string!(locale(), channels_saved).to_string())
        },
    );
    let test = use_form_action(
        move |id: &i32| test_channel(*id),
        move |d: &DeliveryView| {
            state.changed();
            Some(match &d.last_error {
                None => td_string!(locale(), channels_test_sent).to_string(),
                Some(e) => format!("{} {e}", td_string!(locale(), channels_test_failed)),
            })
        },
    );
    let remove = use_form_action(
        move |id: &i32| delete_channel(*id),
        move |_| {
            id.set(None);
            state.changed();
            None
        },
    );
    let columns = vec![
        Column::new(
            crate::tr_signal!(i18n, alerts_name),
            move |c: &ChannelView| {
                let c2 = c.clone();
                view! { <button type="button" class="link-button" on:click=move |_| load(&c2)>{c.name.clone()}</button> }.into_any()
            },
        ),
        Column::new(crate::tr_signal!(i18n, channels_kind), |c: &ChannelView| {
            view! { {c.kind.as_str()} }.into_any()
        }),
        Column::new(
            crate::tr_signal!(i18n, channels_min_severity),
            move |c: &ChannelView| {
                let s = c.min_severity;
                view! { <span class=format!("badge severity-{}", s.as_str())>{move || s.label(locale())}</span> }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, alerts_actions),
            move |c: &ChannelView| {
                let id = c.id;
                view! {
                <Show when=move || state.manages.get()>
                    <button type="button" class="button" on:click=move |_| { test.dispatch(id); }>
                        {crate::tr!(i18n, channels_test)}
                    </button>
                </Show>
            }
            .into_any()
            },
        ),
    ];
    let log_columns = vec![
        Column::new(
            crate::tr_signal!(i18n, channels_channel),
            |d: &DeliveryView| view! { {d.channel.clone()} }.into_any(),
        ),
        Column::new(
            crate::tr_signal!(i18n, channels_subject),
            |d: &DeliveryView| view! { {d.subject.clone()} }.into_any(),
        ),
        Column::new(crate::tr_signal!(i18n, field_status), |d: &DeliveryView| {
            let error = d
                .last_error
                .clone()
                .map(|e| view! { <br /><span class="muted">{e}</span> });
            view! { <span class=format!("badge delivery-{}", d.status)>{d.status.clone()}</span> " " {d.attempts} {error} }.into_any()
        }),
        Column::new(crate::tr_signal!(i18n, alerts_since), |d: &DeliveryView| {
            view! { <Timestamp at=Some(d.created_at.clone()) /> }.into_any()
        }),
    ];
    let errors = save.errors;
    let kind_now = move || ChannelKind::parse(&kind.get()).unwrap_or(ChannelKind::Webhook);
    view! {
        <section class="card" aria-labelledby="channels-h">
            <h2 id="channels-h">{crate::tr!(i18n, channels_title)}</h2>
            <FormStatus message=test.done />
            <FormAlert errors=test.errors />
            <DataTable
                id="channels-table"
                label=crate::tr_signal!(i18n, channels_title)
                columns
                rows=Signal::derive(move || channels.get())
                empty=crate::tr_signal!(i18n, table_empty)
                loading=crate::tr_signal!(i18n, loading)
            />
            <Show when=move || state.manages.get()>
                <form class="form" id="channel-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                    <h3>{move || if id.get().is_some() { td_string!(locale(), channels_edit) } else { td_string!(locale(), channels_new) }}</h3>
                    <FormAlert errors />
                    <FormAlert errors=remove.errors />
                    <FormStatus message=save.done />
                    <Field label=crate::tr_signal!(i18n, alerts_name) name="name" form="channel" value=name errors />
                    <SelectField label=crate::tr_signal!(i18n, channels_kind) name="kind" form="channel" value=kind errors>
                        {ChannelKind::ALL.iter().map(|k| {
                            let k = *k;
                            view! { <option value=k.as_str() selected=move || kind.get() == k.as_str()>{k.as_str()}</option> }
                        }).collect_view()}
                    </SelectField>
                    {move || fields(kind_now()).iter().map(|k| {
                        let label = k.to_string();
                        view! { <Field label=Signal::derive(move || label.clone()) name=k form="channel" required=false value=setting(k) errors /> }
                    }).collect_view()}
                    <Field label=crate::tr_signal!(i18n, channels_secret) name="secret" form="channel" kind="password" required=false value=secret errors
                        hint=crate::tr_signal!(i18n, channels_secret_hint) />
                    <SelectField label=crate::tr_signal!(i18n, channels_min_severity) name="min_severity" form="channel" value=min errors>
                        {Severity::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.as_str() selected=move || min.get() == s.as_str()>{move || s.label(locale())}</option> }
                        }).collect_view()}
                    </SelectField>
                    <Field label=crate::tr_signal!(i18n, alerts_matchers) name="matchers" form="channel" required=false value=matchers errors
                        hint=crate::tr_signal!(i18n, alerts_matchers_hint) />
                    <CheckboxField label=crate::tr_signal!(i18n, alerts_enabled) name="enabled" form="channel" checked=enabled errors />
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, action_save)}</button>
                        {move || id.get().map(|cid| view! {
                            <ConfirmButton
                                label=crate::tr_signal!(i18n, channels_delete)
                                question=crate::tr_signal!(i18n, channels_delete_confirm)
                                cancel=crate::tr_signal!(i18n, action_cancel)
                                on_confirm=move || { remove.dispatch(cid); }
                            />
                        })}
                    </div>
                </form>
            </Show>
            <h3 id="deliveries-h">{crate::tr!(i18n, channels_log)}</h3>
            <DataTable
                id="deliveries-table"
                label=crate::tr_signal!(i18n, channels_log)
                columns=log_columns
                rows=Signal::derive(move || log.get().map(|r| r.map(|p| p.items)))
                empty=crate::tr_signal!(i18n, table_empty)
                loading=crate::tr_signal!(i18n, loading)
            />
        </section>
    }
}
