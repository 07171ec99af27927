//! One-time messages after a form post (Post/Redirect/Get): the handler stores the
//! outcome and the values typed in a short-lived cookie; the next page shows them
//! once and clears the cookie. Nothing in the URL, so no link can fake a message.

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
        }
    }

    /// A value typed before, or empty.
    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// The cookie value: hex of the JSON (cookie-safe, at most ~3 kB).
    pub fn encode(&self) -> String {
        let mut trimmed = self.clone();
        for value in trimmed.values.values_mut() {
            *value = value.chars().take(200).collect();
        }
        serde_json::to_vec(&trimmed)
            .unwrap_or_default()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Reads a cookie value written by [`Flash::encode`].
    pub fn decode(value: &str) -> Option<Self> {
        if !value.len().is_multiple_of(2) || value.len() > 8000 {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..value.len())
            .step_by(2)
            .map(|i| {
                value
                    .get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect();
        serde_json::from_slice(&bytes?).ok()
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
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.append_header(
            http::header::SET_COOKIE,
            http::HeaderValue::from_static(
                "renkei_flash=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
            ),
        );
    }
    Ok(Flash::decode(&value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flash_survives_the_cookie_round_trip_without_its_overlong_values() {
        let mut values = BTreeMap::new();
        values.insert("email".to_owned(), "三宅@renkei.example".to_owned());
        values.insert("display_name".to_owned(), "あ".repeat(500));
        let flash = Flash::error("エラー", Some("email".into()), values);
        let decoded = Flash::decode(&flash.encode()).expect("decodes");
        assert_eq!(decoded.value("email"), "三宅@renkei.example");
        assert_eq!(decoded.value("display_name").chars().count(), 200);
        assert_eq!(decoded.field.as_deref(), Some("email"));
        assert!(Flash::decode("zz").is_none());
    }
}
