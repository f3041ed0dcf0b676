//! `/app/status-pages`: the pages, each linked to its public address, and
//! the form that makes or edits one — slug, title, description, logo and
//! its components, each a name over monitors ticked from a list.
use crate::i18n::{td_string, use_i18n};
use crate::platform::Permission;
use crate::status_pages::api::{delete_status_page, list_status_pages, save_status_page};
use crate::status_pages::{ComponentInput, MonitorChoice, StatusPageView};
use crate::ui::{
    Access, AppFrame, Column, ConfirmButton, DataTable, Field, FormAlert, FormErrors, FormStatus,
    TextareaField, field_error, use_form_action,
};
use leptos::prelude::*;
use std::collections::BTreeSet;

crate::lazy_page!(StatusPagesRoute => StatusPagesPage);

#[component]
fn StatusPagesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, status_pages_title)
            path="/app/status-pages"
            access=Access::Can(Permission::StatusPagesManage)
        >
            <Editor />
        </AppFrame>
    }
}

/// One component being edited; `key` keeps its inputs while others come
/// and go.
#[derive(Clone, Copy)]
struct Part {
    key: u32,
    name: RwSignal<String>,
    monitors: RwSignal<BTreeSet<i32>>,
}

/// The form's fields.
#[derive(Clone, Copy)]
struct Form {
    id: RwSignal<Option<i32>>,
    slug: RwSignal<String>,
    title: RwSignal<String>,
    description: RwSignal<String>,
    /// `None`: keep; `Some("")`: remove; `Some(data URL)`: replace.
    logo: RwSignal<Option<String>>,
    parts: RwSignal<Vec<Part>>,
    next_key: StoredValue<u32>,
}

impl Form {
    fn part(self, name: &str, monitors: &[i32]) -> Part {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        Part {
            key,
            name: RwSignal::new(name.to_string()),
            monitors: RwSignal::new(monitors.iter().copied().collect()),
        }
    }

    fn clear(self) {
        self.id.set(None);
        for s in [self.slug, self.title, self.description] {
            s.set(String::new());
        }
        self.logo.set(None);
        self.parts.set(vec![self.part("", &[])]);
    }

    fn load(self, p: &StatusPageView) {
        self.id.set(Some(p.id));
        self.slug.set(p.slug.clone());
        self.title.set(p.title.clone());
        self.description.set(p.description.clone());
        self.logo.set(None);
        let parts = p
            .components
            .iter()
            .map(|c| self.part(&c.name, &c.monitor_ids))
            .collect();
        self.parts.set(parts);
    }

    fn components(self) -> Vec<ComponentInput> {
        self.parts
            .get_untracked()
            .iter()
            .map(|p| ComponentInput {
                name: p.name.get_untracked(),
                monitor_ids: p.monitors.get_untracked().into_iter().collect(),
            })
            .collect()
    }
}

/// Reads the chosen file into `into` as a `data:` URL (the server checks
/// what it really is).
fn read_logo(ev: leptos::ev::Event, into: RwSignal<Option<String>>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{JsCast, closure::Closure};
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let Ok(reader) = web_sys::FileReader::new() else {
            return;
        };
        let done = reader.clone();
        let onload = Closure::once(move || {
            if let Ok(v) = done.result() {
                into.set(v.as_string());
            }
        });
        reader.set_onload(Some(onload.as_ref().unchecked_ref()));
        onload.forget();
        let _ = reader.read_as_data_url(&file);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, into);
}

