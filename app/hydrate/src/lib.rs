//! Browser entry point. The pages are rendered by the server and work without
//! JavaScript; only their islands (the course form's split preview, the print
//! button of the notices) ship code, which keeps the bundle small.

use wasm_bindgen::prelude::wasm_bindgen;

// The islands are exported by the app crate; naming it keeps them linked in.
use app as _;

/// Called by the hydration script that the server puts in every page.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Marks the document so end-to-end tests (and curious users) can tell the
    // page is interactive.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
