//! 派遣's HTML form posts (they work without JavaScript): a town's request and
//! each party's step on a request's page. Each redirects (303) with a flash
//! message; after an error the form shows again with what was typed and the
//! message beside its field.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use app::api::dispatches::{ProgrammeInput, ProgrammePatch, ProposeInput, RejectInput, StepInput};
use app::api::flash::Flash;
use app::auth::RequestAuth;
use app::domain::dispatch::input::{DispatchInput, ReportInput, ScheduleInput};
use app::domain::dispatch::programme_form::rules_from_form;
use app::domain::dispatch::quota::QuotaRule;
use app::domain::dispatch::{AdviceType, Step};
use app::domain::ids::{DispatchId, ProgrammeId};
use app::domain::text::nfkc;
use app::domain::training::form::pairs_lookup;
use app::error::AppError;
use app::services::dispatches;
use app::state::AppState;

use super::forms::{answer_refused_with, error_flash, redirect_with, typed};

/// A posted form as name/value pairs, in order.
type Pairs = Vec<(String, String)>;

/// Hours as typed (「２」「1.5」「2時間」); what is not a number reads as a number no
/// rule accepts, so the service names the field.
fn hours(text: Option<String>) -> Option<f64> {
    let text = nfkc(text.as_deref().unwrap_or_default());
    let text = text.trim().trim_end_matches("時間").trim();
    if text.is_empty() {
        return None;
    }
    Some(text.parse::<f64>().unwrap_or(-1.0))
}

/// Files a town's request from the request form.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    Form(fields): Form<Pairs>,
) -> Response {
    let get = pairs_lookup(&fields);
    let advisors: Vec<i32> = fields
        .iter()
        .filter(|(k, _)| k == "advisors")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let input = DispatchInput {
        municipality: None,
        programme: get("programme").and_then(|v| v.parse().ok()),
        advice_type: get("advice_type").unwrap_or_default(),
        mode: get("mode").unwrap_or_default(),
        need: get("need").unwrap_or_default(),
        hours: hours(get("hours")),
        preferred_from: get("preferred_from"),
        preferred_to: get("preferred_to"),
        advisors: advisors.clone(),
    };
    match dispatches::request_for(&state.db, &auth, &input).await {
        Ok(id) => {
            let flash = Flash::success(
                "派遣を依頼しました。県の担当者がアドバイザーを提案するまでお待ちください。",
            );
            redirect_with(&state, &format!("/dispatches/{id}"), &flash).await
        }
        Err(error) => {
            let query: Vec<String> = advisors.iter().map(|a| format!("advisor={a}")).collect();
            let page = if query.is_empty() {
                "/dispatches/new".to_owned()
            } else {
                format!("/dispatches/new?{}", query.join("&"))
            };
            answer_refused_with(&state, &page, error, |error| {
                error_flash(error, typed(&fields))
            })
            .await
        }
    }
}

/// What a step's form carries.
fn step_input(step: Step, fields: &[(String, String)]) -> StepInput {
    let get = pairs_lookup(fields);
    let text = |name: &str| get(name).unwrap_or_default();
    match step {
        Step::Propose => StepInput::Propose(ProposeInput {
            advisor: get("advisor_id")
                .filter(|v| !v.trim().is_empty())
                .or_else(|| get("advisor"))
                .map(|v| nfkc(&v).trim().parse().unwrap_or(0)),
        }),
        Step::Approve => StepInput::Approve(ScheduleInput {
            starts_at: text("starts_at"),
            ends_at: text("ends_at"),
            place: text("place"),
        }),
        Step::Reject => StepInput::Reject(RejectInput {
            reason: text("reason"),
        }),
        Step::Report => StepInput::Report(ReportInput {
            hours: hours(get("hours")),
            summary: text("summary"),
            outcome: text("outcome"),
            next_steps: text("next_steps"),
        }),
        Step::Accept | Step::Decline | Step::Withdraw | Step::Confirm => StepInput::Plain,
    }
}

fn done(step: Step) -> &'static str {
    match step {
        Step::Propose => "アドバイザーに提案しました。回答をお待ちください。",
        Step::Accept => "引き受けました。県が日程を決めて派遣を決定します。",
        Step::Decline => "辞退しました。県がほかのアドバイザーを探します。",
        Step::Approve => "派遣を決定しました。市町村とアドバイザーに日程が表示されます。",
        Step::Reject => "不採択にしました。",
        Step::Withdraw => "依頼を取り下げました。",
        Step::Report => "実施報告を登録しました。市町村の確認を待ちます。",
        Step::Confirm => "報告を確認しました。この派遣は完了です。",
    }
}

