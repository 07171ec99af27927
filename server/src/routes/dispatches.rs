//! 派遣's JSON API: programmes, requests and their steps, a town's quota, the 県's
//! usage, the 派遣実績 export.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use app::api::dispatches::{
    DispatchDetail, DispatchQuery, DispatchSummary, ProgrammeInput, ProgrammePatch, ProgrammeView,
    QuotaView, StepInput, UsageTable,
};
use app::auth::RequestAuth;
use app::domain::dispatch::Step;
use app::domain::dispatch::input::DispatchInput;
use app::domain::ids::{DispatchId, ProgrammeId};
use app::domain::local_gov::LocalGovCode;
use app::domain::wareki::FiscalYear;
use app::error::AppError;
use app::services::dispatches;
use app::state::AppState;

use super::{bad_json, bad_query};

/// The programmes of the caller's prefecture.
pub async fn programmes(
    State(state): State<AppState>,
    auth: RequestAuth,
) -> Result<Json<Vec<ProgrammeView>>, AppError> {
    Ok(Json(dispatches::programmes_for(&state.db, &auth).await?))
}

/// Defines a programme.
pub async fn create_programme(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<ProgrammeInput>, JsonRejection>,
) -> Result<(StatusCode, Json<ProgrammeView>), AppError> {
    let Json(input) = body.map_err(bad_json)?;
    let view = dispatches::create_programme_for(&state.db, &auth, &input).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Changes the named fields of a programme.
pub async fn patch_programme(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<ProgrammeId>,
    body: Result<Json<ProgrammePatch>, JsonRejection>,
) -> Result<Json<ProgrammeView>, AppError> {
    let Json(patch) = body.map_err(bad_json)?;
    Ok(Json(
        dispatches::patch_programme_for(&state.db, &auth, id, &patch).await?,
    ))
}

/// Files a request.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<DispatchInput>, JsonRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), AppError> {
    let Json(input) = body.map_err(bad_json)?;
    let id = dispatches::request_for(&state.db, &auth, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": id, "status": "submitted" })),
    ))
}

/// The requests the caller may see.
pub async fn list(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<DispatchQuery>, QueryRejection>,
) -> Result<Json<Vec<DispatchSummary>>, AppError> {
    let Query(query) = query.map_err(bad_query)?;
    Ok(Json(dispatches::list_for(&state.db, &auth, &query).await?))
}

/// 派遣実績 as CSV.
pub async fn export_csv(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<DispatchQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    auth.signed_in()?;
    let Query(query) = query.map_err(bad_query)?;
    let bytes = dispatches::export_for(&state.db, &auth, &query).await?;
    Ok(super::csv_download("dispatches.csv", bytes))
}

/// One request with its timeline.
pub async fn get(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<DispatchId>,
) -> Result<Json<DispatchDetail>, AppError> {
    Ok(Json(dispatches::detail_for(&state.db, &auth, id).await?))
}

/// `?fiscal_year=2026`; this 年度 when absent.
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    /// 2026 for 令和8年度.
    #[serde(default)]
    pub fiscal_year: Option<i32>,
}

impl YearQuery {
    fn year(&self) -> Result<FiscalYear, AppError> {
        match self.fiscal_year {
            None => Ok(FiscalYear::of(app::services::today())),
            Some(y) if (2000..=2100).contains(&y) => Ok(FiscalYear(y)),
            Some(_) => Err(AppError::invalid(
                "fiscal_year",
                "年度は西暦の4桁(令和8年度なら2026)で指定してください。",
            )),
        }
    }
}

/// A town's quota for a 年度.
pub async fn quota(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(code): Path<String>,
    query: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Json<QuotaView>, AppError> {
    auth.signed_in()?;
    let code =
        LocalGovCode::parse(&code).map_err(|_| AppError::not_found("市町村が見つかりません。"))?;
    let Query(query) = query.map_err(bad_query)?;
    Ok(Json(
        dispatches::quota_for(&state.db, &auth, &code, query.year()?).await?,
    ))
}

/// Each town's use of each programme in a 年度 (the 県).
pub async fn usage(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<YearQuery>, QueryRejection>,
) -> Result<Json<UsageTable>, AppError> {
    auth.signed_in()?;
    let Query(query) = query.map_err(bad_query)?;
    Ok(Json(
        dispatches::usage_for(&state.db, &auth, query.year()?).await?,
    ))
}

/// A step's body, once the caller may take it (an empty body reads as `{}`).
fn body_as<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|e| AppError::invalid("body", format!("JSON を読み取れません: {e}")))
}

async fn take(
    state: &AppState,
    auth: &RequestAuth,
    id: DispatchId,
    step: Step,
    body: &[u8],
) -> Result<Json<DispatchDetail>, AppError> {
    dispatches::may_take(&state.db, auth, id, step).await?;
    let input = match step {
        Step::Propose => StepInput::Propose(body_as(body)?),
        Step::Approve => StepInput::Approve(body_as(body)?),
        Step::Reject => StepInput::Reject(body_as(body)?),
        Step::Report => StepInput::Report(body_as(body)?),
        Step::Accept | Step::Decline | Step::Withdraw | Step::Confirm => StepInput::Plain,
    };
    Ok(Json(
        dispatches::step_for(&state.db, auth, id, step, &input).await?,
    ))
}

macro_rules! step_route {
    ($name:ident, $step:expr, $doc:literal) => {
        #[doc = $doc]
        pub async fn $name(
            State(state): State<AppState>,
            auth: RequestAuth,
            Path(id): Path<DispatchId>,
            body: Bytes,
        ) -> Result<Json<DispatchDetail>, AppError> {
            take(&state, &auth, id, $step, &body).await
        }
    };
}

step_route!(propose, Step::Propose, "The 県 proposes an advisor.");
step_route!(accept, Step::Accept, "The advisor accepts.");
step_route!(decline, Step::Decline, "The advisor declines.");
step_route!(approve, Step::Approve, "The 県 approves with the schedule.");
step_route!(reject, Step::Reject, "The 県 rejects with a reason.");
step_route!(withdraw, Step::Withdraw, "The town withdraws.");
step_route!(report, Step::Report, "The advisor reports.");
step_route!(confirm, Step::Confirm, "The town confirms the report.");

/// The absolute address of a feed, from the host the request came to.
pub(super) fn feed_url(state: &AppState, headers: &axum::http::HeaderMap, token: &str) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:3000");
    let scheme = if state.auth.cookie_secure {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}/api/calendar/{token}.ics")
}

/// Issues the caller's calendar feed address (the old one stops working).
pub async fn issue_calendar(
    State(state): State<AppState>,
    auth: RequestAuth,
    headers: axum::http::HeaderMap,
) -> Result<Json<serde_json::Value>, AppError> {
    let token = dispatches::issue_calendar_token_for(&state.db, &auth).await?;
    Ok(Json(
        serde_json::json!({ "url": feed_url(&state, &headers, &token) }),
    ))
}

/// A calendar feed, `/api/calendar/{secret}.ics`.
pub async fn calendar(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let token = file
        .strip_suffix(".ics")
        .ok_or_else(|| AppError::not_found("このカレンダーはありません。"))?;
    let (_, text) = dispatches::calendar_feed(&state.db, token).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        text,
    )
        .into_response())
}
