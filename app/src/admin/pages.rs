//! Administration: users, roles and the permission matrix, security policy.
use crate::error::AppError;
use crate::i18n::{t_string, use_i18n};
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, Field, FormAlert, FormErrors, FormStatus, LocalLink, Timestamp};
use crate::users::{RoleView, UserPage, UserStatus, UserView};
use leptos::prelude::*;

type Loaded<T> = Resource<Result<T, AppError>>;

/// What the users page reads (and the filters it reads by), loaded in the
/// browser (see `ui::AfterHydration`).
#[derive(Clone, Copy)]
pub struct UsersData {
    q: RwSignal<String>,
    role_filter: RwSignal<String>,
    version: RwSignal<u32>,
    users: Loaded<UserPage>,
    roles: Loaded<Vec<RoleView>>,
}

impl UsersData {
    pub fn load() -> Self {
        let q = RwSignal::new(String::new());
        let role_filter = RwSignal::new(String::new());
        let version = RwSignal::new(0u32);
        let users = Resource::new(
            move || (q.get(), role_filter.get(), version.get()),
            |(q, role, _)| {
                super::api::list_users(
                    Some(q).filter(|s| !s.is_empty()),
                    Some(role).filter(|s| !s.is_empty()),
                    None,
                    None,
                    None,
                    Some(100),
                )
            },
        );
        let roles = Resource::new(|| (), |_| super::api::list_roles());
        Self {
            q,
            role_filter,
            version,
            users,
            roles,
        }
    }
}

crate::lazy_page!(UsersAdminRoute => UsersAdminPage);

#[component]
fn UsersAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, admin_users)
            path="/app/admin/users"
            access=Access::Can(Permission::UsersRead)
        >
            <UsersAdmin data=UsersData::load() />
        </AppFrame>
    }
}

