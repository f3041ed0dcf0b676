//! Saved views above the servers list: choose one to apply its filters,
//! save the filters shown under a name, delete the chosen one.
use crate::i18n::{td_string, use_i18n};
use crate::servers::SavedView;
use crate::servers::api::{delete_view, list_views, save_view};
use crate::ui::{ConfirmButton, FormAlert, FormStatus, use_form_action};
use leptos::prelude::*;

/// The list's filters, as the views read and set them.
#[derive(Clone, Copy)]
pub struct Filters {
    pub q: RwSignal<String>,
    pub status: RwSignal<String>,
    pub environment: RwSignal<String>,
    pub tag: RwSignal<String>,
}

impl Filters {
    fn apply(self, v: &SavedView) {
        let s = |o: &Option<String>| o.clone().unwrap_or_default();
        self.q.set(s(&v.q));
        self.status.set(s(&v.status));
        self.environment.set(s(&v.environment));
        self.tag.set(s(&v.tag));
    }
}

#[component]
pub fn SavedViews(filters: Filters, on_apply: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let version = RwSignal::new(0u32);
    let views = Resource::new(move || version.get(), |_| list_views());
    let chosen = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let opt = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
    let save = use_form_action(
        move |_: &()| {
            save_view(
                name.get_untracked(),
                opt(filters.status),
                opt(filters.environment),
                opt(filters.tag),
                opt(filters.q),
                None,
            )
        },
        move |v: &SavedView| {
            version.update(|n| *n += 1);
            chosen.set(v.id.to_string());
            name.set(String::new());
            Some(td_string!(locale(), servers_view_saved).to_string())
        },
    );
    let delete = use_form_action(
        |id: &i32| delete_view(*id),
        move |_| {
            version.update(|n| *n += 1);
            chosen.set(String::new());
            None
        },
    );
    let list = move || views.get().and_then(|r| r.ok()).unwrap_or_default();
    let pick = move |id: String| {
        chosen.set(id.clone());
        if let Some(v) = list().into_iter().find(|v| v.id.to_string() == id) {
            filters.apply(&v);
            on_apply.run(());
        }
    };
    view! {
        <div class="filters" id="server-views">
            <div class="field">
                <label for="server-view">{crate::tr!(i18n, servers_views)}</label>
                <select id="server-view" prop:value=move || chosen.get() on:change=move |ev| pick(event_target_value(&ev))>
                    <option value="">"—"</option>
                    {move || list().into_iter().map(|v| view! {
                        <option value=v.id.to_string()>{v.name}</option>
                    }).collect_view()}
                </select>
            </div>
            <form class="field-row" on:submit=move |ev| { ev.prevent_default(); save.action.dispatch(()); }>
                <div class="field">
                    <label for="server-view-name">{crate::tr!(i18n, servers_view_name)}</label>
                    <input id="server-view-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev)) />
                </div>
                <button type="submit" class="button" id="server-view-save">{crate::tr!(i18n, servers_view_save)}</button>
            </form>
            <Show when=move || !chosen.get().is_empty()>
                <ConfirmButton
                    label=crate::tr_signal!(i18n, servers_view_delete)
                    question=crate::tr_signal!(i18n, confirm_view_delete)
                    cancel=crate::tr_signal!(i18n, action_cancel)
                    on_confirm=move || {
                        if let Ok(id) = chosen.get_untracked().parse() {
                            delete.action.dispatch(id);
                        }
                    }
                />
            </Show>
        </div>
        <FormStatus message=save.done />
        <FormAlert errors=save.errors />
        <FormAlert errors=delete.errors />
    }
}
