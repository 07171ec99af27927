//! JSON routes (`/api/…`, `/healthz`). Each handler parses its input, calls a
//! service and maps the error; pages and server functions are served by Leptos.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, any, get, on};

use app::domain::policy::Action;
use app::error::AppError;
use app::state::AppState;

mod accounts;
mod advisor_forms;
mod advisors;
mod cases;
mod channel_forms;
mod channels;
mod counterpart_forms;
mod counterparts;
mod dispatch_forms;
mod dispatches;
pub mod forms;
mod health;
mod municipalities;
mod notices;
mod search;
mod session;
mod surveys;
mod taxonomy;
mod training_forms;
mod trainings;
mod webhooks;

/// The rule a state-changing endpoint is guarded by (declared with its route,
/// enforced by the handler through [`app::auth::RequestAuth`]).
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

/// The portal's own routes, each declared once: a state-changing one with its
/// rule, which goes into the endpoint registry as it is mounted.
struct Routes {
    router: Router<AppState>,
    endpoints: Vec<Endpoint>,
}

impl Routes {
    fn new() -> Self {
        Self {
            router: Router::new(),
            endpoints: SERVER_FUNCTIONS.to_vec(),
        }
    }

    /// A GET route (reads authorise in their service).
    fn read<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, handler: H) -> Self {
        self.router = self.router.route(path, get(handler));
        self
    }

    fn write<H: Handler<T, AppState>, T: 'static>(
        mut self,
        (method, filter): (&'static str, MethodFilter),
        path: &'static str,
        rule: Rule,
        handler: H,
    ) -> Self {
        self.router = self.router.route(path, on(filter, handler));
        self.endpoints.push(Endpoint { method, path, rule });
        self
    }

    fn post<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        rule: Rule,
        handler: H,
    ) -> Self {
        self.write(("POST", MethodFilter::POST), path, rule, handler)
    }

    fn put<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        rule: Rule,
        handler: H,
    ) -> Self {
        self.write(("PUT", MethodFilter::PUT), path, rule, handler)
    }

    fn patch<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        rule: Rule,
        handler: H,
    ) -> Self {
        self.write(("PATCH", MethodFilter::PATCH), path, rule, handler)
    }

    fn delete<H: Handler<T, AppState>, T: 'static>(
        self,
        path: &'static str,
        rule: Rule,
        handler: H,
    ) -> Self {
        self.write(("DELETE", MethodFilter::DELETE), path, rule, handler)
    }
}

/// The server functions Leptos mounts under `/api/…` (every call is a POST), with
/// the rule of each; `#[server]` declares the function, this its rule.
const SERVER_FUNCTIONS: &[Endpoint] = &[
    read_only("/api/cases/list"),
    read_only("/api/cases/get"),
    read_only("/api/counterparts/overview"),
    read_only("/api/channels/list"),
    read_only("/api/channels/get"),
    read_only("/api/channels/find"),
    read_only("/api/notices/list"),
    read_only("/api/notices/get"),
    read_only("/api/surveys/list"),
    read_only("/api/surveys/get"),
    guarded("/api/webhooks/page", Action::ManageWebhooks),
    guarded(
        "/api/counterparts/reassign_page",
        Action::AssignCounterparts,
    ),
    read_only("/api/dispatches/board"),
    read_only("/api/dispatches/form"),
    read_only("/api/dispatches/get"),
    read_only("/api/dispatches/programmes"),
    read_only("/api/dispatches/usage"),
    read_only("/api/trainings/list"),
    read_only("/api/trainings/get"),
    read_only("/api/trainings/notices"),
    guarded("/api/trainings/form", Action::ManageTraining),
    guarded("/api/trainings/edit_form", Action::ManageTraining),
    read_only("/api/session/current"),
    read_only("/api/flash/take"),
    read_only("/api/home/front"),
    read_only("/api/advisors/list"),
    read_only("/api/advisors/get"),
    guarded("/api/advisors/form", Action::EditOwnAdvisorProfile),
    guarded("/api/advisors/admin_list", Action::ManageAdvisor),
    guarded("/api/advisors/rank", Action::MatchAdvisors),
    guarded("/api/advisors/match_choices", Action::MatchAdvisors),
    guarded("/api/taxonomy/list", Action::ManageTaxonomy),
    read_only("/api/accounts/municipality_choices"),
    guarded("/api/accounts/list", Action::ListAccounts),
    guarded("/api/accounts/get", Action::ManageAccount),
    guarded("/api/audit/list", Action::ViewAuditLog),
    guarded("/api/home/municipality", Action::ViewMunicipality),
    guarded("/api/home/prefecture", Action::ViewPrefecture),
];

