//! The private area's bell: the signed-in reader's unread count beside the
//! page title, and a toast for each new notification, both following the
//! server's event stream. The toast is a polite live region, so a screen
//! reader hears it once without losing its place; it goes by itself after
//! a while, or by its button.
//!
//! It reads `/api/notifications` with a plain `fetch` rather than the
//! domain's server function: `ui` sits below the domains.
use crate::i18n::{td_string, use_i18n};
use crate::platform::{Permission, Severity};
use leptos::prelude::*;

/// Bumped by a page that changed what is read (the inbox), so the bell
/// counts again.
#[derive(Clone, Copy)]
pub struct UnreadChanged(pub RwSignal<u32>);

/// The newest unread notification.
#[derive(Clone, Debug, PartialEq)]
struct Latest {
    title: String,
    severity: Severity,
    link: String,
}

/// How long a toast stays.
#[cfg(feature = "hydrate")]
const TOAST_FOR: std::time::Duration = std::time::Duration::from_secs(8);

#[cfg(feature = "hydrate")]
async fn unread() -> Option<(u64, Option<Latest>)> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window()?;
    let res: web_sys::Response =
        JsFuture::from(window.fetch_with_str("/api/notifications?unread=true&per_page=1"))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    if !res.ok() {
        return None;
    }
    let text = JsFuture::from(res.text().ok()?).await.ok()?.as_string()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let latest = v["items"].get(0).and_then(|n| {
        Some(Latest {
            title: n["title"].as_str()?.to_string(),
            severity: Severity::parse(n["severity"].as_str()?)?,
            link: n["link"]
                .as_str()
                .unwrap_or("/app/notifications")
                .to_string(),
        })
    });
    Some((v["unread"].as_u64()?, latest))
}

#[component]
pub fn Bell() -> impl IntoView {
    let user = super::use_current_user();
    let reads = Memo::new(move |_| {
        user.get()
            .is_some_and(|u| u.can(Permission::NotificationsRead))
    });
    view! { <Show when=move || reads.get()><BellFor /></Show> }
}

#[component]
fn BellFor() -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let count = RwSignal::new(None::<u64>);
    let toast = RwSignal::new(None::<Latest>);
    let shown = StoredValue::new(0u32);
    let refresh = move |announce: bool| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Some((n, latest)) = unread().await {
                count.set(Some(n));
                if announce && let Some(latest) = latest {
                    toast.set(Some(latest));
                    let mine = shown.get_value() + 1;
                    shown.set_value(mine);
                    set_timeout(
                        move || {
                            if shown.get_value() == mine {
                                toast.set(None);
                            }
                        },
                        TOAST_FOR,
                    );
                }
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (announce, count, toast, shown);
    };
    refresh(false);
    super::on_server_events("notifications", &["notification.added"], move || {
        refresh(true)
    });
    if let Some(changed) = use_context::<UnreadChanged>() {
        Effect::new(move |first: Option<()>| {
            changed.0.track();
            if first.is_some() {
                refresh(false);
            }
        });
    }
    let inbox = super::use_localized("/app/notifications");
    let label = move || {
        let n = count.get().unwrap_or(0);
        format!(
            "{} ({n} {})",
            td_string!(locale(), notifications_title),
            td_string!(locale(), notifications_unread)
        )
    };
    view! {
        <a href=inbox class="bell" id="bell" aria-label=label>
            <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
                <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z" />
            </svg>
            <span class="bell-count" id="bell-count" hidden=move || count.get().unwrap_or(0) == 0>
                {move || count.get().unwrap_or(0)}
            </span>
        </a>
        <div class="toasts" role="status" id="toasts">
            {move || toast.get().map(|t| {
                let severity = t.severity;
                view! {
                    <div class="toast">
                        <span class=format!("badge severity-{}", severity.as_str())>{move || severity.label(locale())}</span>
                        <a href=t.link class="wrap-anywhere" dir="auto">{t.title}</a>
                        <button type="button" class="icon-button" aria-label=move || td_string!(locale(), toast_dismiss)
                            on:click=move |_| toast.set(None)>
                            <span aria-hidden="true">"×"</span>
                        </button>
                    </div>
                }
            })}
        </div>
    }
}
