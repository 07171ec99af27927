//! カウンターパート's HTML form posts: a 県 counterpart records a contact with a
//! town on the town's page. It redirects (303) with a flash message.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use app::api::flash::Flash;
use app::auth::RequestAuth;
use app::domain::counterpart::contact::{ContactInput, FollowUpInput};
use app::domain::local_gov::LocalGovCode;
use app::domain::training::form::pairs_lookup;
use app::error::AppError;
use app::services::counterparts;
use app::state::AppState;

use super::forms::{answer_refused_with, error_flash, redirect_with, typed};

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
