//! Create a monitor or edit the open one; "Test now" runs the definition
//! on the server without saving it. Errors come back per field.
use super::{PageState, status_label};
use crate::i18n::{td_string, use_i18n};
use crate::monitoring::api::{save_monitor, test_monitor};
use crate::monitoring::{CheckOutcome, MonitorKind, MonitorView};
use crate::servers::api::list_servers;
use crate::ui::{CheckboxField, Field, FormAlert, FormStatus, SelectField, use_form_action};
use leptos::prelude::*;

/// The form's text, one signal per field.
#[derive(Clone, Copy)]
struct Values {
    name: RwSignal<String>,
    kind: RwSignal<String>,
    target: RwSignal<String>,
    interval: RwSignal<String>,
    timeout: RwSignal<String>,
    retries: RwSignal<String>,
    server: RwSignal<String>,
    keyword: RwSignal<String>,
    expected_status: RwSignal<String>,
    record_type: RwSignal<String>,
    paused: RwSignal<bool>,
}

/// What is sent for both "Test now" and "Save".
type Definition = (
    Option<i32>,
    String,
    String,
    String,
    u32,
    u32,
    u32,
    Option<i32>,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
);

impl Values {
    fn new() -> Self {
        let s = |v: &str| RwSignal::new(v.to_string());
        Values {
            name: s(""),
            kind: s("http"),
            target: s(""),
            interval: s("60"),
            timeout: s("10"),
            retries: s("1"),
            server: s(""),
            keyword: s(""),
            expected_status: s(""),
            record_type: s("A"),
            paused: RwSignal::new(false),
        }
    }

    /// Shows monitor `m`, or an empty form for `default_server` (the
    /// server whose view the page shows).
    fn fill(self, m: Option<&MonitorView>, default_server: Option<i32>) {
        let setting = |k: &str| {
            m.and_then(|m| m.settings.get(k))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        self.name.set(m.map(|m| m.name.clone()).unwrap_or_default());
        self.kind.set(m.map_or("http", |m| m.kind.as_str()).into());
        self.target
            .set(m.map(|m| m.target.clone()).unwrap_or_default());
        self.interval
            .set(m.map_or(60, |m| m.interval_seconds).to_string());
        self.timeout
            .set(m.map_or(10, |m| m.timeout_seconds).to_string());
        self.retries.set(m.map_or(1, |m| m.retries).to_string());
        self.server.set(
            m.map_or(default_server, |m| m.server_id)
                .map(|s| s.to_string())
                .unwrap_or_default(),
        );
        self.keyword.set(setting("keyword"));
        self.expected_status.set(setting("expected_status"));
        let rt = setting("record_type");
        self.record_type
            .set(if rt.is_empty() { "A".into() } else { rt });
        self.paused.set(m.is_some_and(|m| m.paused));
    }

    /// A number as typed; anything unparsable is sent as a value the
    /// server refuses with its own message.
    fn definition(self, id: Option<i32>) -> Definition {
        let g = |s: RwSignal<String>| s.get_untracked().trim().to_string();
        let n = |s: RwSignal<String>| g(s).parse::<u32>().unwrap_or(u32::MAX);
        let opt = |s: RwSignal<String>| Some(g(s)).filter(|v| !v.is_empty());
        let kind = g(self.kind);
        (
            id,
            g(self.name),
            kind.clone(),
            g(self.target),
            n(self.interval),
            n(self.timeout),
            n(self.retries),
            g(self.server).parse().ok(),
            self.paused.get_untracked(),
            opt(self.keyword).filter(|_| kind == "http"),
            opt(self.expected_status).filter(|_| kind == "http"),
            opt(self.record_type).filter(|_| kind == "dns"),
        )
    }
}

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
            let d = v.definition(state.editing.get_untracked().map(|m| m.id));
            save_monitor(
                d.0,
                d.1,
                d.2,
                d.3,
                d.4,
                d.5,
                d.6,
                d.7,
                d.8,
                None,
                Default::default(),
                d.10,
                d.9,
                None,
                None,
                None,
                d.11,
                None,
                None,
            )
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
        move |_: &()| {
            let d = v.definition(None);
            test_monitor(
                d.0,
                d.1,
                d.2,
                d.3,
                d.4,
                d.5,
                d.6,
                d.7,
                d.8,
                None,
                Default::default(),
                d.10,
                d.9,
                None,
                None,
                None,
                d.11,
                None,
                None,
            )
        },
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
                    <Field label=crate::tr_signal!(i18n, field_keyword) name="keyword" form="monitor" value=v.keyword errors required=false />
                    <Field label=crate::tr_signal!(i18n, field_expected_status) name="expected_status" form="monitor" value=v.expected_status errors required=false />
                </Show>
                <Show when=is("dns")>
                    <SelectField label=crate::tr_signal!(i18n, field_record_type) name="record_type" form="monitor" value=v.record_type errors>
                        {["A", "AAAA", "CNAME", "MX", "NS", "TXT"].into_iter().map(|t| view! {
                            <option value=t selected=move || v.record_type.get() == t>{t}</option>
                        }).collect_view()}
                    </SelectField>
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
