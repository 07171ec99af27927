//! `/account/password`: change one's own password.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::session::{CsrfField, invalid_attrs, use_form_state, use_session};
use crate::domain::account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};

/// The password change page (private: anonymous visitors are sent to sign in).
#[component]
pub fn PasswordPage() -> impl IntoView {
    let form = use_form_state();
    let session = use_session();
    view! {
        <Title text="パスワード変更"/>
        <div class="page page--narrow">
            <h1>"パスワード変更"</h1>
            <p>{format!("新しいパスワードは{PASSWORD_MIN_CHARS}文字以上{PASSWORD_MAX_CHARS}文字以下です。変更すると、ほかの端末でのログインは終了します。")}</p>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let (flash, token) = form.load().await;
                    let temporary = session
                        .await
                        .ok()
                        .and_then(|s| s.actor)
                        .is_some_and(|actor| actor.must_change_password);
                    let temporary_notice = temporary.then(|| view! {
                        <p class="notice" role="alert">
                            "管理者が設定した仮パスワードでログインしています。新しいパスワードを設定すると、ほかの画面を使えるようになります。「現在のパスワード」には仮パスワードを入力してください。"
                        </p>
                    });
                    let (current_invalid, current_described) = invalid_attrs(&flash, "current_password");
                    let (new_invalid, new_described) = invalid_attrs(&flash, "password");
                    let (confirm_invalid, confirm_described) = invalid_attrs(&flash, "new_password_confirm");
                    view! {
                        {temporary_notice}
                        <form method="post" action="/account/password" class="form-card">
                            <CsrfField token/>
                            <div class="field">
                                <label for="current-password">"現在のパスワード"</label>
                                <input id="current-password" name="current_password" type="password" required
                                    autocomplete="current-password"
                                    aria-invalid=current_invalid aria-describedby=current_described/>
                            </div>
                            <div class="field">
                                <label for="new-password">"新しいパスワード"</label>
                                <input id="new-password" name="new_password" type="password" required
                                    minlength=PASSWORD_MIN_CHARS.to_string() autocomplete="new-password"
                                    aria-invalid=new_invalid aria-describedby=new_described/>
                            </div>
                            <div class="field">
                                <label for="new-password-confirm">"新しいパスワード(確認)"</label>
                                <input id="new-password-confirm" name="new_password_confirm" type="password" required
                                    autocomplete="new-password"
                                    aria-invalid=confirm_invalid aria-describedby=confirm_described/>
                            </div>
                            <div class="actions">
                                <button type="submit">"変更する"</button>
                            </div>
                        </form>
                    }
                })}
            </Suspense>
        </div>
    }
}
