//! Form pieces: a labelled field with its error, and the form-level alert.
//! Errors come from the server's `AppError` (already localized).
use crate::error::AppError;
use leptos::prelude::*;

/// The last error of a form, with per-field messages.
pub type FormErrors = RwSignal<Option<AppError>>;

/// The server's message for `field`, if any.
pub fn field_error(errors: FormErrors, field: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || {
        errors
            .get()
            .and_then(|e| e.error.fields.get(field).cloned())
    })
}

/// A labelled input bound to `value`, showing the server's message for
/// `name` underneath and marking itself invalid for screen readers.
#[component]
pub fn Field(
    #[prop(into)] label: Signal<String>,
    name: &'static str,
    /// Prefix for the element id (several forms may share a page).
    #[prop(default = "f")]
    form: &'static str,
    value: RwSignal<String>,
    errors: FormErrors,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = true)] required: bool,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let err_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let message = field_error(errors, name);
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if message.get().is_some() {
                ids.push(err_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{move || h.get()}</p> })}
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p class="field-error" id=err_id hidden=move || message.get().is_none()>
                {move || message.get().unwrap_or_default()}
            </p>
        </div>
    }
}

/// The form's overall message, announced when it appears.
#[component]
pub fn FormAlert(errors: FormErrors) -> impl IntoView {
    view! {
        <div role="alert" class="form-alert-slot">
            {move || errors.get().map(|e| view! { <p class="notice notice-danger">{e.error.message}</p> })}
        </div>
    }
}

/// A success message, announced politely.
#[component]
pub fn FormStatus(message: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <div role="status" class="form-alert-slot">
            {move || message.get().map(|m| view! { <p class="notice notice-success">{m}</p> })}
        </div>
    }
}
