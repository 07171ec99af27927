//! Setting the HTTP status of a server-rendered page.

/// Sets the status of the response being rendered (e.g. 404 for an unknown case).
/// In the browser there is no response, so this does nothing.
pub fn set_http_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        options.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
