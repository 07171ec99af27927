//! The advisor bank's HTML form posts (they work without JavaScript): profile
//! create and edit (multipart, with an optional photo), status, account link, CSV
//! import, and the vocabularies. Each redirects (303) with a flash message; after
//! an error the form shows again with what was typed.

use std::collections::BTreeMap;

use axum::extract::{Path, Request, State};
use axum::response::Response;
use serde::Deserialize;

use app::api::flash::Flash;
use app::auth::RequestAuth;
use app::domain::advisor::edit::{AdvisorPatch, AdvisorStatus, Editor};
use app::domain::ids::AdvisorId;
use app::domain::photo;
use app::error::AppError;
use app::services::advisors::{csv as advisor_csv, profiles as advisor_profiles};
use app::services::taxonomy;
use app::state::AppState;

use super::forms::{answer_refused, answer_refused_with, error_flash, read_form, redirect_with};

/// The flash after a refused profile form: the message and everything typed.
fn refused_profile(error: &AppError, patch: &AdvisorPatch) -> Flash {
    let (values, lists) = patch.typed_values();
    let mut flash = error_flash(error, values);
    flash.lists = lists;
    flash
}

/// Creates a profile from the 県管理者's form.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    request: Request,
) -> Response {
    // Who may register is known before the body is read.
    let posted = match advisor_profiles::managed_bank(&auth) {
        Ok(_) => read_form(request).await,
        Err(error) => Err(error),
    };
    let posted = match posted {
        Ok(posted) => posted,
        Err(error) => return answer_refused(&state, "/advisors/new", error).await,
    };
    let patch = AdvisorPatch::from_form(&posted.fields, Editor::Prefecture);
    match advisor_profiles::create_for(&state.db, &state.search, &auth, &patch).await {
        Ok(id) => redirect_with(
            &state,
            &format!("/advisors/{id}/edit"),
            &Flash::success(
                "登録しました(非公開)。内容を確かめて「公開する」を押すと人材バンクに載ります。",
            ),
        )
        .await,
        Err(error) => {
            answer_refused_with(&state, "/advisors/new", error, |error| {
                refused_profile(error, &patch)
            })
            .await
        }
    }
}

/// Saves the profile form (the bank's 県管理者, or the advisor on their own).
pub async fn edit(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AdvisorId>,
    request: Request,
) -> Response {
    let page = format!("/advisors/{id}/edit");
    let editor = match advisor_profiles::editor_of(&state.db, &auth, id).await {
        Ok(editor) => editor,
        Err(error) => return answer_refused(&state, &page, error).await,
    };
    let posted = match read_form(request).await {
        Ok(posted) => posted,
        Err(error) => {
            return redirect_with(&state, &page, &error_flash(&error, BTreeMap::new())).await;
        }
    };
    let patch = AdvisorPatch::from_form(&posted.fields, editor);
    let new_photo = posted.file("photo").map(|(_, bytes)| bytes.clone());
    if let Some(bytes) = &new_photo
        && let Err(error) = photo::content_type(bytes)
    {
        let error = AppError::invalid("photo", error.to_string());
        return redirect_with(&state, &page, &refused_profile(&error, &patch)).await;
    }
    let expected = posted.value("version").trim().parse::<i32>().ok();
    let saved = async {
        let changed =
            advisor_profiles::update_for(&state.db, &state.search, &auth, id, &patch, expected)
                .await?;
        if let Some(bytes) = &new_photo {
            advisor_profiles::set_photo_for(&state.db, &auth, id, Some(bytes)).await?;
        } else if !posted.value("remove_photo").is_empty() {
            advisor_profiles::set_photo_for(&state.db, &auth, id, None).await?;
        }
        Ok::<_, AppError>(changed)
    }
    .await;
    match saved {
        Ok(changed) if changed.is_empty() && new_photo.is_none() => {
            redirect_with(
                &state,
                &format!("/advisors/{id}"),
                &Flash::success("変更はありませんでした。"),
            )
            .await
        }
        Ok(_) => {
            redirect_with(
                &state,
                &format!("/advisors/{id}"),
                &Flash::success(
                    "プロフィールを保存しました。人材バンクの検索にもすぐ反映されます。",
                ),
            )
            .await
        }
        Err(error) => {
            answer_refused_with(&state, &page, error, |error| {
                let mut flash = refused_profile(error, &patch);
                // Typed values come back with the version they were typed over, so a
                // refused stale edit stays refused until the page is read again.
                flash
                    .values
                    .insert("version".to_owned(), posted.value("version"));
                flash
            })
            .await
        }
    }
}

/// The status form.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    status: String,
}

