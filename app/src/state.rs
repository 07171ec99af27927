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
    /// Session lifetimes and cookie attributes.
    pub auth: AuthSettings,
    /// The data directory (SQLite file, index): `/healthz` reports its free space.
    pub data_dir: std::path::PathBuf,
    /// Wakes the open channel pages when a post is written or changed.
    pub live: crate::live::LiveHub,
    /// How outgoing webhooks are checked.
    pub webhooks: WebhookSettings,
}

/// How outgoing webhooks are checked when registered.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WebhookSettings {
    /// Accept URLs on loopback, private and link-local addresses (tests, and an
    /// office that runs its chat tool inside its own network).
    pub allow_private: bool,
}

/// How long sessions last and how their cookie is sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthSettings {
    /// A session unused this long ends.
    pub idle: chrono::Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute: chrono::Duration,
    /// Send cookies with `Secure` (the portal is served over HTTPS).
    pub cookie_secure: bool,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            idle: chrono::Duration::minutes(60),
            absolute: chrono::Duration::hours(12),
            cookie_secure: false,
        }
    }
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
