//! Page frame: skip link, header with navigation and the signed-in person, the flash
//! message, main region, footer.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::session::{CsrfField, FlashBanner, use_session};
use crate::domain::account::{Actor, Role};

/// Wraps every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = use_session();
    // Awaited, not read with `get()`: while hydrating, `get()` is still empty and
    // the browser would render the signed-out header over the signed-in one.
    let actor = move || async move { session.await.ok().and_then(|s| s.actor) };
    let signed_in = move || async move {
        session
            .await
            .ok()
            .and_then(|s| s.actor.map(|actor| (actor, s.csrf_token)))
    };
    view! {
        // `rel="external"`: the router leaves the click to the browser, which moves
        // focus to `main` (tabindex -1), so the next Tab goes into the content.
        <a class="skip-link" href="#main" rel="external">"本文へスキップ"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="site-title">
                    <span class="site-title__name">"Renkei"</span>
                    <span class="site-title__sub">"県・市町村連携ポータル"</span>
                </A>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match signed_in().await {
                            Some((actor, token)) => view! { <SignedIn actor token/> }.into_any(),
                            None => view! {
                                <p class="session"><a class="session__login" href="/login">"ログイン"</a></p>
                            }
                            .into_any(),
                        }
                    })}
                </Suspense>
                // A phone shows the menu behind this button (it works without
                // JavaScript); a wide screen shows it open and hides the button.
                <details class="menu">
                    <summary class="menu__toggle">"メニュー"</summary>
                    <nav aria-label="メインメニュー">
                        <ul class="site-nav">
                            <li><A href="/" exact=true>"ホーム"</A></li>
                            <li><A href="/advisors">"人材バンク"</A></li>
                            <li><A href="/cases">"事例ライブラリ"</A></li>
                            <li><A href="/trainings">"共同研修"</A></li>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    let actor = actor().await;
                                    let signed_in = actor.is_some().then(|| view! {
                                        <li><A href="/dispatches">"派遣"</A></li>
                                        <li><A href="/channels">"チャンネル"</A></li>
                                    });
                                    let local = actor.as_ref().filter(|a| a.role != Role::Advisor).map(|_| view! {
                                        <li><A href="/notices">"お知らせ"</A></li>
                                        <li><A href="/surveys">"照会"</A></li>
                                    });
                                    let prefecture = actor.as_ref().filter(|a| a.role.is_prefecture()).map(|_| view! {
                                        <li><A href="/counterparts">"伴走支援"</A></li>
                                    });
                                    let admin = actor.filter(|a| a.role == Role::PrefAdmin).map(|_| view! {
                                        <li><A href="/admin/advisors">"人材バンク管理"</A></li>
                                        <li><A href="/admin/accounts">"アカウント管理"</A></li>
                                        <li><A href="/admin/audit">"監査ログ"</A></li>
                                        <li><A href="/admin/webhooks">"Webhook"</A></li>
                                    });
                                    view! { {signed_in}{local}{prefecture}{admin} }
                                })}
                            </Suspense>
                        </ul>
                    </nav>
                </details>
            </div>
        </header>
        <main id="main" tabindex="-1">
            <FlashBanner/>
            {children()}
        </main>
        <footer class="site-footer">
            <p>"Renkei — 都道府県と市町村のデジタル人材支援のためのポータル"</p>
            <p>"事例の出典: 総務省「地方公共団体における人材育成・確保推進のための参考事例集」(令和7年3月)、「デジタル人材の育成ガイドブック」ほか"</p>
        </footer>
    }
}

/// Who is signed in and as what, with the password and sign-out controls.
#[component]
fn SignedIn(actor: Actor, token: String) -> impl IntoView {
    let scope = actor.scope_label();
    view! {
        <div class="session">
            <p class="session__who">
                <span class="session__name">{actor.display_name}" さん"</span>
                <span class="session__scope">{scope}</span>
            </p>
            <a href="/account/password">"パスワード変更"</a>
            <form method="post" action="/logout" class="session__logout">
                <CsrfField token/>
                <button type="submit">"ログアウト"</button>
            </form>
        </div>
    }
}
