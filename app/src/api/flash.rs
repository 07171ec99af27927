//! One-time messages after a form post (Post/Redirect/Get): the handler stores the
//! outcome and the values typed on the server (`services::form_flash`) and sets a
//! short-lived cookie with a random token; the next page shows them once and clears
//! the cookie. Nothing in the URL, so no link can fake a message.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Name of the flash cookie.
pub const FLASH_COOKIE: &str = "renkei_flash";

/// The outcome of the last form post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// `true` for a success message, `false` for an error.
    pub success: bool,
    /// Japanese message.
    pub message: String,
    /// The field the error belongs to.
    pub field: Option<String>,
    /// Values the user typed (never passwords), to fill the form again.
    pub values: BTreeMap<String, String>,
    /// Fields with several values (checkboxes) as the user chose them.
    #[serde(default)]
    pub lists: BTreeMap<String, Vec<String>>,
}

impl Flash {
    /// A success message.
    pub fn success(message: impl Into<String>) -> Self {
        Self {
            success: true,
            message: message.into(),
            ..Self::default()
        }
    }

    /// An error message, optionally for one field, keeping what was typed.
    pub fn error(
        message: impl Into<String>,
        field: Option<String>,
        values: BTreeMap<String, String>,
    ) -> Self {
        Self {
            success: false,
            message: message.into(),
            field,
            values,
            lists: BTreeMap::new(),
        }
    }

    /// A value typed before, or empty.
    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

/// The flash of this request, if any; clears it so it shows once.
#[server(endpoint = "flash/take", input = Json)]
pub async fn take_flash() -> Result<Option<Flash>, AppError> {
    let value = use_context::<http::request::Parts>()
        .and_then(|parts| crate::auth::cookie_value(&parts.headers, FLASH_COOKIE));
    let Some(value) = value else {
        return Ok(None);
    };
    let state = crate::state::AppState::from_context()?;
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.append_header(
            http::header::SET_COOKIE,
            http::HeaderValue::from_static(
                "renkei_flash=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
            ),
        );
    }
    // A message that cannot be read is lost; the page it belongs to still shows.
    match crate::services::form_flash::take(&state.db, &value).await {
        Ok(flash) => Ok(flash),
        Err(error) => {
            tracing::error!(%error, "could not read the flash message");
            Ok(None)
        }
    }
}