const fn read_only(path: &'static str) -> Endpoint {
    Endpoint {
        method: "POST",
        path,
        rule: Rule::ReadOnly,
    }
}

const fn guarded(path: &'static str, action: Action) -> Endpoint {
    Endpoint {
        method: "POST",
        path,
        rule: Rule::Policy(action),
    }
}

/// Every state-changing endpoint: the routes below and the server functions. A
/// request to one that is missing here is refused (403) before it reaches its
/// handler; the policy matrix tests walk this list.
pub fn endpoints() -> &'static [Endpoint] {
    static ALL: LazyLock<Vec<Endpoint>> = LazyLock::new(|| declared().endpoints);
    &ALL
}

/// Whether a state-changing request targets a registered endpoint.
pub fn endpoint_registered(method: &Method, path: &str) -> bool {
    endpoints()
        .iter()
        .any(|e| e.method == method.as_str() && e.path == path)
}

/// The JSON API, the form posts and the health check. Unknown `/api/…` paths
/// answer with a JSON 404 rather than the HTML not-found page.
pub fn router() -> Router<AppState> {
    declared().router
}

/// Every route of the portal (pages and server functions are Leptos's), in one
/// place: the path, the method, the rule of a state-changing one, the handler.
// Long by design: one line per route, so every path, method and rule is read in one table.
fn declared() -> Routes {
    use Action::*;
    use Rule::{Policy, Public, SignedIn};
    Routes::new()
        .read("/healthz", health::check)
        // The browser bundle under its versioned names (`crate::assets`).
        .read("/pkg/{*file}", crate::assets::serve)
        // Sessions and the caller's own account.
        .post("/login", Public, forms::login)
        .post("/logout", SignedIn, forms::logout)
        .post(
            "/account/password",
            Policy(ChangeOwnPassword),
            forms::change_password,
        )
        .post("/api/session", Public, session::create)
        .delete("/api/session", SignedIn, session::delete)
        .read("/api/me", session::me)
        .put(
            "/api/me/password",
            Policy(ChangeOwnPassword),
            session::change_password,
        )
        // Accounts and the audit log.
        .post(
            "/admin/accounts",
            Policy(CreateAccount),
            forms::create_account,
        )
        .post(
            "/admin/accounts/{id}/active",
            Policy(ManageAccount),
            forms::set_active,
        )
        .post(
            "/admin/accounts/{id}/revoke",
            Policy(ManageAccount),
            forms::revoke_sessions,
        )
        .post(
            "/admin/accounts/{id}/password",
            Policy(ManageAccount),
            forms::reset_password,
        )
        .read("/api/accounts", accounts::list)
        .post("/api/accounts", Policy(CreateAccount), accounts::create)
        .read("/api/accounts/{id}", accounts::get)
        .patch(
            "/api/accounts/{id}",
            Policy(ManageAccount),
            accounts::update,
        )
        .post(
            "/api/accounts/{id}/revoke-sessions",
            Policy(ManageAccount),
            accounts::revoke_sessions,
        )
        .read("/api/audit", accounts::audit_log)
        .read("/api/audit.csv", accounts::audit_csv)
        // Reference data, cases and search.
        .read("/api/cases", cases::list)
        .read("/api/cases/{slug}", cases::get)
        .read("/api/municipalities", municipalities::list)
        .read("/api/prefectures", municipalities::prefectures)
        .read("/api/search", search::search)
        // The advisor bank.
        .post(
            "/advisors/new",
            Policy(ManageAdvisor),
            advisor_forms::create,
        )
        .post(
            "/advisors/{id}/edit",
            Policy(EditOwnAdvisorProfile),
            advisor_forms::edit,
        )
        .post(
            "/advisors/{id}/status",
            Policy(ManageAdvisor),
            advisor_forms::set_status,
        )
        .post(
            "/advisors/{id}/account",
            Policy(ManageAdvisor),
            advisor_forms::link_account,
        )
        .read("/advisors/{id}/photo", advisors::photo)
        .post(
            "/admin/advisors/import",
            Policy(ManageAdvisor),
            advisor_forms::import_csv,
        )
        .read("/api/advisors", advisors::list)
        .post("/api/advisors", Policy(ManageAdvisor), advisors::create)
        .post(
            "/api/advisors/match",
            Policy(MatchAdvisors),
            advisors::match_need,
        )
        .read("/api/advisors/export.csv", advisors::export_csv)
        .post(
            "/api/advisors/import",
            Policy(ManageAdvisor),
            advisors::import_csv,
        )
        .read("/api/advisors/{id}", advisors::get)
        .patch(
            "/api/advisors/{id}",
            Policy(EditOwnAdvisorProfile),
            advisors::update,
        )
        .put(
            "/api/advisors/{id}/availability",
            Policy(EditOwnAdvisorProfile),
            advisors::set_availability,
        )
        .put(
            "/api/advisors/{id}/status",
            Policy(ManageAdvisor),
            advisors::set_status,
        )
        .put(
            "/api/advisors/{id}/account",
            Policy(ManageAdvisor),
            advisors::link_account,
        )
        .put(
            "/api/advisors/{id}/photo",
            Policy(EditOwnAdvisorProfile),
            advisors::put_photo,
        )
        .delete(
            "/api/advisors/{id}/photo",
            Policy(EditOwnAdvisorProfile),
            advisors::delete_photo,
        )
        // Vocabularies.
        .post(
            "/admin/taxonomy",
            Policy(ManageTaxonomy),
            advisor_forms::add_term,
        )
        .post(
            "/admin/taxonomy/{kind}/{code}",
            Policy(ManageTaxonomy),
            advisor_forms::change_term,
        )
        .read("/api/taxonomy", taxonomy::list)
        .post("/api/taxonomy", Policy(ManageTaxonomy), taxonomy::create)
        .patch(
            "/api/taxonomy/{kind}/{code}",
            Policy(ManageTaxonomy),
            taxonomy::update,
        )
        // Joint training.
        .post(
            "/trainings/new",
            Policy(ManageTraining),
            training_forms::create,
        )
        .post(
            "/trainings/{id}/edit",
            Policy(ManageTraining),
            training_forms::edit,
        )
        .post(
            "/trainings/{id}/status",
            Policy(ManageTraining),
            training_forms::set_status,
        )
        .post(
            "/trainings/{id}/confirm",
            Policy(ManageTraining),
            training_forms::confirm,
        )
        .post(
            "/trainings/{id}/billing",
            Policy(ManageTraining),
            training_forms::billing,
        )
        .post(
            "/trainings/{id}/sessions/{session}/attendance",
            Policy(ManageTraining),
            training_forms::attendance,
        )
        .post(
            "/trainings/{id}/enrolments",
            Policy(EnrolTraining),
            training_forms::enrol,
        )
        .post(
            "/trainings/{id}/enrolments/{enrolment}/cancel",
            Policy(EnrolTraining),
            training_forms::cancel,
        )
        .read("/api/trainings", trainings::list)
        .post("/api/trainings", Policy(ManageTraining), trainings::create)
        .read("/api/trainings/{id}", trainings::get)
        .post(
            "/api/trainings/{id}/open",
            Policy(ManageTraining),
            trainings::open,
        )
        .post(
            "/api/trainings/{id}/close",
            Policy(ManageTraining),
            trainings::close,
        )
        .post(
            "/api/trainings/{id}/hold",
            Policy(ManageTraining),
            trainings::hold,
        )
        .post(
            "/api/trainings/{id}/enrolments",
            Policy(EnrolTraining),
            trainings::enrol,
        )
        .delete(
            "/api/trainings/{id}/enrolments/{enrolment}",
            Policy(EnrolTraining),
            trainings::cancel,
        )
        .put(
            "/api/trainings/{id}/sessions/{session}/attendance",
            Policy(ManageTraining),
            trainings::attendance,
        )
        .read("/api/trainings/{id}/split", trainings::split)
        .post(
            "/api/trainings/{id}/confirm",
            Policy(ManageTraining),
            trainings::confirm,
        )
        .read("/api/trainings/{id}/notices.csv", trainings::notices_csv)
        .put(
            "/api/trainings/{id}/billing",
            Policy(ManageTraining),
            trainings::set_billing,
        )
        // 派遣: programmes, requests and their steps, quotas.
        .post(
            "/dispatches/new",
            Policy(RequestDispatch),
            dispatch_forms::create,
        )
        .post(
            "/dispatches/{id}/propose",
            Policy(ManageDispatch),
            dispatch_forms::propose,
        )
        .post(
            "/dispatches/{id}/approve",
            Policy(ManageDispatch),
            dispatch_forms::approve,
        )
        .post(
            "/dispatches/{id}/reject",
            Policy(ManageDispatch),
            dispatch_forms::reject,
        )
        .post(
            "/dispatches/{id}/accept",
            Policy(AnswerDispatch),
            dispatch_forms::accept,
        )
        .post(
            "/dispatches/{id}/decline",
            Policy(AnswerDispatch),
            dispatch_forms::decline,
        )
        .post(
            "/dispatches/{id}/report",
            Policy(AnswerDispatch),
            dispatch_forms::report,
        )
        .post(
            "/dispatches/{id}/withdraw",
            Policy(RequestDispatch),
            dispatch_forms::withdraw,
        )
        .post(
            "/dispatches/{id}/confirm",
            Policy(RequestDispatch),
            dispatch_forms::confirm,
        )
        .post(
            "/dispatches/calendar",
            SignedIn,
            dispatch_forms::issue_calendar,
        )
        .post("/api/calendar/token", SignedIn, dispatches::issue_calendar)
        .post(
            "/dispatches/programmes",
            Policy(ManageProgrammes),
            dispatch_forms::create_programme,
        )
        .post(
            "/dispatches/programmes/{id}",
            Policy(ManageProgrammes),
            dispatch_forms::patch_programme,
        )
        .read("/api/calendar/{file}", dispatches::calendar)
        .read("/api/programmes", dispatches::programmes)
        .post(
            "/api/programmes",
            Policy(ManageProgrammes),
            dispatches::create_programme,
        )
        .patch(
            "/api/programmes/{id}",
            Policy(ManageProgrammes),
            dispatches::patch_programme,
        )
        .read("/api/dispatches", dispatches::list)
        .post(
            "/api/dispatches",
            Policy(RequestDispatch),
            dispatches::create,
        )
        .read("/api/dispatches.csv", dispatches::export_csv)
        .read("/api/dispatches/usage", dispatches::usage)
        .read("/api/dispatches/{id}", dispatches::get)
        .post(
            "/api/dispatches/{id}/propose",
            Policy(ManageDispatch),
            dispatches::propose,
        )
        .post(
            "/api/dispatches/{id}/approve",
            Policy(ManageDispatch),
            dispatches::approve,
        )
        .post(
            "/api/dispatches/{id}/reject",
            Policy(ManageDispatch),
            dispatches::reject,
        )
        .post(
            "/api/dispatches/{id}/accept",
            Policy(AnswerDispatch),
            dispatches::accept,
        )
        .post(
            "/api/dispatches/{id}/decline",
            Policy(AnswerDispatch),
            dispatches::decline,
        )
        .post(
            "/api/dispatches/{id}/report",
            Policy(AnswerDispatch),
            dispatches::report,
        )
        .post(
            "/api/dispatches/{id}/withdraw",
            Policy(RequestDispatch),
            dispatches::withdraw,
        )
        .post(
            "/api/dispatches/{id}/confirm",
            Policy(RequestDispatch),
            dispatches::confirm,
        )
        .read("/api/municipalities/{code}/quota", dispatches::quota)
        // カウンターパート.
        .read("/api/municipalities/{code}/counterparts", counterparts::get)
        .put(
            "/api/municipalities/{code}/counterparts",
            Policy(AssignCounterparts),
            counterparts::put,
        )
        .post(
            "/api/counterparts/reassign",
            Policy(AssignCounterparts),
            counterparts::reassign,
        )
        .post(
            "/api/counterparts/reassign.csv",
            Policy(AssignCounterparts),
            counterparts::reassign_csv,
        )
        .read("/api/counterparts/history", counterparts::history)
        .read("/api/counterparts/workload", counterparts::workload)
        .read(
            "/api/municipalities/{code}/contacts",
            counterparts::contacts,
        )
        .post(
            "/api/municipalities/{code}/contacts",
            Policy(LogContact),
            counterparts::log_contact,
        )
        .patch(
            "/api/follow-ups/{id}",
            Policy(LogContact),
            counterparts::follow_up,
        )
        .post(
            "/municipalities/{code}/contacts",
            Policy(LogContact),
            counterpart_forms::log_contact,
        )
        .post(
            "/follow-ups/{id}",
            Policy(LogContact),
            counterpart_forms::follow_up_done,
        )
        .put(
            "/api/regions/{id}/counterpart",
            Policy(AssignCounterparts),
            counterparts::region_default,
        )
        .post(
            "/counterparts/reassign/preview",
            Policy(AssignCounterparts),
            counterpart_forms::preview_reassign,
        )
        .post(
            "/counterparts/reassign/apply",
            Policy(AssignCounterparts),
            counterpart_forms::apply_reassign,
        )
        .post(
            "/counterparts/regions/{id}",
            Policy(AssignCounterparts),
            counterpart_forms::set_region_default,
        )
        // 情報共有.
        .read("/api/channels", channels::list)
        .post("/api/channels", Policy(ManageChannel), channels::create)
        .read("/api/channels/{id}/posts", channels::posts)
        .post(
            "/api/channels/{id}/posts",
            Policy(ReadChannel),
            channels::post,
        )
        .read("/api/channels/{id}/events", channels::events)
        .put(
            "/api/channels/{id}/members",
            Policy(ManageChannel),
            channels::members,
        )
        .post(
            "/channels/{id}/members",
            Policy(ManageChannel),
            channel_forms::members,
        )
        .patch("/api/posts/{id}", Policy(EditPost), channels::edit)
        .delete("/api/posts/{id}", Policy(DeletePost), channels::delete)
        .post("/channels", Policy(ManageChannel), channel_forms::create)
        .post(
            "/channels/{id}/posts",
            Policy(ReadChannel),
            channel_forms::post,
        )
        .post("/posts/{id}/edit", Policy(EditPost), channel_forms::edit)
        .post(
            "/posts/{id}/delete",
            Policy(DeletePost),
            channel_forms::delete,
        )
        // お知らせ.
        .read("/api/notices", notices::list)
        .post("/api/notices", Policy(SendNotice), notices::send)
        .read("/api/notices/{id}", notices::get)
        .post(
            "/api/notices/{id}/read",
            Policy(ConfirmNotice),
            notices::read,
        )
        .post(
            "/api/notices/{id}/remind",
            Policy(SendNotice),
            notices::remind,
        )
        .post("/notices", Policy(SendNotice), notices::send_form)
        .post(
            "/notices/{id}/read",
            Policy(ConfirmNotice),
            notices::read_form,
        )
        .post(
            "/notices/{id}/remind",
            Policy(SendNotice),
            notices::remind_form,
        )
        // 照会.
        .read("/api/surveys", surveys::list)
        .post("/api/surveys", Policy(RunSurvey), surveys::create)
        .read("/api/surveys/{id}", surveys::get)
        .read("/api/surveys/{id}/results", surveys::results)
        .read("/api/surveys/{id}/answers.csv", surveys::answers_csv)
        .read("/api/surveys/{id}/answers.xlsx", surveys::answers_xlsx)
        .put(
            "/api/surveys/{id}/answers/{code}",
            Policy(AnswerSurvey),
            surveys::answer,
        )
        .post(
            "/api/surveys/{id}/answers/{code}/reopen",
            Policy(RunSurvey),
            surveys::reopen,
        )
        .post("/surveys", Policy(RunSurvey), surveys::create_form)
        .post(
            "/surveys/{id}/answer",
            Policy(AnswerSurvey),
            surveys::answer_form,
        )
        .post(
            "/surveys/{id}/towns/{code}/reopen",
            Policy(RunSurvey),
            surveys::reopen_form,
        )
        // Outgoing webhooks.
        .read("/api/webhooks", webhooks::list)
        .post("/api/webhooks", Policy(ManageWebhooks), webhooks::create)
        .delete(
            "/api/webhooks/{id}",
            Policy(ManageWebhooks),
            webhooks::delete,
        )
        .read("/api/webhooks/{id}/deliveries", webhooks::deliveries)
        .post(
            "/api/webhook-deliveries/{id}/resend",
            Policy(ManageWebhooks),
            webhooks::resend,
        )
        .post(
            "/admin/webhooks",
            Policy(ManageWebhooks),
            webhooks::create_form,
        )
        .post(
            "/admin/webhooks/{id}/delete",
            Policy(ManageWebhooks),
            webhooks::delete_form,
        )
        .post(
            "/webhook-deliveries/{id}/resend",
            Policy(ManageWebhooks),
            webhooks::resend_form,
        )
        .read("/api/overview", counterparts::overview)
        .read("/api/overview.csv", counterparts::overview_csv)
        .not_found_under_api()
}

impl Routes {
    /// Any other `/api/…` path: a JSON 404.
    fn not_found_under_api(mut self) -> Self {
        self.router = self
            .router
            .route("/api", any(api_not_found))
            .route("/api/{*rest}", any(api_not_found));
        self
    }
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
