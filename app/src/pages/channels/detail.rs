//! `/channels/{id}`: a channel's threads, oldest first, with the forms to post,
//! reply, edit and delete (plain forms, without JavaScript). With JavaScript the
//! page listens to the channel's live feed and shows new posts, replies and
//! edits as they come, without reloading.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::channels::{ChannelPage, PostView, Thread};
use crate::calls::channels::load_channel;
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::domain::channel::Segment;

/// The route component.
#[component]
pub fn ChannelPageView() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i32>().ok())
                .unwrap_or(0)
        },
        load_channel,
    );
    let form = use_form_state();
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                let result = page.await;
                let (_, token) = form.load().await;
                match result {
                    Ok(page) => view! { <Channel page token/> }.into_any(),
                    Err(error) => view! {
                        <Title text="チャンネル"/>
                        <div class="page"><h1>"チャンネル"</h1><LoadError error/></div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// Puts a post where it belongs: a new thread, a reply at the end of its thread,
/// or in place of its earlier version. (The live feed's; the server renders the
/// threads it read.)
pub fn place(threads: &mut Vec<Thread>, post: PostView) {
    for thread in threads.iter_mut() {
        if thread.post.id == post.id {
            thread.post = post;
            return;
        }
        if let Some(reply) = thread.replies.iter_mut().find(|r| r.id == post.id) {
            *reply = post;
            return;
        }
    }
    match post.parent {
        Some(parent) => {
            if let Some(thread) = threads.iter_mut().find(|t| t.post.id == parent) {
                thread.replies.push(post);
            }
        }
        None => threads.push(Thread {
            post,
            replies: Vec::new(),
        }),
    }
}

#[component]
fn Channel(page: ChannelPage, token: String) -> impl IntoView {
    let id = page.channel.id;
    let title = page.channel.name.clone();
    let manage = page.member_emails.clone().map(|emails| {
        view! {
            <form method="post" action=format!("/channels/{id}/members") class="stacked-form">
                <CsrfField token=token.clone()/>
                <div class="field field--wide">
                    <label for="channel-members">"メンバーのメールアドレス(1行に1人)"</label>
                    <textarea id="channel-members" name="members" rows="5">{emails}</textarea>
                </div>
                <div class="actions"><button type="submit">"メンバーを保存"</button></div>
            </form>
        }
    });
    let members = (!page.members.is_empty()).then(|| {
        view! {
            <details class="members">
                <summary>{format!("メンバー {}人", page.members.len())}</summary>
                <p>{page.members.join("、")}</p>
                {manage}
            </details>
        }
    });
    let threads = page.threads.clone();
    let last = page.last_id;
    let list_token = token.clone();
    view! {
        <Title text=title.clone()/>
        <div class="page">
            <nav class="breadcrumb" aria-label="現在位置">
                <ol>
                    <li><A href="/">"ホーム"</A></li>
                    <li><A href="/channels">"チャンネル"</A></li>
                    <li aria-current="page">{title.clone()}</li>
                </ol>
            </nav>
            <h1>{title}</h1>
            <p class="help">{page.channel.visibility_label.clone()}</p>
            {(!page.channel.description.is_empty()).then(|| view! { <p>{page.channel.description.clone()}</p> })}
            {members}
            <LiveThreads channel=id last threads token=list_token/>
            <p><a href=format!("/channels/{id}")>"最新の投稿を読み込む"</a></p>
            <section class="form-section" aria-labelledby="post-heading">
                <h2 id="post-heading">"投稿する"</h2>
                <form method="post" action=format!("/channels/{id}/posts") class="stacked-form">
                    <CsrfField token/>
                    <div class="field field--wide">
                        <label for="post-body">"本文"</label>
                        <p class="field-hint" id="post-body-hint">"@三宅町 や @奈良連太(名前は空白なし)と書くと、その団体の職員や本人のホームに「あなた宛ての投稿」として届きます。URL はリンクになります。"</p>
                        <textarea id="post-body" name="body" rows="4" required maxlength=crate::domain::channel::BODY_MAX.to_string() aria-describedby="post-body-hint"></textarea>
                    </div>
                    <div class="actions"><button type="submit">"投稿する"</button></div>
                </form>
            </section>
        </div>
    }
}

/// The threads, which with JavaScript listen to the channel's live feed and
/// place each post as it comes (an island: the part of the page that ships code
/// to the browser). The browser's EventSource reconnects by itself, sending the
/// last id it had.
#[island]
fn LiveThreads(channel: i32, last: i32, threads: Vec<Thread>, token: String) -> impl IntoView {
    let threads = RwSignal::new(threads);
    let live = RwSignal::new(false);
    Effect::new(move |_| {
        if listen(channel, last, threads) {
            live.set(true);
        }
    });
    view! {
        <ol class="threads" aria-live="polite" aria-label="投稿" data-live=move || live.get().then_some("true")>
            {move || {
                let token = token.clone();
                threads
                    .get()
                    .into_iter()
                    .map(|t| view! { <ThreadView thread=t token=token.clone()/> })
                    .collect_view()
            }}
        </ol>
    }
}

/// A post, its replies and the reply form.
#[component]
fn ThreadView(thread: Thread, token: String) -> impl IntoView {
    let Thread { post, replies } = thread;
    let parent = post.id;
    let channel = post.channel;
    let replies = replies
        .into_iter()
        .map(|r| view! { <li><PostItem post=r token=token.clone()/></li> })
        .collect_view();
    let reply_id = format!("reply-{parent}");
    view! {
        <li class="thread">
            <PostItem post token=token.clone()/>
            <ol class="replies">{replies}</ol>
            <details class="reply-form">
                <summary>"返信する"</summary>
                <form method="post" action=format!("/channels/{channel}/posts") class="stacked-form">
                    <CsrfField token/>
                    <input type="hidden" name="parent" value=parent.to_string()/>
                    <label for=reply_id.clone()>"返信"</label>
                    <textarea id=reply_id name="body" rows="2" required maxlength=crate::domain::channel::BODY_MAX.to_string()></textarea>
                    <div class="actions"><button type="submit">"返信する"</button></div>
                </form>
            </details>
        </li>
    }
}

/// One post: who, when, the text with its links and mentions, and what the
/// reader may do with it.
#[component]
fn PostItem(post: PostView, token: String) -> impl IntoView {
    let body = if post.deleted {
        view! { <p class="post__deleted">"この投稿は削除されました。"</p> }.into_any()
    } else {
        let pieces = post
            .segments
            .iter()
            .cloned()
            .map(|s| match s {
                Segment::Text(text) => view! { <span>{text}</span> }.into_any(),
                Segment::Link(href) => {
                    let text = href.clone();
                    view! { <a href=href rel="nofollow noopener noreferrer" target="_blank">{text}</a> }.into_any()
                }
                Segment::Mention(name) => view! { <strong class="mention">{format!("@{name}")}</strong> }.into_any(),
            })
            .collect_view();
        view! { <p class="post__body">{pieces}</p> }.into_any()
    };
    let edit = post.can_edit.then(|| {
        let field = format!("edit-{}", post.id);
        view! {
            <details class="post__edit">
                <summary>"編集"</summary>
                <form method="post" action=format!("/posts/{}/edit", post.id) class="stacked-form">
                    <CsrfField token=token.clone()/>
                    <label for=field.clone()>"本文を直す"</label>
                    <textarea id=field name="body" rows="3" required maxlength=crate::domain::channel::BODY_MAX.to_string()>{post.body.clone()}</textarea>
                    <div class="actions"><button type="submit">"保存する"</button></div>
                </form>
            </details>
        }
    });
    let delete = post.can_delete.then(|| {
        view! {
            <form method="post" action=format!("/posts/{}/delete", post.id) class="inline-form">
                <CsrfField token=token.clone()/>
                <button type="submit" class="button-small" aria-label=format!("{}さんの投稿を削除", post.author_name)>"削除"</button>
            </form>
        }
    });
    view! {
        <article class="post" id=format!("post-{}", post.id)>
            <p class="post__meta">
                <strong>{post.author_name.clone()}</strong>
                {format!("({})", post.author_body)}
                " "<time datetime=post.created_at.clone()>{post.posted.clone()}</time>
                {post.edited.then(|| view! { " "<span class="badge">"編集済み"</span> })}
            </p>
            {body}
            {link_cards(&post.cards)}
            {edit}
            {delete}
        </article>
    }
}

/// The post's links to the portal's pages, as cards.
fn link_cards(cards: &[crate::api::channels::LinkCard]) -> Option<impl IntoView + use<>> {
    (!cards.is_empty()).then(|| {
        let items = cards
            .iter()
            .cloned()
            .map(|c| {
                view! {
                    <li>
                        <a class="link-card" href=c.href>
                            <span class="link-card__kind">{c.kind}</span>
                            <strong class="link-card__title">{c.title}</strong>
                            <span class="link-card__detail">{c.detail}</span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="link-cards">{items}</ul> }
    })
}

/// Listens to the channel's live feed and places each post as it comes (in the
/// browser); `false` when the browser cannot.
fn listen(channel: i32, last: i32, threads: RwSignal<Vec<Thread>>) -> bool {
    use leptos::wasm_bindgen::{JsCast, closure::Closure};
    let url = format!("/api/channels/{channel}/events?after={last}");
    let Ok(source) = leptos::web_sys::EventSource::new(&url) else {
        return false;
    };
    let on_post = Closure::<dyn FnMut(leptos::web_sys::MessageEvent)>::new(
        move |event: leptos::web_sys::MessageEvent| {
            if let Some(post) = event
                .data()
                .as_string()
                .and_then(|text| serde_json::from_str::<PostView>(&text).ok())
            {
                // An event can still arrive while the page is being left.
                threads.try_update(|t| place(t, post));
            }
        },
    );
    for name in ["post", "update"] {
        let _ = source.add_event_listener_with_callback(name, on_post.as_ref().unchecked_ref());
    }
    // The closure lives as long as the page: the source is closed on leaving.
    on_post.forget();
    let source = StoredValue::new_local(source);
    on_cleanup(move || source.with_value(|s| s.close()));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(id: i32, parent: Option<i32>, body: &str) -> PostView {
        PostView {
            cards: Vec::new(),
            id,
            channel: 1,
            parent,
            author: 1,
            author_name: "奈良市 担当".into(),
            author_body: "奈良市".into(),
            body: body.into(),
            segments: Vec::new(),
            created_at: String::new(),
            posted: String::new(),
            edited: false,
            deleted: false,
            can_edit: false,
            can_delete: false,
        }
    }

    #[test]
    fn a_live_post_starts_a_thread_a_reply_joins_its_thread_and_an_edit_replaces_in_place() {
        let mut threads = Vec::new();
        place(&mut threads, post(1, None, "一"));
        place(&mut threads, post(2, None, "二"));
        place(&mut threads, post(3, Some(1), "返信"));
        place(&mut threads, post(1, None, "一(編集)"));
        place(&mut threads, post(3, Some(1), "返信(編集)"));
        assert_eq!(threads.len(), 2);
        assert_eq!(threads[0].post.body, "一(編集)");
        assert_eq!(threads[0].replies.len(), 1);
        assert_eq!(threads[0].replies[0].body, "返信(編集)");
        assert_eq!(threads[1].post.body, "二");
    }
}
