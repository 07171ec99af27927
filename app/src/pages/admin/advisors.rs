//! `/admin/advisors`: the bank's profiles for its 県管理者 (drafts and retired ones
//! too), with registration, CSV export and CSV import.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::advisors::AdvisorAdminList;
use crate::calls::advisors::admin_advisors;
use crate::components::load_error::LoadError;
use crate::components::pagination::Pagination;
use crate::components::session::{CsrfField, use_form_state};
use crate::components::table_box::TableBox;
use crate::domain::advisor::edit::AdvisorStatus;

/// The list, filtered by status in the URL.
#[component]
pub fn AdminAdvisorsPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| {
        let q = query.read();
        (q.get("status"), q.get("page"))
    });
    let list = Resource::new(
        move || filters.get(),
        |(status, page)| admin_advisors(status, page),
    );
    let form = use_form_state();
    view! {
        <Title text="人材バンクの管理"/>
        <div class="page">
            <h1>"人材バンクの管理"</h1>
            <Transition fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = list.await;
                    let (_, token) = form.load().await;
                    match result {
                        Ok(list) => view! { <Listing list token/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Listing(list: AdvisorAdminList, token: String) -> impl IntoView {
    let AdvisorAdminList {
        items,
        counts,
        page,
        total_pages,
        status,
    } = list;
    let filter_links = std::iter::once((None, "すべて".to_owned(), counts.iter().sum::<u64>()))
        .chain(
            AdvisorStatus::ALL
                .into_iter()
                .zip(counts)
                .map(|(s, n)| (Some(s), s.label().to_owned(), n)),
        )
        .map(|(s, label, n)| {
            let href = s.map_or_else(
                || "/admin/advisors".to_owned(),
                |s| format!("/admin/advisors?status={}", s.as_str()),
            );
            let current = (s == status).then_some("page");
            view! { <li><a href=href aria-current=current>{format!("{label} ({n})")}</a></li> }
        })
        .collect_view();
    let rows = items
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <th scope="row"><a href=format!("/advisors/{}", a.id)>{a.name}</a></th>
                    <td>{a.kana}</td>
                    <td>{a.affiliation}</td>
                    <td>{a.status.label()}</td>
                    <td>{a.updated_at}</td>
                    <td><a href=format!("/advisors/{}/edit", a.id)>"編集"</a></td>
                </tr>
            }
        })
        .collect_view();
    let status_param = status.map(|s| s.as_str().to_owned());
    let href_for = move |target: u32| match &status_param {
        Some(s) => format!("/admin/advisors?status={s}&page={target}"),
        None => format!("/admin/advisors?page={target}"),
    };
    view! {
        <ul class="link-list link-list--inline">
            <li><a class="button-link" href="/advisors/new">"アドバイザーを登録"</a></li>
            <li><a href="/api/advisors/export.csv" download>"CSV をダウンロード(Excel 可)"</a></li>
            <li><a href="/admin/taxonomy">"分類(人材像・専門分野など)の管理"</a></li>
        </ul>
        <form method="post" action="/admin/advisors/import" enctype="multipart/form-data" class="form-card">
            <CsrfField token/>
            <div class="field">
                <label for="import-file">"CSV を取り込む(ダウンロードした CSV と同じ列。ID が空の行は新規登録、ID のある行はその人を更新)"</label>
                <input id="import-file" name="file" type="file" accept=".csv,text/csv" required/>
            </div>
            <p class="field-hint">"1行でも誤りがあれば何も取り込まず、その行番号と理由を表示します。"</p>
            <div class="actions"><button type="submit">"取り込む"</button></div>
        </form>
        <nav aria-label="状態で絞り込む"><ul class="link-list link-list--inline">{filter_links}</ul></nav>
        <TableBox label="登録されているアドバイザー">
            <table class="data-table">
                <caption>"登録されているアドバイザー"</caption>
                <thead>
                    <tr>
                        <th scope="col">"氏名"</th>
                        <th scope="col">"ふりがな"</th>
                        <th scope="col">"所属"</th>
                        <th scope="col">"状態"</th>
                        <th scope="col">"最終更新"</th>
                        <th scope="col">"操作"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </TableBox>
        <Pagination page total_pages href_for/>
    }
}
