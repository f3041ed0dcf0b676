//! `/app/profile`: the signed-in user's own account: name, language, theme,
//! password, two-factor authentication, API tokens and sessions.
use super::Me;
use crate::i18n::{td_string, use_i18n};
use crate::sessions::pages::SessionsSection;
use crate::tokens::pages::TokensSection;
use crate::twofa::pages::TwoFactorSection;
use crate::ui::{
    Access, AfterHydration, Field, FormAlert, FormStatus, RequireAccess, SelectField, Seo,
    use_current_user, use_form_action,
};
use leptos::prelude::*;

/// What the profile page reads, loaded in the browser (see `ui::AfterHydration`).
#[derive(Clone, Copy)]
pub struct ProfileData {
    me: Resource<Result<Option<Me>, crate::error::AppError>>,
    tokens: Resource<Result<Vec<crate::tokens::TokenView>, crate::error::AppError>>,
    sessions: Resource<Result<Vec<crate::sessions::SessionView>, crate::error::AppError>>,
}

impl ProfileData {
    pub fn load() -> Self {
        Self {
            me: Resource::new(|| (), |_| super::api::session_user()),
            tokens: Resource::new(|| (), |_| crate::tokens::api::list_tokens()),
            sessions: Resource::new(|| (), |_| crate::sessions::api::list_sessions()),
        }
    }
}

crate::lazy_page!(ProfileRoute => ProfilePage);

#[component]
fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Seo title=crate::tr_signal!(i18n, profile_title) description=crate::tr_signal!(i18n, profile_title) path="/app/profile" noindex=true />
        <RequireAccess access=Access::SignedIn>
            <div class="page narrow stack">
                <h1>{crate::tr!(i18n, profile_title)}</h1>
                <AfterHydration>
                    <ProfileSections data=ProfileData::load() />
                </AfterHydration>
            </div>
        </RequireAccess>
    }
}

#[component]
fn ProfileSections(data: ProfileData) -> impl IntoView {
    let ProfileData {
        me,
        tokens,
        sessions,
    } = data;
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                me.await.ok().flatten().map(|me| view! {
                    <AccountSection me=me.clone() />
                    <PasswordSection />
                    <TwoFactorSection enabled=me.user.totp_enabled />
                    <TokensSection permissions=me.permissions.clone() tokens />
                    <SessionsSection sessions />
                })
            })}
        </Suspense>
    }
}

#[component]
fn AccountSection(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let ui_locale = crate::i18n_support::locale_reader(i18n);
    let user = use_current_user();
    let name = RwSignal::new(me.user.display_name.clone());
    let locale = RwSignal::new(me.user.locale.clone());
    let theme = RwSignal::new(me.user.theme.clone());
    let save = use_form_action(
        move |_: &()| {
            super::api::update_profile(
                name.get_untracked(),
                locale.get_untracked(),
                theme.get_untracked(),
            )
        },
        move |_| {
            leptos::task::spawn_local(crate::auth::reload_current_user(user));
            Some(td_string!(ui_locale(), profile_saved).to_string())
        },
    );
    let (errors, saved) = (save.errors, save.done);
    let locales = crate::i18n_support::all_locales();
    view! {
        <section class="card" aria-labelledby="account-h">
            <h2 id="account-h">{crate::tr!(i18n, profile_account)}</h2>
            <dl class="facts">
                <dt>{crate::tr!(i18n, field_email)}</dt><dd id="profile-email">{me.user.email.clone()}</dd>
                <dt>{crate::tr!(i18n, field_role)}</dt><dd id="profile-role">{me.user.role.clone()}</dd>
            </dl>
            <form class="form" id="account-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=saved />
                <Field label=crate::tr_signal!(i18n, field_display_name) name="display_name" form="account" value=name errors autocomplete="name" />
                <SelectField label=crate::tr_signal!(i18n, field_language) name="locale" form="account" value=locale errors>
                    {locales.iter().map(|l| {
                        let code = leptos_i18n::Locale::as_str(*l);
                        let label = crate::ui::native_name(*l);
                        view! { <option value=code selected=move || locale.get() == code>{label}</option> }
                    }).collect_view()}
                </SelectField>
                <SelectField label=crate::tr_signal!(i18n, field_theme) name="theme" form="account" value=theme errors>
                    <option value="system" selected=move || theme.get() == "system">{crate::tr!(i18n, theme_system)}</option>
                    <option value="light" selected=move || theme.get() == "light">{crate::tr!(i18n, theme_light)}</option>
                    <option value="dark" selected=move || theme.get() == "dark">{crate::tr!(i18n, theme_dark)}</option>
                </SelectField>
                <button type="submit" class="button button-primary">{crate::tr!(i18n, action_save)}</button>
            </form>
        </section>
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let (current, new) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let save = use_form_action(
        move |_: &()| super::api::change_password(current.get_untracked(), new.get_untracked()),
        move |_| {
            current.set(String::new());
            new.set(String::new());
            Some(td_string!(locale(), password_changed).to_string())
        },
    );
    let (errors, saved) = (save.errors, save.done);
    view! {
        <section class="card" aria-labelledby="password-h">
            <h2 id="password-h">{crate::tr!(i18n, profile_password)}</h2>
            <form class="form" id="password-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=saved />
                <Field label=crate::tr_signal!(i18n, field_current_password) name="current_password" form="pw" value=current errors kind="password" autocomplete="current-password" />
                <Field label=crate::tr_signal!(i18n, field_new_password) name="new_password" form="pw" value=new errors kind="password" autocomplete="new-password" hint=crate::tr_signal!(i18n, field_password_hint) />
                <button type="submit" class="button button-primary">{crate::tr!(i18n, profile_password_submit)}</button>
            </form>
        </section>
    }
}
