//! `/admin/accounts/{id}`: one account, with deactivate / reactivate and
//! "end every session".

use crate::domain::ids::AccountId;
use crate::pages::use_id_param;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::accounts::AccountView;
use crate::calls::accounts::get_account;
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};

/// The account page.
#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let id = use_id_param::<AccountId>();
    let account = Resource::new(id, get_account);
    let form = use_form_state();
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                let (_, token) = form.load().await;
                match account.await {
                    Ok(account) => view! { <AccountView account token/> }.into_any(),
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
fn AccountView(account: AccountView, token: String) -> impl IntoView {
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
                <form method="post" action=toggle_action class="inline-form">
                    <CsrfField token=token.clone()/>
                    <input type="hidden" name="active" value=next_state/>
                    <input type="hidden" name="version" value=account.version.to_string()/>
                    <button type="submit">{label}</button>
                </form>
                <form method="post" action=revoke_action class="inline-form">
                    <CsrfField token/>
                    <button type="submit" class="button-secondary">"すべての端末からログアウトさせる"</button>
                </form>
                <p class="hint">"停止したアカウントはログインできず、ログイン中の端末もすぐにログアウトされます。"</p>
            </section>
        </div>
    }
}
