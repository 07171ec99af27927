//! `/login`: the sign-in form. Posts to `/login` (a plain form: it works without
//! JavaScript), which redirects to the page the user wanted.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::session::{CsrfField, invalid_attrs, use_form_state, use_session};

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let expired = move || query.read().get("expired").is_some();
    let session = use_session();
    let form = use_form_state();
    view! {
        <Title text="ログイン"/>
        <div class="page page--narrow">
            <h1>"ログイン"</h1>
            <Show when=expired>
                <div class="notice" role="status">
                    <p>"ログインの有効期限が切れたか、ログインが必要なページです。もう一度ログインしてください。"</p>
                </div>
            </Show>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let signed_in = session.await.ok().and_then(|s| s.actor);
                    let (flash, token) = form.load().await;
                    let (email_invalid, email_described) = invalid_attrs(&flash, "email");
                    let signed_in = signed_in.map(|actor| view! {
                        <p class="notice" role="status">
                            {format!("{} さんとしてログインしています。", actor.display_name)}
                            <a href="/">"ホームへ"</a>
                        </p>
                    });
                    view! {
                        {signed_in}
                        <form method="post" action="/login" class="form-card">
                            <CsrfField token/>
                            <input type="hidden" name="next" value=next()/>
                            <div class="field">
                                <label for="login-email">"メールアドレス"</label>
                                <input id="login-email" name="email" type="email" required
                                    autocomplete="username" value=flash.value("email")
                                    aria-invalid=email_invalid aria-describedby=email_described/>
                            </div>
                            <div class="field">
                                <label for="login-password">"パスワード"</label>
                                <input id="login-password" name="password" type="password" required
                                    autocomplete="current-password"/>
                            </div>
                            <div class="actions">
                                <button type="submit">"ログイン"</button>
                            </div>
                        </form>
                        <p class="hint">"パスワードを忘れた場合は、県の管理者に連絡してください。"</p>
                    }
                })}
            </Suspense>
        </div>
    }
}
