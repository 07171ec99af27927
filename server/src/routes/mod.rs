//! JSON routes (`/api/…`, `/healthz`). Each handler parses its input, calls a
//! service and maps the error; pages and server functions are served by Leptos.

use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::Method;
use axum::routing::{get, post};

use app::domain::policy::Action;
use app::error::AppError;
use app::state::AppState;

mod accounts;
mod advisor_forms;
mod advisors;
mod cases;
pub mod forms;
mod health;
mod municipalities;
mod search;
mod session;
mod taxonomy;
mod training_forms;
mod trainings;

/// The rule a state-changing endpoint is guarded by (documented here, enforced by
/// the handler through [`app::auth::RequestAuth`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone (signing in).
    Public,
    /// Anyone signed in, for themselves (signing out).
    SignedIn,
    /// The policy decides, for this action.
    Policy(Action),
    /// A server function that only reads (Leptos posts every call).
    ReadOnly,
}

/// A state-changing route (any method but GET/HEAD/OPTIONS).
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// HTTP method.
    pub method: &'static str,
    /// Route pattern as axum matches it.
    pub path: &'static str,
    /// What guards it.
    pub rule: Rule,
}

const fn endpoint(method: &'static str, path: &'static str, rule: Rule) -> Endpoint {
    Endpoint { method, path, rule }
}

