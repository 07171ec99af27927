//! Limits every request passes and the answers they give: a cap on requests in
//! flight (503 beyond it), a panic turned into the JSON 500, and the 413 and 408
//! of the body-size and timeout layers in the documented JSON error shape.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

/// Requests being handled at once.
#[derive(Clone)]
pub struct InFlight(Arc<Semaphore>);

impl InFlight {
    /// A cap of `limit` requests (at least one).
    pub fn new(limit: usize) -> Self {
        Self(Arc::new(Semaphore::new(limit.max(1))))
    }
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

/// Answers 503 (with `Retry-After`) instead of queueing past the cap.
pub async fn limit_in_flight(
    State(in_flight): State<InFlight>,
    request: Request,
    next: Next,
) -> Response {
    let Ok(_permit) = in_flight.0.try_acquire() else {
        tracing::warn!("too many requests in flight; refused with 503");
        let mut response = error(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            "ただいま混み合っています。少し待ってからもう一度お試しください。",
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return response;
    };
    next.run(request).await
}

/// The JSON 500 for a handler that panicked (logged, never shown).
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "a request handler panicked");
    app::error::AppError::Internal.into_response()
}

/// A server function's error travels as a 500 with a `serverfnerror` header,
/// whatever it was; this gives it the status of the error it carries (a bad
/// argument is a 400, a missing record a 404), so that neither people nor the
/// log see a server failure where there was none. The browser's server-function
/// client reads any 4xx or 5xx the same way.
pub async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key("serverfnerror")
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return app::error::AppError::Internal.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Gives the 413 of the body limit and the 408 of the timeout the documented
/// JSON error shape (a person's browser gets a short Japanese page instead).
pub async fn error_bodies(request: Request, next: Next) -> Response {
    let wants_html = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let (code, message) = match response.status() {
        StatusCode::PAYLOAD_TOO_LARGE if !is_json => (
            "payload_too_large",
            "送信された内容が大きすぎます。ファイルや文章を小さくしてもう一度お試しください。",
        ),
        StatusCode::REQUEST_TIMEOUT if !is_json => (
            "timeout",
            "処理に時間がかかりすぎたため中断しました。しばらくしてからもう一度お試しください。",
        ),
        _ => return response,
    };
    let status = response.status();
    if wants_html {
        let page = format!(
            "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>送信を受け付けられません | Renkei</title></head>\
             <body><main><h1>送信を受け付けられません</h1><p>{message}</p><p><a href=\"/\">ホームへ戻る</a></p></main></body></html>"
        );
        return (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response();
    }
    error(status, code, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_the_json_500_without_its_message() {
        let response = panic_response(Box::new("secret detail".to_owned()));
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let bytes = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .expect("body");
        let body: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(body["error"]["code"], "internal");
        assert!(!String::from_utf8_lossy(&bytes).contains("secret"));
    }
}
