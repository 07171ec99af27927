//! `/surveys`: the 県's 照会 with how many towns answered each, and the form to
//! make one; a town's 照会 with where its answer stands. `/surveys/{id}`: one
//! 照会 ([`detail`]).

mod detail;

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

pub use detail::SurveyPage;

use crate::api::advisors::Choice;
use crate::api::flash::Flash;
use crate::api::surveys::{AnswerState, SurveyList, SurveySummary};
use crate::calls::surveys::load_surveys;
use crate::components::form_fields::{
    FormValues, check_field, select_field, text_area, text_field,
};
use crate::components::load_error::LoadError;
use crate::components::recipients::recipient_fields;
use crate::components::session::{CsrfField, use_form_state};
use crate::components::table_box::TableBox;
use crate::domain::survey::{self, FORM_QUESTIONS, QuestionKind};

/// The list.
#[component]
pub fn SurveyListPage() -> impl IntoView {
    let list = Resource::new(|| (), |()| load_surveys());
    let form = use_form_state();
    view! {
        <Title text="照会"/>
        <div class="page">
            <h1>"照会"</h1>
            <p class="lead">"県から市町村への調査・照会です。市町村ごとに1つの回答を、期限まで下書き・修正できます。"</p>
            <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let result = list.await;
                    let (flash, token) = form.load().await;
                    match result {
                        Ok(list) => view! { <Surveys list flash token/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Where a 照会 stands, in words, for the 県 or the town.
pub fn status_text(s: &SurveySummary) -> String {
    match s.state {
        None => format!("{} / {} 市町村が回答", s.answered, s.total),
        Some(AnswerState::Submitted) => "回答済み".to_owned(),
        Some(_) if s.closed => "期限切れ(未提出)".to_owned(),
        Some(state) => state.label().to_owned(),
    }
}

#[component]
fn Surveys(list: SurveyList, flash: Flash, token: String) -> impl IntoView {
    let empty = list
        .items
        .is_empty()
        .then(|| view! { <p>"照会はまだありません。"</p> });
    let make = list.can_run.then(|| make_form(&flash, token, &list.towns));
    let rows = list
        .items
        .into_iter()
        .map(|s| {
            let status = status_text(&s);
            let deadline = format!("{}{}", s.deadline, if s.closed { "(締切済み)" } else { "" });
            view! {
                <tr>
                    <th scope="row"><A href=format!("/surveys/{}", s.id)>{s.title}</A></th>
                    <td>{s.sender}</td>
                    <td>{deadline}</td>
                    <td>{status}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {empty}
        <TableBox label="照会の一覧">
            <table class="data-table">
                <thead><tr>
                    <th scope="col">"件名"</th>
                    <th scope="col">"照会元"</th>
                    <th scope="col">"回答期限"</th>
                    <th scope="col">"回答"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </TableBox>
        {make}
    }
}

fn kinds() -> Vec<Choice> {
    QuestionKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.key().to_owned(),
            label: k.label().to_owned(),
        })
        .collect()
}

/// One row of the form: kind, question, options (one per line), required.
fn question_row(form: &FormValues, i: usize) -> impl IntoView + use<> {
    let name = format!("questions.{i}");
    view! {
        <fieldset class="question-row">
            <legend>{format!("質問{}", i + 1)}</legend>
            {select_field(form, &format!("{name}.kind"), "種類", &kinds(), None)}
            {text_field(form, &name, "質問文", "text", false, survey::LABEL_MAX)}
            {text_area(form, &format!("{name}.options"), "選択肢", "単一選択・複数選択のとき、1行に1つ", 3_000)}
            {check_field(form, &format!("{name}.required"), "回答を必須にする")}
        </fieldset>
    }
}

/// The 県's form. Ten rows of questions (three shown, the rest behind
/// 「質問を追加する」); rows left empty are skipped. Works without JavaScript.
fn make_form(flash: &Flash, token: String, towns: &[(String, String)]) -> impl IntoView + use<> {
    let form = FormValues::new(BTreeMap::new(), BTreeMap::new(), flash);
    let shown = 3;
    let first = (0..shown).map(|i| question_row(&form, i)).collect_view();
    let more = (shown..FORM_QUESTIONS)
        .map(|i| question_row(&form, i))
        .collect_view();
    let more_open =
        (shown..FORM_QUESTIONS).any(|i| !form.value(&format!("questions.{i}")).is_empty());
    view! {
        <section class="form-section" aria-labelledby="make-heading">
            <h2 id="make-heading">"照会を作る"</h2>
            <form method="post" action="/surveys" class="stacked-form">
                <CsrfField token/>
                {text_field(&form, "title", "件名", "text", true, survey::TITLE_MAX)}
                {text_area(&form, "instructions", "説明", "回答のしかた、問い合わせ先など", survey::INSTRUCTIONS_MAX)}
                {text_field(&form, "deadline", "回答期限", "date", true, 10)}
                {form.error("questions").map(|m| view! { <p class="field-error">{m}</p> })}
                {first}
                <details class="more-questions" open=more_open>
                    <summary>{format!("質問を追加する(最大{FORM_QUESTIONS}問)")}</summary>
                    {more}
                </details>
                {recipient_fields(&form, "照会先", towns)}
                <div class="actions"><button type="submit">"照会を送る"</button></div>
            </form>
        </section>
    }
}
