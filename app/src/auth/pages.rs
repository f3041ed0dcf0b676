//! The sign-in page.
use super::api::{login, login_totp};
use crate::i18n::{td_string, use_i18n};
use crate::server_calls::{ServerCall, call};
use crate::ui::{Field, FormAlert, FormErrors, JsonResource, Seo, use_current_user, use_localized};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Where to go after signing in: a local path from `?next=`, else the profile.
fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}

/// What the sign-in page reads, made before its split boundary (see `ui::lazy`).
#[derive(Clone, Copy)]
pub struct LoginData {
    sso: JsonResource<super::SsoStatus>,
}

impl LoginData {
    pub fn load() -> Self {
        Self {
            sso: JsonResource::new(|| (), |_| call(ServerCall::SsoStatus), false),
        }
    }
}

crate::lazy_page!(LoginRoute => LoginPage(LoginData));

#[component]
fn LoginPage(data: LoginData) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let user = use_current_user();
    let navigate = use_navigate();
    let query = use_query_map();
    let profile = use_localized("/app/profile");
    let (email, password, totp) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors: FormErrors = RwSignal::new(None);
    let needs_totp = RwSignal::new(false);
    // An SSO sign-in waiting for this account's TOTP code: only that is asked.
    let sso_totp = move || query.with(|q| q.get("sso").as_deref() == Some("totp"));
    let submit = Action::new(move |_: &()| {
        let (navigate, profile) = (navigate.clone(), profile.clone());
        let code = Some(totp.get_untracked()).filter(|c| !c.trim().is_empty());
        let next = safe_next(query.with_untracked(|q| q.get("next")));
        let sso_step = query.with_untracked(|q| q.get("sso").as_deref() == Some("totp"));
        let (email, password) = (email.get_untracked(), password.get_untracked());
        async move {
            let result = if sso_step {
                login_totp(code.unwrap_or_default()).await
            } else {
                login(email, password, code).await
            };
            match result {
                Ok(_) => {
                    errors.set(None);
                    crate::auth::reload_current_user(user).await;
                    navigate(&next.unwrap_or_else(&profile), Default::default());
                }
                Err(e) => {
                    if e.error.fields.contains_key("totp") {
                        needs_totp.set(true);
                    }
                    errors.set(Some(e));
                }
            }
        }
    });
    view! {
        <Seo
            title=crate::tr_signal!(i18n, login_title)
            description=crate::tr_signal!(i18n, login_description)
            path="/login"
            noindex=true
        />
        <div class="page narrow">
            <h1>{crate::tr!(i18n, login_title)}</h1>
            {move || query.with(|q| q.get("sso")).map(|reason| {
                let (class, text) = match reason.as_str() {
                    "unverified" => ("notice notice-danger", td_string!(locale(), err_sso_unverified)),
                    "link" => ("notice", td_string!(locale(), err_sso_link_proof)),
                    "totp" => ("notice", td_string!(locale(), err_sso_totp)),
                    _ => ("notice notice-danger", td_string!(locale(), err_sso_failed)),
                };
                view! { <p class=class role="alert" id="sso-error">{text}</p> }
            })}
            <form class="form card" id="login-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit.dispatch(()); }>
                <FormAlert errors />
                <Show when=move || !sso_totp()>
                    <Field label=crate::tr_signal!(i18n, field_email) name="email" form="login" value=email errors kind="email" autocomplete="username" />
                    <Field label=crate::tr_signal!(i18n, field_password) name="password" form="login" value=password errors kind="password" autocomplete="current-password" />
                </Show>
                <Show when=move || needs_totp.get() || sso_totp()>
                    <Field
                        label=crate::tr_signal!(i18n, field_totp)
                        name="totp"
                        form="login"
                        value=totp
                        errors
                        autocomplete="one-time-code"
                        hint=crate::tr_signal!(i18n, field_totp_hint)
                    />
                </Show>
                <button type="submit" class="button button-primary" disabled=move || submit.pending().get()>
                    {move || if submit.pending().get() { td_string!(locale(), login_working) } else { td_string!(locale(), login_submit) }}
                </button>
            </form>
            <SsoButton status=data.sso />
            <p class="muted">{crate::tr!(i18n, login_help)}</p>
        </div>
    }
}

/// "Sign in with …" when an admin turned single sign-on on. A plain link:
/// the browser leaves the app for the identity provider.
#[component]
fn SsoButton(status: JsonResource<super::SsoStatus>) -> impl IntoView {
    let i18n = use_i18n();
    // Words fixed per locale: the suspended part reads no signal (see AccountMenu).
    let read_locale = crate::i18n_support::locale_reader(i18n);
    move || {
        let locale = read_locale();
        let or = crate::i18n::td_string!(locale, sso_or).to_string();
        let fallback_label = crate::i18n::td_string!(locale, sso_sign_in).to_string();
        view! {
            <Transition fallback=|| ()>
                {move || {
                    let (or, fallback_label) = (or.clone(), fallback_label.clone());
                    Suspend::new(async move {
                        status.get().await.ok().filter(|s| s.enabled).map(|s| {
                            let label = Some(s.button_label).filter(|l| !l.is_empty()).unwrap_or(fallback_label);
                            view! {
                                <p class="sso-or">{or}</p>
                                <a href="/auth/oidc/start" rel="external" class="button" id="sso-sign-in">{label}</a>
                            }
                        })
                    })
                }}
            </Transition>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_local_only() {
        assert_eq!(
            safe_next(Some("/app/admin/users".into())).as_deref(),
            Some("/app/admin/users")
        );
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "app"] {
            assert_eq!(safe_next(Some(bad.into())), None, "{bad}");
        }
    }
}
