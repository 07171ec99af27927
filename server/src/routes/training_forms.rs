//! 共同研修's HTML form posts (they work without JavaScript): the course form, the
//! organiser's status, attendance and 確定 buttons, and a town's enrolment and
//! cancellation. Each redirects (303) with a flash message; after an error the
//! form shows again with what was typed and the message beside its field.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use app::api::flash::Flash;
use app::api::trainings::{AttendanceRequest, EnrolRequest};
use app::auth::RequestAuth;
use app::domain::ids::{CourseId, EnrolmentId, SessionId};
use app::domain::training::TrainingStatus;
use app::domain::training::form::{CourseForm, StaffForm, pairs_lookup};
use app::domain::training::input::TrainingInput;
use app::error::AppError;
use app::services::trainings;
use app::state::AppState;

use super::forms::{answer_refused, answer_refused_with, error_flash, redirect_with, typed};

/// A posted form as name/value pairs, in order.
type Pairs = Vec<(String, String)>;

/// The flash after a refused form: the message beside `input_name(field)`.
fn refused(
    error: &AppError,
    values: BTreeMap<String, String>,
    input_name: &dyn Fn(&str) -> String,
) -> Flash {
    let mut flash = error_flash(error, values);
    flash.field = flash.field.map(|f| input_name(&f));
    for (field, _) in &mut flash.errors {
        *field = input_name(field);
    }
    flash
}

fn course_page(id: CourseId) -> String {
    format!("/trainings/{id}")
}

/// Reads the course form and lets `save` store it. Then it redirects to the page
/// and message `done` makes of what was saved, or back to `page` with the error
/// beside the input it is about and everything typed.
async fn save_course<T, F>(
    state: &AppState,
    fields: &[(String, String)],
    page: &str,
    save: impl FnOnce(TrainingInput) -> F,
    done: impl FnOnce(T) -> (String, String),
) -> Response
where
    F: Future<Output = Result<T, AppError>>,
{
    let course = match CourseForm::read_checked(&pairs_lookup(fields)) {
        Ok(course) => course,
        Err(errors) => {
            // The errors already carry the form's input names.
            let error = AppError::from(errors);
            return redirect_with(state, page, &error_flash(&error, typed(fields))).await;
        }
    };
    match save(course.input.clone()).await {
        Ok(saved) => {
            let (target, message) = done(saved);
            redirect_with(state, &target, &Flash::success(message)).await
        }
        Err(error) => {
            answer_refused_with(state, page, error, |error| {
                refused(error, typed(fields), &|f| course.input_name(f))
            })
            .await
        }
    }
}

/// Creates a course (a draft) from the course form.
pub async fn create(
    State(state): State<AppState>,
    auth: RequestAuth,
    Form(fields): Form<Pairs>,
) -> Response {
    save_course(
        &state,
        &fields,
        "/trainings/new",
        |input| {
            let (db, auth) = (&state.db, &auth);
            async move { trainings::create_for(db, auth, &input).await }
        },
        |id| {
            (
                course_page(id),
                "下書きとして登録しました。内容を確かめて「申込受付を開始する」を押すと、市町村が申し込めるようになります。".to_owned(),
            )
        },
    )
    .await
}

/// Saves the course form of a stored course.
pub async fn edit(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
    Form(fields): Form<Pairs>,
) -> Response {
    save_course(
        &state,
        &fields,
        &format!("/trainings/{id}/edit"),
        |input| {
            let (db, auth) = (&state.db, &auth);
            let expected = fields
                .iter()
                .rev()
                .find(|(k, _)| k == "version")
                .and_then(|(_, v)| v.trim().parse::<i32>().ok());
            async move { trainings::update_for(db, auth, id, &input, expected).await }
        },
        |promoted| {
            let message = if promoted > 0 {
                format!("変更を保存しました。増えた席に、キャンセル待ちの{promoted}人が受付順に繰り上がりました。")
            } else {
                "変更を保存しました。".to_owned()
            };
            (course_page(id), message)
        },
    )
    .await
}

/// Moves a course on: `status` is `open`, `closed` or `held`.
pub async fn set_status(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
    Form(fields): Form<Pairs>,
) -> Response {
    let page = course_page(id);
    let wanted = pairs_lookup(&fields)("status").unwrap_or_default();
    let result = match TrainingStatus::parse(&wanted) {
        Some(next @ (TrainingStatus::Open | TrainingStatus::Closed | TrainingStatus::Held)) => {
            trainings::transition_for(&state.db, &auth, id, next).await
        }
        _ => Err(AppError::invalid(
            "status",
            "変更先の状態を選んでください(受付中・受付終了・開催済み)。",
        )),
    };
    let flash = match result {
        Ok(TrainingStatus::Open) => Flash::success("申込受付を開始しました。"),
        Ok(TrainingStatus::Closed) => {
            Flash::success("申込受付を終了しました。下の負担金は申込者数による暫定の按分です。")
        }
        Ok(_) => Flash::success("開催済みにしました。出席を記録し、負担金を確定してください。"),
        Err(error) => return answer_refused(&state, &page, error).await,
    };
    redirect_with(&state, &page, &flash).await
}

