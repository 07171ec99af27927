//! The server functions of the trainings pages: parse, authorise through the
//! service, call it. Data shapes live in [`crate::api::trainings`].

use crate::api::trainings::*;

/// A stored course's form; only for its organiser.
#[leptos::server(endpoint = "trainings/edit_form", input = leptos::server_fn::codec::Json)]
pub async fn course_edit_form(
    id: crate::domain::ids::CourseId,
) -> Result<CourseEdit, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::trainings::edit_form_for(&state.db, &auth, id).await
}

/// The course form's context; refused to those who may not organise a course.
#[leptos::server(endpoint = "trainings/form", input = leptos::server_fn::codec::Json)]
pub async fn course_form() -> Result<CourseFormContext, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::trainings::course_form_for(&state.db, &auth).await
}

/// The catalogue of joint trainings the caller may see.
#[leptos::server(endpoint = "trainings/list", input = leptos::server_fn::codec::Json)]
pub async fn list_trainings() -> Result<Vec<TrainingSummary>, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::trainings::list_for(&state.db, &auth).await
}

/// One course with what the caller may see of it.
#[leptos::server(endpoint = "trainings/get", input = leptos::server_fn::codec::Json)]
pub async fn get_training(
    id: crate::domain::ids::CourseId,
) -> Result<TrainingDetail, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::trainings::detail_for(&state.db, &auth, id).await
}

/// The 負担金 notices of a confirmed course the caller may see.
#[leptos::server(endpoint = "trainings/notices", input = leptos::server_fn::codec::Json)]
pub async fn training_notices(
    id: crate::domain::ids::CourseId,
) -> Result<Vec<Notice>, crate::error::AppError> {
    let state = crate::state::AppState::from_context()?;
    let auth = crate::auth::RequestAuth::from_context();
    crate::services::trainings::notices_for(&state.db, &auth, id).await
}
