//! The server functions of the 照会 pages. Data shapes live in
//! [`crate::api::surveys`].

use crate::error::AppError;

/// The 照会 the caller made or must answer.
#[leptos::server(endpoint = "surveys/list", input = leptos::server_fn::codec::Json)]
pub async fn load_surveys() -> Result<crate::api::surveys::SurveyList, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::surveys::list_for(&state.db, &auth).await
}

/// One 照会 with the caller's town's answer, or every answer for the 県.
#[leptos::server(endpoint = "surveys/get", input = leptos::server_fn::codec::Json)]
pub async fn load_survey(id: i32) -> Result<crate::api::surveys::SurveyView, AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::surveys::view_for(&state.db, &auth, id).await
}
