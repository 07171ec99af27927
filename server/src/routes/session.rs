//! `POST /api/session` (sign in), `DELETE /api/session` (sign out), `GET /api/me`,
//! `PUT /api/me/password`.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::auth::{RequestAuth, SESSION_COOKIE, SessionStatus};
use app::error::AppError;
use app::services::{accounts, sessions};
use app::state::AppState;

use super::bad_json;
use crate::security::{cookie, cookie_value};

/// Sign-in credentials.
#[derive(Debug, Deserialize)]
pub struct Credentials {
    email: String,
    password: String,
}

/// Signs in: 200 with the session cookie and `/api/me`'s body, 401 with a message
/// that does not say whether the email exists, 429 when throttled.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    headers: HeaderMap,
    body: Result<Json<Credentials>, JsonRejection>,
) -> Result<Response, AppError> {
    let Json(credentials) = body.map_err(bad_json)?;
    let session = sign_in(
        &state,
        &auth,
        &headers,
        &credentials.email,
        &credentials.password,
    )
    .await?;
    let mut response = Json(me_body(&session.actor)).into_response();
    set_session_cookie(&mut response, &state, Some(&session.token));
    Ok(response)
}

/// Sets the session cookie on a response (lasting the absolute session lifetime),
/// or clears it with `None`. A sign-in also gets a new CSRF token, so a token
/// planted before the sign-in is worthless after it.
pub fn set_session_cookie(response: &mut Response, state: &AppState, token: Option<&str>) {
    if token.is_some()
        && let Ok(csrf) = app::services::passwords::random_token()
    {
        response.headers_mut().append(
            header::SET_COOKIE,
            cookie(
                app::auth::CSRF_COOKIE,
                &csrf,
                None,
                state.auth.cookie_secure,
            ),
        );
    }
    let max_age = match token {
        Some(_) => state.auth.absolute.num_seconds(),
        None => 0,
    };
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie(
            SESSION_COOKIE,
            token.unwrap_or_default(),
            Some(max_age),
            state.auth.cookie_secure,
        ),
    );
}

/// Checks credentials and opens a session, ending any session the browser had.
pub async fn sign_in(
    state: &AppState,
    auth: &RequestAuth,
    headers: &HeaderMap,
    email: &str,
    password: &str,
) -> Result<sessions::NewSession, sessions::LoginError> {
    let previous = cookie_value(headers, SESSION_COOKIE);
    sessions::login(
        &state.db,
        &state.auth,
        &auth.audit(),
        email,
        password,
        &auth.user_agent,
        previous.as_deref(),
    )
    .await
}

/// Signs out: 204 and a cleared cookie; 401 when not signed in.
pub async fn delete(
    State(state): State<AppState>,
    auth: RequestAuth,
) -> Result<Response, AppError> {
    sign_out(&state, &auth).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    set_session_cookie(&mut response, &state, None);
    Ok(response)
}

/// Ends the caller's session.
pub async fn sign_out(state: &AppState, auth: &RequestAuth) -> Result<(), AppError> {
    let actor = auth.signed_in()?;
    if let SessionStatus::Active { token_hash } = &auth.session {
        sessions::logout(&state.db, &auth.audit(), actor, token_hash).await?;
    }
    Ok(())
}

/// The signed-in person, or 401.
pub async fn me(auth: RequestAuth) -> Result<Json<serde_json::Value>, AppError> {
    Ok(Json(me_body(auth.signed_in()?)))
}

fn me_body(actor: &app::domain::account::Actor) -> serde_json::Value {
    serde_json::json!({
        "email": actor.email,
        "display_name": actor.display_name,
        "role": actor.role,
        "prefecture": actor.prefecture,
        "municipality": actor.municipality,
    })
}

/// A password change.
#[derive(Debug, Deserialize)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// Changes the caller's password; their other sessions end. 204.
pub async fn change_password(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<PasswordChange>, JsonRejection>,
) -> Result<StatusCode, AppError> {
    let Json(change) = body.map_err(bad_json)?;
    accounts::change_own_password(
        &state.db,
        &auth,
        &change.current_password,
        &change.new_password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
