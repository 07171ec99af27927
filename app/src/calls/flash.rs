//! The server functions of the flash pages: parse, authorise through the
//! service, call it. Data shapes live in [`crate::api::flash`].

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::api::flash::*;
use crate::error::AppError;

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
