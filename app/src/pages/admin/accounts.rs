//! `/admin/accounts`: the accounts of the prefecture and its municipalities.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::AccountQuery;
use crate::calls::accounts::list_accounts;
use crate::components::accounts::AccountTable;
use crate::components::load_error::LoadError;
use crate::domain::account::Role;

/// The account list with filters in the URL (a plain GET form).
#[component]
pub fn AccountsPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        AccountQuery {
            municipality: q.get("municipality"),
            role: q.get("role"),
            status: q.get("status"),
        }
    });
    let accounts = Resource::new(move || filters.get(), list_accounts);
    view! {
        <Title text="アカウント管理"/>
        <div class="page">
            <h1>"アカウント管理"</h1>
            <p><a class="button-link" href="/admin/accounts/new">"アカウントを作成"</a></p>
            {move || {
                let f = filters.get();
                let role = f.role.clone().unwrap_or_default();
                let status = f.status.clone().unwrap_or_default();
                view! {
                    <form method="get" action="/admin/accounts" class="filters">
                        <div class="field">
                            <label for="filter-municipality">"市町村の団体コード"</label>
                            <input id="filter-municipality" name="municipality" inputmode="numeric"
                                value=f.municipality.clone().unwrap_or_default()/>
                        </div>
                        <div class="field">
                            <label for="filter-role">"役割"</label>
                            <select id="filter-role" name="role">
                                <option value="" selected=role.is_empty()>"すべて"</option>
                                {Role::ALL.into_iter().map(|r| view! {
                                    <option value=r.as_str() selected=role == r.as_str()>{r.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="filter-status">"状態"</label>
                            <select id="filter-status" name="status">
                                <option value="" selected=status.is_empty()>"すべて"</option>
                                <option value="active" selected=status == "active">"利用中"</option>
                                <option value="inactive" selected=status == "inactive">"停止中"</option>
                            </select>
                        </div>
                        <div class="actions"><button type="submit">"絞り込む"</button></div>
                    </form>
                }
            }}
            <Transition fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match accounts.await {
                        Ok(accounts) => view! {
                            <p class="result-count" role="status">{format!("{} 件", accounts.len())}</p>
                            <AccountTable accounts link=true/>
                        }
                        .into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}
