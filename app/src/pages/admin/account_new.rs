//! `/admin/accounts/new`: create an account (posts to `/admin/accounts`).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::calls::accounts::municipality_choices;
use crate::components::accounts::municipality_options;
use crate::components::session::{CsrfField, invalid_attrs, use_form_state};
use crate::domain::account::{PASSWORD_MIN_CHARS, Role};

/// The creation form; after an error it shows the message and keeps what was typed
/// (except the password).
#[component]
pub fn NewAccountPage() -> impl IntoView {
    let municipalities = Resource::new(|| (), |()| municipality_choices());
    let form = use_form_state();
    view! {
        <Title text="アカウントを作成"/>
        <div class="page page--narrow">
            <h1>"アカウントを作成"</h1>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let municipalities = municipalities.await.unwrap_or_default();
                    let (flash, token) = form.load().await;
                    let role = flash.value("role");
                    let chosen = flash.value("municipality");
                    let (email_invalid, email_described) = invalid_attrs(&flash, "email");
                    let (name_invalid, name_described) = invalid_attrs(&flash, "display_name");
                    let (role_invalid, role_described) = invalid_attrs(&flash, "role");
                    let (muni_invalid, muni_described) = invalid_attrs(&flash, "municipality");
                    let (password_invalid, password_described) = invalid_attrs(&flash, "password");
                    view! {
                        <form method="post" action="/admin/accounts" class="form-card">
                            <CsrfField token/>
                            <div class="field">
                                <label for="account-email">"メールアドレス"</label>
                                <input id="account-email" name="email" type="email" required
                                    value=flash.value("email")
                                    aria-invalid=email_invalid aria-describedby=email_described/>
                            </div>
                            <div class="field">
                                <label for="account-name">"氏名"</label>
                                <input id="account-name" name="display_name" required maxlength="50"
                                    value=flash.value("display_name")
                                    aria-invalid=name_invalid aria-describedby=name_described/>
                            </div>
                            <div class="field">
                                <label for="account-role">"役割"</label>
                                <select id="account-role" name="role" required
                                    aria-invalid=role_invalid aria-describedby=role_described>
                                    // Nothing chosen until someone chooses: a 県管理者 made
                                    // by a slip of the Enter key holds every account.
                                    <option value="" disabled selected=role.is_empty()>"選んでください"</option>
                                    {Role::ALL.into_iter().map(|r| view! {
                                        <option value=r.as_str() selected=role == r.as_str()>{r.label()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <div class="field">
                                <label for="account-municipality">"所属する市町村(市町村職員のみ)"</label>
                                <select id="account-municipality" name="municipality"
                                    aria-invalid=muni_invalid aria-describedby=muni_described>
                                    <option value="" selected=chosen.is_empty()>"なし(県の職員・アドバイザー)"</option>
                                    {municipality_options(municipalities, &chosen)}
                                </select>
                            </div>
                            <div class="field">
                                <label for="account-password">{format!("初期パスワード({PASSWORD_MIN_CHARS}文字以上)")}</label>
                                <input id="account-password" name="password" type="password" required
                                    minlength=PASSWORD_MIN_CHARS.to_string() autocomplete="new-password"
                                    aria-invalid=password_invalid aria-describedby=password_described/>
                            </div>
                            <div class="actions">
                                <button type="submit">"作成する"</button>
                                <a href="/admin/accounts">"一覧へ戻る"</a>
                            </div>
                        </form>
                    }
                })}
            </Suspense>
        </div>
    }
}
