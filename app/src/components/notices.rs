//! Notices about ignored filter values.

use leptos::prelude::*;

use crate::domain::case_query::FilterNotice;

/// Lists notices in a polite live region, or nothing when there are none.
#[component]
pub fn FilterNotices(notices: Vec<FilterNotice>) -> impl IntoView {
    (!notices.is_empty()).then(|| {
        view! {
            <div class="notice" role="status">
                <p class="notice__title">"指定された条件の一部を無視しました"</p>
                <ul>
                    {notices
                        .into_iter()
                        .map(|n| view! { <li data-field=n.field>{n.message}</li> })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}
