//! カウンターパート's HTML form posts: a 県 counterpart records a contact with a
//! town on the town's page; a 県管理者 previews a 人事異動 CSV, applies it, and
//! names a region's default. Each redirects (303) with a flash message.

use axum::Form;
use axum::extract::{Path, Request, State};
use axum::response::Response;

use app::api::flash::Flash;
use app::auth::RequestAuth;
use app::domain::counterpart::contact::{ContactInput, FollowUpInput};
use app::domain::local_gov::LocalGovCode;
use app::domain::training::form::pairs_lookup;
use app::error::AppError;
use app::services::counterparts;
use app::state::AppState;

use super::forms::{
    answer_refused, answer_refused_with, error_flash, read_form, redirect_with, typed,
};

/// Records a contact from the town page's form.
pub async fn log_contact(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let page = format!("/municipalities/{code}");
    let get = pairs_lookup(&fields);
    let text = |name: &str| get(name).unwrap_or_default();
    let follow_up = text("follow_up_text");
    let input = ContactInput {
        kind: text("kind"),
        date: text("date"),
        participants: text("participants"),
        topics: text("topics")
            .split([',', '、', '，'])
            .map(str::to_owned)
            .collect(),
        notes: text("notes"),
        internal: get("internal").is_some_and(|v| !v.is_empty()),
        follow_ups: if follow_up.trim().is_empty() {
            Vec::new()
        } else {
            vec![FollowUpInput {
                text: follow_up,
                due: text("follow_up_due"),
                owner: None,
            }]
        },
    };
    let result = match LocalGovCode::parse(&code) {
        Ok(town) => counterparts::log_contact_for(&state.db, &auth, &town, &input).await,
        Err(_) => Err(AppError::not_found("市町村が見つかりません。")),
    };
    match result {
        Ok(_) => {
            redirect_with(
                &state,
                &page,
                &Flash::success("伴走支援の記録を登録しました。"),
            )
            .await
        }
        Err(error) => {
            answer_refused_with(&state, &page, error, |error| {
                error_flash(error, typed(&fields))
            })
            .await
        }
    }
}

const REASSIGN_PAGE: &str = "/counterparts/reassign";

/// What a 人事異動 form carried, kept for the page that shows it next.
fn reassign_values(effective: &str, csv: &str) -> std::collections::BTreeMap<String, String> {
    std::collections::BTreeMap::from([
        ("effective".to_owned(), effective.to_owned()),
        ("csv".to_owned(), csv.to_owned()),
    ])
}

/// Reads the chosen CSV file (UTF-8 or Shift_JIS) or the pasted text, and shows
/// the 人事異動 page with its preview.
pub async fn preview_reassign(
    State(state): State<AppState>,
    auth: RequestAuth,
    request: Request,
) -> Response {
    // Who may reassign is known before the file is read.
    let posted = match counterparts::may_reassign(&auth) {
        Ok(()) => read_form(request).await,
        Err(error) => Err(error),
    };
    let posted = match posted {
        Ok(posted) => posted,
        Err(error) => return answer_refused(&state, REASSIGN_PAGE, error).await,
    };
    let effective = posted.value("effective");
    let pasted = posted.value("csv");
    let text = match posted.file("file") {
        Some((_, bytes)) => match app::services::csv_file::office_text(bytes) {
            Ok(text) => text.into_owned(),
            Err(message) => {
                let error = AppError::invalid("file", message);
                let flash = error_flash(&error, reassign_values(&effective, &pasted));
                return redirect_with(&state, REASSIGN_PAGE, &flash).await;
            }
        },
        None => pasted,
    };
    let flash = if text.trim().is_empty() {
        let error = AppError::invalid(
            "file",
            "CSV ファイルを選ぶか、CSV の内容を貼り付けてください。",
        );
        error_flash(&error, reassign_values(&effective, &text))
    } else if chrono::NaiveDate::parse_from_str(effective.trim(), "%Y-%m-%d").is_err() {
        let error = AppError::invalid("effective", "異動日は 2027-04-01 の形で入力してください。");
        error_flash(&error, reassign_values(&effective, &text))
    } else {
        Flash {
            success: true,
            values: reassign_values(&effective, &text),
            ..Flash::default()
        }
    };
    redirect_with(&state, REASSIGN_PAGE, &flash).await
}

/// Applies the previewed 人事異動 in one transaction: all lines or none.
pub async fn apply_reassign(
    State(state): State<AppState>,
    auth: RequestAuth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let get = pairs_lookup(&fields);
    let effective = get("effective").unwrap_or_default();
    let csv = get("csv").unwrap_or_default();
    match counterparts::reassign_csv_for(&state.db, &auth, &effective, csv.as_bytes(), false).await
    {
        Ok(done) => {
            let message = format!(
                "{}付で {} 市町村の担当を変更しました。",
                app::domain::calendar::japanese_date(done.effective),
                done.rows.len()
            );
            redirect_with(&state, REASSIGN_PAGE, &Flash::success(message)).await
        }
        Err(error) => {
            answer_refused_with(&state, REASSIGN_PAGE, error, |error| {
                error_flash(error, reassign_values(&effective, &csv))
            })
            .await
        }
    }
}

/// Names a region's default counterpart from the 人事異動 page.
pub async fn set_region_default(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let get = pairs_lookup(&fields);
    let input = app::api::counterparts::RegionDefaultInput {
        primary: get("primary").filter(|p| !p.trim().is_empty()),
        from: get("from").unwrap_or_default(),
    };
    match counterparts::set_region_default_for(&state.db, &auth, id, &input).await {
        Ok(region) => {
            let message = match &region.primary {
                Some(p) => format!("{}の既定の担当者を{}さんにしました。", region.name, p.name),
                None => format!("{}の既定の担当者をなしにしました。", region.name),
            };
            redirect_with(&state, REASSIGN_PAGE, &Flash::success(message)).await
        }
        Err(error) => {
            answer_refused_with(&state, REASSIGN_PAGE, error, |error| {
                error_flash(error, typed(&fields))
            })
            .await
        }
    }
}

/// Marks a follow-up done (or open again) from the town page's timeline.
pub async fn follow_up_done(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<i32>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let get = pairs_lookup(&fields);
    let done = get("done").as_deref() != Some("no");
    let back = get("back")
        .and_then(|code| LocalGovCode::parse(&code).ok())
        .map_or_else(|| "/".to_owned(), |code| format!("/municipalities/{code}"));
    match counterparts::set_follow_up_done_for(&state.db, &auth, id, done).await {
        Ok(town) => {
            let message = if done {
                "フォローアップを完了にしました。"
            } else {
                "フォローアップを未完了に戻しました。"
            };
            redirect_with(
                &state,
                &format!("/municipalities/{town}"),
                &Flash::success(message),
            )
            .await
        }
        Err(error) => answer_refused(&state, &back, error).await,
    }
}