#[component]
fn Editor() -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), |_| list_status_pages());
    let form = Form {
        id: RwSignal::new(None),
        slug: RwSignal::new(String::new()),
        title: RwSignal::new(String::new()),
        description: RwSignal::new(String::new()),
        logo: RwSignal::new(None),
        parts: RwSignal::new(Vec::new()),
        next_key: StoredValue::new(0),
    };
    form.clear();
    let save = use_form_action(
        move |_: &()| {
            save_status_page(
                form.id.get_untracked(),
                form.slug.get_untracked(),
                form.title.get_untracked(),
                form.description.get_untracked(),
                form.components(),
                form.logo.get_untracked(),
            )
        },
        move |p: &StatusPageView| {
            form.load(p);
            version.update(|v| *v += 1);
            Some(td_string!(locale(), status_page_saved).to_string())
        },
    );
    let remove = use_form_action(
        move |id: &i32| delete_status_page(*id),
        move |_| {
            form.clear();
            version.update(|v| *v += 1);
            None
        },
    );
    let pages = Signal::derive(move || list.get().map(|r| r.map(|l| l.pages)));
    let monitors = Signal::derive(move || {
        list.get()
            .and_then(|r| r.ok())
            .map(|l| l.monitors)
            .unwrap_or_default()
    });
    let columns = vec![
        Column::new(
            crate::tr_signal!(i18n, status_slug),
            |p: &StatusPageView| {
                let href = format!("/status/{}", p.slug);
                view! { <a href=href dir="ltr">{format!("/status/{}", p.slug)}</a> }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, status_page_name),
            |p: &StatusPageView| {
                view! { <span class="wrap-anywhere">{p.title.clone()}</span> }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, status_components),
            |p: &StatusPageView| view! { {p.components.len()} }.into_any(),
        ),
        Column::new(
            crate::tr_signal!(i18n, alerts_actions),
            move |p: &StatusPageView| {
                let (page, id) = (p.clone(), p.id);
                view! {
                    <div class="form-actions">
                        <button type="button" class="button" on:click=move |_| form.load(&page)>
                            {crate::tr!(i18n, status_page_edit)}
                        </button>
                        <ConfirmButton
                            label=crate::tr_signal!(i18n, status_page_delete)
                            question=crate::tr_signal!(i18n, status_page_delete_confirm)
                            cancel=crate::tr_signal!(i18n, action_cancel)
                            on_confirm=move || { remove.dispatch(id); }
                        />
                    </div>
                }
                .into_any()
            },
        ),
    ];
    let errors = save.errors;
    view! {
        <section class="card" aria-labelledby="status-pages-h">
            <h2 id="status-pages-h">{crate::tr!(i18n, status_pages_title)}</h2>
            <FormAlert errors=remove.errors />
            <DataTable
                id="status-pages-table"
                label=crate::tr_signal!(i18n, status_pages_title)
                columns
                rows=pages
                empty=crate::tr_signal!(i18n, table_empty)
                loading=crate::tr_signal!(i18n, loading)
            />
        </section>
        <section class="card" aria-labelledby="status-form-h">
            <h2 id="status-form-h">
                {move || if form.id.get().is_some() { td_string!(locale(), status_page_edit) } else { td_string!(locale(), status_page_new) }}
            </h2>
            <form class="form" id="status-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=save.done />
                <Field label=crate::tr_signal!(i18n, status_slug) name="slug" form="status" value=form.slug errors
                    hint=crate::tr_signal!(i18n, status_slug_hint) />
                <Field label=crate::tr_signal!(i18n, status_page_name) name="title" form="status" value=form.title errors />
                <TextareaField label=crate::tr_signal!(i18n, status_description) name="description" form="status" value=form.description errors />
                <LogoField logo=form.logo errors />
                <Components form monitors errors />
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, action_save)}</button>
                    <button type="button" class="button" on:click=move |_| form.clear()>{crate::tr!(i18n, status_page_new)}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn LogoField(logo: RwSignal<Option<String>>, errors: FormErrors) -> impl IntoView {
    let i18n = use_i18n();
    let message = field_error(errors, "logo");
    view! {
        <div class="field">
            <label for="status-logo">{crate::tr!(i18n, status_logo)}</label>
            <p class="field-hint" id="status-logo-hint">{crate::tr!(i18n, status_logo_hint)}</p>
            <input id="status-logo" type="file" accept="image/png,image/jpeg,image/webp"
                aria-describedby="status-logo-hint status-logo-error"
                aria-invalid=move || message.get().is_some().then_some("true")
                on:change=move |ev| read_logo(ev, logo) />
            <label class="check">
                <input type="checkbox" id="status-logo-remove"
                    prop:checked=move || logo.get().is_some_and(|l| l.is_empty())
                    on:change=move |ev| logo.set(event_target_checked(&ev).then(String::new)) />
                {crate::tr!(i18n, status_logo_remove)}
            </label>
            <p class="field-error" id="status-logo-error" hidden=move || message.get().is_none()>
                {move || message.get().unwrap_or_default()}
            </p>
        </div>
    }
}

#[component]
fn Components(
    form: Form,
    monitors: Signal<Vec<MonitorChoice>>,
    errors: FormErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let message = field_error(errors, "components");
    view! {
        <div class="status-parts" id="status-components">
            <For each=move || form.parts.get() key=|p| p.key let(part)>
                <fieldset class="status-part">
                    <legend>{crate::tr!(i18n, status_component)}</legend>
                    <div class="field">
                        <label for=format!("part-{}-name", part.key)>{crate::tr!(i18n, status_component_name)}</label>
                        <input id=format!("part-{}-name", part.key) class="part-name" type="text"
                            prop:value=move || part.name.get()
                            on:input=move |ev| part.name.set(event_target_value(&ev)) />
                    </div>
                    <div class="status-part-monitors" role="group" aria-label=move || td_string!(locale(), status_component_monitors)>
                        {move || monitors.get().into_iter().map(|m| {
                            let id = m.id;
                            view! {
                                <label class="check">
                                    <input type="checkbox" value=id.to_string()
                                        prop:checked=move || part.monitors.with(|s| s.contains(&id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            part.monitors.update(|s| { if on { s.insert(id); } else { s.remove(&id); } });
                                        } />
                                    <span class="wrap-anywhere">{m.name}</span>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <button type="button" class="button"
                        disabled=move || form.parts.with(|p| p.len() <= 1)
                        on:click=move |_| form.parts.update(|p| p.retain(|x| x.key != part.key))>
                        {crate::tr!(i18n, status_component_remove)}
                    </button>
                </fieldset>
            </For>
            <p class="field-error" id="status-components-error" role="alert" hidden=move || message.get().is_none()>
                {move || message.get().unwrap_or_default()}
            </p>
            <button type="button" class="button" id="status-add-component"
                on:click=move |_| { let p = form.part("", &[]); form.parts.update(|v| v.push(p)); }>
                {crate::tr!(i18n, status_component_add)}
            </button>
        </div>
    }
}
