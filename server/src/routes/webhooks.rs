//! Outgoing webhooks: the JSON API and the admin page's form posts (they work
//! without JavaScript).

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Form, Json};
use serde_json::Value;

use app::api::flash::Flash;
use app::api::webhooks::{DeliveryList, WebhookInput, WebhookList};
use app::auth::RequestAuth;
use app::domain::training::form::pairs_lookup;
use app::error::AppError;
use app::services::webhooks;
use app::state::AppState;

use super::bad_json;
use super::forms::{answer_refused, answer_refused_with, error_flash, redirect_with, typed};

const PAGE: &str = "/admin/webhooks";

/// The prefecture's webhooks.
pub async fn list(
    State(state): State<AppState>,
    auth: RequestAuth,
) -> Result<Json<WebhookList>, AppError> {
    Ok(Json(webhooks::list_for(&state.db, &auth).await?))
}

/// Registers one.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<WebhookInput>, JsonRejection>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    auth.signed_in()?;
    let Json(input) = body.map_err(bad_json)?;
    let id = webhooks::create_for(&state.db, &auth, &state.webhooks, &input).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

/// Removes one.
pub async fn delete(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<StatusCode, AppError> {
    webhooks::delete_for(&state.db, &auth, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One webhook's latest deliveries.
pub async fn deliveries(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<Json<DeliveryList>, AppError> {
    Ok(Json(webhooks::deliveries_for(&state.db, &auth, id).await?))
}

/// Sends a delivery again.
pub async fn resend(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Result<StatusCode, AppError> {
    webhooks::resend_for(&state.db, &auth, id).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Registers from the admin page: `url`, `events` checkboxes, `format`, `secret`.
pub async fn create_form(
    State(state): State<AppState>,
    auth: RequestAuth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let get = pairs_lookup(&fields);
    let input = WebhookInput {
        url: get("url").unwrap_or_default(),
        events: fields
            .iter()
            .filter(|(k, _)| k == "events")
            .map(|(_, v)| v.clone())
            .collect(),
        format: get("format").unwrap_or_default(),
        secret: get("secret"),
    };
    match webhooks::create_for(&state.db, &auth, &state.webhooks, &input).await {
        Ok(_) => redirect_with(&state, PAGE, &Flash::success("Webhook を登録しました。")).await,
        Err(error) => {
            answer_refused_with(&state, PAGE, error, |error| {
                // The secret is not shown again.
                let mut values = typed(&fields);
                values.remove("secret");
                let mut flash = error_flash(error, values);
                flash.lists.insert("events".into(), input.events.clone());
                flash
            })
            .await
        }
    }
}

/// Removes from the admin page.
pub async fn delete_form(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Response {
    match webhooks::delete_for(&state.db, &auth, id).await {
        Ok(()) => redirect_with(&state, PAGE, &Flash::success("Webhook を削除しました。")).await,
        Err(error) => answer_refused(&state, PAGE, error).await,
    }
}

/// Resends from the admin page.
pub async fn resend_form(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
) -> Response {
    match webhooks::resend_for(&state.db, &auth, id).await {
        Ok(()) => {
            redirect_with(
                &state,
                PAGE,
                &Flash::success("再送を予約しました。数秒で送られます。"),
            )
            .await
        }
        Err(error) => answer_refused(&state, PAGE, error).await,
    }
}
