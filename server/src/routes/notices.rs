//! お知らせ: the JSON API and the pages' form posts (they work without
//! JavaScript; each redirects with a flash message).

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Form, Json};

use app::api::flash::Flash;
use app::api::notices::{NoticeInput, NoticeList, NoticeView};
use app::auth::RequestAuth;
use app::domain::training::form::pairs_lookup;
use app::error::AppError;
use app::services::notices;
use app::state::AppState;

use super::bad_json;
use super::forms::{answer_refused, answer_refused_with, redirect_with, refused_flash};

/// The notices the caller sent or received.
pub async fn list(
    State(state): State<AppState>,
    auth: RequestAuth,
) -> Result<Json<NoticeList>, AppError> {
    Ok(Json(notices::list_for(&state.db, &auth).await?))
}

/// Sends a notice.
pub async fn send(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<NoticeInput>, JsonRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), AppError> {
    auth.signed_in()?;
    let Json(input) = body.map_err(bad_json)?;
    let id = notices::send_for(&state.db, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

/// One notice with who read it.
pub async fn get(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<Json<NoticeView>, AppError> {
    Ok(Json(notices::view_for(&state.db, &auth, id).await?))
}

/// Confirms, for the caller's town, that it was read.
pub async fn read(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<StatusCode, AppError> {
    notices::confirm_for(&state.db, &auth, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reminds the towns that have not read it.
pub async fn remind(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<Json<serde_json::Value>, AppError> {
    let reminded = notices::remind_for(&state.db, &auth, id).await?;
    Ok(Json(serde_json::json!({ "reminded": reminded })))
}

/// Sends a notice from the list page's form (`municipalities` checkboxes, or `all`).
pub async fn send_form(
    State(state): State<AppState>,
    auth: RequestAuth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let get = pairs_lookup(&fields);
    let everyone = get("to").as_deref() == Some("all");
    let input = NoticeInput {
        title: get("title").unwrap_or_default(),
        body: get("body").unwrap_or_default(),
        municipalities: if everyone {
            vec!["all".to_owned()]
        } else {
            fields
                .iter()
                .filter(|(k, _)| k == "municipalities")
                .map(|(_, v)| v.clone())
                .collect()
        },
    };
    match notices::send_for(&state.db, &auth, &input).await {
        Ok(id) => {
            redirect_with(
                &state,
                &format!("/notices/{id}"),
                &Flash::success("お知らせを送りました。"),
            )
            .await
        }
        Err(error) => {
            answer_refused_with(&state, "/notices", error, |error| {
                refused_flash(error, &fields)
            })
            .await
        }
    }
}

/// Confirms reading from the notice's page or the town's home.
pub async fn read_form(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Response {
    let page = format!("/notices/{id}");
    match notices::confirm_for(&state.db, &auth, id).await {
        Ok(()) => redirect_with(&state, &page, &Flash::success("確認済みにしました。")).await,
        Err(error) => answer_refused(&state, &page, error).await,
    }
}

/// Reminds from the notice's page.
pub async fn remind_form(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Response {
    let page = format!("/notices/{id}");
    match notices::remind_for(&state.db, &auth, id).await {
        Ok(n) => {
            redirect_with(
                &state,
                &page,
                &Flash::success(format!("未確認の {n} 市町村に再度お知らせしました。")),
            )
            .await
        }
        Err(error) => answer_refused(&state, &page, error).await,
    }
}
