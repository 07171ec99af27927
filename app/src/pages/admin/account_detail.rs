//! `/admin/accounts/{id}`: one account, with deactivate / reactivate and
//! "end every session".

use crate::domain::ids::AccountId;
use crate::pages::use_id_param;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::accounts::AccountView;
use crate::api::flash::Flash;
use crate::calls::accounts::get_account;
use crate::components::confirm::ConfirmCheck;
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, invalid_attrs, use_form_state};
use crate::domain::account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};

/// The account page.
#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let id = use_id_param::<AccountId>();
    let account = Resource::new(id, get_account);
    let form = use_form_state();
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                let (flash, token) = form.load().await;
                match account.await {
                    Ok(account) => view! { <AccountView account token flash/> }.into_any(),
                    Err(error) => view! {
                        <Title text="アカウント"/>
                        <h1>"アカウント"</h1>
                        <LoadError error/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountView(account: AccountView, token: String, flash: Flash) -> impl IntoView {
    let place = account
        .municipality_name
        .clone()
        .unwrap_or_else(|| account.prefecture_name.clone());
    let toggle_action = format!("/admin/accounts/{}/active", account.id);
    let revoke_action = format!("/admin/accounts/{}/revoke", account.id);
    let (next_state, label) = if account.active {
        ("false", "このアカウントを停止する")
    } else {
        ("true", "利用を再開する")
    };
    view! {
        <Title text=account.display_name.clone()/>
        <div class="page">
            <p><a href="/admin/accounts">"アカウント管理へ戻る"</a></p>
            <h1>{account.display_name.clone()}</h1>
            <dl class="facts">
                <div><dt>"メールアドレス"</dt><dd>{account.email.clone()}</dd></div>
                <div><dt>"役割"</dt><dd>{account.role_label.clone()}</dd></div>
                <div><dt>"所属"</dt><dd>{place}</dd></div>
                <div><dt>"状態"</dt><dd>{if account.active { "利用中" } else { "停止中" }}</dd></div>
                <div><dt>"作成"</dt><dd>{account.created_at.clone()}</dd></div>
                <div><dt>"最終ログイン"</dt><dd>{account.last_login_at.clone().unwrap_or_else(|| "—".into())}</dd></div>
            </dl>
            <section aria-labelledby="manage-heading">
                <h2 id="manage-heading">"操作"</h2>
                <form method="post" action=revoke_action class="inline-form">
                    <CsrfField token=token.clone()/>
                    <button type="submit" class="button-secondary">"すべての端末からログアウトさせる"</button>
                </form>
                <TemporaryPassword id=account.id token=token.clone() flash/>
                {if account.active {
                    view! {
                        <form method="post" action=toggle_action class="danger-zone">
                            <h3>"アカウントの停止"</h3>
                            <p class="hint">"停止したアカウントはログインできず、ログイン中の端末もすぐにログアウトされます。あとで利用を再開できます。"</p>
                            <CsrfField token/>
                            <input type="hidden" name="active" value=next_state/>
                            <input type="hidden" name="version" value=account.version.to_string()/>
                            <ConfirmCheck id="confirm-deactivate" label=format!("{} さんのアカウントを停止します", account.display_name)/>
                            <button type="submit" class="button-danger">{label}</button>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <form method="post" action=toggle_action class="inline-form">
                            <CsrfField token/>
                            <input type="hidden" name="active" value=next_state/>
                            <input type="hidden" name="version" value=account.version.to_string()/>
                            <button type="submit">{label}</button>
                        </form>
                    }.into_any()
                }}
            </section>
        </div>
    }
}

/// Sets a temporary password for someone who forgot theirs (they choose their own
/// at the next sign-in).
#[component]
fn TemporaryPassword(id: AccountId, token: String, flash: Flash) -> impl IntoView {
    let (invalid, described) = invalid_attrs(&flash, "temporary_password");
    view! {
        <form method="post" action=format!("/admin/accounts/{id}/password") class="form-card">
            <h3>"パスワードを忘れた人に"</h3>
            <p class="hint">"仮パスワードを設定すると、この人のログインはすべて終了します。仮パスワードは本人に直接伝えてください。次にログインしたとき、新しいパスワードを設定するまでほかの画面は使えません。"</p>
            <CsrfField token/>
            <div class="field">
                <label for="temporary-password">{format!("仮パスワード({PASSWORD_MIN_CHARS}文字以上)")}</label>
                <input id="temporary-password" name="temporary_password" type="text" required
                    minlength=PASSWORD_MIN_CHARS.to_string() maxlength=PASSWORD_MAX_CHARS.to_string()
                    autocomplete="off" spellcheck="false"
                    aria-invalid=invalid aria-describedby=described/>
            </div>
            <div class="actions">
                <button type="submit" class="button-secondary">"仮パスワードを設定する"</button>
            </div>
        </form>
    }
}
