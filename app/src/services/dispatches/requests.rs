//! A town files a request; the 県, the advisor and the town take it step by step
//! to its report. Each step is one transaction that moves the row only from the
//! state it was read in (a step lost to a concurrent one gets 409), appends to the
//! timeline and the audit log.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter, TransactionTrait,
};
use serde_json::json;

use super::{
    audit_event, counted, load, mode_of, not_found, now, resource, rules_of, status_of, take_lock,
    to_column,
};
use crate::api::dispatches::{DispatchDetail, StepInput};
use crate::auth::RequestAuth;
use crate::domain::account::Actor;
use crate::domain::audit::AuditAction;
use crate::domain::dispatch::input::{
    DispatchInput, Report, Schedule, parse_reason, parse_report, parse_request, parse_schedule,
};
use crate::domain::dispatch::quota::{QuotaRule, Usage, admits};
use crate::domain::dispatch::{AdviceType, DispatchStatus, Party, Step};
use crate::domain::ids::DispatchId;
use crate::domain::local_gov::LocalGovCode;
use crate::domain::policy::{Action, Resource};
use crate::domain::wareki::FiscalYear;
use crate::entities::{advisor, dispatch, dispatch_event, dispatch_programme, municipality};
use crate::error::AppError;

/// Files a request for a town (the caller's own when none is named).
pub async fn request_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    input: &DispatchInput,
) -> Result<DispatchId, AppError> {
    let actor = auth.signed_in()?;
    let code = input
        .municipality
        .clone()
        .or_else(|| actor.municipality.clone().map(String::from))
        .ok_or(AppError::Forbidden)?;
    let town = municipality::Entity::find_by_id(code.trim().to_owned())
        .one(db)
        .await?
        .ok_or(AppError::Forbidden)?;
    auth.authorize(
        Action::RequestDispatch,
        &Resource::Dispatch {
            prefecture: LocalGovCode::from_stored(town.prefecture_code.clone()),
            municipality: LocalGovCode::from_stored(town.code.clone()),
            advisor: None,
        },
    )?;
    let draft = parse_request(input)?;
    let programme = dispatch_programme::Entity::find_by_id(draft.programme)
        .one(db)
        .await?
        .filter(|p| p.prefecture_code == town.prefecture_code && p.active)
        .ok_or_else(|| AppError::invalid("programme", "この派遣制度は選べません。"))?;
    if !programme
        .advice_types
        .split(',')
        .any(|t| AdviceType::parse(t) == Some(draft.advice_type))
    {
        return Err(AppError::invalid(
            "advice_type",
            format!(
                "「{}」では「{}」を受け付けていません。",
                programme.name,
                draft.advice_type.label()
            ),
        ));
    }
    let wished = if draft.advisors.is_empty() {
        Vec::new()
    } else {
        advisor::Entity::find()
            .filter(advisor::Column::Id.is_in(draft.advisors.clone()))
            .filter(advisor::Column::PrefectureCode.eq(town.prefecture_code.as_str()))
            .filter(advisor::Column::Published.eq(true))
            .all(db)
            .await?
    };
    if wished.len() != draft.advisors.len() {
        return Err(AppError::invalid(
            "advisors",
            "希望したアドバイザーの中に、この県の人材バンクにいない人がいます。",
        ));
    }
    let stamp = now();
    let txn = db.begin().await?;
    let row = dispatch::ActiveModel {
        prefecture_code: Set(town.prefecture_code.clone()),
        municipality_code: Set(town.code.clone()),
        programme_id: Set(programme.id),
        advice_type: Set(draft.advice_type.as_str().to_owned()),
        mode: Set(draft.mode.as_str().to_owned()),
        need: Set(draft.need.clone()),
        hours_wanted: Set(to_column(draft.hours)),
        preferred_from: Set(draft.preferred_from),
        preferred_to: Set(draft.preferred_to),
        wished_advisors: Set(draft
            .advisors
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(",")),
        status: Set(DispatchStatus::Submitted.as_str().to_owned()),
        requested_by: Set(Some(actor.account_id.get())),
        created_at: Set(stamp),
        updated_at: Set(stamp),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let names: Vec<String> = wished.iter().map(|a| a.name.clone()).collect();
    let note = if names.is_empty() {
        format!("{}・{}", programme.name, draft.mode.label())
    } else {
        format!(
            "{}・{}(希望: {})",
            programme.name,
            draft.mode.label(),
            names.join("、")
        )
    };
    timeline(&txn, actor, &row, "submit", DispatchStatus::Submitted, note).await?;
    audit_event(
        &txn,
        auth,
        &row,
        AuditAction::DispatchRequested,
        json!({ "municipality": town.code, "programme": programme.name }),
    )
    .await?;
    txn.commit().await?;
    Ok(DispatchId(row.id))
}

/// The action a party's step is authorised by.
fn action_of(step: Step) -> Action {
    match step.party() {
        Party::Town => Action::RequestDispatch,
        Party::Prefecture => Action::ManageDispatch,
        Party::Advisor => Action::AnswerDispatch,
    }
}

/// Whether the caller may take `step` on the request at all (its party), before
/// a body is read: 404 for no such request, 401/403 otherwise.
pub async fn may_take(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: DispatchId,
    step: Step,
) -> Result<(), AppError> {
    let (row, advisor) = load(db, id).await?;
    auth.authorize(action_of(step), &resource(&row, advisor.as_ref()))?;
    Ok(())
}

/// Takes `step` on a request: authorised for its party first, then the body is
/// parsed, then the state and the rules are checked inside one transaction.
pub async fn step_for(
    db: &DatabaseConnection,
    auth: &RequestAuth,
    id: DispatchId,
    step: Step,
    input: &StepInput,
) -> Result<DispatchDetail, AppError> {
    let (row, advisor) = load(db, id).await?;
    let actor = auth
        .authorize(action_of(step), &resource(&row, advisor.as_ref()))?
        .clone();
    let from = status_of(&row);
    let to = step.next(from).ok_or_else(|| {
        AppError::conflict(
            "status",
            format!(
                "この依頼は「{}」のため、「{}」はできません。",
                from.label(),
                step.label()
            ),
        )
    })?;
    let parsed = parse_step(step, input)?;
    let txn = db.begin().await?;
    // The first write: the row moves only from the state it was read in.
    let moved = dispatch::Entity::update_many()
        .col_expr(dispatch::Column::Status, Expr::value(to.as_str()))
        .col_expr(
            dispatch::Column::Version,
            Expr::col(dispatch::Column::Version).add(1),
        )
        .col_expr(dispatch::Column::UpdatedAt, Expr::value(now()))
        .filter(dispatch::Column::Id.eq(row.id))
        .filter(dispatch::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected == 0 {
        return Err(AppError::conflict(
            "status",
            "この依頼は同時にほかの操作で変更されました。ページを開き直してください。",
        ));
    }
    let note = match parsed {
        Parsed::Plain => String::new(),
        Parsed::Propose(advisor_id) => propose(&txn, &row, advisor_id).await?,
        Parsed::Approve(schedule) => approve(&txn, &row, advisor.as_ref(), &schedule).await?,
        Parsed::Reject(reason) => {
            set(&txn, &row, |m| m.reject_reason = Set(Some(reason.clone()))).await?;
            reason
        }
        Parsed::Report(report) => file_report(&txn, &row, &report).await?,
    };
    timeline(&txn, &actor, &row, step.as_str(), to, note).await?;
    audit_event(
        &txn,
        auth,
        &row,
        AuditAction::DispatchStepTaken,
        json!({ "step": step.as_str(), "to": to.label() }),
    )
    .await?;
    txn.commit().await?;
    super::detail_for(db, auth, id).await
}

/// What a step brings, checked.
enum Parsed {
    Plain,
    Propose(Option<i32>),
    Approve(Schedule),
    Reject(String),
    Report(Report),
}

fn parse_step(step: Step, input: &StepInput) -> Result<Parsed, AppError> {
    Ok(match (step, input) {
        (Step::Propose, StepInput::Propose(p)) => Parsed::Propose(p.advisor),
        (Step::Approve, StepInput::Approve(s)) => Parsed::Approve(parse_schedule(s)?),
        (Step::Reject, StepInput::Reject(r)) => Parsed::Reject(parse_reason(&r.reason)?),
        (Step::Report, StepInput::Report(r)) => Parsed::Report(parse_report(r)?),
        (Step::Propose | Step::Approve | Step::Reject | Step::Report, _) => {
            return Err(AppError::invalid("step", "入力内容が足りません。"));
        }
        _ => Parsed::Plain,
    })
}

/// Changes columns of the request inside the step's transaction.
async fn set(
    txn: &DatabaseTransaction,
    row: &dispatch::Model,
    change: impl FnOnce(&mut dispatch::ActiveModel),
) -> Result<(), AppError> {
    let mut active = dispatch::ActiveModel {
        id: Set(row.id),
        ..Default::default()
    };
    change(&mut active);
    active.update(txn).await?;
    Ok(())
}

/// Proposes an advisor of the town's prefecture's bank who has an account (they
/// answer in the portal).
async fn propose(
    txn: &DatabaseTransaction,
    row: &dispatch::Model,
    advisor_id: Option<i32>,
) -> Result<String, AppError> {
    let advisor_id =
        advisor_id.ok_or_else(|| AppError::invalid("advisor", "アドバイザーを選んでください。"))?;
    let advisor = advisor::Entity::find_by_id(advisor_id)
        .one(txn)
        .await?
        .filter(|a| a.prefecture_code == row.prefecture_code && a.published && !a.retired)
        .ok_or_else(|| {
            AppError::invalid(
                "advisor",
                "この県の人材バンクに公開中のアドバイザーではありません。",
            )
        })?;
    if advisor.account_id.is_none() {
        return Err(AppError::invalid(
            "advisor",
            format!(
                "{}さんはポータルのアカウントがないため、提案しても回答できません。先にアカウントを作成してください。",
                advisor.name
            ),
        ));
    }
    set(txn, row, |m| m.advisor_id = Set(Some(advisor.id))).await?;
    Ok(format!("{}さんを提案", advisor.name))
}

/// Approves with a schedule: the quota of the town for the programme and the 年度
/// of the date, and the advisor's other bookings, are checked under their locks.
async fn approve(
    txn: &DatabaseTransaction,
    row: &dispatch::Model,
    advisor: Option<&advisor::Model>,
    schedule: &Schedule,
) -> Result<String, AppError> {
    let advisor =
        advisor.ok_or_else(|| AppError::conflict("advisor", "アドバイザーが未定です。"))?;
    let year = FiscalYear::of(schedule.starts_at.date_naive());
    take_lock(
        txn,
        format!(
            "quota:{}:{}:{}",
            row.municipality_code, row.programme_id, year.0
        ),
    )
    .await?;
    take_lock(txn, format!("advisor:{}", advisor.id)).await?;
    let counting = DispatchStatus::counting();
    let clash = dispatch::Entity::find()
        .filter(dispatch::Column::AdvisorId.eq(advisor.id))
        .filter(dispatch::Column::Status.is_in(counting.clone()))
        .filter(dispatch::Column::Id.ne(row.id))
        .filter(dispatch::Column::StartsAt.lt(schedule.ends_at))
        .filter(dispatch::Column::EndsAt.gt(schedule.starts_at))
        .one(txn)
        .await?;
    if let Some(other) = clash {
        return Err(AppError::conflict(
            "starts_at",
            format!(
                "{}さんはこの時間に別の派遣(依頼 #{})が決まっています。",
                advisor.name, other.id
            ),
        ));
    }
    let programme = dispatch_programme::Entity::find_by_id(row.programme_id)
        .one(txn)
        .await?
        .ok_or_else(|| AppError::conflict("programme", "派遣制度が見つかりません。"))?;
    let rules = rules_of(&programme.rules);
    let used: Vec<dispatch::Model> = dispatch::Entity::find()
        .filter(dispatch::Column::MunicipalityCode.eq(row.municipality_code.as_str()))
        .filter(dispatch::Column::ProgrammeId.eq(row.programme_id))
        .filter(dispatch::Column::FiscalYear.eq(year.0))
        .filter(dispatch::Column::Status.is_in(counting))
        .filter(dispatch::Column::Id.ne(row.id))
        .all(txn)
        .await?;
    let usage = Usage::of(&used.iter().map(counted).collect::<Vec<_>>());
    let candidate = crate::domain::dispatch::quota::Counted {
        mode: mode_of(row),
        hours: schedule.hours(),
    };
    admits(&rules, usage, candidate).map_err(|breach| {
        let message = match breach.rule {
            QuotaRule::HoursPerDispatch { .. } => breach.message,
            _ => format!("{}の{}", year.label(), breach.message),
        };
        AppError::conflict(format!("quota.{}", breach.rule.kind()), message)
    })?;
    set(txn, row, |m| {
        m.starts_at = Set(Some(schedule.starts_at));
        m.ends_at = Set(Some(schedule.ends_at));
        m.place = Set(Some(schedule.place.clone()));
        m.fiscal_year = Set(Some(year.0));
        m.quota_rules = Set(Some(programme.rules.clone()));
    })
    .await?;
    Ok(format!(
        "{} {}〜{}({})",
        crate::domain::wareki::wareki_date(schedule.starts_at.date_naive()),
        schedule.starts_at.format("%H:%M"),
        schedule.ends_at.format("%H:%M"),
        schedule.place
    ))
}

/// Files the advisor's report, once the dispatch has begun.
async fn file_report(
    txn: &DatabaseTransaction,
    row: &dispatch::Model,
    report: &Report,
) -> Result<String, AppError> {
    if row.starts_at.is_some_and(|start| start > now()) {
        return Err(AppError::conflict(
            "status",
            "派遣の日時より前には報告できません。",
        ));
    }
    set(txn, row, |m| {
        m.report_hours = Set(Some(to_column(report.hours)));
        m.report_summary = Set(Some(report.summary.clone()));
        m.report_outcome = Set(Some(report.outcome.clone()));
        m.report_next_steps = Set(Some(report.next_steps.clone()));
    })
    .await?;
    Ok(format!("実施時間 {}", report.hours.label()))
}

/// Appends a step to the request's timeline, and tells the prefecture's
/// webhooks (in the same transaction).
async fn timeline(
    db: &impl ConnectionTrait,
    actor: &Actor,
    row: &dispatch::Model,
    step: &str,
    to: DispatchStatus,
    note: String,
) -> Result<(), AppError> {
    dispatch_event::Entity::insert(dispatch_event::ActiveModel {
        dispatch_id: Set(row.id),
        at: Set(now()),
        actor_id: Set(Some(actor.account_id.get())),
        actor_name: Set(actor.display_name.clone()),
        step: Set(step.to_owned()),
        to_status: Set(to.as_str().to_owned()),
        note: Set(note),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    let town = crate::entities::municipality::Entity::find_by_id(row.municipality_code.clone())
        .one(db)
        .await?
        .map(|m| m.name)
        .unwrap_or_default();
    let event = crate::domain::webhook::Event {
        kind: crate::domain::webhook::EventKind::DispatchStatus,
        prefecture: row.prefecture_code.clone(),
        text: format!("派遣依頼 #{}({town}): {}", row.id, to.label()),
        path: format!("/dispatches/{}", row.id),
        data: json!({"id": row.id, "municipality": row.municipality_code, "step": step, "status": to.as_str()}),
    };
    crate::services::webhooks::outbox::enqueue(db, &event).await?;
    Ok(())
}

/// 404 for a request the caller may not see.
pub(super) fn visible_to(
    auth: &RequestAuth,
    row: &dispatch::Model,
    advisor: Option<&advisor::Model>,
) -> Result<(), AppError> {
    match &auth.actor {
        None => Err(AppError::Unauthenticated),
        Some(actor) => {
            if crate::domain::policy::can(actor, Action::ViewDispatch, &resource(row, advisor)) {
                Ok(())
            } else {
                Err(not_found())
            }
        }
    }
}
