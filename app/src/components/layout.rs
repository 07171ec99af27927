//! Page frame: skip link, header with navigation, main region, footer.

use leptos::prelude::*;
use leptos_router::components::A;

/// Wraps every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
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
                    </ul>
                </nav>
            </div>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>"Renkei — 都道府県と市町村のデジタル人材支援のためのポータル"</p>
            <p>"事例の出典: 総務省「地方公共団体における人材育成・確保推進のための参考事例集」(令和7年3月)、「デジタル人材の育成ガイドブック」ほか"</p>
        </footer>
    }
}
