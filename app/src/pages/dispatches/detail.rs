//! `/dispatches/{id}`: a request, its timeline, and the steps the caller may take
//! now, each a plain form. The 県 sees the bank ranked for the need, with the
//! reasons, while it proposes.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::dispatches::{Candidate, DispatchDetail, DispatchPageData};
use crate::calls::dispatches::load_dispatch;
use crate::components::form_fields::{FormValues, text_area, text_field};
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::components::status::set_http_status;
use crate::domain::calendar::{clock, japanese_date, japanese_datetime};
use crate::domain::dispatch::Step;
use crate::domain::ids::DispatchId;
use crate::error::AppError;
use crate::pages::not_found::NotFound;

/// A request's page; one the caller may not see answers 404.
#[component]
pub fn DispatchPage() -> impl IntoView {
    let id = crate::pages::use_id_param::<DispatchId>();
    let page = Resource::new(id, load_dispatch);
    let form = use_form_state();
    view! {
        <div class="page">
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = page.await;
                    let (flash, token) = form.load().await;
                    match result {
                        Ok(data) => {
                            let values = FormValues::new(BTreeMap::new(), BTreeMap::new(), &flash);
                            view! { <Request data values token/> }.into_any()
                        }
                        Err(AppError::NotFound { message }) => {
                            set_http_status(404);
                            view! { <Title text="依頼が見つかりません"/><NotFound message/> }.into_any()
                        }
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

// Long: the page as one view tree; the step forms are functions below.
#[component]
fn Request(data: DispatchPageData, values: FormValues, token: String) -> impl IntoView {
    let DispatchPageData { detail, candidates } = data;
    let s = detail.summary.clone();
    let title = format!("派遣依頼 #{} {}", s.id, s.municipality_name);
    let schedule = s
        .starts_at
        .zip(s.ends_at)
        .map(|(start, end)| format!("{}〜{}", japanese_datetime(start), clock(end)));
    let period = match (detail.preferred_from, detail.preferred_to) {
        (None, None) => None,
        (from, to) => Some(format!(
            "{}〜{}",
            from.map(japanese_date).unwrap_or_default(),
            to.map(japanese_date).unwrap_or_default()
        )),
    };
    let wished = (!detail.wished.is_empty()).then(|| {
        let names: Vec<String> = detail.wished.iter().map(|a| a.name.clone()).collect();
        view! { <div><dt>"希望アドバイザー"</dt><dd>{names.join("、")}</dd></div> }
    });
    let steps = steps_section(&detail, candidates, &values, &token);
    view! {
        <Title text=title.clone()/>
        <nav class="breadcrumb" aria-label="現在位置">
            <ol>
                <li><A href="/">"ホーム"</A></li>
                <li><A href="/dispatches">"アドバイザー派遣"</A></li>
                <li aria-current="page">{format!("依頼 #{}", s.id)}</li>
            </ol>
        </nav>
        <article class="dispatch">
            <h1>{title}</h1>
            <dl class="facts">
                <div><dt>"状態"</dt><dd><span class=format!("badge badge--{}", s.status.as_str())>{s.status_label.clone()}</span></dd></div>
                <div><dt>"制度"</dt><dd>{s.programme_name.clone()}</dd></div>
                <div><dt>"相談の種類"</dt><dd>{s.advice_type.label()}</dd></div>
                <div><dt>"方法"</dt><dd>{s.mode.label()}</dd></div>
                <div><dt>"希望時間"</dt><dd>{detail.hours_wanted.label()}</dd></div>
                {period.map(|p| view! { <div><dt>"希望時期"</dt><dd>{p}</dd></div> })}
                {wished}
                <div><dt>"アドバイザー"</dt><dd>{s.advisor.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| "未定".into())}</dd></div>
                {schedule.map(|t| view! { <div><dt>"日時"</dt><dd>{t}</dd></div> })}
                {detail.place.clone().map(|p| view! { <div><dt>"場所"</dt><dd>{p}</dd></div> })}
                {s.fiscal_year.map(|y| view! { <div><dt>"年度"</dt><dd>{crate::domain::wareki::FiscalYear(y).label()}</dd></div> })}
            </dl>
            <section aria-labelledby="need-heading">
                <h2 id="need-heading">"相談したいこと"</h2>
                <p class="dispatch__need">{detail.need.clone()}</p>
            </section>
            {(!detail.quota_at_approval.is_empty()).then(|| view! {
                <p class="field-hint">{format!("決定時の上限: {}", detail.quota_at_approval.join("、"))}</p>
            })}
            {detail.reject_reason.clone().map(|r| view! {
                <section aria-labelledby="reject-heading"><h2 id="reject-heading">"不採択の理由"</h2><p>{r}</p></section>
            })}
            {detail.report.clone().map(|r| view! {
                <section aria-labelledby="report-heading">
                    <h2 id="report-heading">"実施報告"</h2>
                    <dl class="facts">
                        <div><dt>"実施時間"</dt><dd>{r.hours.label()}</dd></div>
                        <div><dt>"実施内容"</dt><dd>{r.summary}</dd></div>
                        {(!r.outcome.is_empty()).then(|| view! { <div><dt>"成果"</dt><dd>{r.outcome.clone()}</dd></div> })}
                        {(!r.next_steps.is_empty()).then(|| view! { <div><dt>"今後の進め方"</dt><dd>{r.next_steps.clone()}</dd></div> })}
                    </dl>
                </section>
            })}
            {steps}
            <section aria-labelledby="timeline-heading">
                <h2 id="timeline-heading">"経過"</h2>
                <ol class="timeline">
                    {detail.timeline.iter().map(|e| view! {
                        <li>
                            <time datetime=e.at.to_rfc3339()>{japanese_datetime(e.at)}</time>
                            " "<strong>{e.label.clone()}</strong>
                            {format!("({})", e.actor)}
                            {(!e.note.is_empty()).then(|| view! { <br/><span class="help">{e.note.clone()}</span> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        </article>
    }
}

/// The forms of the steps the caller may take now.
fn steps_section(
    detail: &DispatchDetail,
    candidates: Vec<Candidate>,
    values: &FormValues,
    token: &str,
) -> Option<impl IntoView + use<>> {
    if detail.actions.is_empty() {
        return None;
    }
    let id = detail.summary.id;
    let forms = detail
        .actions
        .iter()
        .map(|step| step_form(*step, id, &candidates, values, token))
        .collect_view();
    Some(view! {
        <section class="form-section no-print" aria-labelledby="steps-heading">
            <h2 id="steps-heading">"操作"</h2>
            {forms}
        </section>
    })
}

// Long: one arm per step, each a small form.
fn step_form(
    step: Step,
    id: DispatchId,
    candidates: &[Candidate],
    values: &FormValues,
    token: &str,
) -> AnyView {
    let action = format!("/dispatches/{id}/{}", step.as_str());
    let token = token.to_owned();
    let fields = match step {
        Step::Propose => {
            let first = candidates.iter().position(|c| c.can_answer);
            let options = candidates
                .iter()
                .enumerate()
                .map(|(rank, c)| {
                    let input_id = format!("candidate-{}", c.item.id);
                    let mut notes: Vec<String> = Vec::new();
                    if c.wished {
                        notes.push("市町村の希望".into());
                    }
                    notes.extend(c.item.reasons.iter().map(|r| r.label.clone()));
                    if !c.can_answer {
                        notes.push("ポータルのアカウントがないため提案できません".into());
                    }
                    let name = if c.item.affiliation.is_empty() {
                        c.item.name.clone()
                    } else {
                        format!("{}({})", c.item.name, c.item.affiliation)
                    };
                    view! {
                        <li>
                            <input type="radio" name="advisor" id=input_id.clone() value=c.item.id.to_string()
                                disabled=!c.can_answer checked=Some(rank) == first/>
                            <label for=input_id>{name}</label>
                            <br/><span class="help">{notes.join("・")}</span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="choices">
                    <legend>"提案するアドバイザー(希望と、相談内容に合う順)"</legend>
                    <ul class="choice-list candidates">{options}</ul>
                </fieldset>
                {text_field(values, "advisor_id", "一覧にない人を番号で指定(任意)", "text", false, 10)}
            }
            .into_any()
        }
        Step::Approve => view! {
            {text_field(values, "starts_at", "開始日時", "datetime-local", true, 16)}
            {text_field(values, "ends_at", "終了日時", "datetime-local", true, 16)}
            {text_field(values, "place", "場所(オンラインは会議のURL)", "text", true, 300)}
        }
        .into_any(),
        Step::Reject => {
            text_area(values, "reason", "不採択の理由", "市町村に伝わります", 1000).into_any()
        }
        Step::Report => view! {
            {text_field(values, "hours", "実施時間(時間)", "text", true, 6)}
            {text_area(values, "summary", "実施内容", "何をしたか", 4000)}
            {text_area(values, "outcome", "成果", "任意", 4000)}
            {text_area(values, "next_steps", "今後の進め方", "任意", 4000)}
        }
        .into_any(),
        Step::Accept | Step::Decline | Step::Withdraw | Step::Confirm => ().into_any(),
    };
    let class = if matches!(step, Step::Reject | Step::Withdraw | Step::Decline) {
        "step-form step-form--secondary"
    } else {
        "step-form"
    };
    view! {
        <form method="post" action=action class=class>
            <CsrfField token/>
            {fields}
            <button type="submit">{step.label()}</button>
        </form>
    }
    .into_any()
}
