//! The script editor: a new script, or the chosen one loaded to be saved
//! as its next version; the versions it has, newest first.
use super::{PageState, params};
use crate::automation::api::{read_script, save_script};
use crate::automation::{Language, Saved, ScriptDetail};
use crate::i18n::{td_string, use_i18n};
use crate::ui::{
    Field, FormAlert, FormStatus, SelectField, TextareaField, Timestamp, use_form_action,
};
use leptos::prelude::*;

/// The form's fields, as text.
#[derive(Clone, Copy)]
struct Form {
    name: RwSignal<String>,
    language: RwSignal<String>,
    description: RwSignal<String>,
    body: RwSignal<String>,
    parameters: RwSignal<String>,
}

impl Form {
    fn clear(self) {
        for s in [self.name, self.description, self.body, self.parameters] {
            s.set(String::new());
        }
        self.language.set("bash".into());
    }

    fn load(self, d: &ScriptDetail) {
        let s = &d.script;
        self.name.set(s.name.clone());
        self.language.set(s.language.as_str().into());
        self.description.set(s.description.clone());
        self.body.set(s.body.clone());
        self.parameters.set(params::format(&s.parameters));
    }
}

#[component]
pub fn Editor(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let form = Form {
        name: RwSignal::new(String::new()),
        language: RwSignal::new("bash".into()),
        description: RwSignal::new(String::new()),
        body: RwSignal::new(String::new()),
        parameters: RwSignal::new(String::new()),
    };
    let detail = Resource::new(
        move || (state.script.get(), state.version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => read_script(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    // The chosen script fills the form once it has loaded.
    Effect::new(move |_| match detail.get() {
        Some(Ok(Some(d))) => form.load(&d),
        Some(Ok(None)) => form.clear(),
        _ => {}
    });
    let save = use_form_action(
        move |_: &()| {
            save_script(
                state.script.get_untracked(),
                form.name.get_untracked(),
                form.language.get_untracked(),
                form.body.get_untracked(),
                form.description.get_untracked(),
                params::parse(&form.parameters.get_untracked()),
            )
        },
        move |s: &Saved| {
            state.script.set(Some(s.id));
            state.changed();
            Some(format!(
                "{} {}",
                td_string!(locale(), script_saved),
                s.version
            ))
        },
    );
    let errors = save.errors;
    let versions = move || match detail.get() {
        Some(Ok(Some(d))) => d
            .versions
            .into_iter()
            .map(|v| {
                view! {
                    <li>
                        <span>{td_string!(locale(), script_version)}" "{v.version}</span>" · "
                        <Timestamp at=Some(v.created_at.clone()) />" · "
                        {v.author.unwrap_or_else(|| "—".into())}
                    </li>
                }
            })
            .collect_view()
            .into_any(),
        _ => ().into_any(),
    };
    view! {
        <section class="card" aria-labelledby="script-editor-h">
            <h2 id="script-editor-h">
                {move || if state.script.get().is_some() { td_string!(locale(), script_edit) } else { td_string!(locale(), script_new) }}
            </h2>
            <form class="form" id="script-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=save.done />
                <Field label=crate::tr_signal!(i18n, script_name) name="name" form="script" value=form.name errors />
                <SelectField label=crate::tr_signal!(i18n, script_language) name="language" form="script" value=form.language errors>
                    {Language::ALL.iter().map(|l| view! { <option value=l.as_str()>{l.as_str()}</option> }).collect_view()}
                </SelectField>
                <Field label=crate::tr_signal!(i18n, script_description) name="description" form="script" value=form.description errors required=false />
                <TextareaField label=crate::tr_signal!(i18n, script_body) name="body" form="script" value=form.body errors rows=12
                    hint=crate::tr_signal!(i18n, script_body_hint) />
                <TextareaField label=crate::tr_signal!(i18n, script_parameters) name="parameters" form="script" value=form.parameters errors rows=4
                    hint=crate::tr_signal!(i18n, script_parameters_hint) />
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, script_save)}</button>
                    <button type="button" class="button" id="script-new" on:click=move |_| { state.script.set(None); form.clear(); }>
                        {crate::tr!(i18n, script_new)}
                    </button>
                </div>
            </form>
            <Show when=move || state.script.get().is_some()>
                <h3>{crate::tr!(i18n, script_versions)}</h3>
                <ol class="history" id="script-versions">{versions}</ol>
            </Show>
        </section>
    }
}
