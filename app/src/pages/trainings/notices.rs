//! `/trainings/{id}/notices`: 負担金 notices, one A4 page per body, for printing.

use crate::domain::ids::CourseId;
use crate::domain::local_gov::LocalGovCode;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::yen;
use crate::api::trainings::{BillingView, Notice};
use crate::calls::trainings::training_notices;
use crate::components::load_error::LoadError;
use crate::domain::calendar::{japanese_date, jst};

/// The notices the caller may see: every body's for the organiser, a town's own.
#[component]
pub fn TrainingNoticesPage() -> impl IntoView {
    let id = crate::pages::use_id_param::<CourseId>();
    let notices = Resource::new(id, training_notices);
    view! {
        <Title text="負担金のお知らせ"/>
        <div class="page page--notices">
            <div class="no-print">
                <p><A href=move || format!("/trainings/{}", id())>"研修のページへ戻る"</A></p>
                <p class="help">"ブラウザの印刷機能(Ctrl+P)で、1団体ずつA4用紙に印刷できます。"</p>
                <PrintButton/>
            </div>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match notices.await {
                        Ok(list) => list
                            .into_iter()
                            .map(|notice| view! { <NoticeSheet notice/> })
                            .collect_view()
                            .into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn NoticeSheet(notice: Notice) -> impl IntoView {
    let Notice {
        title,
        organiser_name,
        line,
        description,
        weights,
        total_headcount,
        total,
        costs,
        confirmed_at,
        training,
        billing,
    } = notice;
    let heading_id = format!("notice-{}", line.municipality);
    let labelled_by = heading_id.clone();
    let issuer = billing.as_ref().map(|b| b.issuer.clone());
    let payment = billing.clone().map(|b| view! { <Payment billing=b/> });
    view! {
        <section class="notice-sheet" aria-labelledby=labelled_by>
            <p class="notice-sheet__date">{document_number(training, &line.municipality)}<br/>{japanese_date(confirmed_at.with_timezone(&jst()).date_naive())}</p>
            <p class="notice-sheet__to">{format!("{} 様", line.name)}</p>
            <p class="notice-sheet__from">{organiser_name}{issuer.map(|i| view! { <br/>{i} })}</p>
            <h1 id=heading_id>{format!("共同研修「{title}」負担金のお知らせ")}</h1>
            <p>"標記の研修に要した経費について、貴団体の負担金を次のとおりお知らせします。"</p>
            <p class="notice-sheet__amount">"負担金額 "<strong>{yen(line.amount)}</strong></p>
            <h2>"算定の内訳"</h2>
            <table class="data-table">
                <tbody>
                    <tr><th scope="row">"貴団体の受講者数"</th><td class="num">{format!("{}人", line.headcount)}</td></tr>
                    <tr><th scope="row">"全団体の受講者数"</th><td class="num">{format!("{total_headcount}人")}</td></tr>
                    {line.staff.map(|s| view! { <tr><th scope="row">"貴団体の職員数"</th><td class="num">{format!("{s}人")}</td></tr> })}
                    {weights.map(|(flat, people, staff)| view! {
                        <tr><th scope="row">"按分の割合"</th><td>{format!("均等割{flat}%・人数割{people}%・職員数割{staff}%")}</td></tr>
                    })}
                    <tr><th scope="row">"共通経費の負担額"</th><td class="num">{yen(line.shared)}</td></tr>
                    <tr><th scope="row">"受講者ごとの経費"</th><td class="num">{yen(line.per_head)}</td></tr>
                    <tr><th scope="row">"負担金額"</th><td class="num">{yen(line.amount)}</td></tr>
                </tbody>
            </table>
            <h2>"研修の経費"</h2>
            <table class="data-table">
                <tbody>
                    {costs.into_iter().map(|c| {
                        let amount = if c.kind == "per_head" { format!("{}/人", yen(c.amount)) } else { yen(c.amount) };
                        view! { <tr><th scope="row">{c.label}</th><td class="num">{amount}</td></tr> }
                    }).collect_view()}
                    <tr><th scope="row">"経費の総額"</th><td class="num">{yen(total)}</td></tr>
                </tbody>
            </table>
            <p class="help">{format!("算定方法: {description}")}</p>
            {payment}
        </section>
    }
}

/// The payment deadline and account, and whom to ask, as the organiser set them.
#[component]
fn Payment(billing: BillingView) -> impl IntoView {
    let BillingView {
        contact,
        payment_due,
        payment_account,
        ..
    } = billing;
    let account_lines = payment_account
        .lines()
        .map(|line| view! { {line.to_owned()}<br/> })
        .collect_view();
    view! {
        {(payment_due.is_some() || !payment_account.is_empty()).then(|| view! {
            <h2>"お支払い"</h2>
            <dl class="notice-sheet__payment">
                {payment_due.map(|due| view! { <dt>"納付期限"</dt><dd>{japanese_date(due)}</dd> })}
                {(!payment_account.is_empty()).then(|| view! { <dt>"振込先"</dt><dd>{account_lines}</dd> })}
            </dl>
        })}
        {(!contact.is_empty()).then(|| view! {
            <p class="notice-sheet__contact">{format!("問い合わせ先: {contact}")}</p>
        })}
    }
}

/// 「共研第12-293628号」: the course and the body it is addressed to, so a reprint
/// carries the same number.
fn document_number(training: CourseId, municipality: &LocalGovCode) -> String {
    format!("共研第{training}-{municipality}号")
}

/// 「印刷する」, shown once the browser can run it (an island: it alone ships code).
#[island]
fn PrintButton() -> impl IntoView {
    // Effects run only in the browser: the button appears once it can work.
    let scripted = RwSignal::new(false);
    Effect::new(move |_| scripted.set(true));
    view! {
        <Show when=move || scripted.get()>
            <button type="button" class="button" on:click=move |_| {
                let _ = window().print();
            }>"印刷する"</button>
        </Show>
    }
}
