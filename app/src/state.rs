//! Server state shared by routes and server functions.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;

use crate::error::AppError;
use crate::search::SearchIndex;

/// Everything a request handler needs; cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Connection pool (SQLite or PostgreSQL).
    pub db: DatabaseConnection,
    /// Full-text index.
    pub search: SearchIndex,
    /// Leptos rendering options (site root, output name).
    pub leptos_options: LeptosOptions,
}

impl AppState {
    /// The state provided to server functions by the router.
    pub fn from_context() -> Result<Self, AppError> {
        use_context::<Self>()
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("AppState is not in the context")))
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
