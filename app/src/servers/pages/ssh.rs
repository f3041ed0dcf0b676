//! A server's SSH connection test: the first test shows the host key the
//! server presents for the operator to compare and trust (then it is
//! pinned); later tests sign in with the pinned key only. A pinned key
//! can be forgotten on purpose, after a confirmation.
use super::PageState;
use crate::i18n::use_i18n;
use crate::servers::api::test_ssh;
use crate::servers::{SshTest, SshTestState};
use crate::ui::{ConfirmButton, FormAlert, use_form_action};
use leptos::prelude::*;

/// `(server, trust, forget)`: one test's request.
type Ask = (i32, Option<String>, bool);

#[component]
pub fn SshTestPanel(id: i32, pinned: bool, state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let result = RwSignal::new(None::<SshTest>);
    let test = use_form_action(
        |(id, trust, forget): &Ask| test_ssh(*id, trust.clone(), *forget),
        move |t: &SshTest| {
            // A pin or a forget changed the server's record.
            if t.state != SshTestState::Failed {
                state.changed();
            }
            result.set(Some(t.clone()));
            None
        },
    );
    let pending = test.action.pending();
    view! {
        <div class="row-actions" id="ssh-test">
            <button type="button" class="button" disabled=move || pending.get()
                on:click=move |_| { result.set(None); test.action.dispatch((id, None, false)); }>
                {crate::tr!(i18n, servers_ssh_test)}
            </button>
            {pinned.then(|| view! {
                <ConfirmButton
                    label=crate::tr_signal!(i18n, servers_ssh_forget)
                    question=crate::tr_signal!(i18n, confirm_host_key_forget)
                    cancel=crate::tr_signal!(i18n, action_cancel)
                    on_confirm=move || { test.action.dispatch((id, None, true)); }
                />
            })}
        </div>
        <FormAlert errors=test.errors />
        <div aria-live="polite" id="ssh-test-result">
            {move || result.get().map(|t| match t.state {
                SshTestState::Unpinned => {
                    let fingerprint = t.fingerprint.clone();
                    view! {
                        <p>{crate::tr!(i18n, servers_ssh_unpinned)}</p>
                        <p class="mono wrap-anywhere">{t.algorithm.clone()}" "{t.fingerprint.clone()}</p>
                        <button type="button" class="button button-primary" disabled=move || pending.get()
                            on:click=move |_| { test.action.dispatch((id, Some(fingerprint.clone()), false)); }>
                            {crate::tr!(i18n, servers_ssh_trust)}
                        </button>
                    }.into_any()
                }
                SshTestState::Connected => view! {
                    <p class="form-status" role="status">"✓ "<span class="mono wrap-anywhere">{t.message.clone()}</span></p>
                }.into_any(),
                SshTestState::Failed => view! {
                    <p class="form-alert" role="alert">{t.message.clone()}</p>
                }.into_any(),
            })}
        </div>
    }
}
