//! 照会: the JSON API, the downloads, and the pages' form posts (they work
//! without JavaScript; each redirects with a flash message, a refused one with
//! what was typed).

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Form, Json};
use serde_json::Value;

use app::api::flash::Flash;
use app::api::surveys::{
    AnswerInput, QuestionInput, SurveyInput, SurveyList, SurveyResults, SurveyView,
};
use app::auth::RequestAuth;
use app::domain::local_gov::LocalGovCode;
use app::domain::training::form::pairs_lookup;
use app::error::AppError;
use app::services::surveys;
use app::state::AppState;

use super::bad_json;
use super::forms::{answer_refused, answer_refused_with, redirect_with, refused_flash};

/// Rows of questions the page's form offers.
const FORM_QUESTIONS: usize = app::domain::survey::FORM_QUESTIONS;

fn town(code: &str) -> Result<LocalGovCode, AppError> {
    code.parse()
        .map_err(|_| AppError::invalid("code", "団体コードは6桁の数字です。"))
}

/// The 照会 the caller made or must answer.
pub async fn list(
    State(state): State<AppState>,
    auth: RequestAuth,
) -> Result<Json<SurveyList>, AppError> {
    Ok(Json(surveys::list_for(&state.db, &auth).await?))
}

/// Makes a 照会.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<SurveyInput>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    auth.signed_in()?;
    let Json(input) = body.map_err(bad_json)?;
    let id = surveys::create_for(&state.db, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

/// One 照会 (the 県 with every answer, a town with its own).
pub async fn get(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<Json<SurveyView>, AppError> {
    Ok(Json(surveys::view_for(&state.db, &auth, id).await?))
}

/// Every answer and the figures per question.
pub async fn results(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<Json<SurveyResults>, AppError> {
    Ok(Json(surveys::results_for(&state.db, &auth, id).await?))
}

/// Saves or submits a town's answer.
pub async fn answer(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path((id, code)): Path<(i32, String)>,
    body: Result<Json<AnswerInput>, JsonRejection>,
) -> Result<Json<Value>, AppError> {
    auth.signed_in()?;
    let code = town(&code)?;
    let Json(input) = body.map_err(bad_json)?;
    let version = surveys::answer_for(&state.db, &auth, id, &code, &input).await?;
    Ok(Json(serde_json::json!({ "version": version })))
}

/// Reopens a town's answer.
pub async fn reopen(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path((id, code)): Path<(i32, String)>,
) -> Result<StatusCode, AppError> {
    let code = town(&code)?;
    surveys::reopen_for(&state.db, &auth, id, &code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// All answers as CSV.
pub async fn answers_csv(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<Response, AppError> {
    let bytes = surveys::answers_csv_for(&state.db, &auth, id).await?;
    Ok(super::csv_download(
        &format!("survey-{id}-answers.csv"),
        bytes,
    ))
}

/// All answers as .xlsx.
pub async fn answers_xlsx(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let bytes = surveys::answers_xlsx_for(&state.db, &auth, id).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"survey-{id}-answers.xlsx\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The values of every field named `name`, in order (checkboxes).
fn all_of(fields: &[(String, String)], name: &str) -> Vec<String> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

/// The 県's form: title, instructions, deadline, rows of questions (rows left
/// empty are skipped; options one per line), and all towns or a selection.
fn survey_from_form(fields: &[(String, String)]) -> SurveyInput {
    let get = pairs_lookup(fields);
    let questions = (0..FORM_QUESTIONS)
        .filter_map(|i| {
            let label = get(&format!("questions.{i}")).unwrap_or_default();
            let options = get(&format!("questions.{i}.options")).unwrap_or_default();
            (!label.trim().is_empty()).then(|| QuestionInput {
                kind: get(&format!("questions.{i}.kind")).unwrap_or_default(),
                label,
                options: options.lines().map(str::to_owned).collect(),
                required: get(&format!("questions.{i}.required")).is_some(),
            })
        })
        .collect();
    SurveyInput {
        title: get("title").unwrap_or_default(),
        instructions: get("instructions").unwrap_or_default(),
        deadline: get("deadline").unwrap_or_default(),
        questions,
        municipalities: if get("to").as_deref() == Some("all") {
            vec!["all".to_owned()]
        } else {
            all_of(fields, "municipalities")
        },
    }
}

/// Makes a 照会 from the list page's form.
pub async fn create_form(
    State(state): State<AppState>,
    auth: RequestAuth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let input = survey_from_form(&fields);
    match surveys::create_for(&state.db, &auth, &input).await {
        Ok(id) => {
            redirect_with(
                &state,
                &format!("/surveys/{id}"),
                &Flash::success("照会を送りました。"),
            )
            .await
        }
        Err(error) => {
            answer_refused_with(&state, "/surveys", error, |error| {
                refused_flash(error, &fields)
            })
            .await
        }
    }
}

/// A town's answer from the 照会 page: `answers.{i}` per question (several for
/// multiple choice), `version`, and which button: `action=draft|submit`.
pub async fn answer_form(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let page = format!("/surveys/{id}");
    let code = match auth.signed_in().map(|a| a.municipality.clone()) {
        Ok(Some(code)) => code,
        Ok(None) => return answer_refused(&state, &page, AppError::Forbidden).await,
        Err(error) => return answer_refused(&state, &page, error).await,
    };
    let get = pairs_lookup(&fields);
    let count = fields
        .iter()
        .filter_map(|(k, _)| k.strip_prefix("answers.")?.parse::<usize>().ok())
        .max()
        .map_or(0, |n| n + 1)
        .min(app::domain::survey::QUESTIONS_MAX);
    let answers = (0..count)
        .map(|i| {
            let given = all_of(&fields, &format!("answers.{i}"));
            match given.len() {
                0 => Value::Null,
                1 if get(&format!("answers.{i}.multi")).is_none() => {
                    Value::String(given[0].clone())
                }
                _ => Value::Array(given.into_iter().map(Value::String).collect()),
            }
        })
        .collect();
    let submit = get("action").as_deref() == Some("submit");
    let input = AnswerInput {
        answers,
        submit,
        version: get("version").and_then(|v| v.parse().ok()),
    };
    match surveys::answer_for(&state.db, &auth, id, &code, &input).await {
        Ok(_) => {
            let message = if submit {
                "回答を提出しました。"
            } else {
                "下書きを保存しました。"
            };
            redirect_with(&state, &page, &Flash::success(message)).await
        }
        Err(error) => {
            answer_refused_with(&state, &page, error, |error| refused_flash(error, &fields)).await
        }
    }
}

/// Reopens a town's answer from the 照会 page.
pub async fn reopen_form(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path((id, code)): Path<(i32, String)>,
) -> Response {
    let page = format!("/surveys/{id}");
    let result = match town(&code) {
        Ok(code) => surveys::reopen_for(&state.db, &auth, id, &code).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => {
            redirect_with(
                &state,
                &page,
                &Flash::success("回答を再開しました。市町村が変更して提出し直せます。"),
            )
            .await
        }
        Err(error) => answer_refused(&state, &page, error).await,
    }
}
