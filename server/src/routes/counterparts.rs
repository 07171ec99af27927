//! カウンターパート's JSON API: a town's counterparts on a day, one town's change,
//! a 人事異動 (JSON or CSV) previewed or applied, a town's history.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use app::api::counterparts::{
    AssignInput, ContactView, CounterpartsView, HistoryEntry, Overview, ReassignInput,
    ReassignPreview, RegionDefault, RegionDefaultInput,
};
use app::auth::RequestAuth;
use app::domain::counterpart::contact::ContactInput;
use app::domain::local_gov::LocalGovCode;
use app::error::AppError;
use app::services::counterparts;
use app::state::AppState;

use super::{bad_json, bad_query};

fn town(code: &str) -> Result<LocalGovCode, AppError> {
    LocalGovCode::parse(code).map_err(|_| AppError::not_found("市町村が見つかりません。"))
}

/// `?date=2026-10-01` (today when absent).
#[derive(Debug, Deserialize)]
pub struct DateQuery {
    /// The day.
    #[serde(default)]
    pub date: Option<String>,
}

/// A town's counterparts on a day.
pub async fn get(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(code): Path<String>,
    query: Result<Query<DateQuery>, QueryRejection>,
) -> Result<Json<CounterpartsView>, AppError> {
    auth.signed_in()?;
    let Query(query) = query.map_err(bad_query)?;
    let date = match query.date.as_deref().filter(|d| !d.is_empty()) {
        None => app::services::today(),
        Some(d) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| AppError::invalid("date", "日付は 2026-10-01 の形で指定してください。"))?,
    };
    Ok(Json(
        counterparts::counterparts_for(&state.db, &auth, &town(&code)?, date).await?,
    ))
}

/// Sets one town's counterparts from a day on.
pub async fn put(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(code): Path<String>,
    body: Result<Json<AssignInput>, JsonRejection>,
) -> Result<Json<CounterpartsView>, AppError> {
    let Json(input) = body.map_err(bad_json)?;
    Ok(Json(
        counterparts::assign_for(&state.db, &auth, &town(&code)?, &input).await?,
    ))
}

/// Names a region's default counterpart from a day on.
pub async fn region_default(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    body: Result<Json<RegionDefaultInput>, JsonRejection>,
) -> Result<Json<RegionDefault>, AppError> {
    let Json(input) = body.map_err(bad_json)?;
    Ok(Json(
        counterparts::set_region_default_for(&state.db, &auth, id, &input).await?,
    ))
}

/// A 人事異動 as JSON.
pub async fn reassign(
    State(state): State<AppState>,
    auth: RequestAuth,
    body: Result<Json<ReassignInput>, JsonRejection>,
) -> Result<Json<ReassignPreview>, AppError> {
    let Json(input) = body.map_err(bad_json)?;
    Ok(Json(
        counterparts::reassign_for(&state.db, &auth, &input).await?,
    ))
}

/// `?effective=2027-04-01&dry_run=true`.
#[derive(Debug, Deserialize)]
pub struct CsvQuery {
    /// The day it takes effect.
    #[serde(default)]
    pub effective: String,
    /// Only show what would change (the default).
    #[serde(default)]
    pub dry_run: Option<bool>,
}

/// A 人事異動 as CSV (UTF-8 or Shift_JIS) in the body.
pub async fn reassign_csv(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<CsvQuery>, QueryRejection>,
    body: Bytes,
) -> Result<Json<ReassignPreview>, AppError> {
    // Who may reassign is known before the file is read.
    counterparts::may_reassign(&auth)?;
    let Query(query) = query.map_err(bad_query)?;
    let dry_run = query.dry_run.unwrap_or(true);
    Ok(Json(
        counterparts::reassign_csv_for(&state.db, &auth, &query.effective, &body, dry_run).await?,
    ))
}

/// `?municipality=293628`.
#[derive(Debug, Deserialize)]
pub struct HistoryQuery {
    /// The town.
    #[serde(default)]
    pub municipality: String,
}

/// A town's assignments, oldest first.
pub async fn history(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<HistoryQuery>, QueryRejection>,
) -> Result<Json<Vec<HistoryEntry>>, AppError> {
    auth.signed_in()?;
    let Query(query) = query.map_err(bad_query)?;
    Ok(Json(
        counterparts::history_for(&state.db, &auth, &town(&query.municipality)?).await?,
    ))
}

/// Records a contact with a town.
pub async fn log_contact(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(code): Path<String>,
    body: Result<Json<ContactInput>, JsonRejection>,
) -> Result<(axum::http::StatusCode, Json<serde_json::Value>), AppError> {
    let code = town(&code)?;
    let Json(input) = body.map_err(bad_json)?;
    let id = counterparts::log_contact_for(&state.db, &auth, &code, &input).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(serde_json::json!({ "id": id })),
    ))
}

/// A town's contacts, newest first.
pub async fn contacts(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(code): Path<String>,
) -> Result<Json<Vec<ContactView>>, AppError> {
    auth.signed_in()?;
    Ok(Json(
        counterparts::contacts_for(&state.db, &auth, &town(&code)?).await?,
    ))
}

/// `{"done": true}`.
#[derive(Debug, Deserialize)]
pub struct DoneInput {
    /// Done or open again.
    pub done: bool,
}

/// Marks a follow-up done.
pub async fn follow_up(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    body: Result<Json<DoneInput>, JsonRejection>,
) -> Result<axum::http::StatusCode, AppError> {
    let Json(input) = body.map_err(bad_json)?;
    counterparts::set_follow_up_done_for(&state.db, &auth, id, input.done).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// `?fiscal_year=2026&unvisited=true`.
#[derive(Debug, Deserialize)]
pub struct OverviewQuery {
    /// The 年度 (this one when absent).
    #[serde(default)]
    pub fiscal_year: Option<i32>,
    /// Only the towns not visited in it.
    #[serde(default)]
    pub unvisited: bool,
}

impl OverviewQuery {
    fn year(&self) -> app::domain::wareki::FiscalYear {
        self.fiscal_year
            .filter(|y| (2000..=2100).contains(y))
            .map_or_else(
                || app::domain::wareki::FiscalYear::of(app::services::today()),
                app::domain::wareki::FiscalYear,
            )
    }
}

/// The 県's overview of its towns.
pub async fn overview(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<OverviewQuery>, QueryRejection>,
) -> Result<Json<Overview>, AppError> {
    auth.signed_in()?;
    let Query(query) = query.map_err(bad_query)?;
    Ok(Json(
        counterparts::overview_for(&state.db, &auth, query.year(), query.unvisited).await?,
    ))
}

/// The overview as CSV.
pub async fn overview_csv(
    State(state): State<AppState>,
    auth: RequestAuth,
    query: Result<Query<OverviewQuery>, QueryRejection>,
) -> Result<axum::response::Response, AppError> {
    auth.signed_in()?;
    let Query(query) = query.map_err(bad_query)?;
    let bytes =
        counterparts::overview_csv_for(&state.db, &auth, query.year(), query.unvisited).await?;
    Ok(super::csv_download("overview.csv", bytes))
}

/// Each 県 staff member's load.
pub async fn workload(
    State(state): State<AppState>,
    auth: RequestAuth,
) -> Result<Json<Vec<app::api::counterparts::WorkloadRow>>, AppError> {
    Ok(Json(counterparts::workload_for(&state.db, &auth).await?))
}
