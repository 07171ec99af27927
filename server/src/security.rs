//! The guard every request passes: client address, session, CSRF protection, the
//! registry of state-changing endpoints, the sign-in redirect of private pages and
//! the security headers.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

pub use app::auth::cookie_value;
use app::auth::{CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, RequestAuth, SESSION_COOKIE, SessionStatus};
use app::error::AppError;
use app::services::passwords::{constant_time_eq, random_token, unmasked_token};
use app::services::sessions::{self, Lookup};
use app::state::AppState;

use crate::config::Config;
use crate::routes::endpoint_registered;

/// Pages that need a signed-in user; anonymous visitors are sent to the sign-in page.
const PRIVATE_PAGES: &[&str] = &[
    "/admin",
    "/account",
    "/municipalities/",
    "/advisors/new",
    "/advisors/match",
    "/trainings/new",
];

/// Whether a page needs a signed-in user (also every `/advisors/{id}/edit`).
fn is_private_page(path: &str) -> bool {
    PRIVATE_PAGES.iter().any(|p| path.starts_with(p))
        || (path.starts_with("/advisors/") && path.ends_with("/edit"))
        || (path.starts_with("/trainings/")
            && (path.ends_with("/notices") || path.ends_with("/edit")))
}

/// What the guard needs besides the application state.
#[derive(Clone)]
pub struct Guard {
    state: AppState,
    trust_proxy_headers: bool,
    public_origin: Option<Arc<str>>,
    cookie_secure: bool,
    max_body_bytes: usize,
    /// Send `Strict-Transport-Security` (production is served over HTTPS only).
    strict_transport: bool,
}

impl Guard {
    /// The guard for a configuration.
    pub fn new(state: AppState, config: &Config) -> Self {
        Self {
            state,
            trust_proxy_headers: config.trust_proxy_headers,
            public_origin: config
                .public_origin
                .as_deref()
                .map(|o| Arc::from(o.trim_end_matches('/'))),
            cookie_secure: config.cookies_secure(),
            max_body_bytes: config.max_body_bytes,
            strict_transport: config.env == crate::config::Environment::Production,
        }
    }
}

/// Runs the checks, then the handler, then adds cookies and headers.
pub async fn guard(State(guard): State<Guard>, request: Request, next: Next) -> Response {
    let asset = is_asset(request.uri().path());
    let mut signed_in = false;
    let mut response = match check(&guard, request).await {
        Ok((request, cookies)) => {
            signed_in = request
                .extensions()
                .get::<RequestAuth>()
                .is_some_and(|auth| auth.actor.is_some());
            let mut response = next.run(request).await;
            for cookie in cookies {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(response) => response,
    };
    let headers = response.headers_mut();
    add_security_headers(headers);
    if guard.strict_transport {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        // What a signed-in person sees is theirs alone: no cache keeps it (a shared
        // office PC, a proxy). Public pages are checked again on each visit, and so
        // is the bundle, which is the same for everyone: kept, and answered with
        // 304 Not Modified while it has not changed, signed in or not.
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if signed_in && !asset {
                "no-store"
            } else {
                "no-cache"
            }),
        );
    }
    response
}

