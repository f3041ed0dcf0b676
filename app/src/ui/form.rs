//! Form pieces: labelled fields (input, select, textarea, checkbox) with
//! their hint and error tied by `aria-describedby`, the form-level alert
//! and status, the form's server call ([`use_form_action`]) and a button
//! that asks before it acts. Errors come from the server's `AppError`
//! (already localized).
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
    let message = field_error(errors, name);
    let described = described_by(&id, hint.is_some(), message);
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            {hint_view(&id, hint)}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {error_view(&id, message)}
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

/// The ids a control's `aria-describedby` names: its hint, and its error
/// while there is one.
fn described_by(
    id: &str,
    has_hint: bool,
    message: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + use<> {
    let (hint_id, err_id) = (format!("{id}-hint"), format!("{id}-error"));
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
}

/// The hint above a control and the server's message below it.
fn hint_view(id: &str, hint: Option<Signal<String>>) -> impl IntoView + use<> {
    let hint_id = format!("{id}-hint");
    hint.map(|h| view! { <p class="field-hint" id=hint_id>{move || h.get()}</p> })
}

fn error_view(id: &str, message: Signal<Option<String>>) -> impl IntoView + use<> {
    view! {
        <p class="field-error" id=format!("{id}-error") hidden=move || message.get().is_none()>
            {move || message.get().unwrap_or_default()}
        </p>
    }
}

/// A labelled `<select>` bound to `value`; its `<option>`s are the children.
#[component]
pub fn SelectField(
    #[prop(into)] label: Signal<String>,
    name: &'static str,
    #[prop(default = "f")] form: &'static str,
    value: RwSignal<String>,
    errors: FormErrors,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    children: Children,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let message = field_error(errors, name);
    let described = described_by(&id, hint.is_some(), message);
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            {hint_view(&id, hint)}
            <select
                id=id.clone()
                name=name
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {children()}
            </select>
            {error_view(&id, message)}
        </div>
    }
}

/// A labelled `<textarea>` bound to `value`.
#[component]
pub fn TextareaField(
    #[prop(into)] label: Signal<String>,
    name: &'static str,
    #[prop(default = "f")] form: &'static str,
    value: RwSignal<String>,
    errors: FormErrors,
    #[prop(default = 4)] rows: u32,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let message = field_error(errors, name);
    let described = described_by(&id, hint.is_some(), message);
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            {hint_view(&id, hint)}
            <textarea
                id=id.clone()
                name=name
                rows=rows
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            {error_view(&id, message)}
        </div>
    }
}

/// A checkbox with its label, bound to `checked`.
#[component]
pub fn CheckboxField(
    #[prop(into)] label: Signal<String>,
    name: &'static str,
    #[prop(default = "f")] form: &'static str,
    checked: RwSignal<bool>,
    errors: FormErrors,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let message = field_error(errors, name);
    let described = described_by(&id, hint.is_some(), message);
    view! {
        <div class="field field-check">
            <input
                type="checkbox"
                id=id.clone()
                name=name
                aria-invalid=move || message.get().is_some().then_some("true")
                aria-describedby=described
                prop:checked=move || checked.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))
            />
            <label for=id.clone()>{move || label.get()}</label>
            {hint_view(&id, hint)}
            {error_view(&id, message)}
        </div>
    }
}

/// A form's server call with its state: `pending` while it runs, the
/// server's error (with its field messages) when it fails, and the success
/// message `on_ok` makes of its reply.
pub struct FormAction<I: 'static, T: 'static> {
    pub action: Action<I, Option<T>>,
    pub errors: FormErrors,
    pub done: RwSignal<Option<String>>,
}

impl<I: 'static, T: 'static> Clone for FormAction<I, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I: 'static, T: 'static> Copy for FormAction<I, T> {}

impl<I: Send + Sync + 'static, T: Send + Sync + 'static> FormAction<I, T> {
    pub fn dispatch(self, input: I) {
        self.action.dispatch(input);
    }

    pub fn pending(self) -> Memo<bool> {
        self.action.pending()
    }
}

/// Makes a [`FormAction`]: `call` starts the server call for an input,
/// `on_ok` turns its reply into the success message (or `None`).
pub fn use_form_action<I, T, Fut>(
    call: impl Fn(&I) -> Fut + Send + Sync + 'static,
    on_ok: impl Fn(&T) -> Option<String> + Send + Sync + 'static,
) -> FormAction<I, T>
where
    I: Send + Sync + 'static,
    T: Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
{
    let errors: FormErrors = RwSignal::new(None);
    let done = RwSignal::new(None::<String>);
    let on_ok = std::sync::Arc::new(on_ok);
    let action = Action::new(move |input: &I| {
        let reply = call(input);
        let on_ok = std::sync::Arc::clone(&on_ok);
        async move {
            match reply.await {
                Ok(value) => {
                    errors.set(None);
                    done.set(on_ok(&value));
                    Some(value)
                }
                Err(e) => {
                    done.set(None);
                    errors.set(Some(e));
                    None
                }
            }
        }
    });
    FormAction {
        action,
        errors,
        done,
    }
}

/// A button that asks before it acts: a native modal `<dialog>` (focus
/// moves into it, Escape cancels, focus returns to the button) with the
/// question, Cancel and the action.
#[component]
pub fn ConfirmButton(
    /// The button's text, repeated on the dialog's confirming button.
    #[prop(into)]
    label: Signal<String>,
    /// What will happen, as a question.
    #[prop(into)]
    question: Signal<String>,
    #[prop(into)] cancel: Signal<String>,
    on_confirm: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let open = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    view! {
        <button type="button" class="button" on:click=open>{move || label.get()}</button>
        <dialog node_ref=dialog class="confirm card" aria-label=move || question.get()>
            <form method="dialog" class="stack">
                <p>{move || question.get()}</p>
                <div class="row-actions">
                    <button type="submit" value="cancel" class="button" autofocus>{move || cancel.get()}</button>
                    <button type="submit" value="ok" class="button button-danger" on:click=move |_| on_confirm()>
                        {move || label.get()}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
