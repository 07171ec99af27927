//! `/admin/audit`: the prefecture's audit log, filtered in the URL. Read-only.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::audit::{AuditPage as PageData, AuditQuery};
use crate::calls::audit::list_audit;
use crate::components::load_error::LoadError;
use crate::components::pagination::Pagination;
use crate::components::table_box::TableBox;
use crate::domain::audit::AuditAction;

/// The audit log page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        AuditQuery {
            action: q.get("action"),
            actor: q.get("actor"),
            from: q.get("from"),
            to: q.get("to"),
            page: q.get("page").and_then(|p| p.parse().ok()),
        }
    });
    let entries = Resource::new(move || filters.get(), list_audit);
    view! {
        <Title text="監査ログ"/>
        <div class="page">
            <h1>"監査ログ"</h1>
            <p>"ログイン、ログイン失敗、アカウントの作成・変更などの記録です(日本時間)。記録は追記のみで、誰も編集・削除できません。"</p>
            {move || {
                let f = filters.get();
                let action = f.action.clone().unwrap_or_default();
                view! {
                    <form method="get" action="/admin/audit" class="filters">
                        <div class="field">
                            <label for="audit-action">"操作"</label>
                            <select id="audit-action" name="action">
                                <option value="" selected=action.is_empty()>"すべて"</option>
                                {AuditAction::ALL.into_iter().map(|a| view! {
                                    <option value=a.as_str() selected=action == a.as_str()>{a.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="audit-actor">"メールアドレス(部分一致)"</label>
                            <input id="audit-actor" name="actor" value=f.actor.clone().unwrap_or_default()/>
                        </div>
                        <div class="field">
                            <label for="audit-from">"開始日"</label>
                            <input id="audit-from" name="from" type="date" value=f.from.clone().unwrap_or_default()/>
                        </div>
                        <div class="field">
                            <label for="audit-to">"終了日"</label>
                            <input id="audit-to" name="to" type="date" value=f.to.clone().unwrap_or_default()/>
                        </div>
                        <div class="actions"><button type="submit">"絞り込む"</button></div>
                    </form>
                }
            }}
            <Transition fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let filters = filters.get_untracked();
                    match entries.await {
                        Ok(data) => view! { <AuditTable data filters/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn AuditTable(data: PageData, filters: AuditQuery) -> impl IntoView {
    let notices = (!data.notices.is_empty()).then(|| {
        view! {
            <div class="notice" role="status">
                <ul>{data.notices.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
            </div>
        }
    });
    let rows = data
        .items
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <td>{e.occurred_at}</td>
                    <th scope="row">{e.action_label}</th>
                    <td>{e.actor_email.unwrap_or_else(|| "—".into())}</td>
                    <td>{match (e.target_label, e.target_href) {
                        (Some(label), Some(href)) => view! { <a href=href class="nowrap">{label}</a> }.into_any(),
                        (Some(label), None) => label.into_any(),
                        (None, _) => "—".into_any(),
                    }}</td>
                    <td>{e.client_addr}</td>
                    <td class="detail">{if e.detail_text.is_empty() { "—".to_owned() } else { e.detail_text }}</td>
                </tr>
            }
        })
        .collect_view();
    let query_of = move |page: Option<u32>| {
        let mut params: Vec<String> = page.map(|p| format!("page={p}")).into_iter().collect();
        for (name, value) in [
            ("action", &filters.action),
            ("actor", &filters.actor),
            ("from", &filters.from),
            ("to", &filters.to),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                params.push(format!(
                    "{name}={}",
                    crate::domain::case_query::percent_encode(value)
                ));
            }
        }
        params.join("&")
    };
    let csv_href = format!("/api/audit.csv?{}", query_of(None));
    let href_for = move |page: u32| format!("/admin/audit?{}", query_of(Some(page)));
    view! {
        {notices}
        <p class="result-count" role="status">{format!("{} 件", data.total)}</p>
        <p><a href=csv_href download="">"この条件の監査ログをCSVでダウンロード"</a></p>
        <TableBox label="監査ログ">
            <table class="data-table">
                <thead>
                    <tr>
                        <th scope="col">"日時"</th>
                        <th scope="col">"操作"</th>
                        <th scope="col">"実行者"</th>
                        <th scope="col">"対象"</th>
                        <th scope="col">"接続元"</th>
                        <th scope="col">"詳細"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </TableBox>
        <Pagination page=data.page total_pages=data.total_pages href_for/>
    }
}