// Long: the guard's checks in the order they must run (origin, registry, token); apart they would hide that order.
async fn check(guard: &Guard, request: Request) -> Result<(Request, Vec<HeaderValue>), Response> {
    let (mut parts, body) = request.into_parts();
    let wants_html = accepts_html(&parts.headers);
    let client_addr = client_addr(guard, &parts);
    let user_agent: String = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let request_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut set_cookies = Vec::new();

    let csrf_cookie = cookie_value(&parts.headers, CSRF_COOKIE).filter(|t| is_token(t));
    let csrf_token = match &csrf_cookie {
        Some(token) => token.clone(),
        None => {
            let token = random_token().map_err(|e| AppError::internal(e).into_response())?;
            set_cookies.push(cookie(CSRF_COOKIE, &token, None, guard.cookie_secure));
            token
        }
    };

    let mut body = body;
    if is_unsafe(&parts.method) {
        let path = parts
            .extensions
            .get::<MatchedPath>()
            .map_or_else(|| parts.uri.path().to_owned(), |m| m.as_str().to_owned());
        if !same_origin(guard, &parts.headers) {
            tracing::warn!(%path, "cross-site request refused");
            return Err(refuse(
                wants_html,
                "別のサイトからの送信は受け付けられません。",
            ));
        }
        if !endpoint_registered(&parts.method, &path) {
            // Anyone can send this; a warning, so strangers cannot fill the error log.
            tracing::warn!(method = %parts.method, %path, "state-changing endpoint without a policy entry refused");
            return Err(refuse(wants_html, "この操作は受け付けられません。"));
        }
        if needs_csrf_token(&parts.method, &parts.headers) {
            let (sent, rebuilt) = sent_token(guard, &parts.headers, body).await?;
            body = rebuilt;
            let valid = match (&csrf_cookie, sent) {
                (Some(expected), Some(sent)) => {
                    unmasked_token(&sent).is_some_and(|sent| constant_time_eq(expected, &sent))
                }
                _ => false,
            };
            if !valid {
                tracing::warn!(%path, "form post without a valid CSRF token refused");
                return Err(refuse(
                    wants_html,
                    "フォームの有効期限が切れたか、別のサイトから送信されました。ページを開き直してもう一度お試しください。",
                ));
            }
        }
    }

    let (actor, session) = match cookie_value(&parts.headers, SESSION_COOKIE) {
        None => (None, SessionStatus::None),
        Some(token) => match sessions::resolve(&guard.state.db, &guard.state.auth, &token).await {
            Ok(Lookup::Active(actor, token_hash)) => {
                (Some(*actor), SessionStatus::Active { token_hash })
            }
            Ok(Lookup::Ended) => {
                set_cookies.push(cookie(SESSION_COOKIE, "", Some(0), guard.cookie_secure));
                (None, SessionStatus::Ended)
            }
            Err(error) => return Err(AppError::internal(error).into_response()),
        },
    };

    if actor.is_none()
        && parts.method == Method::GET
        && wants_html
        && is_private_page(parts.uri.path())
    {
        let next = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let mut target = format!("/login?next={}", urlencode(&next));
        if session == SessionStatus::Ended {
            target.push_str("&expired=1");
        }
        let mut response = Redirect::to(&target).into_response();
        for cookie in set_cookies {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        return Err(response);
    }

    if let Some(signed_in) = &actor
        && signed_in.must_change_password
        && !open_with_temporary_password(parts.uri.path())
    {
        let mut response = if parts.method == Method::GET && wants_html {
            Redirect::to("/account/password").into_response()
        } else {
            refuse(
                wants_html,
                "仮パスワードでログインしています。新しいパスワードを設定してから続けてください。",
            )
        };
        for cookie in set_cookies {
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        return Err(response);
    }

    parts.extensions.insert(RequestAuth {
        actor,
        session,
        csrf_token,
        client_addr,
        user_agent,
        request_id,
    });
    Ok((Request::from_parts(parts, body), set_cookies))
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Only a POST with a body a cross-site HTML form can produce needs the token (no
/// type, or one of the CORS-safelisted types): any other method or type (JSON, CSV)
/// cannot be sent cross-site without a CORS preflight, which this server never grants.
///
/// A POST with no body at all and no type (`POST /api/trainings/{id}/open` from a
/// script) carries nothing to forge; it has passed the origin check, which every
/// browser's cross-site POST fails.
fn needs_csrf_token(method: &Method, headers: &HeaderMap) -> bool {
    if *method != Method::POST {
        return false;
    }
    let no_type = !headers.contains_key(header::CONTENT_TYPE);
    let no_body = match headers.get(header::CONTENT_LENGTH) {
        Some(length) => length.as_bytes() == b"0",
        None => !headers.contains_key(header::TRANSFER_ENCODING),
    };
    if no_type && no_body {
        return false;
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    content_type.is_empty()
        || [
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "text/plain",
        ]
        .iter()
        .any(|simple| content_type.starts_with(simple))
}

/// The token sent in the header, or in the `csrf_token` field of a URL-encoded or
/// multipart form (the body is read and handed on unchanged).
async fn sent_token(
    guard: &Guard,
    headers: &HeaderMap,
    body: Body,
) -> Result<(Option<String>, Body), Response> {
    if let Some(token) = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return Ok((Some(token.to_owned()), body));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Ok(boundary) = multer::parse_boundary(content_type) {
        let bytes = read_body(guard, body).await?;
        let token = multipart_field(bytes.clone(), boundary, CSRF_FIELD).await;
        return Ok((token, Body::from(bytes)));
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form {
        return Ok((None, body));
    }
    let bytes = read_body(guard, body).await?;
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|fields| {
            fields
                .into_iter()
                .find(|(name, _)| name == CSRF_FIELD)
                .map(|(_, value)| value)
        });
    Ok((token, Body::from(bytes)))
}

async fn read_body(guard: &Guard, body: Body) -> Result<axum::body::Bytes, Response> {
    axum::body::to_bytes(body, guard.max_body_bytes)
        .await
        .map_err(|_| {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                "送信された内容が大きすぎます。",
            )
                .into_response()
        })
}

/// The text of one field of a multipart body, if present and short.
async fn multipart_field(bytes: axum::body::Bytes, boundary: String, name: &str) -> Option<String> {
    let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok().filter(|t| t.len() <= 128);
        }
    }
    None
}

/// Whether `Origin` (or, without it, `Referer`) names this site. Clients that send
/// neither (scripts, curl) are not browsers and cannot be tricked into a request.
fn same_origin(guard: &Guard, headers: &HeaderMap) -> bool {
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .map(origin_of)
        });
    let Some(claimed) = claimed else {
        return true;
    };
    match &guard.public_origin {
        Some(origin) => claimed == **origin,
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            !host.is_empty()
                && claimed
                    .split_once("://")
                    .is_some_and(|(_, authority)| authority.eq_ignore_ascii_case(host))
        }
    }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{authority}")
        }
        None => String::new(),
    }
}

