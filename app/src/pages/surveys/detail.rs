//! `/surveys/{id}`: a town answers (a form per question kind, draft or submit;
//! after the deadline its answer read-only); the 県 sees who answered (a chart),
//! the figures per question (charts for choices, sums for numbers), every
//! town's answers in a table with 「再開」, and the CSV / Excel downloads.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use crate::api::flash::Flash;
use crate::api::surveys::{
    AnswerState, Question, QuestionKind, QuestionResult, SurveyResults, SurveyView, Tally,
    TownAnswer,
};
use crate::calls::surveys::load_survey;
use crate::components::bar_chart::{Bar, BarChart};
use crate::components::form_fields::FormValues;
use crate::components::load_error::LoadError;
use crate::components::session::{CsrfField, use_form_state};
use crate::components::table_box::TableBox;
use crate::domain::survey::number_text;

/// One 照会.
#[component]
pub fn SurveyPage() -> impl IntoView {
    let params = use_params_map();
    let survey = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<i32>().ok())
                .unwrap_or(0)
        },
        load_survey,
    );
    let form = use_form_state();
    view! {
        <Suspense fallback=|| view! { <p role="status">"読み込み中…"</p> }>
            {move || Suspend::new(async move {
                let result = survey.await;
                let (flash, token) = form.load().await;
                match result {
                    Ok(survey) => view! { <Survey survey flash token/> }.into_any(),
                    Err(error) => view! {
                        <Title text="照会"/>
                        <div class="page"><h1>"照会"</h1><LoadError error/></div>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Survey(survey: SurveyView, flash: Flash, token: String) -> impl IntoView {
    let id = survey.summary.id;
    let title = survey.summary.title.clone();
    let deadline = if survey.summary.closed {
        format!("回答期限: {}(締切済み)", survey.summary.deadline)
    } else {
        format!("回答期限: {}", survey.summary.deadline)
    };
    let instructions = (!survey.instructions.is_empty())
        .then(|| view! { <p class="post__body">{survey.instructions.clone()}</p> });
    let own = survey
        .own
        .clone()
        .map(|own| town_part(id, &survey.questions, own, &flash, token.clone()));
    let results = survey
        .results
        .clone()
        .map(|results| county_part(id, &survey.questions, results, token));
    view! {
        <Title text=title.clone()/>
        <div class="page">
            <nav class="breadcrumb" aria-label="現在位置">
                <ol>
                    <li><A href="/">"ホーム"</A></li>
                    <li><A href="/surveys">"照会"</A></li>
                    <li aria-current="page">{title.clone()}</li>
                </ol>
            </nav>
            <h1>{title}</h1>
            <p class="help">{format!("{}・{}", survey.summary.sender, survey.summary.sent)}</p>
            <p class="deadline"><strong>{deadline}</strong></p>
            {instructions}
            {own}
            {results}
        </div>
    }
}

/// The stored answer as form values: text as is, はい/いいえ as `yes`/`no`,
/// multiple choice as a list.
fn stored_values(values: &[Value]) -> (BTreeMap<String, String>, BTreeMap<String, Vec<String>>) {
    let mut single = BTreeMap::new();
    let mut lists = BTreeMap::new();
    for (i, value) in values.iter().enumerate() {
        let name = format!("answers.{i}");
        match value {
            Value::String(s) => {
                single.insert(name.clone(), s.clone());
                lists.insert(name, vec![s.clone()]);
            }
            Value::Number(n) => {
                single.insert(name, n.as_f64().map(number_text).unwrap_or_default());
            }
            Value::Bool(b) => {
                single.insert(name, if *b { "yes" } else { "no" }.to_owned());
            }
            Value::Array(items) => {
                lists.insert(
                    name,
                    items
                        .iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                );
            }
            _ => {}
        }
    }
    (single, lists)
}

/// One question's input, named `answers.{i}`.
fn answer_field(form: &FormValues, i: usize, q: &Question) -> impl IntoView + use<> {
    let name = format!("answers.{i}");
    let id = format!("f-{name}");
    let error = form.error(&name);
    let invalid = error.is_some();
    let described = invalid.then(|| format!("{id}-error"));
    let label = format!("{}. {}", i + 1, q.label);
    let required = q
        .required
        .then_some(view! { <span class="required">"(必須)"</span> });
    let choices = |kind: &'static str, options: Vec<(String, String)>| {
        options
            .into_iter()
            .enumerate()
            .map(|(n, (value, text))| {
                let box_id = format!("{id}-{n}");
                let checked = form.chosen(&name, &value) || form.value(&name) == value;
                view! {
                    <div class="field field--check">
                        <input type=kind id=box_id.clone() name=name.clone() value=value checked=checked/>
                        <label for=box_id>{text}</label>
                    </div>
                }
            })
            .collect_view()
    };
    let options: Vec<(String, String)> = q.options.iter().map(|o| (o.clone(), o.clone())).collect();
    let control = match q.kind {
        QuestionKind::Choice | QuestionKind::Multi | QuestionKind::YesNo => {
            let (kind, options) = match q.kind {
                QuestionKind::Multi => ("checkbox", options),
                QuestionKind::YesNo => (
                    "radio",
                    vec![("yes".into(), "はい".into()), ("no".into(), "いいえ".into())],
                ),
                _ => ("radio", options),
            };
            let marker = (q.kind == QuestionKind::Multi)
                .then(|| view! { <input type="hidden" name=format!("{name}.multi") value="1"/> });
            return view! {
                <fieldset class="choices field--wide" class:field--invalid=invalid aria-describedby=described>
                    <legend>{label}{required}</legend>
                    {marker}
                    {choices(kind, options)}
                    {error.map(|m| view! { <p class="field-error" id=format!("{id}-error")>{m}</p> })}
                </fieldset>
            }
            .into_any();
        }
        QuestionKind::Long => view! {
            <textarea id=id.clone() name=name.clone() rows="5" maxlength=crate::domain::survey::LONG_MAX.to_string()
                aria-invalid=invalid.then_some("true") aria-describedby=described.clone()>
                {form.value(&name)}
            </textarea>
        }
        .into_any(),
        QuestionKind::Number => view! {
            <input id=id.clone() name=name.clone() type="text" inputmode="decimal" size="14" maxlength="20"
                value=form.value(&name) aria-invalid=invalid.then_some("true") aria-describedby=described.clone()/>
        }
        .into_any(),
        QuestionKind::Date => view! {
            <input id=id.clone() name=name.clone() type="date" value=form.value(&name)
                aria-invalid=invalid.then_some("true") aria-describedby=described.clone()/>
        }
        .into_any(),
        QuestionKind::Short => view! {
            <input id=id.clone() name=name.clone() type="text" maxlength=crate::domain::survey::SHORT_MAX.to_string()
                value=form.value(&name) aria-invalid=invalid.then_some("true") aria-describedby=described.clone()/>
        }
        .into_any(),
    };
    view! {
        <div class="field field--wide" class:field--invalid=invalid>
            <label for=id.clone()>{label}{required}</label>
            {control}
            {error.map(|m| view! { <p class="field-error" id=format!("{id}-error")>{m}</p> })}
        </div>
    }
    .into_any()
}

/// The town's part: its answer form, or (after the deadline) its answer.
fn town_part(
    id: i32,
    questions: &[Question],
    own: TownAnswer,
    flash: &Flash,
    token: String,
) -> impl IntoView + use<> {
    let state = match (own.state, &own.submitted_at) {
        (AnswerState::Submitted, Some(at)) => format!("回答済み({at} 提出)"),
        (state, _) => state.label().to_owned(),
    };
    let status = view! { <p class="status-line">{format!("この団体の回答: {state}")}</p> };
    if !own.may_edit {
        let rows = questions
            .iter()
            .zip(&own.cells)
            .map(|(q, cell)| view! { <tr><th scope="row">{q.label.clone()}</th><td>{cell.clone()}</td></tr> })
            .collect_view();
        return view! {
            {status}
            <p class="notice notice--warning">"回答期限を過ぎたため変更できません。変更が必要なときは県に再開を依頼してください。"</p>
            <TableBox label="この団体の回答">
                <table class="data-table"><tbody>{rows}</tbody></table>
            </TableBox>
        }
        .into_any();
    }
    let (values, lists) = stored_values(&own.values);
    let form = FormValues::new(values, lists, flash);
    let fields = questions
        .iter()
        .enumerate()
        .map(|(i, q)| answer_field(&form, i, q))
        .collect_view();
    let submitted = own.state == AnswerState::Submitted;
    let summary = (!flash.success && flash.errors.len() > 1).then(
        || view! { <p class="notice notice--error" role="alert">{flash.message.clone()}</p> },
    );
    view! {
        {status}
        {own.reopened.then(|| view! { <p class="notice">"県が回答を再開しました。変更して提出し直してください。"</p> })}
        <form method="post" action=format!("/surveys/{id}/answer") class="stacked-form form-card">
            <CsrfField token/>
            <input type="hidden" name="version" value=own.version.to_string()/>
            {summary}
            {fields}
            <div class="actions">
                {(!submitted).then(|| view! {
                    <button type="submit" name="action" value="draft" class="button--secondary">"下書き保存"</button>
                })}
                <button type="submit" name="action" value="submit">
                    {if submitted { "回答を更新する" } else { "提出する" }}
                </button>
            </div>
        </form>
    }
    .into_any()
}

/// One question's figures: a chart of the options, or the sums.
fn result_view(i: usize, r: &QuestionResult) -> impl IntoView + use<> {
    let title = format!("{}. {}", i + 1, r.label);
    let figures = match &r.tally {
        Tally::Counts(counts) => {
            let bars = counts
                .iter()
                .map(|(option, n)| Bar {
                    label: option.clone(),
                    value: f64::from(*n),
                    limit: None,
                    text: format!("{n} 市町村"),
                    series: 0,
                })
                .collect();
            view! { <BarChart title=title.clone() bars/> }.into_any()
        }
        Tally::Numbers {
            sum,
            mean,
            min,
            max,
        } => {
            let show = |x: &Option<f64>| x.map(number_text).unwrap_or_else(|| "—".to_owned());
            view! {
                <dl class="figures">
                    <dt>"合計"</dt><dd>{number_text(*sum)}</dd>
                    <dt>"平均"</dt><dd>{mean.map(|m| format!("{m:.1}")).unwrap_or_else(|| "—".to_owned())}</dd>
                    <dt>"最小"</dt><dd>{show(min)}</dd>
                    <dt>"最大"</dt><dd>{show(max)}</dd>
                </dl>
            }
            .into_any()
        }
        Tally::Answered => {
            view! { <p class="help">"回答は市町村ごとの表とダウンロードで確認できます。"</p> }
                .into_any()
        }
    };
    view! {
        <section class="question-result">
            <h3>{title.clone()}</h3>
            <p class="help">{format!("{} 市町村が回答", r.answered)}</p>
            {figures}
        </section>
    }
}

/// The 県's part: who answered, the figures, every answer, the downloads.
fn county_part(
    id: i32,
    questions: &[Question],
    results: SurveyResults,
    token: String,
) -> impl IntoView + use<> {
    let not_started = results.total - results.answered - results.drafts;
    let bars = [
        ("回答済み", results.answered),
        ("下書き", results.drafts),
        ("未回答", not_started),
    ]
    .into_iter()
    .map(|(label, n)| Bar {
        label: label.into(),
        value: f64::from(n),
        limit: Some(f64::from(results.total)),
        text: format!("{n} / {}", results.total),
        series: 0,
    })
    .collect();
    let figures = results
        .questions
        .iter()
        .enumerate()
        .map(|(i, r)| result_view(i, r))
        .collect_view();
    let heads = questions
        .iter()
        .enumerate()
        .map(|(i, q)| view! { <th scope="col">{format!("{}. {}", i + 1, q.label)}</th> })
        .collect_view();
    let rows = results
        .towns
        .iter()
        .map(|t| {
            let cells = t.cells.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view();
            let reopen = (t.state == AnswerState::Submitted || !t.may_edit).then(|| {
                view! {
                    <form method="post" action=format!("/surveys/{id}/towns/{}/reopen", t.municipality) class="inline-form">
                        <CsrfField token=token.clone()/>
                        <button type="submit" class="button--small" aria-label=format!("{}の回答を再開", t.name)>"再開"</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <th scope="row">{t.name.clone()}</th>
                    <td>{t.state.label()}{t.reopened.then_some("(再開中)")}</td>
                    <td>{t.submitted_at.clone().unwrap_or_default()}</td>
                    {cells}
                    <td>{reopen}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="status-heading">
            <h2 id="status-heading">{format!("回答した市町村 {} / {}", results.answered, results.total)}</h2>
            <BarChart title="回答の状況".to_owned() bars/>
            <p class="downloads">
                <a href=format!("/api/surveys/{id}/answers.csv") download>"CSV をダウンロード"</a>
                " "
                <a href=format!("/api/surveys/{id}/answers.xlsx") download>"Excel (.xlsx) をダウンロード"</a>
            </p>
        </section>
        <section aria-labelledby="figures-heading">
            <h2 id="figures-heading">"集計(提出済みの回答)"</h2>
            {figures}
        </section>
        <section aria-labelledby="answers-heading">
            <h2 id="answers-heading">"市町村ごとの回答"</h2>
            <TableBox label="市町村ごとの回答">
                <table class="data-table survey-answers">
                    <thead><tr>
                        <th scope="col">"市町村"</th>
                        <th scope="col">"状態"</th>
                        <th scope="col">"提出日時"</th>
                        {heads}
                        <th scope="col">"操作"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableBox>
        </section>
    }
}
