//! The one error type every server function and JSON route returns.
//!
//! Services keep their own `thiserror` enums; converting them into [`AppError`]
//! decides the HTTP status and what the caller may see. Internal failures are logged
//! in full on the server and reach the caller only as an opaque message.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::gather::Errors;

/// An error as the caller sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The resource does not exist (404).
    #[error("{message}")]
    NotFound {
        /// Japanese message for the user.
        message: String,
    },
    /// A parameter or field is invalid (400).
    #[error("{message}")]
    InvalidInput {
        /// The offending field or parameter.
        field: String,
        /// Japanese message for the user.
        message: String,
        /// Further fields found wrong in the same input, `(field, message)`, so a
        /// form can mark them all at once.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        more: Vec<(String, String)>,
    },
    /// Nobody is signed in, or the session ended (401).
    #[error("ログインが必要です。")]
    Unauthenticated,
    /// Wrong email or password (401).
    #[error("メールアドレスまたはパスワードが正しくありません。")]
    InvalidCredentials,
    /// Signed in, but not allowed to do this here (403).
    #[error("この操作を行う権限がありません。")]
    Forbidden,
    /// Signed in, but this field's value is outside the caller's scope (403).
    #[error("{message}")]
    Refused {
        /// The offending field.
        field: String,
        /// Japanese message for the user.
        message: String,
    },
    /// The password was right but the account is deactivated (403).
    #[error("このアカウントは利用停止中です。県の管理者にお問い合わせください。")]
    AccountDisabled,
    /// Too many attempts; try again later (429).
    #[error("{message}")]
    Throttled {
        /// Japanese message for the user.
        message: String,
        /// Seconds until the next attempt is considered.
        retry_after_secs: u64,
    },
    /// The request conflicts with the stored data (409).
    #[error("{message}")]
    Conflict {
        /// The offending field.
        field: String,
        /// Japanese message for the user.
        message: String,
    },
    /// Something failed on the server; details are in the server log only (500).
    #[error("サーバーで問題が発生しました。しばらくしてからもう一度お試しください。")]
    Internal,
    /// The request never reached the server function, or its answer could not be read.
    #[error("サーバーと通信できませんでした。接続を確認してもう一度お試しください。")]
    Transport {
        /// Technical detail, not shown to users.
        detail: String,
    },
}