/// Publishes, unpublishes or retires a profile.
pub async fn set_status(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AdvisorId>,
    axum::Form(form): axum::Form<StatusForm>,
) -> Response {
    let page = format!("/advisors/{id}/edit");
    let flash =
        match advisor_profiles::set_status_for(&state.db, &state.search, &auth, id, &form.status)
            .await
        {
            Ok(AdvisorStatus::Published) => {
                Flash::success("公開しました。人材バンクで検索できます。")
            }
            Ok(AdvisorStatus::Draft) => {
                Flash::success("非公開にしました。人材バンクには表示されません。")
            }
            Ok(AdvisorStatus::Retired) => {
                Flash::success("登録を終了しました。記録は残り、人材バンクには表示されません。")
            }
            Err(error) => return answer_refused(&state, &page, error).await,
        };
    redirect_with(&state, &page, &flash).await
}

/// The account link form.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    account_email: String,
}

/// Links the profile to an advisor's sign-in account (or unlinks it).
pub async fn link_account(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<AdvisorId>,
    axum::Form(form): axum::Form<AccountForm>,
) -> Response {
    let page = format!("/advisors/{id}/edit");
    let flash = match advisor_profiles::link_account_for(&state.db, &auth, id, &form.account_email)
        .await
    {
        Ok(Some(email)) => Flash::success(format!(
            "{email} のアカウントと紐付けました。ご本人がプロフィールと対応可能な月を更新できます。"
        )),
        Ok(None) => Flash::success("アカウントの紐付けを解除しました。"),
        Err(error) => {
            let typed = BTreeMap::from([("account_email".to_owned(), form.account_email.clone())]);
            return answer_refused_with(&state, &page, error, |error| error_flash(error, typed))
                .await;
        }
    };
    redirect_with(&state, &page, &flash).await
}

/// Imports a CSV file chosen in the 県管理者's list page.
pub async fn import_csv(
    State(state): State<AppState>,
    auth: RequestAuth,
    request: Request,
) -> Response {
    let page = "/admin/advisors";
    match advisor_profiles::managed_bank(&auth) {
        Ok(_) => {}
        Err(error) => return answer_refused(&state, page, error).await,
    }
    let posted = match read_form(request).await {
        Ok(posted) => posted,
        Err(error) => {
            return redirect_with(&state, page, &error_flash(&error, BTreeMap::new())).await;
        }
    };
    let Some((name, bytes)) = posted.file("file") else {
        let error = AppError::invalid("file", "取り込む CSV ファイルを選んでください。");
        return redirect_with(&state, page, &error_flash(&error, BTreeMap::new())).await;
    };
    let name: String = name.chars().take(100).collect();
    let flash = match advisor_csv::import_for(&state.db, &state.search, &auth, &name, bytes).await {
        Ok(report) => Flash::success(format!(
            "{name} を取り込みました: 追加 {} 人、更新 {} 人、変更なし {} 人。",
            report.inserted, report.updated, report.unchanged
        )),
        Err(error) => return answer_refused(&state, page, error).await,
    };
    redirect_with(&state, page, &flash).await
}

/// The new-term form.
#[derive(Debug, Deserialize)]
pub struct NewTermForm {
    kind: String,
    code: String,
    label: String,
}

/// Adds a vocabulary term.
pub async fn add_term(
    State(state): State<AppState>,
    auth: RequestAuth,
    axum::Form(form): axum::Form<NewTermForm>,
) -> Response {
    let page = "/admin/taxonomy";
    let flash = match taxonomy::add_for(
        &state.db,
        &state.search,
        &auth,
        &form.kind,
        &form.code,
        &form.label,
    )
    .await
    {
        Ok(term) => Flash::success(format!("「{}」を追加しました。", term.label)),
        Err(error) => {
            let typed = BTreeMap::from([
                ("kind".to_owned(), form.kind.clone()),
                ("code".to_owned(), form.code.clone()),
                ("label".to_owned(), form.label.clone()),
            ]);
            return answer_refused_with(&state, page, error, |error| error_flash(error, typed))
                .await;
        }
    };
    redirect_with(&state, page, &flash).await
}

/// The term form (one row of the vocabulary page).
#[derive(Debug, Deserialize)]
pub struct TermForm {
    label: String,
    sort_order: String,
    #[serde(default)]
    active: Option<String>,
}

/// Changes a vocabulary term.
pub async fn change_term(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path((kind, code)): Path<(String, String)>,
    axum::Form(form): axum::Form<TermForm>,
) -> Response {
    let page = "/admin/taxonomy";
    let change = taxonomy::TermChange {
        label: Some(form.label.clone()),
        sort_order: Some(form.sort_order.clone()),
        active: Some(form.active.is_some()),
    };
    let flash =
        match taxonomy::change_for(&state.db, &state.search, &auth, &kind, &code, &change).await {
            Ok(term) => Flash::success(format!("「{}」を保存しました。", term.label)),
            Err(error) => {
                let typed = BTreeMap::from([
                    (format!("label.{kind}.{code}"), form.label.clone()),
                    (format!("sort_order.{kind}.{code}"), form.sort_order.clone()),
                ]);
                return answer_refused_with(&state, page, error, |error| {
                    let mut flash = error_flash(error, typed);
                    flash.field = flash.field.map(|f| format!("{f}.{kind}.{code}"));
                    flash
                })
                .await;
            }
        };
    redirect_with(&state, page, &flash).await
}
