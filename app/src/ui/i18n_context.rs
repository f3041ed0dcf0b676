//! The app's translation context, in place of leptos_i18n's
//! `I18nContextProvider`, so that no translation read can panic on the
//! server once a request is over.
//!
//! leptos_i18n 0.6.2 makes its context with an isomorphic effect that
//! copies the locale into its cookie signal (`context.rs`,
//! `init_context_inner`). On the server an isomorphic effect is a spawned
//! task whose first run is already queued; when the task is first polled
//! after the request's reactive owner was disposed (a fast page under
//! load), it reads the disposed locale signal and panics ("Tried to access
//! a reactive value that has already been disposed", about 0.03 % of
//! renders at 16 connections). Without leptos_i18n's `cookie` feature
//! (off here: `ui::switches` writes the language cookie) that effect does
//! nothing useful, so on the server the context is made under an owner of
//! its own that is paused at once: paused owners' effects never run. In the
//! browser the same owner runs normally. The test below reproduces the race
//! deterministically and shows the paused owner prevents it (no upstream
//! leptos_i18n issue was found; the Suspense side of the same hazard is
//! leptos-rs/leptos#3595).
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_i18n::context::{I18nContextOptions, init_i18n_context_with_options};

/// Makes the translation context (see [`quiet_on_server`]) and provides it.
pub fn provide_i18n() -> I18nContext<Locale> {
    let i18n =
        quiet_on_server(|| init_i18n_context_with_options::<Locale>(I18nContextOptions::default()));
    provide_context(i18n);
    i18n
}

/// Runs `make` under a child owner of the current one that is paused on
/// the server, so the effects `make` creates never run there, and keeps
/// that owner (which owns what `make` creates) as long as the current one.
pub fn quiet_on_server<T>(make: impl FnOnce() -> T) -> T {
    let owner = Owner::current().map_or_else(Owner::new, |o| o.child());
    let made = owner.with(make);
    #[cfg(feature = "ssr")]
    owner.pause();
    // Parents reference their children weakly: keep it until ours goes.
    on_cleanup(move || drop(owner));
    made
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use std::sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    };

    /// Counts panics about disposed reactive values during `run`.
    fn disposed_panics(run: impl FnOnce()) -> usize {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        static HOOK: Mutex<()> = Mutex::new(());
        let _one_at_a_time = HOOK.lock().unwrap_or_else(|e| e.into_inner());
        COUNT.store(0, Ordering::SeqCst);
        let previous = Arc::new(std::panic::take_hook());
        let fallback = Arc::clone(&previous);
        std::panic::set_hook(Box::new(move |info| {
            if info.to_string().contains("already been disposed") {
                COUNT.fetch_add(1, Ordering::SeqCst);
            } else {
                fallback(info);
            }
        }));
        run();
        let _ = std::panic::take_hook();
        COUNT.load(Ordering::SeqCst)
    }

    /// A request whose owner is dropped by the rendering thread while an
    /// isomorphic effect made during the render (as leptos_i18n's is) runs
    /// on a runtime worker: the effect waits until the owner is gone, then
    /// reads its signal, so the race of production (about 0.03 % of
    /// renders at 16 connections) happens every time. Returns whether the
    /// effect ran.
    fn request_ends_while_its_effect_runs(guarded: bool) -> bool {
        use std::sync::mpsc::channel;
        use std::time::Duration;
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        let inside = rt.enter();
        let _ = any_spawner::Executor::init_tokio();
        let (started_tx, started_rx) = channel::<()>();
        let (gone_tx, gone_rx) = channel::<()>();
        let gone_rx = Arc::new(Mutex::new(gone_rx));
        let owner = Owner::new();
        owner.with(|| {
            let make = || {
                let locale = RwSignal::new(Locale::en);
                Effect::new_isomorphic(move |_| {
                    let _ = started_tx.send(());
                    let _ = gone_rx.lock().unwrap().recv_timeout(Duration::from_secs(2));
                    locale.get();
                });
            };
            if guarded {
                quiet_on_server(make)
            } else {
                make()
            }
        });
        let ran = started_rx.recv_timeout(Duration::from_millis(300)).is_ok();
        drop(owner);
        let _ = gone_tx.send(());
        drop(inside);
        rt.shutdown_timeout(Duration::from_secs(5));
        ran
    }

    #[test]
    fn translations_cannot_panic_after_the_request_is_over() {
        let mut ran = false;
        let upstream = disposed_panics(|| ran = request_ends_while_its_effect_runs(false));
        assert!(ran);
        assert_eq!(upstream, 1, "the hazard reproduces without the guard");
        let guarded = disposed_panics(|| ran = request_ends_while_its_effect_runs(true));
        assert!(!ran, "paused, the effect never runs on the server");
        assert_eq!(guarded, 0);
    }
}