impl AppError {
    /// A not-found error with a Japanese message.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound {
            message: message.into(),
        }
    }

    /// A conflict with stored data, naming the field.
    pub fn conflict(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Conflict {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An edit made from an older copy of a record than the stored one (409).
    pub fn stale() -> Self {
        Self::conflict(
            "version",
            "この内容は、画面を開いた後にほかの人が変更しました。最新の内容を読み込み直してから、もう一度変更してください。",
        )
    }

    /// Refuses an edit whose client copy (`expected`, when it sent one) is not the
    /// stored `current` version.
    pub fn check_version(expected: Option<i32>, current: i32) -> Result<(), Self> {
        match expected {
            Some(version) if version != current => Err(Self::stale()),
            _ => Ok(()),
        }
    }

    /// A refusal (403) because of one field's value, naming it.
    pub fn refused(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Refused {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An invalid-input error naming the field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidInput {
            field: field.into(),
            message: message.into(),
            more: Vec::new(),
        }
    }

    /// One error for several found in the same input: every field and message
    /// together, in form order. An error about no field (a refusal) wins over them.
    pub fn merged(errors: Errors<AppError>) -> Self {
        if errors.iter().any(|e| e.field_errors().is_empty()) {
            return errors
                .into_vec()
                .into_iter()
                .find(|e| e.field_errors().is_empty())
                .unwrap_or(Self::Internal);
        }
        let mut fields: Vec<(String, String)> =
            errors.iter().flat_map(AppError::field_errors).collect();
        if fields.is_empty() {
            return errors.into_first();
        }
        let (field, message) = fields.remove(0);
        Self::InvalidInput {
            field,
            message,
            more: fields,
        }
    }

    /// Every `(field, message)` of an invalid input (one for most errors).
    pub fn field_errors(&self) -> Vec<(String, String)> {
        match self {
            Self::InvalidInput {
                field,
                message,
                more,
            } => std::iter::once((field.clone(), message.clone()))
                .chain(more.iter().cloned())
                .collect(),
            Self::Conflict { field, message } | Self::Refused { field, message } => {
                vec![(field.clone(), message.clone())]
            }
            _ => Vec::new(),
        }
    }

    /// The stable machine-readable code used in JSON error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "not_found",
            Self::InvalidInput { .. } => "invalid_input",
            Self::Unauthenticated => "unauthenticated",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Forbidden | Self::Refused { .. } => "forbidden",
            Self::AccountDisabled => "account_disabled",
            Self::Throttled { .. } => "throttled",
            Self::Conflict { .. } => "conflict",
            Self::Internal => "internal",
            Self::Transport { .. } => "transport",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => Self::invalid(
                "arguments",
                format!("入力の形式が正しくありません: {detail}"),
            ),
            // On the server, what failed to deserialise is the request's arguments.
            ServerFnErrorErr::Deserialization(detail) if cfg!(feature = "ssr") => Self::invalid(
                "arguments",
                format!("入力の形式が正しくありません: {detail}"),
            ),
            other => Self::Transport {
                detail: other.to_string(),
            },
        }
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use axum::Json;
    use axum::response::{IntoResponse, Response};
    use http::StatusCode;

    impl AppError {
        /// Logs an unexpected failure with its whole cause chain and returns the
        /// opaque [`AppError::Internal`].
        pub fn internal(error: impl Into<anyhow::Error>) -> Self {
            let error = error.into();
            tracing::error!(error = format!("{error:#}"), "internal error");
            Self::Internal
        }

        /// The HTTP status this error is answered with.
        pub fn status(&self) -> StatusCode {
            match self {
                Self::NotFound { .. } => StatusCode::NOT_FOUND,
                Self::InvalidInput { .. } => StatusCode::BAD_REQUEST,
                Self::Unauthenticated | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
                Self::Forbidden | Self::Refused { .. } | Self::AccountDisabled => {
                    StatusCode::FORBIDDEN
                }
                Self::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                Self::Conflict { .. } => StatusCode::CONFLICT,
                Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
                Self::Transport { .. } => StatusCode::BAD_GATEWAY,
            }
        }
    }

    /// Failures that are never the caller's doing are internal: logged in full,
    /// opaque to the caller. (A body the caller sent is parsed into a 400 naming
    /// its field before it gets here; JSON read with `?` is data the server stored.)
    macro_rules! internal_from {
        ($($error:ty),* $(,)?) => {$(
            impl From<$error> for AppError {
                fn from(error: $error) -> Self {
                    Self::internal(error)
                }
            }
        )*};
    }

    internal_from!(
        sea_orm::DbErr,
        tokio::task::JoinError,
        crate::search::SearchError,
        serde_json::Error,
        anyhow::Error,
        csv::Error,
        rust_xlsxwriter::XlsxError,
    );

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let mut body = serde_json::json!({
                "code": self.code(),
                "message": self.to_string(),
            });
            if let Self::InvalidInput { field, .. }
            | Self::Conflict { field, .. }
            | Self::Refused { field, .. } = &self
            {
                body["field"] = serde_json::Value::String(field.clone());
            }
            if let Self::InvalidInput { more, .. } = &self
                && !more.is_empty()
            {
                body["fields"] = self
                    .field_errors()
                    .into_iter()
                    .map(|(field, message)| serde_json::json!({"field": field, "message": message}))
                    .collect();
            }
            let mut response =
                (self.status(), Json(serde_json::json!({ "error": body }))).into_response();
            if let Self::Throttled {
                retry_after_secs, ..
            } = &self
                && let Ok(value) = http::HeaderValue::from_str(&retry_after_secs.to_string())
            {
                response
                    .headers_mut()
                    .insert(http::header::RETRY_AFTER, value);
            }
            response
        }
    }
}

impl From<crate::domain::policy::Denied> for AppError {
    fn from(denied: crate::domain::policy::Denied) -> Self {
        match denied {
            crate::domain::policy::Denied::Unauthenticated => Self::Unauthenticated,
            crate::domain::policy::Denied::Forbidden => Self::Forbidden,
        }
    }
}
