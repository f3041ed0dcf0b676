//! `/app/admin/users`: the accounts table, its filters and the account form.
use super::Loaded;
use crate::i18n::{td_string, use_i18n};
use crate::platform::Permission;
use crate::ui::{
    Access, AppFrame, Column, ConfirmButton, DataTable, Field, FormAlert, FormStatus, SelectField,
    Timestamp, use_form_action,
};
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
    let revoke = use_form_action(
        |id: &i32| revoke_user_sessions(*id),
        move |_| Some(td_string!(locale(), admin_sessions_revoked).to_string()),
    );
    let reset = use_form_action(
        |id: &i32| reset_user_2fa(*id),
        move |_| {
            version.update(|v| *v += 1);
            Some(td_string!(locale(), admin_2fa_reset).to_string())
        },
    );
    let total = move || users.get().and_then(|r| r.ok()).map(|p| p.total);
    let rows = Signal::derive(move || users.get().map(|r| r.map(|p| p.items)));
    let columns = vec![
        Column::new(crate::tr_signal!(i18n, field_email), |u: &UserView| u.email.clone().into_any()),
        Column::new(crate::tr_signal!(i18n, field_display_name), |u: &UserView| {
            u.display_name.clone().into_any()
        }),
        Column::new(crate::tr_signal!(i18n, field_role), |u: &UserView| u.role.clone().into_any()),
        Column::new(crate::tr_signal!(i18n, field_status), move |u: &UserView| {
            match u.status {
                UserStatus::Active => td_string!(locale(), status_active),
                UserStatus::Disabled => td_string!(locale(), status_disabled),
            }
            .into_any()
        }),
        Column::new(crate::tr_signal!(i18n, twofa_short), |u: &UserView| {
            (if u.totp_enabled { "✓" } else { "—" }).into_any()
        }),
        Column::new(crate::tr_signal!(i18n, col_last_sign_in), |u: &UserView| {
            view! { <Timestamp at=u.last_sign_in_at.clone() /> }.into_any()
        }),
        Column::new(crate::tr_signal!(i18n, col_actions), move |u: &UserView| {
            let (id, edit) = (u.id, u.clone());
            view! {
                <div class="row-actions">
                    <button type="button" class="button" on:click=move |_| editing.set(Some(edit.clone()))>{crate::tr!(i18n, action_edit)}</button>
                    <ConfirmButton
                        label=crate::tr_signal!(i18n, admin_revoke_sessions)
                        question=crate::tr_signal!(i18n, confirm_revoke_sessions)
                        cancel=crate::tr_signal!(i18n, action_cancel)
                        on_confirm=move || revoke.dispatch(id)
                    />
                    {u.totp_enabled.then(|| view! {
                        <ConfirmButton
                            label=crate::tr_signal!(i18n, admin_reset_2fa)
                            question=crate::tr_signal!(i18n, confirm_reset_2fa)
                            cancel=crate::tr_signal!(i18n, action_cancel)
                            on_confirm=move || reset.dispatch(id)
                        />
                    })}
                </div>
            }
            .into_any()
        })
        .hidden_header(),
    ];
    view! {
        <FormStatus message=revoke.done />
        <FormStatus message=reset.done />
        <FormAlert errors=revoke.errors />
        <FormAlert errors=reset.errors />
        <div class="filters">
            <div class="field">
                <label for="user-search">{crate::tr!(i18n, admin_search)}</label>
                <input id="user-search" type="search" on:input=move |ev| q.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="user-role-filter">{crate::tr!(i18n, field_role)}</label>
                <select id="user-role-filter" on:change=move |ev| role_filter.set(event_target_value(&ev))>
                    <option value="">{crate::tr!(i18n, admin_all)}</option>
                    {move || roles.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|r| view! { <option value=r.name.clone()>{r.name.clone()}</option> }).collect_view()}
                </select>
            </div>
        </div>
        <p class="muted" id="user-total">{move || total().map(|t| t.to_string()).unwrap_or_default()}" "{crate::tr!(i18n, admin_users_count)}</p>
        <DataTable
            id="user-table"
            label=crate::tr_signal!(i18n, admin_users)
            columns
            rows
            empty=crate::tr_signal!(i18n, table_empty)
            loading=crate::tr_signal!(i18n, loading)
        />
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
    let save = use_form_action(
        move |_: &()| {
            let id = editing.get_untracked().map(|u| u.id);
            let st = if status.get_untracked() == "disabled" {
                UserStatus::Disabled
            } else {
                UserStatus::Active
            };
            let pw = Some(password.get_untracked()).filter(|p| !p.is_empty());
            save_user(
                id,
                email.get_untracked(),
                name.get_untracked(),
                role.get_untracked(),
                Some(st),
                None,
                pw,
            )
        },
        move |u: &UserView| {
            on_saved();
            Some(format!(
                "{} {}",
                td_string!(locale(), admin_user_saved),
                u.email
            ))
        },
    );
    let (errors, saved) = (save.errors, save.done);
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
    view! {
        <section class="card" aria-labelledby="user-form-h">
            <h2 id="user-form-h">{move || if editing.get().is_some() { td_string!(locale(), admin_edit_user) } else { td_string!(locale(), admin_new_user) }}</h2>
            <form class="form" id="user-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=saved />
                <Field label=crate::tr_signal!(i18n, field_email) name="email" form="user" value=email errors kind="email" />
                <Field label=crate::tr_signal!(i18n, field_display_name) name="display_name" form="user" value=name errors />
                <SelectField label=crate::tr_signal!(i18n, field_role) name="role" form="user" value=role errors>
                    {move || roles.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|r| {
                        let n = r.name.clone();
                        view! { <option value=r.name.clone() selected=move || role.get() == n>{r.name.clone()}</option> }
                    }).collect_view()}
                </SelectField>
                <SelectField label=crate::tr_signal!(i18n, field_status) name="status" form="user" value=status errors>
                    <option value="active" selected=move || status.get() == "active">{crate::tr!(i18n, status_active)}</option>
                    <option value="disabled" selected=move || status.get() == "disabled">{crate::tr!(i18n, status_disabled)}</option>
                </SelectField>
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