fn client_addr(guard: &Guard, parts: &axum::http::request::Parts) -> String {
    if guard.trust_proxy_headers
        && let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    {
        return forwarded.chars().take(64).collect();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"))
}

fn refuse(wants_html: bool, message: &str) -> Response {
    if wants_html {
        let page = format!(
            "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>送信を受け付けられません | Renkei</title></head>\
             <body><main><h1>送信を受け付けられません</h1><p>{message}</p><p><a href=\"/\">ホームへ戻る</a></p></main></body></html>"
        );
        (
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response()
    } else {
        (
            StatusCode::FORBIDDEN,
            axum::Json(serde_json::json!({
                "error": { "code": "forbidden", "message": message }
            })),
        )
            .into_response()
    }
}

fn is_token(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, whole site.
pub fn cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Percent-encodes a path for a query parameter.
pub fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What a person signed in with a temporary password may reach: the page that
/// replaces it (and what that page loads), and signing out.
fn open_with_temporary_password(path: &str) -> bool {
    matches!(
        path,
        "/account/password"
            | "/logout"
            | "/api/me"
            | "/api/me/password"
            | "/api/session"
            | "/api/session/current"
            | "/api/flash/take"
            | "/healthz"
    ) || is_asset(path)
        || path.starts_with("/favicon")
}

/// Files of the browser bundle and the site's static files: the same for everyone.
fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/favicon.ico"
}

fn add_security_headers(headers: &mut HeaderMap) {
    // A page normally carries the policy the app sets with its nonce. Rarely
    // (seen once in the no-JavaScript e2e run, cause not yet found) a rendered page
    // arrives without it; it then gets the page policy without a nonce, which
    // lets its own files load and still refuses every inline script, instead of
    // `default-src 'none'`, which breaks the page's styles.
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_html && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        tracing::warn!(
            "an HTML response without its content security policy got the default page policy"
        );
    }
    let policy = if is_html {
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    } else {
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    };
    let defaults: [(&str, &str); 4] = [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("content-security-policy", policy),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referer_is_reduced_to_its_origin() {
        assert_eq!(
            origin_of("http://127.0.0.1:3000/login?next=/admin"),
            "http://127.0.0.1:3000"
        );
        assert_eq!(origin_of("https://evil.example"), "https://evil.example");
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("renkei_sessionx=1; renkei_session=abc; other=2"),
        );
        assert_eq!(
            cookie_value(&headers, SESSION_COOKIE).as_deref(),
            Some("abc")
        );
        assert_eq!(cookie_value(&headers, "missing"), None);
    }

    #[test]
    fn a_next_path_is_percent_encoded_except_slashes() {
        assert_eq!(urlencode("/admin/audit?page=2"), "/admin/audit%3Fpage%3D2");
    }
}
