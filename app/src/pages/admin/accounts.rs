//! `/admin/accounts`: the accounts of the prefecture and its municipalities.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::AccountQuery;
use crate::api::municipalities::MunicipalityItem;
use crate::calls::accounts::{list_accounts, municipality_choices};
use crate::components::accounts::{AccountTable, municipality_options};
use crate::components::load_error::LoadError;
use crate::components::session::use_session;
use crate::domain::account::Role;
use crate::domain::policy::{self, Action, can};

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
    let municipalities = Resource::new(|| (), |()| municipality_choices());
    let session = use_session();
    // The create button and the filters appear only with the list: a person
    // refused the list (403) is not offered controls that would be refused too.
    view! {
        <Title text="アカウント管理"/>
        <div class="page">
            <h1>"アカウント管理"</h1>
            <Transition fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match accounts.await {
                        Ok(accounts) => {
                            let actor = session.await.ok().and_then(|s| s.actor);
                            let may_create = actor.as_ref().is_some_and(|a| {
                                let new_account = policy::Resource::Account {
                                    id: None,
                                    prefecture: a.prefecture.clone(),
                                    municipality: None,
                                };
                                can(a, Action::CreateAccount, &new_account)
                            });
                            // A town's staff list their own town's accounts only.
                            let choices = if actor.is_some_and(|a| a.municipality.is_none()) {
                                municipalities.await.unwrap_or_default()
                            } else {
                                Vec::new()
                            };
                            view! {
                                {may_create.then(|| view! {
                                    <p><a class="button-link" href="/admin/accounts/new">"アカウントを作成"</a></p>
                                })}
                                <AccountFilters filters=filters.get_untracked() municipalities=choices/>
                                <p class="result-count" role="status">{format!("{} 件", accounts.len())}</p>
                                <AccountTable accounts link=true/>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// The filter form (a plain GET form): municipality by name, role, status.
#[component]
fn AccountFilters(filters: AccountQuery, municipalities: Vec<MunicipalityItem>) -> impl IntoView {
    let role = filters.role.unwrap_or_default();
    let status = filters.status.unwrap_or_default();
    let chosen = filters.municipality.unwrap_or_default();
    let by_town = (!municipalities.is_empty()).then(|| {
        view! {
            <div class="field">
                <label for="filter-municipality">"市町村"</label>
                <select id="filter-municipality" name="municipality">
                    <option value="" selected=chosen.is_empty()>"すべて"</option>
                    {municipality_options(municipalities, &chosen)}
                </select>
            </div>
        }
    });
    view! {
        <form method="get" action="/admin/accounts" class="filters">
            {by_town}
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
}
