//! One server: its facts, its notes, the lifecycle moves its status allows
//! (each asked for in a dialog), deletion once decommissioned, and its
//! history from the audit log.
use super::PageState;
use super::list::status_label;
use crate::i18n::{td_string, use_i18n};
use crate::servers::api::{delete_server, move_server, read_server};
use crate::servers::{ServerDetail, ServerStatus};
use crate::ui::{ConfirmButton, FormAlert, FormStatus, Timestamp, use_form_action};
use leptos::prelude::*;

#[component]
pub fn ServerDetailPanel(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let detail = Resource::new(
        move || (state.selected.get(), state.version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => read_server(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let moved = use_form_action(
        |(id, to): &(i32, ServerStatus)| move_server(*id, to.as_str().to_string()),
        move |s: &crate::servers::ServerView| {
            state.changed();
            Some(format!("{} {}", s.name, status_label(locale(), s.status)))
        },
    );
    let deleted = use_form_action(
        |id: &i32| delete_server(*id),
        move |_| {
            state.selected.set(None);
            state.changed();
            Some(td_string!(locale(), server_deleted).to_string())
        },
    );
    view! {
        <FormStatus message=moved.done />
        <FormStatus message=deleted.done />
        <FormAlert errors=moved.errors />
        <FormAlert errors=deleted.errors />
        {move || match detail.get() {
            Some(Ok(Some(d))) => view! { <Detail d state moved=moved.action deleted=deleted.action /> }.into_any(),
            Some(Err(e)) => view! { <p class="form-alert" role="alert">{e.error.message}</p> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

type MoveAction = Action<(i32, ServerStatus), Option<crate::servers::ServerView>>;
type DeleteAction = Action<i32, Option<()>>;

#[component]
fn Detail(
    d: ServerDetail,
    state: PageState,
    moved: MoveAction,
    deleted: DeleteAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let s = d.server.clone();
    let id = s.id;
    let dash = |v: Option<String>| v.filter(|x| !x.is_empty()).unwrap_or_else(|| "—".into());
    let specs = [
        s.cpu_cores.map(|n| format!("{n} CPU")),
        s.ram_mb.map(|n| format!("{n} MB RAM")),
        s.disk_gb.map(|n| format!("{n} GB disk")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let ssh = s
        .ssh
        .user
        .as_ref()
        .map(|u| format!("{u}@{}:{}", s.hostname, s.ssh.port));
    let edit = s.clone();
    let actions = d.next_statuses.clone();
    let decommissioned = s.status == ServerStatus::Decommissioned;
    let has_profile = s.ssh.user.is_some() && s.ssh.credential_kind.is_some();
    let pinned = s.ssh.host_key.is_some();
    view! {
        <section class="card" aria-labelledby="server-detail-h" id="server-detail">
            <h2 id="server-detail-h">{s.name.clone()}" "
                <span class=format!("badge status-{}", s.status.as_str())>{move || status_label(locale(), s.status)}</span>
            </h2>
            <Show when=move || state.can_monitor.get()>
                <p><a href=format!("/app/monitoring?server={id}")>{crate::tr!(i18n, servers_health)}</a></p>
            </Show>
            <dl class="facts">
                <dt>{crate::tr!(i18n, field_hostname)}</dt><dd class="mono">{s.hostname.clone()}</dd>
                <dt>{crate::tr!(i18n, field_ip_addresses)}</dt><dd class="mono">{dash(Some(s.ip_addresses.join(", ")))}</dd>
                <dt>{crate::tr!(i18n, field_environment)}</dt><dd>{s.environment.clone()}</dd>
                <dt>{crate::tr!(i18n, field_kind)}</dt><dd>{s.kind.as_str()}</dd>
                <dt>{crate::tr!(i18n, field_os)}</dt><dd>{dash(Some(s.os.clone()))}</dd>
                <dt>{crate::tr!(i18n, field_provider)}</dt><dd>{dash(Some(s.provider.clone()))}</dd>
                <dt>{crate::tr!(i18n, field_owner)}</dt><dd>{dash(Some(s.owner.clone()))}</dd>
                <dt>{crate::tr!(i18n, server_specs)}</dt><dd>{dash(Some(specs))}</dd>
                <dt>{crate::tr!(i18n, server_ssh)}</dt><dd class="mono">{dash(ssh)}</dd>
                <dt>{crate::tr!(i18n, server_host_key)}</dt><dd class="mono">{dash(s.ssh.host_key.clone())}</dd>
            </dl>
            {(!d.notes_html.is_empty()).then(|| view! { <div class="prose" inner_html=d.notes_html.clone()></div> })}
            <Show when=move || state.can_write.get() && has_profile>
                <super::ssh::SshTestPanel id pinned state />
            </Show>
            <Show when=move || state.can_write.get()>
                <div class="row-actions">
                    {
                        let edit = edit.clone();
                        view! { <button type="button" class="button" on:click=move |_| state.editing.set(Some(edit.clone()))>{crate::tr!(i18n, action_edit)}</button> }
                    }
                    {actions.iter().map(|to| {
                        let to = *to;
                        view! {
                            <ConfirmButton
                                label=Signal::derive(move || format!("{} {}", td_string!(locale(), server_move_to), status_label(locale(), to)))
                                question=crate::tr_signal!(i18n, confirm_server_move)
                                cancel=crate::tr_signal!(i18n, action_cancel)
                                on_confirm=move || { moved.dispatch((id, to)); }
                            />
                        }
                    }).collect_view()}
                    {decommissioned.then(|| view! {
                        <ConfirmButton
                            label=crate::tr_signal!(i18n, server_delete)
                            question=crate::tr_signal!(i18n, confirm_server_delete)
                            cancel=crate::tr_signal!(i18n, action_cancel)
                            on_confirm=move || { deleted.dispatch(id); }
                        />
                    })}
                </div>
            </Show>
            <h3>{crate::tr!(i18n, server_history)}</h3>
            <ol class="history" id="server-history">
                {d.history.into_iter().map(|e| view! {
                    <li>
                        <Timestamp at=Some(e.at.clone()) />" · "{e.actor.clone()}" · "<code>{e.action.clone()}</code>
                        {e.diff.map(|diff| view! { <pre class="diff">{diff}</pre> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
