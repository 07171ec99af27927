//! JSON routes (`/api/…`, `/healthz`). Each handler parses its input, calls a
//! service and maps the error; pages and server functions are served by Leptos.

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::routing::get;

use app::error::AppError;
use app::state::AppState;

mod cases;
mod health;
mod municipalities;
mod search;

/// The JSON API and the health check. Unknown `/api/…` paths answer with a JSON 404
/// rather than the HTML not-found page.
pub fn router() -> Router<AppState> {
    let api = Router::new()
        .route("/cases", get(cases::list))
        .route("/cases/{slug}", get(cases::get))
        .route("/municipalities", get(municipalities::list))
        .route("/prefectures", get(municipalities::prefectures))
        .route("/search", get(search::search))
        .fallback(api_not_found);
    Router::new()
        .route("/healthz", get(health::check))
        .nest("/api", api)
}

async fn api_not_found() -> AppError {
    AppError::not_found("この API はありません。")
}

/// Turns an unreadable query string into a 400 naming the query.
fn bad_query(rejection: QueryRejection) -> AppError {
    AppError::invalid(
        "query",
        format!("クエリ文字列を読み取れません: {}", rejection.body_text()),
    )
}
