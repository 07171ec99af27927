//! HTML form posts (they work without JavaScript): each does its work, stores the
//! outcome in the flash cookie and redirects (303) to the page to show next.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::Request;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::api::accounts::NewAccountInput;
use app::api::flash::{FLASH_COOKIE, Flash};
use app::auth::RequestAuth;
use app::domain::ids::AccountId;
use app::error::AppError;
use app::services::{accounts, form_flash};
use app::state::AppState;

use super::session::{set_session_cookie, sign_in, sign_out};
use crate::security::{cookie, urlencode};

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Signs in and goes to the page the user wanted (or home).
pub async fn login(
    State(state): State<AppState>,
    auth: RequestAuth,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(&form.next);
    match sign_in(&state, &auth, &headers, &form.email, &form.password).await {
        Ok(session) => {
            let mut response = Redirect::to(next).into_response();
            set_session_cookie(&mut response, &state, Some(&session.token));
            response
        }
        Err(error) => {
            let error = AppError::from(error);
            let values = BTreeMap::from([("email".to_owned(), form.email.clone())]);
            let target = if next == "/" {
                "/login".to_owned()
            } else {
                format!("/login?next={}", urlencode(next))
            };
            redirect_with(
                &state,
                &target,
                &Flash::error(error.to_string(), Some("email".into()), values),
            )
            .await
        }
    }
}

/// Signs out and returns to the front page.
pub async fn logout(State(state): State<AppState>, auth: RequestAuth) -> Response {
    let flash = match sign_out(&state, &auth).await {
        Ok(()) => Flash::success("ログアウトしました。"),
        Err(error) => Flash::error(error.to_string(), None, BTreeMap::new()),
    };
    let mut response = redirect_with(&state, "/", &flash).await;
    set_session_cookie(&mut response, &state, None);
    response
}

/// The password change form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    new_password_confirm: String,
}

/// Changes the caller's password.
pub async fn change_password(
    State(state): State<AppState>,
    auth: RequestAuth,
    Form(form): Form<PasswordForm>,
) -> Response {
    let result = if form.new_password == form.new_password_confirm {
        accounts::change_own_password(&state.db, &auth, &form.current_password, &form.new_password)
            .await
    } else {
        Err(AppError::invalid(
            "new_password_confirm",
            "確認用のパスワードが一致しません。",
        ))
    };
    let flash = match result {
        Ok(()) => Flash::success("パスワードを変更しました。ほかの端末のログインは終了しました。"),
        Err(error) => return answer_refused(&state, "/account/password", error).await,
    };
    redirect_with(&state, "/account/password", &flash).await
}

/// Creates an account from the administration form.
pub async fn create_account(
    State(state): State<AppState>,
    auth: RequestAuth,
    Form(input): Form<NewAccountInput>,
) -> Response {
    match accounts::create_for(&state.db, &auth, &input).await {
        Ok(view) => {
            redirect_with(
                &state,
                &format!("/admin/accounts/{}", view.id),
                &Flash::success(format!(
                    "{} さんのアカウントを作成しました。",
                    view.display_name
                )),
            )
            .await
        }
        Err(error) => {
            let values = BTreeMap::from([
                ("email".to_owned(), input.email),
                ("display_name".to_owned(), input.display_name),
                ("role".to_owned(), input.role),
                (
                    "municipality".to_owned(),
                    input.municipality.unwrap_or_default(),
                ),
            ]);
            answer_refused_with(&state, "/admin/accounts/new", error, |error| {
                error_flash(error, values)
            })
            .await
        }
    }
}

/// The deactivate / reactivate form.
#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    active: bool,
    /// The version of the account the page showed.
    #[serde(default)]
    version: Option<i32>,
    /// The tick that confirms a deactivation.
    #[serde(default)]
    confirm: Option<String>,
}

/// Whether the `ConfirmCheck` of a form was ticked.
pub(crate) fn ticked(confirm: Option<&str>) -> bool {
    confirm == Some(app::api::flash::CONFIRMED)
}

/// Deactivates or reactivates an account.
pub async fn set_active(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AccountId>,
    Form(form): Form<ActiveForm>,
) -> Response {
    let page = format!("/admin/accounts/{id}");
    if !form.active && !ticked(form.confirm.as_deref()) {
        let unticked = Flash::error(
            "停止するには、確認の欄にチェックを入れてください。",
            Some("confirm".to_owned()),
            BTreeMap::new(),
        );
        return redirect_with(&state, &page, &unticked).await;
    }
    let flash =
        match accounts::set_active_for(&state.db, &auth, id, form.active, form.version).await {
            Ok(view) if view.active => Flash::success("アカウントの利用を再開しました。"),
            Ok(_) => Flash::success("アカウントを停止し、すべてのログインを終了しました。"),
            Err(error) => return answer_refused(&state, &page, error).await,
        };
    redirect_with(&state, &page, &flash).await
}

/// The temporary-password form.
#[derive(Debug, Deserialize)]
pub struct ResetPasswordForm {
    #[serde(default)]
    temporary_password: String,
}

/// Gives an account a temporary password to be changed at the next sign-in.
pub async fn reset_password(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AccountId>,
    Form(form): Form<ResetPasswordForm>,
) -> Response {
    let page = format!("/admin/accounts/{id}");
    let flash = match accounts::reset_password_for(&state.db, &auth, id, &form.temporary_password)
        .await
    {
        Ok(()) => Flash::success(
            "仮パスワードを設定し、この人のログインをすべて終了しました。仮パスワードを本人に伝えてください。次にログインしたとき、新しいパスワードの設定を求めます。",
        ),
        Err(error) => return answer_refused(&state, &page, error).await,
    };
    redirect_with(&state, &page, &flash).await
}

