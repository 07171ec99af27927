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
    let actor = move || session.get().and_then(Result::ok).and_then(|s| s.actor);
    view! {
        <a class="skip-link" href="#main">"本文へスキップ"</a>
        <header class="site-header">
            <div class="site-header__inner">
                <A href="/" attr:class="site-title">
                    <span class="site-title__name">"Renkei"</span>
                    <span class="site-title__sub">"県・市町村連携ポータル"</span>
                </A>
                <nav aria-label="メインメニュー">
                    <ul class="site-nav">
                        <li><A href="/" exact=true>"ホーム"</A></li>
                        <li><A href="/cases">"事例ライブラリ"</A></li>
                        <Transition fallback=|| ()>
                            {move || actor().filter(|a| a.role == Role::PrefAdmin).map(|_| view! {
                                <li><A href="/admin/accounts">"アカウント管理"</A></li>
                                <li><A href="/admin/audit">"監査ログ"</A></li>
                            })}
                        </Transition>
                    </ul>
                </nav>
                <Transition fallback=|| ()>
                    {move || match actor() {
                        Some(actor) => view! { <SignedIn actor/> }.into_any(),
                        None => view! {
                            <p class="session"><a class="session__login" href="/login">"ログイン"</a></p>
                        }
                        .into_any(),
                    }}
                </Transition>
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
fn SignedIn(actor: Actor) -> impl IntoView {
    let scope = actor.scope_label();
    view! {
        <div class="session">
            <p class="session__who">
                <span class="session__name">{actor.display_name}" さん"</span>
                <span class="session__scope">{scope}</span>
            </p>
            <a href="/account/password">"パスワード変更"</a>
            <form method="post" action="/logout" class="session__logout">
                <CsrfField/>
                <button type="submit">"ログアウト"</button>
            </form>
        </div>
    }
}
