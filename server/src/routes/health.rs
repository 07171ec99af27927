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

/// Free space where the database and the index are written.
#[derive(Debug, Serialize)]
pub struct StorageCheck {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    available_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// Below this much free space in the data directory the server reports itself
/// unable to take writes: a small write may still fit where the database had
/// room, but the next larger one, or the index, will not.
pub const MIN_FREE_BYTES: u64 = 16 * 1024 * 1024;

/// The health report.
#[derive(Debug, Serialize)]
pub struct Health {
    status: &'static str,
    database: Check,
    index: IndexCheck,
    storage: StorageCheck,
}

fn storage(dir: &std::path::Path) -> StorageCheck {
    match fs4::available_space(dir) {
        Ok(available) if available >= MIN_FREE_BYTES => StorageCheck {
            status: "ok",
            available_bytes: Some(available),
            error: None,
        },
        Ok(available) => {
            tracing::error!(available, dir = %dir.display(), "health check: the data directory is (almost) full");
            StorageCheck {
                status: "error",
                available_bytes: Some(available),
                error: Some("disk full".to_owned()),
            }
        }
        Err(error) => {
            tracing::warn!(%error, dir = %dir.display(), "health check: cannot read free space");
            StorageCheck {
                status: "unknown",
                available_bytes: None,
                error: None,
            }
        }
    }
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
    let storage = storage(&state.data_dir);
    let healthy = database.status == "ok" && index.status == "ok" && storage.status != "error";
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
            storage,
        }),
    )
}