/// Confirms (確定) the split.
pub async fn confirm(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let page = course_page(id);
    if !super::forms::ticked(form.confirm.as_deref()) {
        let unticked = Flash::error(
            "確定するには、確認の欄にチェックを入れてください。",
            Some("confirm".to_owned()),
            BTreeMap::new(),
        );
        return redirect_with(&state, &page, &unticked).await;
    }
    let flash = match trainings::confirm_for(&state.db, &auth, id).await {
        Ok(split) => Flash::success(format!(
            "負担金を確定しました(総額{}円)。各団体は負担金のお知らせを開いて印刷できます。",
            app::domain::text::thousands(split.total)
        )),
        Err(error) => return answer_refused(&state, &page, error).await,
    };
    redirect_with(&state, &page, &flash).await
}

/// The notice-details form: issuer, contact, payment deadline and account.
pub async fn billing(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
    Form(input): Form<app::api::trainings::BillingInput>,
) -> Response {
    let page = course_page(id);
    let flash = match trainings::set_billing_for(&state.db, &auth, id, &input).await {
        Ok(_) => Flash::success("負担金のお知らせに載せる事項を保存しました。"),
        Err(error) => {
            let values = BTreeMap::from([
                ("issuer".to_owned(), input.issuer),
                ("contact".to_owned(), input.contact),
                ("payment_due".to_owned(), input.payment_due),
                ("payment_account".to_owned(), input.payment_account),
            ]);
            return answer_refused_with(&state, &page, error, |error| error_flash(error, values))
                .await;
        }
    };
    redirect_with(&state, &page, &flash).await
}

/// The 確定 form: its tick.
#[derive(Debug, serde::Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    confirm: Option<String>,
}

/// Enrols the staff typed in the enrolment form.
pub async fn enrol(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path(id): Path<CourseId>,
    Form(fields): Form<Pairs>,
) -> Response {
    let page = course_page(id);
    let staff = StaffForm::read(&pairs_lookup(&fields));
    let request = EnrolRequest {
        municipality: None,
        staff: staff.staff.clone(),
    };
    match trainings::enrol_for(&state.db, &auth, id, &request).await {
        Ok(result) => {
            let message = match (result.enrolled.len(), result.waitlisted.len()) {
                (seated, 0) => format!("{seated}人の受講が決まりました。"),
                (0, waiting) => format!(
                    "定員に達しているため、{waiting}人をキャンセル待ちにしました。席が空くと受付順に繰り上がり、この画面でお知らせします。"
                ),
                (seated, waiting) => format!(
                    "{seated}人の受講が決まり、{waiting}人はキャンセル待ちです。席が空くと受付順に繰り上がります。"
                ),
            };
            redirect_with(&state, &page, &Flash::success(message)).await
        }
        Err(error) => {
            answer_refused_with(&state, &page, error, |error| {
                refused(error, typed(&fields), &|f| staff.input_name(f))
            })
            .await
        }
    }
}

/// Cancels one enrolment; the first on the waitlist moves up.
pub async fn cancel(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path((id, enrolment)): Path<(CourseId, EnrolmentId)>,
) -> Response {
    let page = course_page(id);
    let flash = match trainings::cancel_for(&state.db, &auth, id, enrolment).await {
        Ok(result) => match result.promoted {
            Some(next) => Flash::success(format!(
                "{} さんの申込を取り消しました。キャンセル待ちの {}({})さんが繰り上がりました。",
                result.cancelled.name, next.name, next.municipality_name
            )),
            None => Flash::success(format!(
                "{} さんの申込を取り消しました。",
                result.cancelled.name
            )),
        },
        Err(error) => return answer_refused(&state, &page, error).await,
    };
    redirect_with(&state, &page, &flash).await
}

/// Records who attended one session: the checked `present` enrolments.
pub async fn attendance(
    State(state): State<AppState>,
    auth: RequestAuth,
    Path((id, session)): Path<(CourseId, SessionId)>,
    Form(fields): Form<Pairs>,
) -> Response {
    let page = course_page(id);
    let present: Result<Vec<EnrolmentId>, _> = fields
        .iter()
        .filter(|(k, _)| k == "present")
        .map(|(_, v)| v.parse::<EnrolmentId>())
        .collect();
    let result = match present {
        Ok(present) => {
            trainings::record_attendance_for(
                &state.db,
                &auth,
                id,
                session,
                &AttendanceRequest { present },
            )
            .await
        }
        Err(_) => Err(AppError::invalid(
            "present",
            "出席者の指定が正しくありません。",
        )),
    };
    let flash = match result {
        Ok(count) => Flash::success(format!("出席を記録しました({count}人出席)。")),
        Err(error) => return answer_refused(&state, &page, error).await,
    };
    redirect_with(&state, &page, &flash).await
}
