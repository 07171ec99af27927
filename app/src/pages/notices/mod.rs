//! `/notices`: the 県's お知らせ with how many towns have read each, and the form
//! to send one; a town's received notices. `/notices/{id}`: one notice, who has
//! read it (a chart and a table) and the reminder, or the town's confirmation.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::flash::Flash;
use crate::api::notices::{NoticeList, NoticeView};
use crate::calls::notices::{load_notice, load_notices};
use crate::components::bar_chart::{Bar, BarChart};
use crate::components::form_fields::{FormValues, text_area, text_field};
use crate::components::load_error::LoadError;
use crate::components::recipients::recipient_fields;
use crate::components::session::{CsrfField, use_form_state};
use crate::components::table_box::TableBox;

/// The list.
#[component]
pub fn NoticeListPage() -> impl IntoView {
    let list = Resource::new(|| (), |()| load_notices());
    let form = use_form_state();
    view! {
        <Title text="お知らせ"/>
        <div class="page">
            <h1>"お知らせ"</h1>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = list.await;
                    let (flash, token) = form.load().await;
                    match result {
                        Ok(list) => view! { <Notices list flash token/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn Notices(list: NoticeList, flash: Flash, token: String) -> impl IntoView {
    let sender = list.can_send;
    let rows = list
        .items
        .into_iter()
        .map(|n| {
            let status = if sender {
                format!("{} / {} 市町村が確認", n.read, n.total)
            } else if n.read > 0 {
                "確認済み".to_owned()
            } else {
                "未確認".to_owned()
            };
            view! {
                <tr>
                    <th scope="row"><A href=format!("/notices/{}", n.id)>{n.title}</A></th>
                    <td>{n.sender}</td>
                    <td>{n.sent}</td>
                    <td>{status}</td>
                </tr>
            }
        })
        .collect_view();
    let send = sender.then(|| send_form(&flash, token, &list.towns));
    view! {
        <TableBox label="お知らせの一覧">
            <table class="data-table">
                <thead><tr>
                    <th scope="col">"件名"</th>
                    <th scope="col">"送信者"</th>
                    <th scope="col">"送信日時"</th>
                    <th scope="col">"確認"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </TableBox>
        {send}
    }
}

/// The 県's form: title, text, and all towns or a selection.
fn send_form(flash: &Flash, token: String, towns: &[(String, String)]) -> impl IntoView + use<> {
    let form = FormValues::new(BTreeMap::new(), BTreeMap::new(), flash);
    view! {
        <section class="form-section" aria-labelledby="send-heading">
            <h2 id="send-heading">"お知らせを送る"</h2>
            <form method="post" action="/notices" class="stacked-form">
                <CsrfField token/>
                {text_field(&form, "title", "件名", "text", true, crate::domain::notice::TITLE_MAX)}
                {text_area(&form, "body", "本文", "市町村の職員のホームに、誰かが確認するまで表示されます", crate::domain::notice::BODY_MAX)}
                {recipient_fields(&form, "送り先", towns)}
                <div class="actions"><button type="submit">"送る"</button></div>
            </form>
        </section>
    }
}

/// One notice.
#[component]
pub fn NoticePage() -> impl IntoView {
    let params = use_params_map();
    let notice = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i32>().ok())
                .unwrap_or(0)
        },
        load_notice,
    );
    let form = use_form_state();
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                let result = notice.await;
                let (_, token) = form.load().await;
                match result {
                    Ok(notice) => view! { <Notice notice token/> }.into_any(),
                    Err(error) => view! {
                        <Title text="お知らせ"/>
                        <div class="page"><h1>"お知らせ"</h1><LoadError error/></div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Notice(notice: NoticeView, token: String) -> impl IntoView {
    let id = notice.summary.id;
    let title = notice.summary.title.clone();
    let (read, total) = (notice.summary.read, notice.summary.total);
    let status = notice.can_remind.then(|| {
        let bars = vec![Bar {
            label: "確認済み".into(),
            value: f64::from(read),
            limit: Some(f64::from(total)),
            text: format!("{read} / {total}"),
            series: 0,
        }];
        let rows = notice
            .towns
            .iter()
            .map(|t| {
                view! {
                    <tr>
                        <th scope="row">{t.name.clone()}</th>
                        <td>{t.read_by.clone().unwrap_or_else(|| {
                            if t.read_at.is_some() { "確認済み" } else { "未確認" }.to_owned()
                        })}</td>
                        <td>{t.read_at.clone().unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        let reminded = notice
            .reminded
            .clone()
            .map(|at| view! { <p class="help">{format!("最後の再通知: {at}")}</p> });
        let token = token.clone();
        view! {
            <section aria-labelledby="read-heading">
                <h2 id="read-heading">{format!("確認した市町村 {read} / {total}")}</h2>
                <BarChart title="確認の状況".to_owned() bars/>
                {reminded}
                {(read < total).then(|| view! {
                    <form method="post" action=format!("/notices/{id}/remind") class="inline-form">
                        <CsrfField token/>
                        <button type="submit">"未確認の市町村に再度知らせる"</button>
                    </form>
                })}
                <TableBox label="市町村ごとの確認">
                    <table class="data-table">
                        <thead><tr>
                            <th scope="col">"市町村"</th>
                            <th scope="col">"確認した人"</th>
                            <th scope="col">"確認日時"</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </TableBox>
            </section>
        }
    });
    let confirm = notice.can_confirm.then(|| {
        view! {
            <form method="post" action=format!("/notices/{id}/read") class="form-card">
                <CsrfField token=token.clone()/>
                <p>"内容を確認したら押してください。この団体の誰かが押すと、県に確認済みと伝わります。"</p>
                <div class="actions"><button type="submit">"確認しました"</button></div>
            </form>
        }
    });
    let own = (!notice.can_remind)
        .then(|| notice.towns.first().and_then(|t| t.read_by.clone().map(|who| (who, t.read_at.clone().unwrap_or_default()))))
        .flatten()
        .map(|(who, at)| view! { <p class="notice notice--success">{format!("{who}さんが確認済みです({at})。")}</p> });
    view! {
        <Title text=title.clone()/>
        <div class="page">
            <nav class="breadcrumb" aria-label="現在位置">
                <ol>
                    <li><A href="/">"ホーム"</A></li>
                    <li><A href="/notices">"お知らせ"</A></li>
                    <li aria-current="page">{title.clone()}</li>
                </ol>
            </nav>
            <h1>{title}</h1>
            <p class="help">{format!("{}・{}", notice.summary.sender, notice.summary.sent)}</p>
            <p class="post__body">{notice.body.clone()}</p>
            {own}
            {confirm}
            {status}
        </div>
    }
}
