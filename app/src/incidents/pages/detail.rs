//! One ticket: its facts and SLA deadlines, its description, the moves a
//! manager may make (status, assignee, severity), its timeline and the
//! comment box (its reporter's too).
use super::{PageState, severity_label, status_label};
use crate::i18n::{td_string, use_i18n};
use crate::incidents::api::{comment_incident, read_incident, update_incident};
use crate::incidents::{IncidentDetail, IncidentStatus, IncidentView, Severity};
use crate::ui::{FormAlert, FormStatus, TextareaField, Timestamp, use_form_action};
use leptos::prelude::*;

/// What one update asks for: a status, an assignee or a severity.
#[derive(Clone)]
enum Change {
    Status(IncidentStatus),
    Assignee(i32),
    Severity(String),
}

#[component]
pub fn IncidentPanel(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let detail = Resource::new(
        move || (state.selected.get(), state.version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => read_incident(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let update = use_form_action(
        |(id, change): &(i32, Change)| {
            let (status, assignee, severity) = match change.clone() {
                Change::Status(s) => (Some(s.as_str().to_string()), None, None),
                Change::Assignee(a) => (None, Some(a), None),
                Change::Severity(s) => (None, None, Some(s)),
            };
            update_incident(*id, status, assignee, severity)
        },
        move |i: &IncidentView| {
            state.changed();
            Some(format!(
                "{} {}",
                td_string!(locale(), incident_updated),
                i.title
            ))
        },
    );
    view! {
        <FormStatus message=update.done />
        <FormAlert errors=update.errors />
        {move || match detail.get() {
            Some(Ok(Some(d))) => view! { <Detail d state update=update.action /> }.into_any(),
            Some(Err(e)) => view! { <p class="form-alert" role="alert">{e.error.message}</p> }.into_any(),
            _ => ().into_any(),
        }}
        // Outside the ticket's panel, which is rebuilt on every change to
        // the ticket (live): an edit in progress and its "saved" line stay.
        {move || state.selected.get().map(|id| view! { <super::postmortem::PostmortemPanel id state /> })}
    }
}

type UpdateAction = Action<(i32, Change), Option<IncidentView>>;

#[component]
fn Detail(d: IncidentDetail, state: PageState, update: UpdateAction) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let i = d.incident.clone();
    let id = i.id;
    let (severity, status) = (i.severity, i.status);
    let manages = d.can_manage;
    let mine = i.assignee.as_ref().map(|p| p.id) == Some(d.caller_id);
    let caller = d.caller_id;
    let servers = i
        .servers
        .iter()
        .map(|s| s.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let chosen = RwSignal::new(severity.as_str().to_string());
    view! {
        <section class="card" aria-labelledby="incident-h" id="incident-detail">
            <h2 id="incident-h">{i.title.clone()}" "
                <span class=format!("badge severity-{}", severity.as_str())>{move || severity_label(locale(), severity)}</span>" "
                <span class=format!("badge incident-{}", status.as_str())>{move || status_label(locale(), status)}</span>
            </h2>
            <dl class="facts">
                <dt>{crate::tr!(i18n, field_reporter)}</dt><dd>{i.reporter.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "—".into())}</dd>
                <dt>{crate::tr!(i18n, field_assignee)}</dt><dd id="incident-assignee">{i.assignee.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "—".into())}</dd>
                <dt>{crate::tr!(i18n, field_opened)}</dt><dd><Timestamp at=Some(i.created_at.clone()) /></dd>
                <dt>{crate::tr!(i18n, incident_ack_by)}</dt><dd><super::timer::SlaTimer id="sla-ack" deadline=i.acknowledge_by.clone() met_at=i.acknowledged_at.clone() /></dd>
                <dt>{crate::tr!(i18n, incident_resolve_by)}</dt><dd><super::timer::SlaTimer id="sla-resolve" deadline=i.resolve_by.clone() met_at=i.resolved_at.clone() /></dd>
                {(!servers.is_empty()).then(|| view! { <dt>{crate::tr!(i18n, incidents_servers)}</dt><dd>{servers}</dd> })}
            </dl>
            {(!d.description_html.is_empty()).then(|| view! { <div class="prose" inner_html=d.description_html.clone()></div> })}
            <Show when=move || manages>
                <div class="row-actions" id="incident-actions">
                    {d.next.iter().map(|to| {
                        let to = *to;
                        view! {
                            <button type="button" class="button" on:click=move |_| { update.dispatch((id, Change::Status(to))); }>
                                {move || format!("{} {}", td_string!(locale(), incident_move_to), status_label(locale(), to))}
                            </button>
                        }
                    }).collect_view()}
                    {if mine {
                        view! { <button type="button" class="button" on:click=move |_| { update.dispatch((id, Change::Assignee(0))); }>{crate::tr!(i18n, incident_unassign)}</button> }.into_any()
                    } else {
                        view! { <button type="button" class="button" id="incident-take" on:click=move |_| { update.dispatch((id, Change::Assignee(caller))); }>{crate::tr!(i18n, incident_assign_me)}</button> }.into_any()
                    }}
                </div>
                <form class="form form-inline" on:submit=move |ev| { ev.prevent_default(); update.dispatch((id, Change::Severity(chosen.get_untracked()))); }>
                    <div class="field">
                        <label for="incident-severity">{crate::tr!(i18n, field_severity)}</label>
                        <select id="incident-severity" prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                            {Severity::ALL.iter().map(|s| {
                                let s = *s;
                                view! { <option value=s.as_str()>{move || severity_label(locale(), s)}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button">{crate::tr!(i18n, incident_change_severity)}</button>
                </form>
            </Show>
            <h3>{crate::tr!(i18n, incident_timeline)}</h3>
            <ol class="history" id="incident-timeline">
                {d.timeline.into_iter().map(|e| {
                    let kind = e.kind;
                    view! {
                        <li>
                            <Timestamp at=Some(e.at.clone()) />" · "{e.actor.clone().unwrap_or_else(|| "Dihya Ops".into())}" · "
                            {move || kind.label(locale())}
                            {(!e.body.is_empty()).then(|| {
                                let body = e.body.clone();
                                view! { <p class="timeline-body">{move || crate::incidents::line_text(locale(), kind, &body)}</p> }
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <Show when=move || d.can_comment>
                <CommentForm id state />
            </Show>
        </section>
    }
}

#[component]
fn CommentForm(id: i32, state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let body = RwSignal::new(String::new());
    let send = use_form_action(
        move |_: &()| comment_incident(id, body.get_untracked()),
        move |_| {
            body.set(String::new());
            state.changed();
            Some(td_string!(locale(), incident_commented).to_string())
        },
    );
    let errors = send.errors;
    view! {
        <form class="form" id="comment-form" novalidate on:submit=move |ev| { ev.prevent_default(); send.dispatch(()); }>
            <FormAlert errors />
            <FormStatus message=send.done />
            <TextareaField label=crate::tr_signal!(i18n, incident_comment) name="body" form="comment" value=body errors rows=3 />
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || send.pending().get()>{crate::tr!(i18n, action_comment)}</button>
            </div>
        </form>
    }
}
