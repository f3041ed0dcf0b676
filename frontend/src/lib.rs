//! The browser bundle: hydrates the server-rendered page.
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    // Readable panic messages in development builds. The release bundle
    // leaves out the hook and the formatting code it pulls in: a panic there
    // still stops the app and shows in the console, as `unreachable`.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    app::hydrate();
}