/// Ends every session of an account.
pub async fn revoke_sessions(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AccountId>,
) -> Response {
    let page = format!("/admin/accounts/{id}");
    let flash = match accounts::revoke_sessions_for(&state.db, &auth, id).await {
        Ok(ended) => Flash::success(format!("{ended} 件のログインを終了しました。")),
        Err(error) => return answer_refused(&state, &page, error).await,
    };
    redirect_with(&state, &page, &flash).await
}

/// Where a refused form post goes: to sign in (and back to `page`) when the
/// session has ended, otherwise back to `page` with the message of `error`.
pub(crate) async fn answer_refused(state: &AppState, page: &str, error: AppError) -> Response {
    answer_refused_with(state, page, error, |error| {
        error_flash(error, BTreeMap::new())
    })
    .await
}

/// [`answer_refused`] with a message of the form's own making (what was typed, the row
/// it was typed in).
pub(crate) async fn answer_refused_with(
    state: &AppState,
    page: &str,
    error: AppError,
    flash: impl FnOnce(&AppError) -> Flash,
) -> Response {
    match error {
        AppError::Unauthenticated => login_redirect(page),
        error => redirect_with(state, page, &flash(&error)).await,
    }
}

/// What was typed, to show again after an error (the CSRF token is not kept).
pub(crate) fn typed(fields: &[(String, String)]) -> BTreeMap<String, String> {
    fields
        .iter()
        .filter(|(k, _)| k != "csrf_token")
        .cloned()
        .collect()
}

/// The flash of a refused form with checkboxes: every value typed, and each
/// field's list of values (so ticked boxes stay ticked).
pub(crate) fn refused_flash(error: &AppError, fields: &[(String, String)]) -> Flash {
    let mut lists: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in fields.iter().filter(|(k, _)| k != "csrf_token") {
        lists.entry(k.clone()).or_default().push(v.clone());
    }
    let mut flash = error_flash(error, typed(fields));
    flash.lists = lists;
    flash
}

/// The flash of a refused form: the message (or how many fields are wrong) and every
/// field with its message, with what was typed.
pub(crate) fn error_flash(error: &AppError, values: BTreeMap<String, String>) -> Flash {
    let errors = error.field_errors();
    let field = errors.first().map(|(field, _)| field.clone());
    let message = if errors.len() > 1 {
        format!("入力内容に{}か所の誤りがあります。", errors.len())
    } else {
        error.to_string()
    };
    let mut flash = Flash::error(message, field, values);
    if errors.len() > 1 {
        flash.errors = errors;
    }
    flash
}

/// Redirects to `target` (303) and leaves `flash` for the page shown there.
pub(crate) async fn redirect_with(state: &AppState, target: &str, flash: &Flash) -> Response {
    let mut response = Redirect::to(target).into_response();
    match form_flash::store(&state.db, flash).await {
        Ok(token) => {
            response.headers_mut().append(
                header::SET_COOKIE,
                cookie(FLASH_COOKIE, &token, Some(600), state.auth.cookie_secure),
            );
        }
        // The post itself is done; only its message is lost.
        Err(error) => tracing::error!(error = %error, "could not store the flash message"),
    }
    response
}

pub(crate) fn login_redirect(next: &str) -> Response {
    Redirect::to(&format!("/login?next={}&expired=1", urlencode(next))).into_response()
}

/// A local path to continue to after sign-in; anything else (another site,
/// `//host`, a scheme) becomes the front page.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    if local { next } else { "/" }
}

/// A posted form: its text fields in order and its files by field name.
pub(super) struct Posted {
    pub(super) fields: Vec<(String, String)>,
    pub(super) files: BTreeMap<String, (String, Vec<u8>)>,
}

impl Posted {
    pub(super) fn value(&self, name: &str) -> String {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// A file field with content (browsers send an empty part when none was chosen).
    pub(super) fn file(&self, name: &str) -> Option<&(String, Vec<u8>)> {
        self.files.get(name).filter(|(_, bytes)| !bytes.is_empty())
    }
}

/// Fields a profile form may carry: every vocabulary checkbox, month and
/// municipality of a prefecture fits many times over.
const MAX_FORM_FIELDS: usize = 2_000;

/// Reads a URL-encoded or multipart form body (the guard has already checked its
/// CSRF token and capped its size); more than [`MAX_FORM_FIELDS`] fields are refused.
pub(super) async fn read_form(request: Request) -> Result<Posted, AppError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .map_err(|_| AppError::invalid("body", "送信された内容を読み取れません。"))?;
    let unreadable = || AppError::invalid("body", "送信されたフォームを読み取れません。");
    let too_many = || AppError::invalid("body", "送信されたフォームの項目が多すぎます。");
    if let Ok(boundary) = multer::parse_boundary(&content_type) {
        let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(bytes) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        let mut posted = Posted {
            fields: Vec::new(),
            files: BTreeMap::new(),
        };
        while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
            if posted.fields.len() + posted.files.len() >= MAX_FORM_FIELDS {
                return Err(too_many());
            }
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    let data = field.bytes().await.map_err(|_| unreadable())?;
                    posted.files.insert(name, (file_name, data.to_vec()));
                }
                None => {
                    let text = field.text().await.map_err(|_| unreadable())?;
                    posted.fields.push((name, text));
                }
            }
        }
        Ok(posted)
    } else {
        if bytes.iter().filter(|b| **b == b'&').count() >= MAX_FORM_FIELDS {
            return Err(too_many());
        }
        let fields = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .map_err(|_| unreadable())?;
        Ok(Posted {
            fields,
            files: BTreeMap::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/admin/audit?page=2"), "/admin/audit?page=2");
        assert_eq!(safe_next("//evil.example/"), "/");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }
}
