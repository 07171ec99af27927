//! Text with the search words marked.

use leptos::prelude::*;

use crate::api::search::Highlighted;

/// Renders `text` with `<mark>` around the highlighted ranges.
#[component]
pub fn Highlight(text: Highlighted) -> impl IntoView {
    text.segments()
        .into_iter()
        .map(|segment| {
            let content = segment.text.to_owned();
            if segment.marked {
                view! { <mark>{content}</mark> }.into_any()
            } else {
                content.into_any()
            }
        })
        .collect_view()
}
