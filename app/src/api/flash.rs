//! One-time messages after a form post (Post/Redirect/Get): the handler stores the
//! outcome and the values typed on the server (`services::form_flash`) and sets a
//! short-lived cookie with a random token; the next page shows them once and clears
//! the cookie. Nothing in the URL, so no link can fake a message.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Name of the flash cookie.
pub const FLASH_COOKIE: &str = "renkei_flash";

/// The outcome of the last form post.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// `true` for a success message, `false` for an error.
    pub success: bool,
    /// Japanese message.
    pub message: String,
    /// The field the error belongs to (the first, when several are wrong).
    pub field: Option<String>,
    /// Every field found wrong with its message, when there were several.
    #[serde(default)]
    pub errors: Vec<(String, String)>,
    /// Values the user typed (never passwords), to fill the form again.
    pub values: BTreeMap<String, String>,
    /// Fields with several values (checkboxes) as the user chose them.
    #[serde(default)]
    pub lists: BTreeMap<String, Vec<String>>,
}

/// The value a ticked confirmation box (`confirm`) sends with a form.
pub const CONFIRMED: &str = "yes";

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
            errors: Vec::new(),
            lists: BTreeMap::new(),
        }
    }

    /// Whether the last post was refused because of `field` (one of several, maybe).
    pub fn names(&self, field: &str) -> bool {
        !self.success
            && (self.field.as_deref() == Some(field) || self.errors.iter().any(|(f, _)| f == field))
    }

    /// A value typed before, or empty.
    pub fn value(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}
