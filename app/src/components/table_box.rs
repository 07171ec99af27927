//! The box around a data table.

use leptos::prelude::*;

/// A table that scrolls inside its own box when the screen is narrower than the
/// table (its first column stays in view, see `.table-wrap` in the stylesheet). The
/// box is a named region that takes focus, so a keyboard can scroll it too.
#[component]
pub fn TableBox(
    /// What the table lists, read out for the region.
    #[prop(into)]
    label: String,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}
