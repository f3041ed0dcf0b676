//! `/app/profile`: the signed-in user's own account: name, language, theme,
//! password, two-factor authentication, API tokens and sessions.
use super::Me;
use crate::i18n::{t_string, use_i18n};
use crate::ui::{
    Access, AfterHydration, Field, FormAlert, FormErrors, FormStatus, RequireAccess, Seo,
    Timestamp, use_current_user,
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
                    <TokensSection me=me tokens />
                    <SessionsSection sessions />
                })
            })}
        </Suspense>
    }
}

#[component]
fn AccountSection(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let user = use_current_user();
    let name = RwSignal::new(me.user.display_name.clone());
    let locale = RwSignal::new(me.user.locale.clone());
    let theme = RwSignal::new(me.user.theme.clone());
    let errors: FormErrors = RwSignal::new(None);
    let saved = RwSignal::new(None::<String>);
    let save = Action::new(move |_: &()| {
        let call = super::api::update_profile(
            name.get_untracked(),
            locale.get_untracked(),
            theme.get_untracked(),
        );
        async move {
            match call.await {
                Ok(_) => {
                    errors.set(None);
                    saved.set(Some(t_string!(i18n, profile_saved).to_string()));
                    crate::auth::reload_current_user(user).await;
                }
                Err(e) => {
                    saved.set(None);
                    errors.set(Some(e));
                }
            }
        }
    });
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
                <div class="field">
                    <label for="account-locale">{crate::tr!(i18n, field_language)}</label>
                    <select id="account-locale" on:change=move |ev| locale.set(event_target_value(&ev))>
                        {locales.iter().map(|l| {
                            let code = leptos_i18n::Locale::as_str(*l);
                            let label = crate::ui::native_name(*l);
                            view! { <option value=code selected=move || locale.get() == code>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="account-theme">{crate::tr!(i18n, field_theme)}</label>
                    <select id="account-theme" on:change=move |ev| theme.set(event_target_value(&ev))>
                        <option value="system" selected=move || theme.get() == "system">{crate::tr!(i18n, theme_system)}</option>
                        <option value="light" selected=move || theme.get() == "light">{crate::tr!(i18n, theme_light)}</option>
                        <option value="dark" selected=move || theme.get() == "dark">{crate::tr!(i18n, theme_dark)}</option>
                    </select>
                </div>
                <button type="submit" class="button button-primary">{crate::tr!(i18n, action_save)}</button>
            </form>
        </section>
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let i18n = use_i18n();
    let (current, new) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors: FormErrors = RwSignal::new(None);
    let saved = RwSignal::new(None::<String>);
    let save = Action::new(move |_: &()| {
        let call = super::api::change_password(current.get_untracked(), new.get_untracked());
        async move {
            match call.await {
                Ok(()) => {
                    errors.set(None);
                    current.set(String::new());
                    new.set(String::new());
                    saved.set(Some(t_string!(i18n, password_changed).to_string()));
                }
                Err(e) => {
                    saved.set(None);
                    errors.set(Some(e));
                }
            }
        }
    });
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

#[component]
fn TwoFactorSection(enabled: bool) -> impl IntoView {
    use crate::twofa::api::{confirm_2fa, disable_2fa, enroll_2fa};
    let i18n = use_i18n();
    let enabled = RwSignal::new(enabled);
    let enrollment = RwSignal::new(None::<crate::twofa::Enrollment>);
    let codes = RwSignal::new(None::<Vec<String>>);
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors: FormErrors = RwSignal::new(None);
    let start = Action::new(move |_: &()| async move {
        match enroll_2fa().await {
            Ok(e) => {
                errors.set(None);
                enrollment.set(Some(e));
            }
            Err(e) => errors.set(Some(e)),
        }
    });
    let confirm = Action::new(move |_: &()| {
        let call = confirm_2fa(code.get_untracked());
        async move {
            match call.await {
                Ok(r) => {
                    errors.set(None);
                    enrollment.set(None);
                    code.set(String::new());
                    enabled.set(true);
                    codes.set(Some(r.codes));
                }
                Err(e) => errors.set(Some(e)),
            }
        }
    });
    let disable = Action::new(move |_: &()| {
        let call = disable_2fa(code.get_untracked(), password.get_untracked());
        async move {
            match call.await {
                Ok(()) => {
                    errors.set(None);
                    code.set(String::new());
                    password.set(String::new());
                    enabled.set(false);
                    codes.set(None);
                }
                Err(e) => errors.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="twofa-h" id="twofa">
            <h2 id="twofa-h">{crate::tr!(i18n, twofa_title)}</h2>
            <p id="twofa-state">{move || if enabled.get() { t_string!(i18n, twofa_on) } else { t_string!(i18n, twofa_off) }}</p>
            <FormAlert errors />
            {move || codes.get().map(|list| view! {
                <div class="notice notice-success" id="recovery-codes">
                    <p>{crate::tr!(i18n, twofa_codes_intro)}</p>
                    <ul class="code-list">{list.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                </div>
            })}
            {move || match (enabled.get(), enrollment.get()) {
                (false, None) => view! {
                    <button type="button" class="button button-primary" id="twofa-start" on:click=move |_| { start.dispatch(()); }>
                        {crate::tr!(i18n, twofa_start)}
                    </button>
                }.into_any(),
                (false, Some(e)) => view! {
                    <div class="twofa-enrol">
                        <p>{crate::tr!(i18n, twofa_scan)}</p>
                        <img src=e.qr_svg_data_url.clone() width="200" height="200" alt=crate::tr!(i18n, twofa_qr_alt) class="qr" />
                        <p>{crate::tr!(i18n, twofa_manual)}" "<code id="twofa-secret" class="secret">{e.secret.clone()}</code></p>
                        <form class="form" id="twofa-confirm" novalidate on:submit=move |ev| { ev.prevent_default(); confirm.dispatch(()); }>
                            <Field label=crate::tr_signal!(i18n, field_totp) name="code" form="twofa" value=code errors autocomplete="one-time-code" />
                            <button type="submit" class="button button-primary">{crate::tr!(i18n, twofa_confirm)}</button>
                        </form>
                    </div>
                }.into_any(),
                (true, _) => view! {
                    <form class="form" id="twofa-disable" novalidate on:submit=move |ev| { ev.prevent_default(); disable.dispatch(()); }>
                        <Field label=crate::tr_signal!(i18n, field_current_password) name="password" form="twofa-off" value=password errors kind="password" autocomplete="current-password" />
                        <Field label=crate::tr_signal!(i18n, field_totp_or_recovery) name="code" form="twofa-off" value=code errors autocomplete="one-time-code" />
                        <button type="submit" class="button">{crate::tr!(i18n, twofa_disable)}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn TokensSection(
    me: Me,
    tokens: Resource<Result<Vec<crate::tokens::TokenView>, crate::error::AppError>>,
) -> impl IntoView {
    use crate::tokens::api::{create_token, revoke_token};
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let days = RwSignal::new("30".to_string());
    let scopes = RwSignal::new(Vec::<String>::new());
    let created = RwSignal::new(None::<String>);
    let errors: FormErrors = RwSignal::new(None);
    let create = Action::new(move |_: &()| {
        let call = create_token(
            name.get_untracked(),
            scopes.get_untracked(),
            days.get_untracked().parse().unwrap_or(0),
        );
        async move {
            match call.await {
                Ok(t) => {
                    errors.set(None);
                    name.set(String::new());
                    created.set(Some(t.token));
                    tokens.refetch();
                }
                Err(e) => errors.set(Some(e)),
            }
        }
    });
    let revoke = Action::new(move |id: &i32| {
        let call = revoke_token(*id);
        async move {
            let _ = call.await;
            tokens.refetch();
        }
    });
    let perms = me.permissions.clone();
    view! {
        <section class="card" aria-labelledby="tokens-h" id="tokens">
            <h2 id="tokens-h">{crate::tr!(i18n, tokens_title)}</h2>
            <p class="muted">{crate::tr!(i18n, tokens_intro)}</p>
            {move || created.get().map(|tok| view! {
                <div class="notice notice-success" role="status">
                    <label for="new-token">{crate::tr!(i18n, tokens_created)}</label>
                    <input id="new-token" class="token-value" readonly value=tok />
                </div>
            })}
            <form class="form" id="token-form" novalidate on:submit=move |ev| { ev.prevent_default(); create.dispatch(()); }>
                <FormAlert errors />
                <Field label=crate::tr_signal!(i18n, field_token_name) name="name" form="token" value=name errors />
                <fieldset class="field">
                    <legend>{crate::tr!(i18n, field_scopes)}</legend>
                    <div class="checks">
                        {perms.into_iter().map(|p| {
                            let code = p.as_str();
                            view! {
                                <label class="check">
                                    <input type="checkbox" value=code on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        scopes.update(|s| { s.retain(|x| x != code); if on { s.push(code.to_string()); } });
                                    } />
                                    <code>{code}</code>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p class="field-error" hidden=move || crate::ui::form::field_error(errors, "scopes").get().is_none()>
                        {move || crate::ui::form::field_error(errors, "scopes").get()}
                    </p>
                </fieldset>
                <div class="field">
                    <label for="token-days">{crate::tr!(i18n, field_expires_days)}</label>
                    <select id="token-days" on:change=move |ev| days.set(event_target_value(&ev))>
                        {[7, 30, 90, 365].into_iter().map(|d| view! { <option value=d.to_string() selected=d == 30>{d}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button-primary">{crate::tr!(i18n, tokens_create)}</button>
            </form>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = tokens.await.unwrap_or_default();
                    view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="tokens-h">
                            <table class="table" id="token-list">
                                <thead><tr>
                                    <th scope="col">{crate::tr!(i18n, field_token_name)}</th>
                                    <th scope="col">{crate::tr!(i18n, field_scopes)}</th>
                                    <th scope="col">{crate::tr!(i18n, col_expires)}</th>
                                    <th scope="col">{crate::tr!(i18n, col_last_used)}</th>
                                    <th scope="col"><span class="sr-only">{crate::tr!(i18n, col_actions)}</span></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|tk| {
                                        let id = tk.id;
                                        view! { <tr>
                                            <td>{tk.name.clone()}</td>
                                            <td>{tk.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")}</td>
                                            <td><Timestamp at=tk.expires_at.clone() /></td>
                                            <td><Timestamp at=tk.last_used_at.clone() /></td>
                                            <td>{if tk.revoked {
                                                view! { <span class="badge badge-muted">{crate::tr!(i18n, tokens_revoked)}</span> }.into_any()
                                            } else {
                                                view! { <button type="button" class="button" on:click=move |_| { revoke.dispatch(id); }>{crate::tr!(i18n, action_revoke)}</button> }.into_any()
                                            }}</td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn SessionsSection(
    sessions: Resource<Result<Vec<crate::sessions::SessionView>, crate::error::AppError>>,
) -> impl IntoView {
    use crate::sessions::api::revoke_session;
    let i18n = use_i18n();
    let revoke = Action::new(move |id: &String| {
        let call = revoke_session(id.clone());
        async move {
            let _ = call.await;
            sessions.refetch();
        }
    });
    view! {
        <section class="card" aria-labelledby="sessions-h" id="sessions">
            <h2 id="sessions-h">{crate::tr!(i18n, sessions_title)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = sessions.await.unwrap_or_default();
                    view! {
                        <ul class="session-list">
                            {list.into_iter().map(|s| {
                                let id = s.id.clone();
                                view! { <li class="session-item">
                                    <span>{s.user_agent.clone().unwrap_or_default()}</span>
                                    <span class="muted">{s.ip.clone().unwrap_or_default()}" · "<Timestamp at=s.created_at.clone() /></span>
                                    {if s.current {
                                        view! { <span class="badge badge-success">{crate::tr!(i18n, sessions_current)}</span> }.into_any()
                                    } else {
                                        view! { <button type="button" class="button" on:click=move |_| { revoke.dispatch(id.clone()); }>{crate::tr!(i18n, action_revoke)}</button> }.into_any()
                                    }}
                                </li> }
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
        </section>
    }
}
