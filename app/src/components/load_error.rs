//! The message shown when a page's data could not be loaded.

use leptos::prelude::*;

use crate::components::status::set_http_status;
use crate::error::AppError;

/// An alert with the error's Japanese message and the matching status: 500 for
/// server failures, 403 when not allowed, 401 (with a sign-in link) when signed out.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    match &error {
        AppError::Internal => set_http_status(500),
        AppError::Forbidden | AppError::Refused { .. } => set_http_status(403),
        AppError::Unauthenticated => set_http_status(401),
        AppError::NotFound { .. } => set_http_status(404),
        _ => {}
    }
    let hint = match &error {
        AppError::Forbidden => Some(
            view! {
                <p>"ご自身の担当範囲(所属する市町村・都道府県)のページだけを表示できます。"
                    <a href="/">"ホームへ戻る"</a></p>
            }
            .into_any(),
        ),
        AppError::Unauthenticated => {
            Some(view! { <p><a href="/login">"ログインする"</a></p> }.into_any())
        }
        _ => None,
    };
    view! {
        <div class="notice notice--error" role="alert">
            <p>{error.to_string()}</p>
            {hint}
        </div>
    }
}
