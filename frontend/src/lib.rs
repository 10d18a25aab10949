#![recursion_limit = "256"]
//! The browser entry point. The pages are rendered on the server; only their islands (the
//! live refresh, pickers, uploads, forms that answer in place) are hydrated here.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::mark_hydrated();
}
