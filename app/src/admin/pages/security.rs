//! `/app/admin/security`: single sign-on settings.
use super::Loaded;
use crate::i18n::{td_string, use_i18n};
use crate::platform::Permission;
use crate::ui::{
    Access, AppFrame, CheckboxField, Field, FormAlert, FormStatus, LocalLink, TextareaField,
    use_form_action,
};
use leptos::prelude::*;

/// What the security page reads, loaded in the browser (see `ui::AfterHydration`).
#[derive(Clone, Copy)]
pub struct SecurityData {
    current: Loaded<crate::sso::SsoSettings>,
}

impl SecurityData {
    pub fn load() -> Self {
        Self {
            current: Resource::new(|| (), |_| crate::sso::api::get_sso_settings()),
        }
    }
}

crate::lazy_page!(SecurityAdminRoute => SecurityAdminPage);

#[component]
fn SecurityAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, admin_security)
            path="/app/admin/security"
            access=Access::Can(Permission::SettingsManage)
        >
            <SecurityAdmin data=SecurityData::load() />
        </AppFrame>
    }
}

/// Security policy: session timeouts (from the configuration), 2FA per role
/// (on the roles page) and single sign-on.
#[component]
fn SecurityAdmin(data: SecurityData) -> impl IntoView {
    let i18n = use_i18n();
    let current = data.current;
    view! {
        <section class="card" aria-labelledby="policy-h">
            <h2 id="policy-h">{crate::tr!(i18n, admin_policy)}</h2>
            <p>{crate::tr!(i18n, admin_policy_timeouts)}</p>
            <p>{crate::tr!(i18n, admin_policy_2fa)}" "<LocalLink href="/app/admin/roles">{crate::tr!(i18n, admin_roles)}</LocalLink></p>
        </section>
        <SsoSection current />
    }
}

/// Single sign-on settings (OpenID Connect).
#[component]
fn SsoSection(
    current: Resource<Result<crate::sso::SsoSettings, crate::error::AppError>>,
) -> impl IntoView {
    use crate::sso::{GroupRole, api::save_sso_settings};
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let enabled = RwSignal::new(false);
    let (issuer, client_id, secret, label, default_role, rules) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new("user".to_string()),
        RwSignal::new(String::new()),
    );
    let trust_mfa = RwSignal::new(false);
    let confirm = RwSignal::new(String::new());
    Effect::new(move || {
        if let Some(Ok(s)) = current.get() {
            enabled.set(s.enabled);
            trust_mfa.set(s.trust_idp_mfa);
            issuer.set(s.issuer);
            client_id.set(s.client_id);
            label.set(s.button_label);
            default_role.set(s.default_role);
            rules.set(
                s.group_roles
                    .iter()
                    .map(|g| format!("{}={}", g.group, g.role))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
    });
    let save = use_form_action(
        move |_: &()| {
            let group_roles: Vec<GroupRole> = rules
                .get_untracked()
                .lines()
                .filter_map(|l| l.split_once('='))
                .map(|(g, r)| GroupRole {
                    group: g.trim().into(),
                    role: r.trim().into(),
                })
                .collect();
            save_sso_settings(
                enabled.get_untracked(),
                issuer.get_untracked(),
                client_id.get_untracked(),
                secret.get_untracked(),
                label.get_untracked(),
                group_roles,
                default_role.get_untracked(),
                trust_mfa.get_untracked(),
                confirm.get_untracked(),
            )
        },
        move |_| {
            // The secret and the password are not kept in the page.
            secret.set(String::new());
            confirm.set(String::new());
            Some(td_string!(locale(), profile_saved).to_string())
        },
    );
    let errors = save.errors;
    view! {
        <section class="card" aria-labelledby="sso-h" id="sso">
            <h2 id="sso-h">{crate::tr!(i18n, admin_sso)}</h2>
            <p class="muted">{crate::tr!(i18n, sso_intro)}</p>
            <p>{crate::tr!(i18n, sso_redirect_uri)}" "<code id="sso-callback">{crate::sso::CALLBACK_PATH}</code></p>
            <form class="form" id="sso-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=save.done />
                <CheckboxField label=crate::tr_signal!(i18n, field_sso_enabled) name="enabled" form="sso" checked=enabled errors />
                <Field label=crate::tr_signal!(i18n, field_issuer) name="issuer" form="sso" value=issuer errors kind="url" required=false />
                <Field label=crate::tr_signal!(i18n, field_client_id) name="client_id" form="sso" value=client_id errors required=false />
                <Field label=crate::tr_signal!(i18n, field_client_secret) name="client_secret" form="sso" value=secret errors kind="password" required=false hint=crate::tr_signal!(i18n, field_client_secret_hint) />
                <Field label=crate::tr_signal!(i18n, field_button_label) name="button_label" form="sso" value=label errors required=false />
                <Field label=crate::tr_signal!(i18n, field_default_role) name="default_role" form="sso" value=default_role errors />
                <TextareaField label=crate::tr_signal!(i18n, field_group_roles) name="group_roles" form="sso" value=rules errors hint=crate::tr_signal!(i18n, field_group_roles_hint) />
                <CheckboxField label=crate::tr_signal!(i18n, field_sso_trust_mfa) name="trust_idp_mfa" form="sso" checked=trust_mfa errors />
                <Field label=crate::tr_signal!(i18n, field_current_password) name="current_password" form="sso" value=confirm errors kind="password" autocomplete="current-password" hint=crate::tr_signal!(i18n, field_sso_confirm_hint) />
                <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, action_save)}</button>
            </form>
        </section>
    }
}
