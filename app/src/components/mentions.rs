//! 「あなた宛ての投稿」: posts that mention the caller or their town, on their
//! home page, unread ones marked.

use leptos::prelude::*;

use crate::api::channels::MentionView;

/// The list, or nothing when no post mentions them.
#[component]
pub fn Mentions(mentions: Vec<MentionView>) -> impl IntoView {
    (!mentions.is_empty()).then(|| {
        let items = mentions
            .into_iter()
            .map(|m| {
                view! {
                    <li>
                        {m.unread.then(|| view! { <span class="badge">"未読"</span> " " })}
                        <a href=format!("/channels/{}#post-{}", m.channel, m.post)>{m.excerpt}</a>
                        {format!("({}・{}・{})", m.channel_name, m.author, m.at)}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="mentions-heading">
                <h2 id="mentions-heading">"あなた宛ての投稿"</h2>
                <ul class="mentions">{items}</ul>
            </section>
        }
    })
}
