//! `/trainings/{id}`: one course, its sessions, costs, seats and split.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use super::{japanese_date, japanese_datetime, use_course_id, yen};
use crate::api::trainings::{EnrolmentView, TrainingDetail, get_training};
use crate::components::load_error::LoadError;
use crate::components::status::set_http_status;
use crate::error::AppError;
use crate::pages::not_found::NotFound;

/// The course page; an unknown or hidden course answers 404.
#[component]
pub fn TrainingPage() -> impl IntoView {
    let id = use_course_id();
    let course = Resource::new(id, get_training);
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                match course.await {
                    Ok(detail) => view! { <Course detail/> }.into_any(),
                    Err(AppError::NotFound { message }) => {
                        set_http_status(404);
                        view! { <Title text="研修が見つかりません"/><NotFound message/> }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Course(detail: TrainingDetail) -> impl IntoView {
    let TrainingDetail {
        summary,
        description,
        cancel_until,
        sessions,
        costs,
        split_description,
        enrolments,
        can_manage,
        confirmed_at,
        ..
    } = detail;
    let id = summary.id;
    let seats = format!(
        "定員{}人・受講決定{}人・残り{}席",
        summary.capacity,
        summary.enrolled,
        summary.seats_left()
    );
    let waiting =
        (summary.waitlisted > 0).then(|| format!("キャンセル待ち{}人", summary.waitlisted));
    let settled = confirmed_at.is_some();
    view! {
        <Title text=summary.title.clone()/>
        <nav class="breadcrumb" aria-label="現在位置">
            <ol>
                <li><A href="/">"ホーム"</A></li>
                <li><A href="/trainings">"共同研修"</A></li>
                <li aria-current="page">{summary.title.clone()}</li>
            </ol>
        </nav>
        <article class="training">
            <h1>{summary.title.clone()}</h1>
            <dl class="facts">
                <div><dt>"主催"</dt><dd>{summary.organiser_name.clone()}</dd></div>
                <div><dt>"状態"</dt><dd>{summary.status_label.clone()}</dd></div>
                <div><dt>"席"</dt><dd>{seats}{waiting.map(|w| format!("・{w}"))}</dd></div>
                {(!summary.target.is_empty()).then(|| view! { <div><dt>"対象"</dt><dd>{summary.target.clone()}</dd></div> })}
                {summary.enrol_until.as_deref().map(|d| view! { <div><dt>"申込期限"</dt><dd>{japanese_date(d)}</dd></div> })}
                {cancel_until.as_deref().map(|d| view! { <div><dt>"取消期限"</dt><dd>{japanese_date(d)}</dd></div> })}
            </dl>
            {(!description.is_empty()).then(|| view! { <p class="training__body">{description}</p> })}
            <section aria-labelledby="training-sessions">
                <h2 id="training-sessions">"日程"</h2>
                <table class="table">
                    <thead><tr><th scope="col">"回"</th><th scope="col">"日時"</th><th scope="col">"会場"</th><th scope="col">"内容"</th></tr></thead>
                    <tbody>
                        {sessions.into_iter().map(|s| {
                            let end_time: String = s.ends_at.split_once('T').map(|(_, t)| t.chars().take(5).collect()).unwrap_or_default();
                            let place = match (s.online, s.place.is_empty()) {
                                (true, true) => "オンライン".to_owned(),
                                (true, false) => format!("{}(オンライン)", s.place),
                                (false, _) => s.place.clone(),
                            };
                            view! {
                                <tr>
                                    <td>{format!("第{}回", s.number)}</td>
                                    <td>{format!("{}〜{}", japanese_datetime(&s.starts_at), end_time)}</td>
                                    <td>{place}</td>
                                    <td>{s.content}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section aria-labelledby="training-costs">
                <h2 id="training-costs">"経費と負担"</h2>
                {if costs.is_empty() {
                    view! { <p>"経費はありません。"</p> }.into_any()
                } else {
                    view! {
                        <table class="table">
                            <thead><tr><th scope="col">"費目"</th><th scope="col">"区分"</th><th scope="col">"金額"</th></tr></thead>
                            <tbody>
                                {costs.into_iter().map(|c| {
                                    let (kind, amount) = if c.kind == "per_head" {
                                        ("受講者1人あたり", format!("{}/人", yen(c.amount)))
                                    } else {
                                        ("共通経費", yen(c.amount))
                                    };
                                    view! { <tr><td>{c.label}</td><td>{kind}</td><td class="num">{amount}</td></tr> }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
                <p>{split_description}</p>
                {settled.then(|| view! {
                    <p><A href=format!("/trainings/{id}/notices")>"負担金のお知らせを表示・印刷する"</A></p>
                })}
                {(can_manage && settled).then(|| view! {
                    <p><a href=format!("/api/trainings/{id}/notices.csv") download="">"全団体の負担金をCSVでダウンロード"</a></p>
                })}
            </section>
            {(!enrolments.is_empty()).then(|| view! { <Enrolments enrolments can_manage/> })}
        </article>
    }
}

#[component]
fn Enrolments(enrolments: Vec<EnrolmentView>, can_manage: bool) -> impl IntoView {
    let heading = if can_manage {
        "受講申込(全団体)"
    } else {
        "受講申込(自団体)"
    };
    view! {
        <section aria-labelledby="training-enrolments">
            <h2 id="training-enrolments">{heading}</h2>
            <table class="table">
                <thead><tr><th scope="col">"受付順"</th><th scope="col">"団体"</th><th scope="col">"氏名"</th><th scope="col">"職名"</th><th scope="col">"状況"</th></tr></thead>
                <tbody>
                    {enrolments.into_iter().map(|e| {
                        let status = match (e.status.as_str(), e.promoted) {
                            ("enrolled", true) => "受講決定(キャンセル待ちから繰り上げ)",
                            ("enrolled", false) => "受講決定",
                            ("waitlisted", _) => "キャンセル待ち",
                            _ => "取消",
                        };
                        view! {
                            <tr>
                                <td class="num">{e.seq}</td>
                                <td>{e.municipality_name}</td>
                                <td>{e.name}</td>
                                <td>{e.position}</td>
                                <td>{status}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
