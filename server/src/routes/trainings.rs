//! 共同研修's JSON API: courses, their life cycle, enrolment, attendance, the split,
//! its confirmation and the 負担金 notices as CSV.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use app::api::trainings::{
    AttendanceRequest, CancelResult, EnrolRequest, EnrolResult, SplitView, TrainingDetail,
    TrainingSummary,
};
use app::auth::RequestAuth;
use app::domain::ids::{CourseId, EnrolmentId, SessionId};
use app::domain::training::TrainingStatus;
use app::domain::training::input::TrainingInput;
use app::error::AppError;
use app::services::trainings;
use app::state::AppState;

/// The catalogue.
pub async fn list(
    State(state): State<AppState>,
    auth: RequestAuth,
) -> Result<Json<Vec<TrainingSummary>>, AppError> {
    Ok(Json(trainings::list_for(&state.db, &auth).await?))
}

/// One course.
pub async fn get(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
) -> Result<Json<TrainingDetail>, AppError> {
    Ok(Json(trainings::detail_for(&state.db, &auth, id).await?))
}

/// Creates a course (a draft) organised by the caller's prefecture or municipality.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<TrainingInput>, JsonRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), AppError> {
    let Json(input) = body.map_err(super::bad_json)?;
    let id = trainings::create_for(&state.db, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "id": id }))))
}

/// Sets what the course's 負担金 notices say besides the amounts.
pub async fn set_billing(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
    body: Result<Json<app::api::trainings::BillingInput>, JsonRejection>,
) -> Result<Json<app::api::trainings::BillingView>, AppError> {
    let Json(input) = body.map_err(super::bad_json)?;
    Ok(Json(
        trainings::set_billing_for(&state.db, &auth, id, &input).await?,
    ))
}

async fn transition(
    state: &AppState,
    auth: &RequestAuth,
    id: CourseId,
    next: TrainingStatus,
) -> Result<Json<serde_json::Value>, AppError> {
    let status = trainings::transition_for(&state.db, auth, id, next).await?;
    Ok(Json(serde_json::json!({ "status": status.as_str() })))
}

/// Opens enrolment.
pub async fn open(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
) -> Result<Json<serde_json::Value>, AppError> {
    transition(&state, &auth, id, TrainingStatus::Open).await
}

/// Ends enrolment (a provisional split can be made).
pub async fn close(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
) -> Result<Json<serde_json::Value>, AppError> {
    transition(&state, &auth, id, TrainingStatus::Closed).await
}

/// Marks the course as held (attendance complete).
pub async fn hold(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
) -> Result<Json<serde_json::Value>, AppError> {
    transition(&state, &auth, id, TrainingStatus::Held).await
}

/// Enrols staff of the caller's municipality.
pub async fn enrol(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
    body: Result<Json<EnrolRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<EnrolResult>), AppError> {
    let Json(request) = body.map_err(super::bad_json)?;
    let result = trainings::enrol_for(&state.db, &auth, id, &request).await?;
    Ok((StatusCode::CREATED, Json(result)))
}

/// Cancels an enrolment; the first on the waitlist moves up.
pub async fn cancel(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path((id, enrolment)): Path<(CourseId, EnrolmentId)>,
) -> Result<Json<CancelResult>, AppError> {
    Ok(Json(
        trainings::cancel_for(&state.db, &auth, id, enrolment).await?,
    ))
}

/// Records who attended a session.
pub async fn attendance(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path((id, session)): Path<(CourseId, SessionId)>,
    body: Result<Json<AttendanceRequest>, JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let Json(request) = body.map_err(super::bad_json)?;
    let present = trainings::record_attendance_for(&state.db, &auth, id, session, &request).await?;
    Ok(Json(serde_json::json!({ "present": present })))
}

/// The split as it stands, or as confirmed.
pub async fn split(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
) -> Result<Json<SplitView>, AppError> {
    Ok(Json(trainings::split_for(&state.db, &auth, id).await?))
}

/// Confirms (確定) the split.
pub async fn confirm(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
) -> Result<Json<SplitView>, AppError> {
    Ok(Json(trainings::confirm_for(&state.db, &auth, id).await?))
}

/// Every notice the caller may see, as CSV (UTF-8 with BOM).
pub async fn notices_csv(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
) -> Result<Response, AppError> {
    let bytes = trainings::notices_csv_for(&state.db, &auth, id).await?;
    Ok(super::csv_download(
        &format!("training-{id}-notices.csv"),
        bytes,
    ))
}
