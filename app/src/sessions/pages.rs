//! The sessions section of the profile page: list and end one's sessions.
use crate::i18n::use_i18n;
use crate::ui::Timestamp;
use leptos::prelude::*;

#[component]
pub fn SessionsSection(
    sessions: Resource<Result<Vec<crate::sessions::SessionView>, crate::error::AppError>>,
) -> impl IntoView {
    use crate::sessions::api::revoke_session;
    let i18n = use_i18n();
    let revoke = Action::new(move |id: &String| {
        let call = revoke_session(id.clone());
        async move {
            let _ = call.await;
            sessions.refetch();
        }
    });
    view! {
        <section class="card" aria-labelledby="sessions-h" id="sessions">
            <h2 id="sessions-h">{crate::tr!(i18n, sessions_title)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = sessions.await.unwrap_or_default();
                    view! {
                        <ul class="session-list">
                            {list.into_iter().map(|s| {
                                let id = s.id.clone();
                                view! { <li class="session-item">
                                    <span>{s.user_agent.clone().unwrap_or_default()}</span>
                                    <span class="muted">{s.ip.clone().unwrap_or_default()}" · "<Timestamp at=s.created_at.clone() /></span>
                                    {if s.current {
                                        view! { <span class="badge badge-success">{crate::tr!(i18n, sessions_current)}</span> }.into_any()
                                    } else {
                                        view! { <button type="button" class="button" on:click=move |_| { revoke.dispatch(id.clone()); }>{crate::tr!(i18n, action_revoke)}</button> }.into_any()
                                    }}
                                </li> }
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
        </section>
    }
}