async fn take(
    state: &AppState,
    auth: &RequestAuth,
    id: DispatchId,
    step: Step,
    fields: &Pairs,
) -> Response {
    let page = format!("/dispatches/{id}");
    let input = step_input(step, fields);
    match dispatches::step_for(&state.db, auth, id, step, &input).await {
        Ok(_) => redirect_with(state, &page, &Flash::success(done(step))).await,
        Err(error) => {
            answer_refused_with(state, &page, error, |error| {
                error_flash(error, typed(fields))
            })
            .await
        }
    }
}

macro_rules! step_form {
    ($name:ident, $step:expr) => {
        #[doc = concat!("The `", stringify!($name), "` button of a request's page.")]
        pub async fn $name(
            State(state): State<AppState>,
            auth: RequestAuth,
            Path(id): Path<DispatchId>,
            Form(fields): Form<Pairs>,
        ) -> Response {
            take(&state, &auth, id, $step, &fields).await
        }
    };
}

step_form!(propose, Step::Propose);
step_form!(accept, Step::Accept);
step_form!(decline, Step::Decline);
step_form!(approve, Step::Approve);
step_form!(reject, Step::Reject);
step_form!(withdraw, Step::Withdraw);
step_form!(report, Step::Report);
step_form!(confirm, Step::Confirm);

/// Issues the caller's calendar feed address and shows it once.
pub async fn issue_calendar(
    State(state): State<AppState>,
    auth: RequestAuth,
    headers: axum::http::HeaderMap,
) -> Response {
    match dispatches::issue_calendar_token_for(&state.db, &auth).await {
        Ok(token) => {
            let url = super::dispatches::feed_url(&state, &headers, &token);
            let flash = Flash::success(format!(
                "カレンダー用のURLを発行しました。カレンダーアプリの「URLで追加」に登録してください(以前のURLは使えなくなりました): {url}"
            ));
            redirect_with(&state, "/dispatches", &flash).await
        }
        Err(error) => {
            answer_refused_with(&state, "/dispatches", error, |error| {
                error_flash(error, Default::default())
            })
            .await
        }
    }
}

/// The programme form's fields as a new programme or a change.
fn programme_fields(
    fields: &[(String, String)],
) -> Result<(String, Vec<AdviceType>, Vec<QuotaRule>), AppError> {
    let get = pairs_lookup(fields);
    let types: Vec<AdviceType> = fields
        .iter()
        .filter(|(k, _)| k == "advice_types")
        .filter_map(|(_, v)| AdviceType::parse(v))
        .collect();
    let rules = rules_from_form(&get)?;
    Ok((get("name").unwrap_or_default(), types, rules))
}

/// Defines a programme from the programme form (県管理者).
pub async fn create_programme(
    State(state): State<AppState>,
    auth: RequestAuth,
    Form(fields): Form<Pairs>,
) -> Response {
    let result = match programme_fields(&fields) {
        Ok((name, types, rules)) => {
            let input = ProgrammeInput {
                code: None,
                name,
                advice_types: Some(types),
                rules,
            };
            dispatches::create_programme_for(&state.db, &auth, &input).await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(view) => {
            let flash = Flash::success(format!("「{}」を登録しました。", view.name));
            redirect_with(&state, "/dispatches/programmes", &flash).await
        }
        Err(error) => {
            answer_refused_with(&state, "/dispatches/programmes/new", error, |error| {
                error_flash(error, typed(&fields))
            })
            .await
        }
    }
}

/// Changes a programme from its form; an edit from a stale form is refused.
pub async fn patch_programme(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<ProgrammeId>,
    Form(fields): Form<Pairs>,
) -> Response {
    let page = format!("/dispatches/programmes/{id}");
    let get = pairs_lookup(&fields);
    let result = match programme_fields(&fields) {
        Ok((name, types, rules)) => {
            let patch = ProgrammePatch {
                name: Some(name),
                advice_types: Some(types),
                rules: Some(rules),
                active: Some(get("active").is_some_and(|v| !v.is_empty())),
                version: get("version").and_then(|v| v.parse().ok()),
            };
            dispatches::patch_programme_for(&state.db, &auth, id, &patch).await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(view) => {
            let flash = Flash::success(format!(
                "「{}」を変更しました。これからの派遣決定に新しい上限が使われます。",
                view.name
            ));
            redirect_with(&state, "/dispatches/programmes", &flash).await
        }
        Err(error) => {
            answer_refused_with(&state, &page, error, |error| {
                error_flash(error, typed(&fields))
            })
            .await
        }
    }
}
