//! The run panel: a run's hosts with their status, the cancel button while
//! it runs, and its output, followed live — the page asks for the lines
//! after the last it has every second until the run is over, and keeps the
//! view at the bottom while the reader is there.
use super::{PageState, StatusBadge, ansi};
use crate::automation::api::{cancel_run, read_run, read_run_output};
use crate::automation::{OutputLine, RunView, Stream};
use crate::i18n::{td_string, use_i18n};
use crate::ui::{FormAlert, Timestamp, use_form_action};
use leptos::prelude::*;

/// Lines the viewer shows at most (the newest); the count says how many
/// there are in all.
const SHOWN: usize = 5_000;

#[component]
pub fn RunPanel(state: PageState) -> impl IntoView {
    move || state.run.get().map(|id| view! { <Run id state /> })
}

#[component]
fn Run(id: i32, state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let lines = RwSignal::new(Vec::<OutputLine>::new());
    let total = RwSignal::new(0i64);
    let over = RwSignal::new(false);
    let refresh = RwSignal::new(0u32);
    let detail = Resource::new(move || refresh.get(), move |_| read_run(id));
    let busy = RwSignal::new(false);
    let next = RwSignal::new(0i64);
    let last_status = RwSignal::new(None);
    let fetch = move || {
        if busy.get_untracked() || over.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let reply = read_run_output(id, Some(next.get_untracked())).await;
            // The reader chose another run meanwhile: this one is gone.
            if lines.is_disposed() {
                return;
            }
            if let Ok(out) = reply {
                next.set(out.next);
                total.set(out.next);
                if !out.lines.is_empty() {
                    lines.update(|l| {
                        l.extend(out.lines);
                        let cut = l.len().saturating_sub(SHOWN);
                        l.drain(..cut);
                    });
                }
                if last_status.get_untracked() != Some(out.status) {
                    last_status.set(Some(out.status));
                    refresh.update(|r| *r += 1);
                }
                if out.complete {
                    over.set(true);
                    state.changed();
                }
            }
            busy.set(false);
        });
    };
    // Effects run in the browser only.
    Effect::new(move |_| {
        fetch();
        if let Ok(handle) = set_interval_with_handle(fetch, std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    let cancel = use_form_action(
        move |_: &()| cancel_run(id),
        move |_: &RunView| {
            refresh.update(|r| *r += 1);
            Some(td_string!(locale(), run_cancel_sent).to_string())
        },
    );
    let errors = cancel.errors;
    view! {
        <section class="card" aria-labelledby="run-h" id="run-panel">
            {move || detail.get().and_then(|r| r.ok()).map(|r| {
                let running = !r.status.is_done();
                view! {
                    <h2 id="run-h">{format!("#{} {}", r.id, r.title)}" "<StatusBadge status=r.status /></h2>
                    <FormAlert errors />
                    <ul class="run-hosts" id="run-hosts">
                        {r.targets.iter().map(|t| view! {
                            <li>
                                <span class="wrap-anywhere">{t.label.clone()}</span>" "<StatusBadge status=t.status />
                                {t.exit_code.map(|c| format!(" · {} {c}", td_string!(locale(), run_exit)))}
                                {(!t.error.is_empty()).then(|| format!(" · {}", t.error))}
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="muted">{td_string!(locale(), run_requested)}" "<Timestamp at=Some(r.created_at.clone()) />
                        {r.requested_by.clone().map(|p| format!(" · {p}"))}</p>
                    <Show when=move || running && state.runs.get()>
                        <button type="button" class="button button-danger" id="run-cancel"
                            on:click=move |_| cancel.dispatch(())>{crate::tr!(i18n, run_cancel)}</button>
                    </Show>
                }
            })}
            <h3 id="run-output-h">{crate::tr!(i18n, run_output)}</h3>
            <p class="muted" id="run-line-count">
                {move || {
                    let (n, shown) = (total.get(), lines.with(Vec::len));
                    if n as usize > shown {
                        format!("{n} {} · {} {shown}", td_string!(locale(), run_lines), td_string!(locale(), run_lines_shown))
                    } else {
                        format!("{n} {}", td_string!(locale(), run_lines))
                    }
                }}
            </p>
            <Log lines />
        </section>
    }
}

/// The lines, stderr and the executor's own marked, colours kept; it
/// follows the end while the reader is at the end.
#[component]
fn Log(lines: RwSignal<Vec<OutputLine>>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let log = NodeRef::<leptos::html::Div>::new();
    // Follows the end until the reader scrolls up, again once back there.
    let follow = RwSignal::new(true);
    Effect::new(move |_| {
        lines.track();
        if let Some(el) = log.get()
            && follow.get_untracked()
        {
            el.set_scroll_top(el.scroll_height());
        }
    });
    let scrolled = move |_| {
        if let Some(el) = log.get_untracked() {
            follow.set(el.scroll_height() - el.scroll_top() - el.client_height() < 24);
        }
    };
    view! {
        <div class="log" id="run-log" node_ref=log role="log" tabindex="0" dir="ltr"
            aria-labelledby="run-output-h" on:scroll=scrolled>
            <For each=move || lines.get() key=|l| l.n let:l>
                <div class=match l.stream {
                    Stream::Stdout => "log-line",
                    Stream::Stderr => "log-line log-stderr",
                    Stream::System => "log-line log-system",
                }>
                    <span class="log-target">{l.target.clone()}</span>
                    {ansi::spans(&l.text).into_iter().map(|(text, class)| view! { <span class=class>{text}</span> }).collect_view()}
                </div>
            </For>
            {move || lines.with(Vec::is_empty).then(|| view! { <p class="muted">{td_string!(locale(), run_no_output)}</p> })}
        </div>
    }
}
