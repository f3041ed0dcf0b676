//! Live pages: the browser listens to the server's event stream
//! (`GET /api/events`, server-sent events) and reloads what changed. The
//! `EventSource` reconnects by itself after a network cut; a `missed`
//! event (the page fell behind) reloads like any change.

/// Calls `on_change` whenever the server announces one of `names` on
/// `topics` (comma-separated), until the calling component is unmounted.
/// Does nothing on the server.
pub fn on_server_events(
    topics: &'static str,
    names: &'static [&'static str],
    on_change: impl Fn() + 'static,
) {
    #[cfg(feature = "hydrate")]
    listen(topics, names, on_change);
    #[cfg(not(feature = "hydrate"))]
    let _ = (topics, names, on_change);
}

#[cfg(feature = "hydrate")]
fn listen(topics: &str, names: &[&str], on_change: impl Fn() + 'static) {
    use wasm_bindgen::{JsCast, closure::Closure};
    let Ok(source) = web_sys::EventSource::new(&format!("/api/events?topics={topics}")) else {
        return;
    };
    let callback = Closure::<dyn Fn(web_sys::Event)>::new(move |_| on_change());
    for name in names.iter().chain(&["missed"]) {
        let _ = source.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
    }
    // The browser is single-threaded: the wrapper only satisfies the
    // `Send` bound of cleanups; the callback lives as long as the source.
    let held = send_wrapper::SendWrapper::new((source, callback));
    leptos::prelude::on_cleanup(move || held.0.close());
}
