//! Who is asking: the signed-in actor, the CSRF token and the client address of the
//! current request. The server's middleware resolves them once per request and
//! stores a [`RequestAuth`] in the request extensions; JSON routes extract it, server
//! functions read it from the Leptos context.

use axum::extract::FromRequestParts;
use http::request::Parts;
use leptos::prelude::use_context;

use crate::domain::account::Actor;
use crate::domain::audit::AuditContext;
use crate::domain::policy::{Action, Resource, authorize};
use crate::error::AppError;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "renkei_session";
/// Name of the CSRF cookie (double-submit token).
pub const CSRF_COOKIE: &str = "renkei_csrf";
/// Name of the hidden form field carrying the CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";
/// Header carrying the CSRF token for scripts.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of a cookie in a request, if set and not empty.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// What the session cookie amounted to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionStatus {
    /// No cookie.
    None,
    /// A live session; the hash identifies it for sign-out.
    Active {
        /// SHA-256 of the token.
        token_hash: String,
    },
    /// A cookie whose session expired, was revoked, or whose account is deactivated.
    Ended,
}

/// The caller of the current request.
#[derive(Debug, Clone)]
pub struct RequestAuth {
    /// The signed-in person, if any.
    pub actor: Option<Actor>,
    /// The session behind the cookie.
    pub session: SessionStatus,
    /// The CSRF token forms of this response must carry.
    pub csrf_token: String,
    /// Client address (the peer, or the first forwarded address behind a trusted proxy).
    pub client_addr: String,
    /// Browser, truncated.
    pub user_agent: String,
    /// Request id for the audit log.
    pub request_id: Option<String>,
}

impl RequestAuth {
    /// An anonymous caller (requests that bypassed the middleware, e.g. in tests).
    pub fn anonymous() -> Self {
        Self {
            actor: None,
            session: SessionStatus::None,
            csrf_token: String::new(),
            client_addr: "unknown".into(),
            user_agent: String::new(),
            request_id: None,
        }
    }

    /// The caller of the request a server function or page is running for.
    pub fn from_context() -> Self {
        use_context::<Parts>()
            .and_then(|parts| parts.extensions.get::<RequestAuth>().cloned())
            .unwrap_or_else(Self::anonymous)
    }

    /// The actor, if they may do `action` to `resource`; otherwise 401 or 403.
    pub fn authorize(&self, action: Action, resource: &Resource) -> Result<&Actor, AppError> {
        authorize(self.actor.as_ref(), action, resource).map_err(|denied| {
            if let Some(actor) = &self.actor {
                tracing::info!(
                    account = actor.account_id.get(),
                    ?action,
                    ?resource,
                    "refused by policy"
                );
            }
            AppError::from(denied)
        })
    }

    /// The signed-in actor, or 401.
    pub fn signed_in(&self) -> Result<&Actor, AppError> {
        self.actor.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// Who and where, for audit entries.
    pub fn audit(&self) -> AuditContext {
        AuditContext {
            actor: self
                .actor
                .as_ref()
                .map(|a| (a.account_id.get(), a.email.clone())),
            client_addr: self.client_addr.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestAuth {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<RequestAuth>()
            .cloned()
            .unwrap_or_else(Self::anonymous))
    }
}
