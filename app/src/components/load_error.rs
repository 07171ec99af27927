//! The message shown when a page's data could not be loaded.

use leptos::prelude::*;

use crate::components::status::set_http_status;
use crate::error::AppError;

/// An alert with the error's Japanese message; server failures answer 500.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    if let AppError::Internal = error {
        set_http_status(500);
    }
    view! {
        <div class="notice notice--error" role="alert">
            <p>{error.to_string()}</p>
        </div>
    }
}
