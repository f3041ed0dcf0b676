//! Create a server, or edit the one chosen in the detail panel. Errors come
//! back per field from the server, in the reader's language.
use super::PageState;
use crate::i18n::{td_string, use_i18n};
use crate::servers::api::save_server;
use crate::servers::{ServerKind, ServerView};
use crate::ui::{
    CheckboxField, Field, FormAlert, FormStatus, SelectField, TextareaField, use_form_action,
};
use leptos::prelude::*;

/// The form's text, one signal per field.
#[derive(Clone, Copy)]
struct Values {
    name: RwSignal<String>,
    hostname: RwSignal<String>,
    ip_addresses: RwSignal<String>,
    os: RwSignal<String>,
    kind: RwSignal<String>,
    provider: RwSignal<String>,
    environment: RwSignal<String>,
    tags: RwSignal<String>,
    owner: RwSignal<String>,
    cpu_cores: RwSignal<String>,
    ram_mb: RwSignal<String>,
    disk_gb: RwSignal<String>,
    notes: RwSignal<String>,
    ssh_user: RwSignal<String>,
    ssh_port: RwSignal<String>,
    credential_kind: RwSignal<String>,
    credential: RwSignal<String>,
    remove_credential: RwSignal<bool>,
}

impl Values {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Values {
            name: s(),
            hostname: s(),
            ip_addresses: s(),
            os: s(),
            kind: RwSignal::new("vm".into()),
            provider: s(),
            environment: RwSignal::new("production".into()),
            tags: s(),
            owner: s(),
            cpu_cores: s(),
            ram_mb: s(),
            disk_gb: s(),
            notes: s(),
            ssh_user: s(),
            ssh_port: RwSignal::new("22".into()),
            credential_kind: s(),
            credential: s(),
            remove_credential: RwSignal::new(false),
        }
    }

    /// Shows `server` (or an empty form).
    fn fill(self, server: Option<&ServerView>) {
        let text = |f: fn(&ServerView) -> String| server.map(f).unwrap_or_default();
        let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
        self.name.set(text(|s| s.name.clone()));
        self.hostname.set(text(|s| s.hostname.clone()));
        self.ip_addresses.set(text(|s| s.ip_addresses.join(" ")));
        self.os.set(text(|s| s.os.clone()));
        self.kind
            .set(server.map_or("vm", |s| s.kind.as_str()).into());
        self.provider.set(text(|s| s.provider.clone()));
        self.environment
            .set(server.map_or_else(|| "production".into(), |s| s.environment.clone()));
        self.tags.set(text(|s| s.tags.join(" ")));
        self.owner.set(text(|s| s.owner.clone()));
        self.cpu_cores
            .set(number(server.and_then(|s| s.cpu_cores.map(u64::from))));
        self.ram_mb.set(number(server.and_then(|s| s.ram_mb)));
        self.disk_gb.set(number(server.and_then(|s| s.disk_gb)));
        self.notes.set(text(|s| s.notes.clone()));
        self.ssh_user
            .set(text(|s| s.ssh.user.clone().unwrap_or_default()));
        self.ssh_port
            .set(server.map_or(22, |s| s.ssh.port).to_string());
        self.credential_kind.set(
            server
                .and_then(|s| s.ssh.credential_kind)
                .map(|k| k.as_str().to_string())
                .unwrap_or_default(),
        );
        self.credential.set(String::new());
        self.remove_credential.set(false);
    }
}

/// Items of a list typed with spaces or commas.
fn items(s: &str) -> Vec<String> {
    s.split([' ', ',', ';', '\n'])
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// A number field: empty is "not given"; anything else goes to the server
/// as typed, so a bad value gets the server's message (`u64::MAX` never
/// passes its range check).
fn number(s: &str) -> Option<u64> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.parse().unwrap_or(u64::MAX))
}

