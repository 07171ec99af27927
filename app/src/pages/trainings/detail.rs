//! `/trainings/{id}`: one course, its sessions, costs, seats and split.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use std::collections::BTreeMap;

use super::billing::BillingForm;
use super::{ShareRow, share_table, yen};
use crate::api::trainings::{EnrolmentView, SessionView, SplitView, TrainingDetail};
use crate::calls::trainings::get_training;
use crate::components::confirm::ConfirmCheck;
use crate::components::form_fields::{FormValues, text_field};
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::components::status::set_http_status;
use crate::components::table_box::TableBox;
use crate::domain::calendar::{clock, japanese_date, japanese_datetime};
use crate::domain::ids::CourseId;
use crate::domain::training::EnrolmentStatus;
use crate::domain::training::TrainingStatus;
use crate::domain::training::form::{STAFF_ROWS, row_field};
use crate::error::AppError;
use crate::pages::not_found::NotFound;

/// The course page; an unknown or hidden course answers 404.
#[component]
pub fn TrainingPage() -> impl IntoView {
    let id = crate::pages::use_id_param::<CourseId>();
    let course = Resource::new(id, get_training);
    let form = use_form_state();
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                let result = course.await;
                let (flash, token) = form.load().await;
                match result {
                    Ok(detail) => {
                        let values = FormValues::new(BTreeMap::new(), BTreeMap::new(), &flash);
                        view! { <Course detail values token/> }.into_any()
                    }
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

// Long: the page as one view tree; the parts that repeat or act are components below.
#[component]
fn Course(detail: TrainingDetail, values: FormValues, token: String) -> impl IntoView {
    let TrainingDetail {
        summary,
        description,
        cancel_until,
        sessions,
        costs,
        split_description,
        enrolments,
        can_manage,
        can_enrol,
        shares,
        split_problem,
        confirmed_at,
        billing,
        ..
    } = detail;
    let status = summary.status;
    let organiser_panel = can_manage.then(|| {
        view! { <OrganiserActions id=summary.id status token=token.clone()/> }
    });
    let attendance = (can_manage
        && matches!(status, TrainingStatus::Closed | TrainingStatus::Held))
    .then(|| attendance_forms(summary.id, &sessions, &enrolments, &token));
    let enrol_form = can_enrol.then(|| enrol_form(summary.id, &values, &token));
    let billing_form = can_manage.then(|| {
        view! { <BillingForm id=summary.id billing values=values.clone() token=token.clone()/> }
    });
    let cancellable = status != TrainingStatus::Settled;
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
    let shares_view = shares_section(shares, split_problem, settled);
    let enrolment_table = (!enrolments.is_empty()).then(|| {
        view! { <Enrolments id enrolments can_manage cancellable token=token.clone()/> }
    });
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
                {summary.enrol_until.map(|d| view! { <div><dt>"申込期限"</dt><dd>{japanese_date(d)}</dd></div> })}
                {cancel_until.map(|d| view! { <div><dt>"取消期限"</dt><dd>{japanese_date(d)}</dd></div> })}
            </dl>
            {(!description.is_empty()).then(|| view! { <p class="training__body">{description}</p> })}
            {organiser_panel}
            <section aria-labelledby="training-sessions">
                <h2 id="training-sessions">"日程"</h2>
                <TableBox label="日程">
                    <table class="data-table">
                        <thead><tr><th scope="col">"回"</th><th scope="col">"日時"</th><th scope="col">"会場"</th><th scope="col">"内容"</th></tr></thead>
                        <tbody>
                            {sessions.iter().cloned().map(|s| {
                                let end_time = clock(s.ends_at);
                                let place = match (s.online, s.place.is_empty()) {
                                    (true, true) => "オンライン".to_owned(),
                                    (true, false) => format!("{}(オンライン)", s.place),
                                    (false, _) => s.place.clone(),
                                };
                                view! {
                                    <tr>
                                        <td>{format!("第{}回", s.number)}</td>
                                        <td>{format!("{}〜{}", japanese_datetime(s.starts_at), end_time)}</td>
                                        <td>{place}</td>
                                        <td>{s.content}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableBox>
            </section>
            <section aria-labelledby="training-costs">
                <h2 id="training-costs">"経費と負担"</h2>
                {if costs.is_empty() {
                    view! { <p>"経費はありません。"</p> }.into_any()
                } else {
                    view! {
                        <TableBox label="経費">
                            <table class="data-table">
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
                        </TableBox>
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
            {shares_view}
            {billing_form}
            {enrol_form}
            {enrolment_table}
            {attendance}
        </article>
    }
}

/// The organiser's buttons: the next step of the course and 確定.
#[component]
fn OrganiserActions(id: CourseId, status: TrainingStatus, token: String) -> impl IntoView {
    let next = match status {
        TrainingStatus::Draft => Some(("open", "申込受付を開始する")),
        TrainingStatus::Open => Some(("closed", "申込受付を終了する")),
        TrainingStatus::Closed => Some(("held", "開催済みにする")),
        TrainingStatus::Held | TrainingStatus::Settled => None,
    };
    let step = next.map(|(value, label)| {
        view! {
            <form method="post" action=format!("/trainings/{id}/status") class="inline-form">
                <CsrfField token=token.clone()/>
                <input type="hidden" name="status" value=value/>
                <button type="submit">{label}</button>
            </form>
        }
    });
    let confirm = matches!(status, TrainingStatus::Closed | TrainingStatus::Held).then(|| {
        view! {
            <form method="post" action=format!("/trainings/{id}/confirm") class="danger-zone">
                <CsrfField token=token.clone()/>
                <ConfirmCheck id="confirm-split" label="いまの按分で負担金を確定します(確定後は変更できません)"/>
                <button type="submit">"負担金を確定する"</button>
            </form>
        }
    });
    let hint = match status {
        TrainingStatus::Draft => {
            "下書きです。申込受付を開始すると、県内の市町村が申し込めるようになります。"
        }
        TrainingStatus::Open => "申込を受け付けています。",
        TrainingStatus::Closed | TrainingStatus::Held => {
            "確定すると、その時点の按分が入力値とともに固定され、各団体に負担金のお知らせが表示されます。確定後は変更できません。"
        }
        TrainingStatus::Settled => "負担金は確定済みです。",
    };
    view! {
        <section class="form-section no-print" aria-labelledby="training-actions">
            <h2 id="training-actions">"主催団体の操作"</h2>
            <p class="field-hint">{hint}</p>
            <div class="button-row">{step}{confirm}</div>
            {(status != TrainingStatus::Settled).then(|| view! {
                <p><A href=format!("/trainings/{id}/edit")>"研修の内容・日程・経費・按分方法を変更する"</A></p>
            })}
        </section>
    }
}

/// The split as it stands (or as confirmed), the lines the reader may see.
fn shares_section(
    shares: Option<SplitView>,
    problem: Option<String>,
    settled: bool,
) -> Option<AnyView> {
    let heading = if settled {
        "負担金(確定)"
    } else {
        "負担金(暫定)"
    };
    let body = match (shares, problem) {
        (Some(split), _) => {
            let rows = split
                .lines
                .into_iter()
                .map(|l| ShareRow {
                    label: l.name,
                    headcount: l.headcount,
                    staff: l.staff,
                    shared: l.shared,
                    per_head: l.per_head,
                    amount: l.amount,
                })
                .collect();
            view! {
                {share_table(None, rows)}
                <p>{format!("総額 {}", yen(split.total))}</p>
            }
            .into_any()
        }
        (None, Some(problem)) => {
            view! { <p>{format!("まだ按分できません: {problem}")}</p> }.into_any()
        }
        (None, None) => return None,
    };
    Some(
        view! {
            <section aria-labelledby="training-shares">
                <h2 id="training-shares">{heading}</h2>
                {body}
            </section>
        }
        .into_any(),
    )
}

/// A town's enrolment form: rows of staff, blank rows ignored.
fn enrol_form(id: CourseId, form: &FormValues, token: &str) -> impl IntoView + use<> {
    let rows = (0..STAFF_ROWS)
        .map(|row| {
            let f = |name: &str| row_field("staff", row, name);
            view! {
                <fieldset class="form-row">
                    <legend>{format!("受講者{}", row + 1)}</legend>
                    {text_field(form, &f("name"), "氏名", "text", false, 100)}
                    {text_field(form, &f("position"), "職名", "text", false, 100)}
                    {text_field(form, &f("email"), "メールアドレス(任意)", "email", false, 254)}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <section class="form-section no-print" aria-labelledby="training-enrol">
            <h2 id="training-enrol">"受講を申し込む"</h2>
            <p class="field-hint">"自団体の職員を申し込みます。定員を超えた分はキャンセル待ちになり、席が空くと受付順に繰り上がります。空欄の行は無視されます。"</p>
            <form method="post" action=format!("/trainings/{id}/enrolments")>
                <CsrfField token=token.to_owned()/>
                {rows}
                <p><button type="submit">"申し込む"</button></p>
            </form>
        </section>
    }
}

/// One attendance form per session, a checkbox per seated trainee.
fn attendance_forms(
    id: CourseId,
    sessions: &[SessionView],
    enrolments: &[EnrolmentView],
    token: &str,
) -> impl IntoView + use<> {
    let seated: Vec<EnrolmentView> = enrolments
        .iter()
        .filter(|e| e.status == EnrolmentStatus::Enrolled)
        .cloned()
        .collect();
    let forms = sessions
        .iter()
        .map(|s| {
            let boxes = seated
                .iter()
                .map(|e| {
                    let box_id = format!("present-{}-{}", s.id, e.id);
                    let checked = e.attended.contains(&s.id);
                    view! {
                        <li>
                            <input type="checkbox" id=box_id.clone() name="present" value=e.id.to_string() checked=checked/>
                            <label for=box_id>{format!("{}({})", e.name, e.municipality_name)}</label>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <form method="post" action=format!("/trainings/{id}/sessions/{}/attendance", s.id)>
                    <CsrfField token=token.to_owned()/>
                    <fieldset class="choices">
                        <legend>{format!("第{}回 {} の出席者", s.number, japanese_datetime(s.starts_at))}</legend>
                        <ul class="choice-list">{boxes}</ul>
                    </fieldset>
                    <p><button type="submit">{format!("第{}回の出席を記録", s.number)}</button></p>
                </form>
            }
        })
        .collect_view();
    view! {
        <section class="form-section no-print" aria-labelledby="training-attendance">
            <h2 id="training-attendance">"出席の記録"</h2>
            <p class="field-hint">"按分の基礎が出席者数のときは、1回以上出席した受講者が数えられます。"</p>
            {forms}
        </section>
    }
}

#[component]
fn Enrolments(
    id: CourseId,
    enrolments: Vec<EnrolmentView>,
    can_manage: bool,
    cancellable: bool,
    token: String,
) -> impl IntoView {
    let heading = if can_manage {
        "受講申込(全団体)"
    } else {
        "受講申込(自団体)"
    };
    view! {
        <section aria-labelledby="training-enrolments">
            <h2 id="training-enrolments">{heading}</h2>
            <TableBox label="受講者">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">"受付順"</th><th scope="col">"団体"</th><th scope="col">"氏名"</th>
                        <th scope="col">"職名"</th><th scope="col">"状況"</th>
                        {cancellable.then(|| view! { <th scope="col" class="no-print">"取消"</th> })}
                    </tr></thead>
                    <tbody>
                        {enrolments.into_iter().map(|e| {
                            let status = match (e.status, e.promoted) {
                                (EnrolmentStatus::Enrolled, true) => "受講決定(キャンセル待ちから繰り上げ)",
                                (EnrolmentStatus::Enrolled, false) => "受講決定",
                                (EnrolmentStatus::Waitlisted, _) => "キャンセル待ち",
                                (EnrolmentStatus::Cancelled, _) => "取消",
                            };
                            let cancel = (cancellable && e.status != EnrolmentStatus::Cancelled).then(|| view! {
                                <form method="post" action=format!("/trainings/{id}/enrolments/{}/cancel", e.id)>
                                    <CsrfField token=token.clone()/>
                                    <button type="submit" class="button-secondary"
                                        aria-label=format!("{} さんの申込を取り消す", e.name)>"取り消す"</button>
                                </form>
                            });
                            view! {
                                <tr>
                                    <td class="num">{e.seq}</td>
                                    <td>{e.municipality_name}</td>
                                    <td>{e.name}</td>
                                    <td>{e.position}</td>
                                    <td>{status}</td>
                                    {cancellable.then(|| view! { <td class="no-print">{cancel}</td> })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableBox>
        </section>
    }
}