#[component]
fn UsersAdmin(data: UsersData) -> impl IntoView {
    use super::api::{reset_user_2fa, revoke_user_sessions};
    let i18n = use_i18n();
    let UsersData {
        q,
        role_filter,
        version,
        users,
        roles,
    } = data;
    let editing = RwSignal::new(None::<UserView>);
    let notice = RwSignal::new(None::<String>);
    let revoke = Action::new(move |id: &i32| {
        let call = revoke_user_sessions(*id);
        async move {
            if call.await.is_ok() {
                notice.set(Some(t_string!(i18n, admin_sessions_revoked).to_string()));
            }
        }
    });
    let reset = Action::new(move |id: &i32| {
        let call = reset_user_2fa(*id);
        async move {
            if call.await.is_ok() {
                notice.set(Some(t_string!(i18n, admin_2fa_reset).to_string()));
                version.update(|v| *v += 1);
            }
        }
    });
    view! {
        <FormStatus message=notice />
        <div class="filters">
            <div class="field">
                <label for="user-search">{crate::tr!(i18n, admin_search)}</label>
                <input id="user-search" type="search" on:input=move |ev| q.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="user-role-filter">{crate::tr!(i18n, field_role)}</label>
                <select id="user-role-filter" on:change=move |ev| role_filter.set(event_target_value(&ev))>
                    <option value="">{crate::tr!(i18n, admin_all)}</option>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            roles.await.unwrap_or_default().into_iter().map(|r| view! { <option value=r.name.clone()>{r.name.clone()}</option> }).collect_view()
                        })}
                    </Transition>
                </select>
            </div>
        </div>
        <Transition fallback=move || view! { <p role="status">{crate::tr!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let page = users.await;
                match page {
                    Err(e) => view! { <p class="notice notice-danger">{e.error.message}</p> }.into_any(),
                    Ok(page) => view! {
                        <p class="muted" id="user-total">{page.total}" "{crate::tr!(i18n, admin_users_count)}</p>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr!(i18n, admin_users)>
                            <table class="table" id="user-table">
                                <thead><tr>
                                    <th scope="col">{crate::tr!(i18n, field_email)}</th>
                                    <th scope="col">{crate::tr!(i18n, field_display_name)}</th>
                                    <th scope="col">{crate::tr!(i18n, field_role)}</th>
                                    <th scope="col">{crate::tr!(i18n, field_status)}</th>
                                    <th scope="col">{crate::tr!(i18n, twofa_short)}</th>
                                    <th scope="col">{crate::tr!(i18n, col_last_sign_in)}</th>
                                    <th scope="col"><span class="sr-only">{crate::tr!(i18n, col_actions)}</span></th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|u| {
                                        let (id, edit) = (u.id, u.clone());
                                        view! { <tr>
                                            <td>{u.email.clone()}</td>
                                            <td>{u.display_name.clone()}</td>
                                            <td>{u.role.clone()}</td>
                                            <td>{match u.status { UserStatus::Active => t_string!(i18n, status_active), UserStatus::Disabled => t_string!(i18n, status_disabled) }}</td>
                                            <td>{if u.totp_enabled { "✓" } else { "—" }}</td>
                                            <td><Timestamp at=u.last_sign_in_at.clone() /></td>
                                            <td><div class="row-actions">
                                                <button type="button" class="button" on:click=move |_| editing.set(Some(edit.clone()))>{crate::tr!(i18n, action_edit)}</button>
                                                <button type="button" class="button" on:click=move |_| { revoke.dispatch(id); }>{crate::tr!(i18n, admin_revoke_sessions)}</button>
                                                {u.totp_enabled.then(|| view! { <button type="button" class="button" on:click=move |_| { reset.dispatch(id); }>{crate::tr!(i18n, admin_reset_2fa)}</button> })}
                                            </div></td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
        <UserForm editing roles on_saved=move || { version.update(|v| *v += 1); editing.set(None); } />
    }
}

/// Create a user, or edit the one chosen in the table.
#[component]
fn UserForm(
    editing: RwSignal<Option<UserView>>,
    roles: Resource<Result<Vec<RoleView>, crate::error::AppError>>,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    use super::api::save_user;
    let i18n = use_i18n();
    let (email, name, password) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let role = RwSignal::new("user".to_string());
    let status = RwSignal::new("active".to_string());
    let errors: FormErrors = RwSignal::new(None);
    let saved = RwSignal::new(None::<String>);
    Effect::new(move || {
        let e = editing.get();
        email.set(e.as_ref().map(|u| u.email.clone()).unwrap_or_default());
        name.set(
            e.as_ref()
                .map(|u| u.display_name.clone())
                .unwrap_or_default(),
        );
        role.set(
            e.as_ref()
                .map(|u| u.role.clone())
                .unwrap_or_else(|| "user".into()),
        );
        status.set(
            e.as_ref()
                .map(|u| u.status.as_str().to_string())
                .unwrap_or_else(|| "active".into()),
        );
        password.set(String::new());
        errors.set(None);
    });
    let save = Action::new(move |_: &()| {
        let id = editing.get_untracked().map(|u| u.id);
        let st = if status.get_untracked() == "disabled" {
            UserStatus::Disabled
        } else {
            UserStatus::Active
        };
        let pw = Some(password.get_untracked()).filter(|p| !p.is_empty());
        let call = save_user(
            id,
            email.get_untracked(),
            name.get_untracked(),
            role.get_untracked(),
            Some(st),
            None,
            pw,
        );
        async move {
            match call.await {
                Ok(u) => {
                    errors.set(None);
                    saved.set(Some(format!(
                        "{} {}",
                        t_string!(i18n, admin_user_saved),
                        u.email
                    )));
                    on_saved();
                }
                Err(e) => {
                    saved.set(None);
                    errors.set(Some(e));
                }
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="user-form-h">
            <h2 id="user-form-h">{move || if editing.get().is_some() { t_string!(i18n, admin_edit_user) } else { t_string!(i18n, admin_new_user) }}</h2>
            <form class="form" id="user-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=saved />
                <Field label=crate::tr_signal!(i18n, field_email) name="email" form="user" value=email errors kind="email" />
                <Field label=crate::tr_signal!(i18n, field_display_name) name="display_name" form="user" value=name errors />
                <div class="field">
                    <label for="user-role">{crate::tr!(i18n, field_role)}</label>
                    <select id="user-role" on:change=move |ev| role.set(event_target_value(&ev))>
                        <Transition fallback=|| ()>
                            {move || Suspend::new(async move {
                                roles.await.unwrap_or_default().into_iter().map(|r| {
                                    let n = r.name.clone();
                                    view! { <option value=r.name.clone() selected=move || role.get() == n>{r.name.clone()}</option> }
                                }).collect_view()
                            })}
                        </Transition>
                    </select>
                    <p class="field-error" hidden=move || crate::ui::form::field_error(errors, "role").get().is_none()>{move || crate::ui::form::field_error(errors, "role").get()}</p>
                </div>
                <div class="field">
                    <label for="user-status">{crate::tr!(i18n, field_status)}</label>
                    <select id="user-status" on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="active" selected=move || status.get() == "active">{crate::tr!(i18n, status_active)}</option>
                        <option value="disabled" selected=move || status.get() == "disabled">{crate::tr!(i18n, status_disabled)}</option>
                    </select>
                    <p class="field-error" hidden=move || crate::ui::form::field_error(errors, "status").get().is_none()>{move || crate::ui::form::field_error(errors, "status").get()}</p>
                </div>
                <Field label=crate::tr_signal!(i18n, field_password) name="password" form="user" value=password errors kind="password" autocomplete="new-password" required=false hint=crate::tr_signal!(i18n, field_password_hint) />
                <div class="form-actions">
                    <button type="submit" class="button button-primary">{crate::tr!(i18n, action_save)}</button>
                    <Show when=move || editing.get().is_some()>
                        <button type="button" class="button" on:click=move |_| editing.set(None)>{crate::tr!(i18n, action_cancel)}</button>
                    </Show>
                </div>
            </form>
        </section>
    }
}

/// What the roles page reads, loaded in the browser (see `ui::AfterHydration`).
#[derive(Clone, Copy)]
pub struct RolesData {
    roles: Loaded<Vec<RoleView>>,
}

impl RolesData {
    pub fn load() -> Self {
        Self {
            roles: Resource::new(|| (), |_| super::api::list_roles()),
        }
    }
}

crate::lazy_page!(RolesAdminRoute => RolesAdminPage);

#[component]
fn RolesAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, admin_roles)
            path="/app/admin/roles"
            access=Access::Can(Permission::UsersRead)
        >
            <RolesAdmin data=RolesData::load() />
        </AppFrame>
    }
}

#[component]
fn RolesAdmin(data: RolesData) -> impl IntoView {
    use super::api::save_role;
    let i18n = use_i18n();
    let roles = data.roles;
    let errors: FormErrors = RwSignal::new(None);
    let toggle_2fa = Action::new(move |r: &RoleView| {
        let call = save_role(
            r.name.clone(),
            r.permissions
                .iter()
                .map(|p| p.as_str().to_string())
                .collect(),
            !r.require_2fa,
        );
        async move {
            match call.await {
                Ok(_) => errors.set(None),
                Err(e) => errors.set(Some(e)),
            }
            roles.refetch();
        }
    });
    let new_name = RwSignal::new(String::new());
    let new_perms = RwSignal::new(Vec::<String>::new());
    let create = Action::new(move |_: &()| {
        let call = save_role(new_name.get_untracked(), new_perms.get_untracked(), false);
        async move {
            match call.await {
                Ok(_) => {
                    errors.set(None);
                    new_name.set(String::new());
                    roles.refetch();
                }
                Err(e) => errors.set(Some(e)),
            }
        }
    });
    view! {
        <p class="muted">{crate::tr!(i18n, admin_roles_intro)}</p>
        <FormAlert errors />
        <Transition fallback=move || view! { <p role="status">{crate::tr!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let list = roles.await.unwrap_or_default();
                let columns = list.clone();
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr!(i18n, admin_roles)>
                        <table class="table matrix" id="permission-matrix">
                            <thead><tr>
                                <th scope="col">{crate::tr!(i18n, admin_permission)}</th>
                                {columns.iter().map(|r| view! { <th scope="col">{r.name.clone()}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {Permission::ALL.iter().map(|p| {
                                    let cells = list.iter().map(|r| {
                                        let has = r.permissions.contains(p);
                                        view! { <td class="cell-check">{if has { "✓" } else { "" }}<span class="sr-only">{if has { t_string!(i18n, admin_granted) } else { t_string!(i18n, admin_not_granted) }}</span></td> }
                                    }).collect_view();
                                    view! { <tr><th scope="row"><code>{p.as_str()}</code></th>{cells}</tr> }
                                }).collect_view()}
                                <tr>
                                    <th scope="row">{crate::tr!(i18n, admin_require_2fa)}</th>
                                    {columns.into_iter().map(|r| {
                                        let label = format!("{} — {}", t_string!(i18n, admin_require_2fa), r.name);
                                        let checked = r.require_2fa;
                                        view! { <td class="cell-check"><input type="checkbox" aria-label=label checked=checked on:change=move |_| { toggle_2fa.dispatch(r.clone()); } /></td> }
                                    }).collect_view()}
                                </tr>
                            </tbody>
                        </table>
                    </div>
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="new-role-h">
            <h2 id="new-role-h">{crate::tr!(i18n, admin_new_role)}</h2>
            <form class="form" id="role-form" novalidate on:submit=move |ev| { ev.prevent_default(); create.dispatch(()); }>
                <Field label=crate::tr_signal!(i18n, field_role_name) name="name" form="role" value=new_name errors hint=crate::tr_signal!(i18n, field_role_name_hint) />
                <fieldset class="field">
                    <legend>{crate::tr!(i18n, admin_permissions)}</legend>
                    <div class="checks">
                        {Permission::ALL.iter().map(|p| {
                            let code = p.as_str();
                            view! { <label class="check"><input type="checkbox" on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                new_perms.update(|s| { s.retain(|x| x != code); if on { s.push(code.to_string()); } });
                            } /><code>{code}</code></label> }
                        }).collect_view()}
                    </div>
                </fieldset>
                <button type="submit" class="button button-primary">{crate::tr!(i18n, admin_create_role)}</button>
            </form>
        </section>
    }
}

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
    let enabled = RwSignal::new(false);
    let (issuer, client_id, secret, label, default_role, rules) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new("user".to_string()),
        RwSignal::new(String::new()),
    );
    let has_secret = RwSignal::new(false);
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
            has_secret.set(s.has_client_secret);
            rules.set(
                s.group_roles
                    .iter()
                    .map(|g| format!("{}={}", g.group, g.role))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
    });
    let errors: FormErrors = RwSignal::new(None);
    let saved = RwSignal::new(None::<String>);
    let save = Action::new(move |_: &()| {
        let group_roles: Vec<GroupRole> = rules
            .get_untracked()
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(g, r)| GroupRole {
                group: g.trim().into(),
                role: r.trim().into(),
            })
            .collect();
        let call = save_sso_settings(
            enabled.get_untracked(),
            issuer.get_untracked(),
            client_id.get_untracked(),
            secret.get_untracked(),
            label.get_untracked(),
            group_roles,
            default_role.get_untracked(),
            trust_mfa.get_untracked(),
            confirm.get_untracked(),
        );
        async move {
            match call.await {
                Ok(s) => {
                    errors.set(None);
                    secret.set(String::new());
                    confirm.set(String::new());
                    has_secret.set(s.has_client_secret);
                    saved.set(Some(t_string!(i18n, profile_saved).to_string()));
                }
                Err(e) => {
                    saved.set(None);
                    errors.set(Some(e));
                }
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="sso-h" id="sso">
            <h2 id="sso-h">{crate::tr!(i18n, admin_sso)}</h2>
            <p class="muted">{crate::tr!(i18n, sso_intro)}</p>
            <p>{crate::tr!(i18n, sso_redirect_uri)}" "<code id="sso-callback">{crate::sso::CALLBACK_PATH}</code></p>
            <form class="form" id="sso-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=saved />
                <label class="check">
                    <input type="checkbox" id="sso-enabled" prop:checked=move || enabled.get() on:change=move |ev| enabled.set(event_target_checked(&ev)) />
                    {crate::tr!(i18n, field_sso_enabled)}
                </label>
                <Field label=crate::tr_signal!(i18n, field_issuer) name="issuer" form="sso" value=issuer errors kind="url" required=false />
                <Field label=crate::tr_signal!(i18n, field_client_id) name="client_id" form="sso" value=client_id errors required=false />
                <Field label=crate::tr_signal!(i18n, field_client_secret) name="client_secret" form="sso" value=secret errors kind="password" required=false hint=crate::tr_signal!(i18n, field_client_secret_hint) />
                <Field label=crate::tr_signal!(i18n, field_button_label) name="button_label" form="sso" value=label errors required=false />
                <Field label=crate::tr_signal!(i18n, field_default_role) name="default_role" form="sso" value=default_role errors />
                <div class="field">
                    <label for="sso-rules">{crate::tr!(i18n, field_group_roles)}</label>
                    <p class="field-hint" id="sso-rules-hint">{crate::tr!(i18n, field_group_roles_hint)}</p>
                    <textarea id="sso-rules" rows="4" aria-describedby="sso-rules-hint" prop:value=move || rules.get() on:input=move |ev| rules.set(event_target_value(&ev))></textarea>
                    <p class="field-error" hidden=move || crate::ui::form::field_error(errors, "group_roles").get().is_none()>{move || crate::ui::form::field_error(errors, "group_roles").get()}</p>
                </div>
                <label class="check">
                    <input type="checkbox" id="sso-trust-mfa" prop:checked=move || trust_mfa.get() on:change=move |ev| trust_mfa.set(event_target_checked(&ev)) />
                    {crate::tr!(i18n, field_sso_trust_mfa)}
                </label>
                <Field label=crate::tr_signal!(i18n, field_current_password) name="current_password" form="sso" value=confirm errors kind="password" autocomplete="current-password" hint=crate::tr_signal!(i18n, field_sso_confirm_hint) />
                <button type="submit" class="button button-primary">{crate::tr!(i18n, action_save)}</button>
            </form>
        </section>
    }
}
