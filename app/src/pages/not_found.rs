//! The page for addresses that do not exist.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::components::status::set_http_status;

/// Shown for unknown paths, with status 404.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_http_status(404);
    view! {
        <Title text="ページが見つかりません"/>
        <NotFound message="お探しのページは見つかりませんでした。アドレスが正しいかご確認ください。".to_owned()/>
    }
}

/// The body of a not-found page with a message.
#[component]
pub fn NotFound(message: String) -> impl IntoView {
    view! {
        <div class="page page--not-found">
            <h1>"ページが見つかりません"</h1>
            <p>{message}</p>
            <ul>
                <li><A href="/">"ホームへ戻る"</A></li>
                <li><A href="/cases">"事例ライブラリを見る"</A></li>
            </ul>
        </div>
    }
}
