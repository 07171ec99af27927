//! `/channels`: the prefecture's channels (デジならチャット) with unread counts, and
//! the 県's form to make one; `/channels/{id}`: a channel's threads, updating live.

mod detail;

pub use detail::ChannelPageView;

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::channels::ChannelList;
use crate::api::channels::PostSearch;
use crate::calls::channels::{find_posts, load_channels};
use crate::components::form_fields::{FormValues, text_area, text_field};
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};

/// The list.
#[component]
pub fn ChannelListPage() -> impl IntoView {
    let list = Resource::new(|| (), |()| load_channels());
    let query = leptos_router::hooks::use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let found = Resource::new(
        move || q.get(),
        |q| async move {
            if q.trim().is_empty() {
                Ok(None)
            } else {
                find_posts(q).await.map(Some)
            }
        },
    );
    let form = use_form_state();
    view! {
        <Title text="チャンネル"/>
        <div class="page">
            <h1>"チャンネル(県内の情報共有)"</h1>
            <p class="lead">"県と県内の市町村が日々の情報を共有する場です。分科会などのチャンネルはメンバーだけが読めます。"</p>
            <form method="get" action="/channels" class="filters" role="search" aria-label="投稿を検索">
                <div class="field">
                    <label for="post-q">"投稿を検索(読めるチャンネルだけ)"</label>
                    <input id="post-q" name="q" type="search" maxlength="200" value=move || q.get()/>
                </div>
                <div class="actions"><button type="submit">"検索"</button></div>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(Some(found)) => view! { <Found found/> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = list.await;
                    let (flash, token) = form.load().await;
                    match result {
                        Ok(list) => view! { <Channels list flash token/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The posts found, with the channel each is in.
#[component]
fn Found(found: PostSearch) -> impl IntoView {
    let names: std::collections::HashMap<i32, String> = found
        .channels
        .iter()
        .map(|c| (c.id, c.name.clone()))
        .collect();
    let items = found
        .items
        .into_iter()
        .map(|p| {
            let channel = names.get(&p.channel).cloned().unwrap_or_default();
            view! {
                <li>
                    <a href=format!("/channels/{}#post-{}", p.channel, p.id)>{channel}</a>
                    {format!(" {}({})・{}", p.author_name, p.author_body, p.posted)}
                    <p class="post__body">{crate::domain::text::excerpt(&p.body, 160)}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="found-heading">
            <h2 id="found-heading">{format!("検索結果 {}件", found.total)}</h2>
            <ul class="found-posts">{items}</ul>
        </section>
    }
}

#[component]
fn Channels(list: ChannelList, flash: crate::api::flash::Flash, token: String) -> impl IntoView {
    let empty = list.items.is_empty();
    let items = list
        .items
        .into_iter()
        .map(|c| {
            let unread = (c.unread > 0).then(|| view! { <span class="badge">{format!("未読 {}", c.unread)}</span> });
            view! {
                <li class="channel-card">
                    <h2><A href=format!("/channels/{}", c.id)>{c.name.clone()}</A>" "{unread}</h2>
                    <p class="help">{c.visibility_label.clone()}
                        {(c.visibility == crate::domain::channel::Visibility::Members).then(|| format!("・{}人", c.members))}
                    </p>
                    {(!c.description.is_empty()).then(|| view! { <p>{c.description.clone()}</p> })}
                </li>
            }
        })
        .collect_view();
    let create = list.can_create.then(|| {
        let form = FormValues::new(BTreeMap::new(), BTreeMap::new(), &flash);
        let members_chosen = form.value("visibility") == "members";
        view! {
            <section class="form-section" aria-labelledby="new-channel-heading">
                <h2 id="new-channel-heading">"チャンネルを作る"</h2>
                <form method="post" action="/channels" class="stacked-form">
                    <CsrfField token/>
                    {text_field(&form, "name", "チャンネル名", "text", true, crate::domain::channel::NAME_MAX)}
                    {text_area(&form, "description", "説明", "何を話す場か", crate::domain::channel::DESCRIPTION_MAX)}
                    <fieldset class="choices">
                        <legend>"読める人"</legend>
                        <div class="field field--check">
                            <input type="radio" id="vis-open" name="visibility" value="open" checked=!members_chosen/>
                            <label for="vis-open">"県内の全団体"</label>
                        </div>
                        <div class="field field--check">
                            <input type="radio" id="vis-members" name="visibility" value="members" checked=members_chosen/>
                            <label for="vis-members">"メンバーのみ(分科会など)"</label>
                        </div>
                    </fieldset>
                    {text_area(&form, "members", "メンバーのメールアドレス(メンバーのみのとき。改行またはカンマ区切り)", "作った人は自動でメンバーになります", 20_000)}
                    <div class="actions"><button type="submit">"作る"</button></div>
                </form>
            </section>
        }
    });
    view! {
        {empty.then(|| view! { <p>"読めるチャンネルはまだありません。"</p> })}
        <ul class="channel-list">{items}</ul>
        {create}
    }
}