#[component]
pub fn ServerForm(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let v = Values::new();
    let save = use_form_action(
        move |_: &()| {
            let g = |s: RwSignal<String>| s.get_untracked();
            let credential = if v.remove_credential.get_untracked() {
                Some(String::new())
            } else {
                Some(g(v.credential)).filter(|c| !c.is_empty())
            };
            save_server(
                state.editing.get_untracked().map(|s| s.id),
                g(v.name),
                g(v.hostname),
                items(&g(v.ip_addresses)),
                g(v.os),
                g(v.kind),
                g(v.provider),
                g(v.environment),
                items(&g(v.tags)),
                g(v.owner),
                number(&g(v.cpu_cores)).map(|n| u32::try_from(n).unwrap_or(0)),
                number(&g(v.ram_mb)),
                number(&g(v.disk_gb)),
                g(v.notes),
                Some(g(v.ssh_user)),
                number(&g(v.ssh_port)).map(|n| u32::try_from(n).unwrap_or(0)),
                Some(g(v.credential_kind)).filter(|k| !k.is_empty()),
                credential,
            )
        },
        move |s: &ServerView| {
            state.changed();
            state.selected.set(Some(s.id));
            state.editing.set(None);
            Some(format!("{} {}", td_string!(locale(), server_saved), s.name))
        },
    );
    let (errors, saved) = (save.errors, save.done);
    Effect::new(move || {
        v.fill(state.editing.get().as_ref());
        errors.set(None);
    });
    let has_credential = move || {
        state
            .editing
            .get()
            .is_some_and(|s| s.ssh.credential_kind.is_some())
    };
    view! {
        <section class="card" aria-labelledby="server-form-h">
            <h2 id="server-form-h">{move || if state.editing.get().is_some() { td_string!(locale(), server_edit) } else { td_string!(locale(), server_new) }}</h2>
            <form class="form" id="server-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=saved />
                <Field label=crate::tr_signal!(i18n, field_server_name) name="name" form="server" value=v.name errors />
                <Field label=crate::tr_signal!(i18n, field_hostname) name="hostname" form="server" value=v.hostname errors />
                <Field label=crate::tr_signal!(i18n, field_ip_addresses) name="ip_addresses" form="server" value=v.ip_addresses errors required=false hint=crate::tr_signal!(i18n, hint_list) />
                <SelectField label=crate::tr_signal!(i18n, field_kind) name="kind" form="server" value=v.kind errors>
                    {ServerKind::ALL.iter().map(|k| {
                        let k = k.as_str();
                        view! { <option value=k selected=move || v.kind.get() == k>{k}</option> }
                    }).collect_view()}
                </SelectField>
                <Field label=crate::tr_signal!(i18n, field_environment) name="environment" form="server" value=v.environment errors hint=crate::tr_signal!(i18n, hint_environment) />
                <Field label=crate::tr_signal!(i18n, field_tags) name="tags" form="server" value=v.tags errors required=false hint=crate::tr_signal!(i18n, hint_list) />
                <Field label=crate::tr_signal!(i18n, field_os) name="os" form="server" value=v.os errors required=false />
                <Field label=crate::tr_signal!(i18n, field_provider) name="provider" form="server" value=v.provider errors required=false />
                <Field label=crate::tr_signal!(i18n, field_owner) name="owner" form="server" value=v.owner errors required=false />
                <Field label=crate::tr_signal!(i18n, field_cpu_cores) name="cpu_cores" form="server" value=v.cpu_cores errors kind="number" required=false />
                <Field label=crate::tr_signal!(i18n, field_ram_mb) name="ram_mb" form="server" value=v.ram_mb errors kind="number" required=false />
                <Field label=crate::tr_signal!(i18n, field_disk_gb) name="disk_gb" form="server" value=v.disk_gb errors kind="number" required=false />
                <TextareaField label=crate::tr_signal!(i18n, field_notes) name="notes" form="server" value=v.notes errors hint=crate::tr_signal!(i18n, hint_markdown) />
                <fieldset>
                    <legend>{crate::tr!(i18n, server_ssh)}</legend>
                    <Field label=crate::tr_signal!(i18n, field_ssh_user) name="ssh_user" form="server" value=v.ssh_user errors required=false />
                    <Field label=crate::tr_signal!(i18n, field_ssh_port) name="ssh_port" form="server" value=v.ssh_port errors kind="number" required=false />
                    <SelectField label=crate::tr_signal!(i18n, field_credential_kind) name="ssh_credential_kind" form="server" value=v.credential_kind errors>
                        <option value="" selected=move || v.credential_kind.get().is_empty()>"—"</option>
                        <option value="password" selected=move || v.credential_kind.get() == "password">{crate::tr!(i18n, credential_password)}</option>
                        <option value="private-key" selected=move || v.credential_kind.get() == "private-key">{crate::tr!(i18n, credential_private_key)}</option>
                    </SelectField>
                    // A password is typed into a password input (never shown on
                    // screen); a private key needs the lines of a textarea.
                    <Show
                        when=move || v.credential_kind.get() == "private-key"
                        fallback=move || view! {
                            <Field label=crate::tr_signal!(i18n, credential_password) name="ssh_credential" form="server" value=v.credential errors kind="password" autocomplete="new-password" required=false hint=crate::tr_signal!(i18n, hint_credential) />
                        }
                    >
                        <TextareaField label=crate::tr_signal!(i18n, credential_private_key) name="ssh_credential" form="server" value=v.credential errors rows=3 hint=crate::tr_signal!(i18n, hint_credential) />
                    </Show>
                    <Show when=has_credential>
                        <CheckboxField label=crate::tr_signal!(i18n, field_remove_credential) name="remove_credential" form="server" checked=v.remove_credential errors />
                    </Show>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, action_save)}</button>
                    <Show when=move || state.editing.get().is_some()>
                        <button type="button" class="button" on:click=move |_| state.editing.set(None)>{crate::tr!(i18n, action_cancel)}</button>
                    </Show>
                </div>
            </form>
        </section>
    }
}
