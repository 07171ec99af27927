//! The account table used by the municipality page and the administration pages.

use crate::components::table_box::TableBox;
use leptos::prelude::*;

use crate::api::accounts::AccountView;
use crate::api::municipalities::MunicipalityItem;

/// The options of a municipality drop-down, by name, `chosen` (a 団体コード) selected.
pub fn municipality_options(
    municipalities: Vec<MunicipalityItem>,
    chosen: &str,
) -> impl IntoView + use<> {
    municipalities
        .into_iter()
        .map(|m| {
            let code = m.code.to_string();
            let selected = code == chosen;
            view! { <option value=code selected=selected>{m.name}</option> }
        })
        .collect_view()
}

/// Accounts as a table; with `link`, names link to their administration page.
#[component]
pub fn AccountTable(accounts: Vec<AccountView>, link: bool) -> impl IntoView {
    if accounts.is_empty() {
        return view! { <p>"アカウントはありません。"</p> }.into_any();
    }
    let rows = accounts
        .into_iter()
        .map(|a| {
            let name = if link {
                view! { <a href=format!("/admin/accounts/{}", a.id)>{a.display_name.clone()}</a> }
                    .into_any()
            } else {
                view! { <span>{a.display_name.clone()}</span> }.into_any()
            };
            let place = a
                .municipality_name
                .clone()
                .unwrap_or_else(|| a.prefecture_name.clone());
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td>{a.email}</td>
                    <td>{a.role_label}</td>
                    <td>{place}</td>
                    <td>{if a.active { "利用中" } else { "停止中" }}</td>
                    <td>{a.last_login_at.unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableBox label="アカウントの一覧">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">"氏名"</th>
                        <th scope="col">"メールアドレス"</th>
                        <th scope="col">"役割"</th>
                        <th scope="col">"所属"</th>
                        <th scope="col">"状態"</th>
                        <th scope="col">"最終ログイン"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </TableBox>
    }
    .into_any()
}