/// Every state-changing endpoint. A request to one that is missing here is refused
/// (403) before it reaches its handler, so a new endpoint cannot go live without
/// an entry; the policy matrix tests walk this list.
pub const ENDPOINTS: &[Endpoint] = &[
    endpoint("POST", "/api/session", Rule::Public),
    endpoint(
        "PUT",
        "/api/advisors/{id}/availability",
        Rule::Policy(Action::EditOwnAdvisorProfile),
    ),
    endpoint(
        "POST",
        "/api/advisors/match",
        Rule::Policy(Action::MatchAdvisors),
    ),
    endpoint("POST", "/api/advisors", Rule::Policy(Action::ManageAdvisor)),
    endpoint(
        "PATCH",
        "/api/advisors/{id}",
        Rule::Policy(Action::EditOwnAdvisorProfile),
    ),
    endpoint(
        "PUT",
        "/api/advisors/{id}/status",
        Rule::Policy(Action::ManageAdvisor),
    ),
    endpoint(
        "PUT",
        "/api/advisors/{id}/account",
        Rule::Policy(Action::ManageAdvisor),
    ),
    endpoint(
        "PUT",
        "/api/advisors/{id}/photo",
        Rule::Policy(Action::EditOwnAdvisorProfile),
    ),
    endpoint(
        "DELETE",
        "/api/advisors/{id}/photo",
        Rule::Policy(Action::EditOwnAdvisorProfile),
    ),
    endpoint(
        "POST",
        "/api/advisors/import",
        Rule::Policy(Action::ManageAdvisor),
    ),
    endpoint(
        "POST",
        "/api/taxonomy",
        Rule::Policy(Action::ManageTaxonomy),
    ),
    endpoint(
        "PATCH",
        "/api/taxonomy/{kind}/{code}",
        Rule::Policy(Action::ManageTaxonomy),
    ),
    endpoint("POST", "/advisors/new", Rule::Policy(Action::ManageAdvisor)),
    endpoint(
        "POST",
        "/advisors/{id}/edit",
        Rule::Policy(Action::EditOwnAdvisorProfile),
    ),
    endpoint(
        "POST",
        "/advisors/{id}/status",
        Rule::Policy(Action::ManageAdvisor),
    ),
    endpoint(
        "POST",
        "/advisors/{id}/account",
        Rule::Policy(Action::ManageAdvisor),
    ),
    endpoint(
        "POST",
        "/admin/advisors/import",
        Rule::Policy(Action::ManageAdvisor),
    ),
    endpoint(
        "POST",
        "/admin/taxonomy",
        Rule::Policy(Action::ManageTaxonomy),
    ),
    endpoint(
        "POST",
        "/admin/taxonomy/{kind}/{code}",
        Rule::Policy(Action::ManageTaxonomy),
    ),
    endpoint(
        "POST",
        "/api/trainings",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/api/trainings/{id}/open",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/api/trainings/{id}/close",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/api/trainings/{id}/hold",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/api/trainings/{id}/enrolments",
        Rule::Policy(Action::EnrolTraining),
    ),
    endpoint(
        "DELETE",
        "/api/trainings/{id}/enrolments/{enrolment}",
        Rule::Policy(Action::EnrolTraining),
    ),
    endpoint(
        "PUT",
        "/api/trainings/{id}/sessions/{session}/attendance",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/api/trainings/{id}/confirm",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/trainings/new",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/trainings/{id}/edit",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/trainings/{id}/status",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/trainings/{id}/confirm",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/trainings/{id}/sessions/{session}/attendance",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/trainings/{id}/enrolments",
        Rule::Policy(Action::EnrolTraining),
    ),
    endpoint(
        "POST",
        "/trainings/{id}/enrolments/{enrolment}/cancel",
        Rule::Policy(Action::EnrolTraining),
    ),
    endpoint("DELETE", "/api/session", Rule::SignedIn),
    endpoint(
        "PUT",
        "/api/me/password",
        Rule::Policy(Action::ChangeOwnPassword),
    ),
    endpoint("POST", "/api/accounts", Rule::Policy(Action::CreateAccount)),
    endpoint(
        "PATCH",
        "/api/accounts/{id}",
        Rule::Policy(Action::ManageAccount),
    ),
    endpoint(
        "POST",
        "/api/accounts/{id}/revoke-sessions",
        Rule::Policy(Action::ManageAccount),
    ),
    endpoint("POST", "/login", Rule::Public),
    endpoint("POST", "/logout", Rule::SignedIn),
    endpoint(
        "POST",
        "/account/password",
        Rule::Policy(Action::ChangeOwnPassword),
    ),
    endpoint(
        "POST",
        "/admin/accounts",
        Rule::Policy(Action::CreateAccount),
    ),
    endpoint(
        "POST",
        "/admin/accounts/{id}/active",
        Rule::Policy(Action::ManageAccount),
    ),
    endpoint(
        "POST",
        "/admin/accounts/{id}/revoke",
        Rule::Policy(Action::ManageAccount),
    ),
    endpoint("POST", "/api/cases/list", Rule::ReadOnly),
    endpoint("POST", "/api/trainings/list", Rule::ReadOnly),
    endpoint("POST", "/api/trainings/get", Rule::ReadOnly),
    endpoint("POST", "/api/trainings/notices", Rule::ReadOnly),
    endpoint(
        "POST",
        "/api/trainings/form",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint(
        "POST",
        "/api/trainings/edit_form",
        Rule::Policy(Action::ManageTraining),
    ),
    endpoint("POST", "/api/cases/get", Rule::ReadOnly),
    endpoint("POST", "/api/session/current", Rule::ReadOnly),
    endpoint("POST", "/api/flash/take", Rule::ReadOnly),
    endpoint("POST", "/api/home/front", Rule::ReadOnly),
    endpoint("POST", "/api/advisors/list", Rule::ReadOnly),
    endpoint("POST", "/api/advisors/get", Rule::ReadOnly),
    endpoint(
        "POST",
        "/api/advisors/form",
        Rule::Policy(Action::EditOwnAdvisorProfile),
    ),
    endpoint(
        "POST",
        "/api/advisors/admin_list",
        Rule::Policy(Action::ManageAdvisor),
    ),
    endpoint(
        "POST",
        "/api/advisors/rank",
        Rule::Policy(Action::MatchAdvisors),
    ),
    endpoint(
        "POST",
        "/api/advisors/match_choices",
        Rule::Policy(Action::MatchAdvisors),
    ),
    endpoint(
        "POST",
        "/api/taxonomy/list",
        Rule::Policy(Action::ManageTaxonomy),
    ),
    endpoint("POST", "/api/accounts/municipality_choices", Rule::ReadOnly),
    endpoint(
        "POST",
        "/api/accounts/list",
        Rule::Policy(Action::ListAccounts),
    ),
    endpoint(
        "POST",
        "/api/accounts/get",
        Rule::Policy(Action::ManageAccount),
    ),
    endpoint(
        "POST",
        "/api/audit/list",
        Rule::Policy(Action::ViewAuditLog),
    ),
    endpoint(
        "POST",
        "/api/home/municipality",
        Rule::Policy(Action::ViewMunicipality),
    ),
    endpoint(
        "POST",
        "/api/home/prefecture",
        Rule::Policy(Action::ViewPrefecture),
    ),
];

/// Whether a state-changing request targets a registered endpoint.
pub fn endpoint_registered(method: &Method, path: &str) -> bool {
    ENDPOINTS
        .iter()
        .any(|e| e.method == method.as_str() && e.path == path)
}

/// The JSON API and the health check. Unknown `/api/…` paths answer with a JSON 404
/// rather than the HTML not-found page.
pub fn router() -> Router<AppState> {
    let api = Router::new()
        .route("/cases", get(cases::list))
        .route("/cases/{slug}", get(cases::get))
        .route("/municipalities", get(municipalities::list))
        .route("/prefectures", get(municipalities::prefectures))
        .route("/search", get(search::search))
        .route("/session", post(session::create).delete(session::delete))
        .route("/me", get(session::me))
        .route("/me/password", axum::routing::put(session::change_password))
        .route("/accounts", get(accounts::list).post(accounts::create))
        .route("/accounts/{id}", get(accounts::get).patch(accounts::update))
        .route(
            "/accounts/{id}/revoke-sessions",
            post(accounts::revoke_sessions),
        )
        .route("/audit", get(accounts::audit_log))
        .route("/advisors", get(advisors::list).post(advisors::create))
        .route("/advisors/match", post(advisors::match_need))
        .route("/advisors/export.csv", get(advisors::export_csv))
        .route("/advisors/import", post(advisors::import_csv))
        .route("/advisors/{id}", get(advisors::get).patch(advisors::update))
        .route(
            "/advisors/{id}/availability",
            axum::routing::put(advisors::set_availability),
        )
        .route(
            "/advisors/{id}/status",
            axum::routing::put(advisors::set_status),
        )
        .route(
            "/advisors/{id}/account",
            axum::routing::put(advisors::link_account),
        )
        .route(
            "/advisors/{id}/photo",
            axum::routing::put(advisors::put_photo).delete(advisors::delete_photo),
        )
        .route("/taxonomy", get(taxonomy::list).post(taxonomy::create))
        .route(
            "/taxonomy/{kind}/{code}",
            axum::routing::patch(taxonomy::update),
        )
        .route("/trainings", get(trainings::list).post(trainings::create))
        .route("/trainings/{id}", get(trainings::get))
        .route("/trainings/{id}/open", post(trainings::open))
        .route("/trainings/{id}/close", post(trainings::close))
        .route("/trainings/{id}/hold", post(trainings::hold))
        .route("/trainings/{id}/enrolments", post(trainings::enrol))
        .route(
            "/trainings/{id}/enrolments/{enrolment}",
            axum::routing::delete(trainings::cancel),
        )
        .route(
            "/trainings/{id}/sessions/{session}/attendance",
            axum::routing::put(trainings::attendance),
        )
        .route("/trainings/{id}/split", get(trainings::split))
        .route("/trainings/{id}/confirm", post(trainings::confirm))
        .route("/trainings/{id}/notices.csv", get(trainings::notices_csv))
        .fallback(api_not_found);
    Router::new()
        .route("/healthz", get(health::check))
        .route("/login", post(forms::login))
        .route("/logout", post(forms::logout))
        .route("/account/password", post(forms::change_password))
        .route("/admin/accounts", post(forms::create_account))
        .route("/admin/accounts/{id}/active", post(forms::set_active))
        .route("/admin/accounts/{id}/revoke", post(forms::revoke_sessions))
        .route("/advisors/new", post(advisor_forms::create))
        .route("/advisors/{id}/edit", post(advisor_forms::edit))
        .route("/advisors/{id}/status", post(advisor_forms::set_status))
        .route("/advisors/{id}/account", post(advisor_forms::link_account))
        .route("/advisors/{id}/photo", get(advisors::photo))
        .route("/admin/advisors/import", post(advisor_forms::import_csv))
        .route("/admin/taxonomy", post(advisor_forms::add_term))
        .route(
            "/admin/taxonomy/{kind}/{code}",
            post(advisor_forms::change_term),
        )
        .route("/trainings/new", post(training_forms::create))
        .route("/trainings/{id}/edit", post(training_forms::edit))
        .route("/trainings/{id}/status", post(training_forms::set_status))
        .route("/trainings/{id}/confirm", post(training_forms::confirm))
        .route(
            "/trainings/{id}/sessions/{session}/attendance",
            post(training_forms::attendance),
        )
        .route("/trainings/{id}/enrolments", post(training_forms::enrol))
        .route(
            "/trainings/{id}/enrolments/{enrolment}/cancel",
            post(training_forms::cancel),
        )
        .nest("/api", api)
}

async fn api_not_found() -> AppError {
    AppError::not_found("この API はありません。")
}

/// A CSV download (UTF-8; the services write the BOM), never stored by caches.
fn csv_download(file_name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// Turns an unreadable JSON body into a 400 naming the body.
fn bad_json(rejection: JsonRejection) -> AppError {
    AppError::invalid(
        "body",
        format!("JSON を読み取れません: {}", rejection.body_text()),
    )
}

/// A JSON body read as `T`, or a 400 naming the body.
fn json_as<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(value)
        .map_err(|e| AppError::invalid("body", format!("JSON を読み取れません: {e}")))
}

/// The version of the record the client's copy was of: `If-Match: "3"` (or
/// `W/"3"`), else a `version` member of the JSON body; `None` when it sent none
/// (the edit then applies to whatever is stored).
fn expected_version(
    headers: &axum::http::HeaderMap,
    body: Option<&serde_json::Value>,
) -> Result<Option<i32>, AppError> {
    if let Some(value) = headers.get(axum::http::header::IF_MATCH) {
        let text = value.to_str().unwrap_or_default().trim();
        let text = text.strip_prefix("W/").unwrap_or(text);
        return text.trim_matches('"').parse().map(Some).map_err(|_| {
            AppError::invalid(
                "If-Match",
                "If-Match には版番号(例: \"3\")を指定してください。",
            )
        });
    }
    match body.and_then(|b| b.get("version")) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(value) => value
            .as_i64()
            .and_then(|v| i32::try_from(v).ok())
            .map(Some)
            .ok_or_else(|| AppError::invalid("version", "version は整数で指定してください。")),
    }
}

/// An `ETag` header carrying a row version.
fn etag(version: i32) -> [(axum::http::HeaderName, String); 1] {
    [(axum::http::header::ETAG, format!("\"{version}\""))]
}

/// Turns an unreadable query string into a 400 naming the query.
fn bad_query(rejection: QueryRejection) -> AppError {
    AppError::invalid(
        "query",
        format!("クエリ文字列を読み取れません: {}", rejection.body_text()),
    )
}
