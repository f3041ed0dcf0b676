//! The two-factor section of the profile page: enrol, confirm, turn off
//! (three server calls, each a `use_form_action` with its own errors).
use crate::i18n::{td_string, use_i18n};
use crate::ui::{Field, FormAlert, use_form_action};
use leptos::prelude::*;

#[component]
pub fn TwoFactorSection(enabled: bool) -> impl IntoView {
    use crate::twofa::api::{confirm_2fa, disable_2fa, enroll_2fa};
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let enabled = RwSignal::new(enabled);
    let enrollment = RwSignal::new(None::<crate::twofa::Enrollment>);
    let codes = RwSignal::new(None::<Vec<String>>);
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let start = use_form_action(
        |_: &()| enroll_2fa(),
        move |e: &crate::twofa::Enrollment| {
            enrollment.set(Some(e.clone()));
            None
        },
    );
    let confirm = use_form_action(
        move |_: &()| confirm_2fa(code.get_untracked()),
        move |r: &crate::twofa::RecoveryCodes| {
            enrollment.set(None);
            code.set(String::new());
            enabled.set(true);
            codes.set(Some(r.codes.clone()));
            None
        },
    );
    let disable = use_form_action(
        move |_: &()| disable_2fa(code.get_untracked(), password.get_untracked()),
        move |_: &()| {
            code.set(String::new());
            password.set(String::new());
            enabled.set(false);
            codes.set(None);
            None
        },
    );
    view! {
        <section class="card" aria-labelledby="twofa-h" id="twofa">
            <h2 id="twofa-h">{crate::tr!(i18n, twofa_title)}</h2>
            <p id="twofa-state">{move || if enabled.get() { td_string!(locale(), twofa_on) } else { td_string!(locale(), twofa_off) }}</p>
            <FormAlert errors=start.errors />
            {move || codes.get().map(|list| view! {
                <div class="notice notice-success" id="recovery-codes">
                    <p>{crate::tr!(i18n, twofa_codes_intro)}</p>
                    <ul class="code-list">{list.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                </div>
            })}
            {move || match (enabled.get(), enrollment.get()) {
                (false, None) => view! {
                    <button type="button" class="button button-primary" id="twofa-start" disabled=move || start.pending().get() on:click=move |_| start.dispatch(())>
                        {crate::tr!(i18n, twofa_start)}
                    </button>
                }.into_any(),
                (false, Some(e)) => view! {
                    <div class="twofa-enrol">
                        <p>{crate::tr!(i18n, twofa_scan)}</p>
                        <img src=e.qr_svg_data_url.clone() width="200" height="200" alt=crate::tr!(i18n, twofa_qr_alt) class="qr" />
                        <p>{crate::tr!(i18n, twofa_manual)}" "<code id="twofa-secret" class="secret">{e.secret.clone()}</code></p>
                        <form class="form" id="twofa-confirm" novalidate on:submit=move |ev| { ev.prevent_default(); confirm.dispatch(()); }>
                            <FormAlert errors=confirm.errors />
                            <Field label=crate::tr_signal!(i18n, field_totp) name="code" form="twofa" value=code errors=confirm.errors autocomplete="one-time-code" />
                            <button type="submit" class="button button-primary" disabled=move || confirm.pending().get()>{crate::tr!(i18n, twofa_confirm)}</button>
                        </form>
                    </div>
                }.into_any(),
                (true, _) => view! {
                    <form class="form" id="twofa-disable" novalidate on:submit=move |ev| { ev.prevent_default(); disable.dispatch(()); }>
                        <FormAlert errors=disable.errors />
                        <Field label=crate::tr_signal!(i18n, field_current_password) name="password" form="twofa-off" value=password errors=disable.errors kind="password" autocomplete="current-password" />
                        <Field label=crate::tr_signal!(i18n, field_totp_or_recovery) name="code" form="twofa-off" value=code errors=disable.errors autocomplete="one-time-code" />
                        <button type="submit" class="button" disabled=move || disable.pending().get()>{crate::tr!(i18n, twofa_disable)}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
