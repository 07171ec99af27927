//! The portal's front page.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// What the portal is for, and where to start.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=""/>
        <div class="page page--home">
            <h1>"県・市町村連携ポータル"</h1>
            <p class="lead">
                "Renkei は、都道府県の DX 推進部門が市町村を支援するためのポータルです。"
                "デジタル人材バンク、アドバイザー派遣、共同研修と費用の按分、カウンターパート、事例の共有を一つにまとめます。"
            </p>
            <section class="cards" aria-labelledby="start-heading">
                <h2 id="start-heading">"はじめる"</h2>
                <ul class="card-list">
                    <li class="card">
                        <h3><A href="/cases">"事例ライブラリ"</A></h3>
                        <p>"総務省の参考事例集などから、人材育成・確保とデジタル人材の取組を、区分・団体区分・都道府県・職員規模で探せます。"</p>
                    </li>
                </ul>
            </section>
        </div>
    }
}
