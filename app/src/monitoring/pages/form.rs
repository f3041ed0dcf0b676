//! Create a monitor or edit the open one; "Test now" runs the definition
//! on the server without saving it. Errors come back per field.
use super::definition::{Values, call_with_input};
use super::{PageState, status_label};
use crate::i18n::{td_string, use_i18n};
use crate::monitoring::api::{save_monitor, test_monitor};
use crate::monitoring::{CheckOutcome, MonitorKind, MonitorView};
use crate::servers::api::list_servers;
use crate::ui::{
    CheckboxField, Field, FormAlert, FormStatus, SelectField, TextareaField, use_form_action,
};
use leptos::prelude::*;

#[component]
pub fn MonitorForm(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let v = Values::new();
    let push_url = RwSignal::new(None::<String>);
    let servers = Resource::new(
        || (),
        |_| list_servers(None, None, None, None, None, None, Some(200)),
    );
    let save = use_form_action(
        move |_: &()| {
            let input = v.input(state.editing.get_untracked().map(|m| m.id));
            call_with_input!(save_monitor, input)
        },
        move |m: &MonitorView| {
            push_url.set(m.push_url.clone());
            state.changed();
            state.selected.set(Some(m.id));
            state.editing.set(None);
            Some(format!(
                "{} {}",
                td_string!(locale(), monitors_saved),
                m.name
            ))
        },
    );
    let test = use_form_action(
        move |_: &()| call_with_input!(test_monitor, v.input(None)),
        move |o: &CheckOutcome| {
            Some(format!(
                "{} {} · {} ms · {}",
                td_string!(locale(), monitors_test_result),
                status_label(locale(), o.status),
                o.latency_ms,
                o.message
            ))
        },
    );
    let errors = save.errors;
    Effect::new(move || {
        v.fill(state.editing.get().as_ref(), state.server.get());
        errors.set(None);
        test.errors.set(None);
    });
    let kind_label = move |k: MonitorKind| match k {
        MonitorKind::Http => td_string!(locale(), monitor_kind_http),
        MonitorKind::Tcp => td_string!(locale(), monitor_kind_tcp),
        MonitorKind::Ping => td_string!(locale(), monitor_kind_ping),
        MonitorKind::Ssh => td_string!(locale(), monitor_kind_ssh),
        MonitorKind::Dns => td_string!(locale(), monitor_kind_dns),
        MonitorKind::Command => td_string!(locale(), monitor_kind_command),
        MonitorKind::NodeExporter => td_string!(locale(), monitor_kind_node_exporter),
        MonitorKind::Heartbeat => td_string!(locale(), monitor_kind_heartbeat),
    };
    let is = move |k: &'static str| move || v.kind.get() == k;
    view! {
        <section class="card" aria-labelledby="monitor-form-h">
            <h2 id="monitor-form-h">{move || if state.editing.get().is_some() { td_string!(locale(), monitors_edit) } else { td_string!(locale(), monitors_new) }}</h2>
            <form class="form" id="monitor-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormAlert errors=test.errors />
                <FormStatus message=save.done />
                <FormStatus message=test.done />
                {move || push_url.get().map(|url| view! {
                    <p class="notice notice-success" id="monitor-push-url">
                        {crate::tr!(i18n, monitors_push_url)}" "<code class="mono">{url}</code>
                    </p>
                })}
                <Field label=crate::tr_signal!(i18n, field_server_name) name="name" form="monitor" value=v.name errors />
                <SelectField label=crate::tr_signal!(i18n, field_kind) name="kind" form="monitor" value=v.kind errors>
                    {MonitorKind::ALL.iter().map(|k| {
                        let k = *k;
                        view! { <option value=k.as_str() selected=move || v.kind.get() == k.as_str()>{move || kind_label(k)}</option> }
                    }).collect_view()}
                </SelectField>
                <Field label=crate::tr_signal!(i18n, field_target) name="target" form="monitor" value=v.target errors required=false hint=crate::tr_signal!(i18n, field_target_hint) />
                <Field label=crate::tr_signal!(i18n, field_interval) name="interval_seconds" form="monitor" value=v.interval errors kind="number" />
                <Field label=crate::tr_signal!(i18n, field_timeout) name="timeout_seconds" form="monitor" value=v.timeout errors kind="number" />
                <Field label=crate::tr_signal!(i18n, field_retries) name="retries" form="monitor" value=v.retries errors kind="number" />
                <SelectField label=crate::tr_signal!(i18n, field_server) name="server_id" form="monitor" value=v.server errors>
                    <option value="" selected=move || v.server.get().is_empty()>{crate::tr!(i18n, field_server_none)}</option>
                    {move || servers.get().and_then(|r| r.ok()).map(|p| p.items.into_iter().map(|s| {
                        let id = s.id.to_string();
                        let current = id.clone();
                        view! { <option value=id selected=move || v.server.get() == current>{s.name}</option> }
                    }).collect_view())}
                </SelectField>
                <Show when=is("http")>
                    <SelectField label=crate::tr_signal!(i18n, field_method) name="method" form="monitor" value=v.method errors>
                        {["GET", "HEAD", "POST"].into_iter().map(|m| view! {
                            <option value=m selected=move || v.method.get() == m>{m}</option>
                        }).collect_view()}
                    </SelectField>
                    <TextareaField label=crate::tr_signal!(i18n, field_headers) name="headers" form="monitor" value=v.headers errors rows=3 hint=crate::tr_signal!(i18n, field_headers_hint) />
                    <Field label=crate::tr_signal!(i18n, field_keyword) name="keyword" form="monitor" value=v.keyword errors required=false />
                    <Field label=crate::tr_signal!(i18n, field_regex) name="regex" form="monitor" value=v.regex errors required=false />
                    <Field label=crate::tr_signal!(i18n, field_expected_status) name="expected_status" form="monitor" value=v.expected_status errors required=false />
                    <Field label=crate::tr_signal!(i18n, field_tls_days) name="tls_days" form="monitor" value=v.tls_days errors kind="number" required=false />
                </Show>
                <Show when=move || matches!(v.kind.get().as_str(), "http" | "node-exporter")>
                    <CheckboxField label=crate::tr_signal!(i18n, field_ignore_tls_errors) name="ignore_tls_errors" form="monitor" checked=v.ignore_tls_errors errors />
                </Show>
                <Show when=move || matches!(v.kind.get().as_str(), "http" | "node-exporter" | "command" | "ssh")>
                    <Field label=crate::tr_signal!(i18n, field_max_bytes) name="max_bytes" form="monitor" value=v.max_bytes errors kind="number" required=false />
                </Show>
                <Show when=is("dns")>
                    <SelectField label=crate::tr_signal!(i18n, field_record_type) name="record_type" form="monitor" value=v.record_type errors>
                        {["A", "AAAA", "CNAME", "MX", "NS", "TXT"].into_iter().map(|t| view! {
                            <option value=t selected=move || v.record_type.get() == t>{t}</option>
                        }).collect_view()}
                    </SelectField>
                    <Field label=crate::tr_signal!(i18n, field_resolver) name="resolver" form="monitor" value=v.resolver errors required=false />
                    <Field label=crate::tr_signal!(i18n, field_expected) name="expected" form="monitor" value=v.expected errors required=false />
                </Show>
                <CheckboxField label=crate::tr_signal!(i18n, field_paused) name="paused" form="monitor" checked=v.paused errors />
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, action_save)}</button>
                    <Show when=move || v.kind.get() != "heartbeat">
                        <button type="button" class="button" id="monitor-test" disabled=move || test.pending().get() on:click=move |_| test.dispatch(())>{crate::tr!(i18n, monitors_test)}</button>
                    </Show>
                    <Show when=move || state.editing.get().is_some()>
                        <button type="button" class="button" on:click=move |_| state.editing.set(None)>{crate::tr!(i18n, action_cancel)}</button>
                    </Show>
                </div>
            </form>
        </section>
    }
}
