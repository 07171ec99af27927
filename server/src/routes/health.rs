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

/// State of the search index.
#[derive(Debug, Serialize)]
pub struct IndexCheck {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    documents: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// The health report.
#[derive(Debug, Serialize)]
pub struct Health {
    status: &'static str,
    database: Check,
    index: IndexCheck,
}

/// Pings the database, proves it takes a write, and counts the index; 200 when
/// both are ok, 503 otherwise.
pub async fn check(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database = match state.db.ping().await {
        Ok(()) => match app::services::health::probe_write(&state.db).await {
            Ok(()) => Check {
                status: "ok",
                error: None,
            },
            Err(error) => {
                tracing::error!(%error, "health check: database does not take writes");
                Check {
                    status: "error",
                    error: Some("database does not take writes".to_owned()),
                }
            }
        },
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            Check {
                status: "error",
                error: Some("database unreachable".to_owned()),
            }
        }
    };
    let search = state.search.clone();
    let index = match tokio::task::spawn_blocking(move || search.total()).await {
        Ok(Ok(documents)) => IndexCheck {
            status: "ok",
            documents: Some(documents),
            error: None,
        },
        Ok(Err(error)) => {
            tracing::error!(%error, "health check: search index unreadable");
            IndexCheck {
                status: "error",
                documents: None,
                error: Some("search index unreadable".to_owned()),
            }
        }
        Err(error) => {
            tracing::error!(%error, "health check: index task failed");
            IndexCheck {
                status: "error",
                documents: None,
                error: Some("search index check failed".to_owned()),
            }
        }
    };
    let healthy = database.status == "ok" && index.status == "ok";
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
            index,
        }),
    )
}
