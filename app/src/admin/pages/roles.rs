//! `/app/admin/roles`: roles and the permission matrix.
use super::Loaded;
use crate::i18n::{td_string, use_i18n};
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, Field, FormAlert, use_form_action};
use crate::users::RoleView;
use leptos::prelude::*;

/// What the roles page reads, loaded in the browser (see `ui::AfterHydration`).
#[derive(Clone, Copy)]
pub struct RolesData {
    roles: Loaded<Vec<RoleView>>,
}

impl RolesData {
    pub fn load() -> Self {
        Self {
            roles: Resource::new(|| (), |_| crate::admin::api::list_roles()),
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
    use crate::admin::api::save_role;
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let roles = data.roles;
    let toggle_2fa = use_form_action(
        |r: &RoleView| {
            let permissions = r
                .permissions
                .iter()
                .map(|p| p.as_str().to_string())
                .collect();
            save_role(r.name.clone(), permissions, !r.require_2fa)
        },
        move |_| {
            roles.refetch();
            None
        },
    );
    let new_name = RwSignal::new(String::new());
    let new_perms = RwSignal::new(Vec::<String>::new());
    let create = use_form_action(
        move |_: &()| save_role(new_name.get_untracked(), new_perms.get_untracked(), false),
        move |_| {
            new_name.set(String::new());
            roles.refetch();
            None
        },
    );
    view! {
        <p class="muted">{crate::tr!(i18n, admin_roles_intro)}</p>
        <FormAlert errors=toggle_2fa.errors />
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
                                        view! { <td class="cell-check">{if has { "✓" } else { "" }}<span class="sr-only">{if has { td_string!(locale(), admin_granted) } else { td_string!(locale(), admin_not_granted) }}</span></td> }
                                    }).collect_view();
                                    view! { <tr><th scope="row"><code>{p.as_str()}</code></th>{cells}</tr> }
                                }).collect_view()}
                                <tr>
                                    <th scope="row">{crate::tr!(i18n, admin_require_2fa)}</th>
                                    {columns.into_iter().map(|r| {
                                        let label = format!("{} — {}", td_string!(locale(), admin_require_2fa), r.name);
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
                <FormAlert errors=create.errors />
                <Field label=crate::tr_signal!(i18n, field_role_name) name="name" form="role" value=new_name errors=create.errors hint=crate::tr_signal!(i18n, field_role_name_hint) />
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
