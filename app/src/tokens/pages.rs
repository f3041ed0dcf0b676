//! The API tokens section of the profile page: create, list, revoke.
use crate::i18n::use_i18n;
use crate::ui::{ConfirmButton, Field, FormAlert, Timestamp, use_form_action};
use leptos::prelude::*;

#[component]
pub fn TokensSection(
    /// What the signed-in user holds: a token can be scoped to these only.
    permissions: Vec<crate::platform::Permission>,
    tokens: Resource<Result<Vec<crate::tokens::TokenView>, crate::error::AppError>>,
) -> impl IntoView {
    use crate::tokens::api::{create_token, revoke_token};
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let days = RwSignal::new("30".to_string());
    let scopes = RwSignal::new(Vec::<String>::new());
    let created = RwSignal::new(None::<String>);
    let create = use_form_action(
        move |_: &()| {
            create_token(
                name.get_untracked(),
                scopes.get_untracked(),
                days.get_untracked().parse().unwrap_or(0),
            )
        },
        move |t: &crate::tokens::NewToken| {
            name.set(String::new());
            created.set(Some(t.token.clone()));
            tokens.refetch();
            None
        },
    );
    let errors = create.errors;
    // A refused revocation (another account's token, say) is shown, not swallowed.
    let revoke = use_form_action(
        |id: &i32| revoke_token(*id),
        move |_| {
            tokens.refetch();
            None
        },
    );
    let perms = permissions;
    view! {
        <section class="card" aria-labelledby="tokens-h" id="tokens">
            <h2 id="tokens-h">{crate::tr!(i18n, tokens_title)}</h2>
            <p class="muted">{crate::tr!(i18n, tokens_intro)}</p>
            {move || created.get().map(|tok| view! {
                <div class="notice notice-success" role="status">
                    <label for="new-token">{crate::tr!(i18n, tokens_created)}</label>
                    <input id="new-token" class="token-value" readonly value=tok />
                </div>
            })}
            <FormAlert errors=revoke.errors />
            <form class="form" id="token-form" novalidate on:submit=move |ev| { ev.prevent_default(); create.dispatch(()); }>
                <FormAlert errors />
                <Field label=crate::tr_signal!(i18n, field_token_name) name="name" form="token" value=name errors />
                <fieldset class="field">
                    <legend>{crate::tr!(i18n, field_scopes)}</legend>
                    <div class="checks">
                        {perms.into_iter().map(|p| {
                            let code = p.as_str();
                            view! {
                                <label class="check">
                                    <input type="checkbox" value=code on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        scopes.update(|s| { s.retain(|x| x != code); if on { s.push(code.to_string()); } });
                                    } />
                                    <code>{code}</code>
                                </label>
                            }
                        }).collect_view()}
                    </div>
                    <p class="field-error" hidden=move || crate::ui::form::field_error(errors, "scopes").get().is_none()>
                        {move || crate::ui::form::field_error(errors, "scopes").get()}
                    </p>
                </fieldset>
                <div class="field">
                    <label for="token-days">{crate::tr!(i18n, field_expires_days)}</label>
                    <select id="token-days" on:change=move |ev| days.set(event_target_value(&ev))>
                        {[7, 30, 90, 365].into_iter().map(|d| view! { <option value=d.to_string() selected=d == 30>{d}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button-primary">{crate::tr!(i18n, tokens_create)}</button>
            </form>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = tokens.await.unwrap_or_default();
                    view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="tokens-h">
                            <table class="table" id="token-list">
                                <thead><tr>
                                    <th scope="col">{crate::tr!(i18n, field_token_name)}</th>
                                    <th scope="col">{crate::tr!(i18n, field_scopes)}</th>
                                    <th scope="col">{crate::tr!(i18n, col_expires)}</th>
                                    <th scope="col">{crate::tr!(i18n, col_last_used)}</th>
                                    <th scope="col"><span class="sr-only">{crate::tr!(i18n, col_actions)}</span></th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|tk| {
                                        let id = tk.id;
                                        view! { <tr>
                                            <td>{tk.name.clone()}</td>
                                            <td>{tk.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")}</td>
                                            <td><Timestamp at=tk.expires_at.clone() /></td>
                                            <td><Timestamp at=tk.last_used_at.clone() /></td>
                                            <td>{if tk.revoked {
                                                view! { <span class="badge badge-muted">{crate::tr!(i18n, tokens_revoked)}</span> }.into_any()
                                            } else {
                                                view! {
                                                    <ConfirmButton
                                                        label=crate::tr_signal!(i18n, action_revoke)
                                                        question=crate::tr_signal!(i18n, confirm_revoke_token)
                                                        cancel=crate::tr_signal!(i18n, action_cancel)
                                                        on_confirm=move || { revoke.dispatch(id); }
                                                    />
                                                }.into_any()
                                            }}</td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            </Transition>
        </section>
    }
}
