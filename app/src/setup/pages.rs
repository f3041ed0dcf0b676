//! The page behind the first-run setup link.
use super::api::complete_setup;
use crate::i18n::use_i18n;
use crate::server_calls::{ServerCall, call};
use crate::ui::{Field, FormAlert, FormErrors, JsonResource, Seo, use_current_user, use_localized};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// What the setup page reads, made before its split boundary (see `ui::lazy`).
#[derive(Clone, Copy)]
pub struct SetupData {
    status: JsonResource<super::SetupStatus>,
}

impl SetupData {
    pub fn load() -> Self {
        let params = use_params_map();
        Self {
            status: JsonResource::new(
                move || params.with(|p| p.get("token").unwrap_or_default()),
                |token| call(ServerCall::SetupStatus { token }),
                true,
            ),
        }
    }
}

crate::lazy_page!(SetupRoute => SetupPage(SetupData));

#[component]
fn SetupPage(data: SetupData) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let status = data.status;
    view! {
        <Seo
            title=crate::tr_signal!(i18n, setup_title)
            description=crate::tr_signal!(i18n, setup_description)
            path="/setup"
            noindex=true
        />
        <div class="page narrow">
            <h1>{crate::tr!(i18n, setup_title)}</h1>
            <Suspense fallback=move || view! { <p role="status">{crate::tr!(i18n, setup_checking)}</p> }>
                {move || Suspend::new(async move {
                    match status.get().await {
                        Ok(s) if s.valid => view! {
                            <p id="setup-state" data-valid="true" class="notice notice-success">{crate::tr!(i18n, setup_valid)}</p>
                            <SetupForm token=params.with_untracked(|p| p.get("token").unwrap_or_default()) />
                        }.into_any(),
                        _ => view! {
                            <p id="setup-state" data-valid="false" class="notice notice-danger">{crate::tr!(i18n, setup_invalid)}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Creates the first administrator, who is then signed in.
#[component]
fn SetupForm(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let navigate = leptos_router::hooks::use_navigate();
    let users_page = use_localized("/app/admin/users");
    let (email, name, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors: FormErrors = RwSignal::new(None);
    let token = StoredValue::new(token);
    let submit = Action::new(move |_: &()| {
        let (navigate, users_page) = (navigate.clone(), users_page.clone());
        let call = complete_setup(
            token.get_value(),
            email.get_untracked(),
            name.get_untracked(),
            password.get_untracked(),
        );
        async move {
            match call.await {
                Ok(_) => {
                    crate::auth::reload_current_user(user).await;
                    navigate(&users_page(), Default::default());
                }
                Err(e) => errors.set(Some(e)),
            }
        }
    });
    view! {
        <form class="form card" id="setup-form" novalidate on:submit=move |ev| { ev.prevent_default(); submit.dispatch(()); }>
            <h2>{crate::tr!(i18n, setup_form_title)}</h2>
            <FormAlert errors />
            <Field label=crate::tr_signal!(i18n, field_email) name="email" form="setup" value=email errors kind="email" autocomplete="username" />
            <Field label=crate::tr_signal!(i18n, field_display_name) name="display_name" form="setup" value=name errors autocomplete="name" />
            <Field label=crate::tr_signal!(i18n, field_password) name="password" form="setup" value=password errors kind="password" autocomplete="new-password" hint=crate::tr_signal!(i18n, field_password_hint) />
            <button type="submit" class="button button-primary" disabled=move || submit.pending().get()>
                {crate::tr!(i18n, setup_submit)}
            </button>
        </form>
    }
}
