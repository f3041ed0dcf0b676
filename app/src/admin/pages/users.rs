//! `/app/admin/users`: the accounts table, its filters and the account form.
use super::Loaded;
use crate::i18n::{td_string, use_i18n};
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, Field, FormAlert, FormErrors, FormStatus, Timestamp};
use crate::users::{RoleView, UserPage, UserStatus, UserView};
use leptos::prelude::*;

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
                crate::admin::api::list_users(
                    Some(q).filter(|s| !s.is_empty()),
                    Some(role).filter(|s| !s.is_empty()),
                    None,
                    None,
                    None,
                    Some(100),
                )
            },
        );
        let roles = Resource::new(|| (), |_| crate::admin::api::list_roles());
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
    use crate::admin::api::{reset_user_2fa, revoke_user_sessions};
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
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
                notice.set(Some(
                    td_string!(locale(), admin_sessions_revoked).to_string(),
                ));
            }
        }
    });
    let reset = Action::new(move |id: &i32| {
        let call = reset_user_2fa(*id);
        async move {
            if call.await.is_ok() {
                notice.set(Some(td_string!(locale(), admin_2fa_reset).to_string()));
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
                                            <td>{match u.status { UserStatus::Active => td_string!(locale(), status_active), UserStatus::Disabled => td_string!(locale(), status_disabled) }}</td>
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
    use crate::admin::api::save_user;
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
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
                        td_string!(locale(), admin_user_saved),
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
            <h2 id="user-form-h">{move || if editing.get().is_some() { td_string!(locale(), admin_edit_user) } else { td_string!(locale(), admin_new_user) }}</h2>
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
