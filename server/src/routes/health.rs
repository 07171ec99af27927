//! `GET /healthz`: whether the server can do its work.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use app::state::AppState;

/// State of one dependency.
#[derive(Debug, Serialize)]
pub struct Check {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The health report.
#[derive(Debug, Serialize)]
pub struct Health {
    status: &'static str,
    database: Check,
}

/// Pings the database; answers 200 when everything is ok, 503 otherwise.
pub async fn check(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database = match state.db.ping().await {
        Ok(()) => Check {
            status: "ok",
            error: None,
        },
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            Check {
                status: "error",
                error: Some("database unreachable".to_owned()),
            }
        }
    };
    let healthy = database.status == "ok";
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Health {
            status: if healthy { "ok" } else { "error" },
            database,
        }),
    )
}
