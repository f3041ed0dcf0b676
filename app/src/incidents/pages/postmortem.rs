//! A ticket's post-mortem: managers edit the draft (assembled by the
//! server from the ticket and its timeline) and save it; everyone who may
//! see the ticket reads a saved one. The draft follows the ticket's
//! changes until the manager starts editing it.
use super::PageState;
use crate::i18n::{td_string, use_i18n};
use crate::incidents::Postmortem;
use crate::incidents::api::{publish_postmortem, read_postmortem, save_postmortem};
use crate::platform::Permission;
use crate::ui::{FormAlert, FormStatus, TextareaField, use_current_user, use_form_action};
use leptos::prelude::*;

#[component]
pub fn PostmortemPanel(id: i32, state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let user = use_current_user();
    let manages = move || {
        user.get()
            .is_some_and(|u| u.can(Permission::IncidentsManage))
    };
    let version = RwSignal::new(0u32);
    let doc = Resource::new(
        move || (version.get(), state.version.get()),
        move |_| read_postmortem(id),
    );
    let text = RwSignal::new(String::new());
    // What the server last sent: the text area follows it while it holds
    // exactly that (nobody is typing).
    let loaded = RwSignal::new(String::new());
    let save = use_form_action(
        move |_: &()| save_postmortem(id, text.get_untracked()),
        move |_: &Postmortem| {
            // What was typed is now what the server holds.
            loaded.set(text.get_untracked());
            version.update(|v| *v += 1);
            Some(td_string!(locale(), incident_postmortem_saved).to_string())
        },
    );
    let publish = use_form_action(
        move |on: &bool| publish_postmortem(id, *on),
        move |p: &Postmortem| {
            version.update(|v| *v += 1);
            let said = if p.published {
                td_string!(locale(), postmortem_public)
            } else {
                td_string!(locale(), postmortem_private)
            };
            Some(said.to_string())
        },
    );
    // The text area starts from what the server has (the draft or the saved text).
    Effect::new(move || {
        if let Some(Ok(p)) = doc.get()
            && text.get_untracked() == loaded.get_untracked()
        {
            text.set(p.markdown.clone());
            loaded.set(p.markdown);
        }
    });
    let errors = save.errors;
    view! {
        <section class="card" aria-labelledby="postmortem-h" id="postmortem">
            <h2 id="postmortem-h">{crate::tr!(i18n, incident_postmortem)}</h2>
            {move || match doc.get() {
                Some(Ok(p)) if manages() => view! {
                    <form class="form" id="postmortem-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                        <FormAlert errors />
                        <FormStatus message=save.done />
                        {(!p.saved).then(|| view! { <p class="muted">{crate::tr!(i18n, incident_postmortem_draft)}</p> })}
                        <TextareaField label=crate::tr_signal!(i18n, incident_postmortem) name="body" form="postmortem" value=text errors rows=12 hint=crate::tr_signal!(i18n, hint_markdown) />
                        <div class="form-actions">
                            <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, action_save)}</button>
                            <button type="button" class="button" id="postmortem-publish"
                                aria-pressed=if p.published { "true" } else { "false" }
                                disabled=move || publish.pending().get() || !p.saved
                                on:click=move |_| { publish.dispatch(!p.published); }>
                                {if p.published { crate::tr!(i18n, postmortem_unpublish).into_any() } else { crate::tr!(i18n, postmortem_publish).into_any() }}
                            </button>
                        </div>
                        <FormAlert errors=publish.errors />
                        <FormStatus message=publish.done />
                    </form>
                }.into_any(),
                Some(Ok(p)) if p.saved => view! { <div class="prose" inner_html=p.html></div> }.into_any(),
                Some(Ok(_)) => view! { <p class="muted">{crate::tr!(i18n, pm_to_write)}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="form-alert" role="alert">{e.error.message}</p> }.into_any(),
                None => ().into_any(),
            }}
        </section>
    }
}
